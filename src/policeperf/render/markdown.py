"""Analysts' Markdown (cover, actions, comments, glossary) to safe HTML, with markdown-it-py.

CommonMark, with raw HTML off: any HTML in the source is printed as text, escaped. On top of
CommonMark, two rules keep the report self-contained:

* a link to a page anchor ("#method") stays a link; any other target is printed as plain text
  after the link text, "the plan (https://example.org/plan)", so the report never makes (or
  offers) a network request by itself; an image prints its description only;
* headings are rendered two levels down ("#" becomes ``<h3>``), so they sit under the page title.

This module imports nothing from the report or the other renderers.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup

__all__ = ["inline", "render"]

_LINK_TARGET = "link_target"


def _render_link_target(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return f' <span class="link-target">({escapeHtml(tokens[idx].content)})</span>'


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.add_render_rule(_LINK_TARGET, _render_link_target)
    return md


def _inline_tokens(children: list[Token]) -> list[Token]:
    """Keep anchor links; turn other links into text plus their target, images into text."""
    out: list[Token] = []
    targets: list[str | None] = []
    for token in children:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            keep = href.startswith("#")
            # An autolink <https://...> already prints its target as its text.
            targets.append(None if keep else "" if token.markup == "autolink" else href)
            if keep:
                out.append(token)
        elif token.type == "link_close":
            target = targets.pop() if targets else None
            if target is None:
                out.append(token)
            elif target:
                out.append(Token(_LINK_TARGET, "", 0, content=target))
        elif token.type == "image":
            out.append(Token("text", "", 0, content=token.content))
        else:
            out.append(token)
    return out


def _rewrite(tokens: list[Token]) -> list[Token]:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
        if token.children:
            token.children = _inline_tokens(token.children)
    return tokens


def render(source: str) -> Markup:
    """Render analysts' Markdown (CommonMark, raw HTML off) to safe HTML.

    Args:
        source: Markdown text written by an analyst, or built from data.

    Returns:
        HTML marked safe for Jinja (everything from the source was escaped).

    Examples:
        >>> str(render("1. **Grip** funding\\n2. Patrols"))
        '<ol>\\n<li><strong>Grip</strong> funding</li>\\n<li>Patrols</li>\\n</ol>'
    """
    md = _parser()
    tokens = _rewrite(md.parse(source))
    return Markup(md.renderer.render(tokens, md.options, {}).rstrip("\n"))


def inline(text: str) -> str:
    """Render one line of inline Markdown to HTML (escaped; no paragraph, list or heading).

    Examples:
        >>> inline("**6.63** per 1,000 <b>")
        '<strong>6.63</strong> per 1,000 &lt;b&gt;'
    """
    md = _parser()
    tokens = md.parseInline(text.replace("\n", " "))
    for token in tokens:
        token.children = _inline_tokens(token.children or [])
    return str(md.renderer.render(tokens, md.options, {}))
