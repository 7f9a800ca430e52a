"""A small, safe Markdown subset for the report's narrative: no raw HTML ever passes through.

Blocks: paragraphs, numbered lists ("1." or "1)"), bulleted lists ("-" or "*"), headings
("#" to "###", rendered two levels down so they sit under the page title).
Inline: **bold**, *italic* or _italic_, `code`, and links [text](target).

Every character of the source is HTML-escaped before any markup is added. Links to a page anchor
("#...") become ``<a>``; any other target is printed as plain text after the link text, so the
report never makes (or offers) a network request by itself.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

# "1. text" / "12) text": an ordered list item.
_OL = re.compile(r"^\s*\d+[.)]\s+(.*)$")
# "- text" / "* text": a bullet (a lone "*" followed by a space, not "**bold**").
_UL = re.compile(r"^\s*[-*]\s+(.*)$")
# "## Heading": one to three hashes.
_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*#*\s*$")
# [text](target) on already-escaped text; the target has no spaces or parentheses.
_LINK = re.compile(r"\[([^\]]+)\]\(([^()\s]+)\)")
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
# *italic* or _italic_, not touching word characters on the outside (snake_case stays as is).
_ITALIC = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")


def inline(text: str) -> str:
    """Render inline Markdown in one line of text to HTML (escaped)."""
    html = escape(text, quote=True)
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        codes.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    html = _CODE.sub(keep_code, html)
    html = _LINK.sub(_link, html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\2</em>", html)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], html)


def _link(match: re.Match[str]) -> str:
    text, target = match.group(1), match.group(2)
    if target.startswith("#"):
        return f'<a href="{target}">{text}</a>'
    return f'{text} <span class="link-target">({target})</span>'


def _blocks(source: str) -> list[tuple[str, list[str]]]:
    """Group lines into blocks: ("p" | "ol" | "ul" | "h1".."h3", lines or items)."""
    blocks: list[tuple[str, list[str]]] = []
    for raw in source.splitlines():
        line = raw.rstrip()
        if not line.strip():
            blocks.append(("blank", []))
            continue
        heading = _HEADING.match(line)
        ordered = _OL.match(line)
        bullet = None if line.lstrip().startswith("**") else _UL.match(line)
        last = blocks[-1] if blocks else ("blank", [])
        if heading:
            blocks.append((f"h{len(heading.group(1))}", [heading.group(2)]))
        elif ordered:
            if last[0] == "ol":
                last[1].append(ordered.group(1))
            else:
                blocks.append(("ol", [ordered.group(1)]))
        elif bullet:
            if last[0] == "ul":
                last[1].append(bullet.group(1))
            else:
                blocks.append(("ul", [bullet.group(1)]))
        elif last[0] in ("ol", "ul", "p") and last[1]:
            # A continuation line belongs to the open paragraph or list item.
            last[1][-1] += " " + line.strip()
        else:
            blocks.append(("p", [line.strip()]))
    return [b for b in blocks if b[0] != "blank"]


def render(source: str) -> Markup:
    """Render a Markdown subset to safe HTML.

    Args:
        source: Markdown text written by an analyst.

    Returns:
        HTML marked safe for Jinja (everything from the source was escaped).

    Examples:
        >>> str(render("1. **Grip** funding\\n2. Patrols"))
        '<ol>\\n<li><strong>Grip</strong> funding</li>\\n<li>Patrols</li>\\n</ol>'
    """
    parts: list[str] = []
    for kind, lines in _blocks(source):
        if kind in ("ol", "ul"):
            items = "\n".join(f"<li>{inline(item)}</li>" for item in lines)
            parts.append(f"<{kind}>\n{items}\n</{kind}>")
        elif kind.startswith("h"):
            level = int(kind[1]) + 2
            parts.append(f"<h{level}>{inline(lines[0])}</h{level}>")
        else:
            parts.append(f"<p>{inline(' '.join(lines))}</p>")
    return Markup("\n".join(parts))
