"""Errors a user can act on: each names where the problem is and what was expected."""

from __future__ import annotations


class PolicePerfError(Exception):
    """Base class for errors shown to users without a traceback."""


class InputError(PolicePerfError):
    """Bad input data: names file, sheet, row and column, and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.expected = expected
        self.reason = message
        where = [f"file {file}"]
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        text = f"{', '.join(where)}: {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)


class InputErrors(InputError):
    """Several problems in one input file, every one listed (up to :data:`LISTED`), each with
    its row and column; behaves as the first one where a single error is expected."""

    LISTED = 100

    def __init__(self, errors: list[InputError], total: int | None = None) -> None:
        first = errors[0]
        super().__init__(first.reason, file=first.file, sheet=first.sheet, row=first.row,
                         column=first.column, expected=first.expected)
        self.errors = list(errors)
        self.total = max(total or len(errors), len(errors))
        shown = self.errors[: self.LISTED]
        lines = [str(e) for e in shown]
        more = self.total - len(shown)
        if more:
            lines.append(f"... and {more:,} more")
        if self.total > 1:
            self.args = (f"{self.total:,} problems in {first.file}:\n  " + "\n  ".join(lines),)

    def renamed(self, file: str) -> InputErrors:
        """The same problems, naming the file ``file`` (e.g. an archive member)."""
        return InputErrors([InputError(e.reason, file=file, sheet=e.sheet, row=e.row,
                                       column=e.column, expected=e.expected)
                            for e in self.errors], self.total)


class UnknownNameError(PolicePerfError):
    """A name (force, offence, measure...) that is not known; suggests the closest known names."""

    def __init__(self, kind: str, name: str, suggestions: list[str],
                 known: list[str] | None = None) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        if not suggestions and known:
            hint = f"; expected one of: {', '.join(known)}"
        super().__init__(f"unknown {kind} {name!r}{hint}")
