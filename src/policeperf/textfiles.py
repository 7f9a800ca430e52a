"""Reading the files a user writes (catalogue, peer groups, report project): safely and plainly.

* :func:`check_readable` refuses what is not a regular file *before* anything opens it: a FIFO or
  ``/dev/zero`` would block or never end, a dangling symlink or a folder has nothing to read.
* :func:`decode` accepts UTF-8 (with or without a BOM) and names the encoding of anything else:
  UTF-16 by its byte-order mark, otherwise the first byte that is not UTF-8, by line and column.
* :class:`LimitedSafeLoader` is PyYAML's safe loader with limits on aliases, nesting depth and the
  size of the document once aliases are expanded (:mod:`policeperf.limits`), so an alias bomb or
  ``[[[[...]]]]`` 10,000 deep is one error, not gigabytes or a RecursionError. Its errors are
  :class:`yaml.MarkedYAMLError` s, which every caller already reports with the line.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from policeperf import limits
from policeperf.errors import InputError

__all__ = ["LimitedSafeLoader", "YAMLLimitError", "check_readable", "decode", "load_yaml",
           "read_text", "yaml_problem", "KINDS"]

# What a path that is not a regular file is, for messages.
KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device",
         stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def check_readable(path: Path, display: str | None = None, *, folder_ok: bool = False) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file (or a folder, if allowed)
    that this process may read. Nothing is opened, so a FIFO cannot block."""
    name = display or str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"a symbolic link to {os.readlink(path)}, which does not exist",
                             file=name) from None
        raise InputError("no such file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", file=name) from exc
    kind = stat.S_IFMT(info.st_mode)
    if kind == stat.S_IFDIR and folder_ok:
        return
    if kind != stat.S_IFREG:
        raise InputError(f"is {KINDS.get(kind, 'not a regular file')}, not a file",
                         file=name, expected="a regular file")
    if not os.access(path, os.R_OK):
        raise InputError("cannot be read: permission denied", file=name)


def decode(raw: bytes, file: str) -> str:
    """The text of a file's bytes, which must be UTF-8; an error names the actual encoding."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("is UTF-16 text", file=file, expected="UTF-8 text (save it as UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        if b"\x00" in raw[:200]:
            what = "is UTF-16 text without a byte-order mark"
        else:
            what = (f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at line {line}, column "
                    f"{column}; probably Latin-1 or Windows-1252)")
        raise InputError(what, file=file, expected="UTF-8 text (save it as UTF-8)") from None


def read_text(path: Path, display: str | None = None, *,
              max_bytes: int = limits.TEXT_MAX_BYTES) -> str:
    """A user's text file, checked (:func:`check_readable`), at most ``max_bytes`` and decoded
    (:func:`decode`)."""
    name = display or str(path)
    check_readable(path, name)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", file=name) from exc
    if len(raw) > max_bytes:
        raise InputError(f"is larger than {max_bytes // (1 << 20)} MiB", file=name,
                         expected="a hand-written text file (see docs/reliability.md, limits)")
    return decode(raw, name)


class YAMLLimitError(yaml.MarkedYAMLError):
    """A YAML document beyond :mod:`policeperf.limits` (aliases, depth, expanded size)."""


class LimitedSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with limits on aliases, depth and expanded size."""

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0
        self._weight: dict[int, int] = {}  # id(node) -> values it stands for, aliases expanded

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, AliasEvent):
            self._aliases += 1
            if self._aliases > limits.YAML_MAX_ALIASES:
                raise YAMLLimitError(None, None, f"more than {limits.YAML_MAX_ALIASES} aliases "
                                     "(*name); write the values out", mark)
            anchored = self.anchors.get(event.anchor)
            collection = isinstance(anchored, SequenceNode | MappingNode)
            if collection and id(anchored) not in self._weight:  # weighed once complete
                raise YAMLLimitError(None, None, f"alias *{event.anchor} refers to a "
                                     "collection that contains it", mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > limits.YAML_MAX_DEPTH:
            raise YAMLLimitError(None, None, f"nested deeper than {limits.YAML_MAX_DEPTH} levels",
                                 event.start_mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, SequenceNode | MappingNode):
            self._weigh(node, event.start_mark)
        return node

    def _weigh(self, node: Node, mark: Any) -> None:
        if isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = list(node.value)
        weight = 1 + sum(self._weight.get(id(c), 1) for c in children)
        self._weight[id(node)] = weight
        if weight > limits.YAML_MAX_NODES:
            raise YAMLLimitError(None, None, f"expands to more than {limits.YAML_MAX_NODES:,} "
                                 "values (aliases counted at every use)", mark)


def yaml_problem(exc: yaml.YAMLError) -> tuple[int, str]:
    """The line (1-based; 1 when unknown) and a one-line description of a YAML error."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        text = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return line, text or "not valid YAML"
    return 1, " ".join(str(exc).split())


def load_yaml(text: str, loader: type[LimitedSafeLoader] = LimitedSafeLoader) -> Any:
    """Parse YAML text with the limited safe loader (or a subclass of it)."""
    return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
