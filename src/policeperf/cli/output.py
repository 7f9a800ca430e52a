"""How commands print results: one option name for the format, JSON without float noise.

Every command that prints data takes ``--format`` (``table`` for people; ``json``, and ``csv``
where the data are a table, for programs). ``--json``, the older spelling on some commands, is
kept as a hidden alias of ``--format json``.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

import typer

from policeperf.cli.checks import check_choice

# Significant digits kept in JSON floats: more than any published figure has (counts are
# integers and printed exactly; a rate per 1,000 is published to 1 or 2 decimals), few enough to
# drop the binary noise of sums and divisions such as 1729463.9999948647 (noise at about 1e-12).
SIGNIFICANT_DIGITS = 10

FormatOption = Annotated[str, typer.Option("--format",
                                           help="table (default), json or csv.")]
JsonAlias = Annotated[bool, typer.Option("--json", hidden=True,
                                         help="Same as --format json (older spelling).")]


def output_format(fmt: str, as_json: bool = False,
                  choices: tuple[str, ...] = ("table", "json", "csv")) -> str:
    """The format asked for: ``--json`` means json; anything else must be one of ``choices``."""
    return "json" if as_json else check_choice(fmt, "--format", choices, "format")


def clean_number(value: float) -> float | int | None:
    """A float rounded to :data:`SIGNIFICANT_DIGITS` significant digits; a whole number becomes
    an int; NaN and infinity (not JSON) become None."""
    if not math.isfinite(value):
        return None
    rounded = float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    if rounded.is_integer() and abs(rounded) < 2**53:
        return int(rounded)
    return rounded


def clean(data: Any) -> Any:
    """``data`` with every float cleaned (see :func:`clean_number`), dates as ISO text."""
    if isinstance(data, bool) or data is None or isinstance(data, int | str):
        return data
    if isinstance(data, float):
        return clean_number(data)
    if isinstance(data, dict):
        return {str(k): clean(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [clean(v) for v in data]
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data


def json_text(data: Any) -> str:
    """Indented JSON of ``data`` (floats without noise), ending with a newline."""
    return json.dumps(clean(data), indent=2, ensure_ascii=False) + "\n"


def frame_json(frame: Any) -> str:
    """A Polars frame as a JSON list of row objects (floats without noise)."""
    return json_text(frame.to_dicts())
