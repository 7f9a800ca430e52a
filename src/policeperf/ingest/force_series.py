"""A force's own series (surveys, disruptions, duty hours, CJS timeliness, reoffending).

One documented long format, in ``docs/force-series-format.md``; a header-only template ships as
``policeperf/data/force-series/template.csv``. One row holds one figure::

    force,series,period_type,period_end,window_months,category,comparator,value,numerator,
    denominator,unit,statistic,note

CSV or a workbook (XLSX/ODS; the first sheet with this header). Unit ``percent`` is accepted and
stored as a proportion (value / 100). A blank ``value`` is worked out as numerator / denominator for
proportions and means. ``note`` stays out of the canonical table; rows whose note says
"illustrative" are counted in :attr:`Batch.notes` so made-up example data never passes for real.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from policeperf.errors import InputError
from policeperf.ingest._tabular import (
    ROW,
    RawTable,
    check,
    collecting,
    duplicate,
    fold,
    load_table,
    resolve_names,
    sniff_header,
)
from policeperf.ingest.schema import FORCE_SERIES, Batch
from policeperf.limits import MAX_SERIES_VALUE, MIN_PERIOD, max_period
from policeperf.reference.series import SERIES

FORMAT = "force-series"
COLUMN_NAMES = (
    "force", "series", "period_type", "period_end", "window_months", "category", "comparator",
    "value", "numerator", "denominator", "unit", "statistic", "note",
)  # fmt: skip
REQUIRED = ("force", "series", "period_type", "period_end", "unit")
COLUMNS: dict[str, tuple[str, ...]] = {name: (name,) for name in COLUMN_NAMES}
OPTIONAL = frozenset(COLUMN_NAMES) - frozenset(REQUIRED)
PERIOD_TYPES = {"month": 1, "quarter": 3, "year": 12}  # period type -> default window_months
WINDOWS = (1, 3, 12)
COMPARATORS = ("force", "national", "msg", "cps_area")
UNITS = ("count", "proportion", "days", "hours", "rate", "percent")
STATISTICS = ("total", "median", "mean", "proportion")
DEFAULT_STATISTIC = {"count": "total", "hours": "total", "proportion": "proportion",
                     "percent": "proportion"}  # fmt: skip
PROPORTION_TOLERANCE = 0.005  # |value - numerator/denominator| allowed: half a percentage point

# A series id: snake_case, starting with a letter: "drug_disruptions".
_SERIES_ID = r"^[a-z][a-z0-9_]*$"
# A number: "12", "-3.5", "0.75", "1e3" (thousands commas are removed first).
_NUMBER = r"^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$"
# An ISO date, perhaps with a zero time: "2022-06-30", "2022-06-30 00:00:00".
_ISO_DATE = r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$"
# A year and month meaning that month's end: "2022-06".
_YEAR_MONTH = r"^(\d{4}-\d{2})$"
# A workbook date serial (days since 1899-12-30), as text when a date cell is read as text: "44742".
_SERIAL = r"^(\d{5})(?:\.0+)?$"
# A window in months: "1", "3", "12", or a workbook number "12.0".
_WINDOW = r"^(1|3|12)(?:\.0+)?$"


def _in(expr: pl.Expr, allowed: tuple[str, ...] | list[str]) -> pl.Expr:
    return expr.is_in(list(allowed))


def _number(table: RawTable, name: str) -> pl.Expr:
    """The column as Float64 (null when absent or blank), after checking every cell is a number."""
    if name not in table.columns:
        return pl.lit(None, pl.Float64)
    text = pl.col(table.columns[name]).str.replace_all(",", "", literal=True)
    check(
        table,
        text.is_not_null() & ~text.str.contains(_NUMBER),
        name,
        "not a number",
        "a number such as 12 or 0.75",
    )
    return text.cast(pl.Float64, strict=False)


def _text(table: RawTable, name: str, default: str | None = None) -> pl.Expr:
    if name not in table.columns:
        return pl.lit(default, pl.Utf8)
    return pl.col(table.columns[name]).fill_null(pl.lit(default, pl.Utf8))


def _period_end(table: RawTable) -> pl.Expr:
    """Parse ``period_end`` (ISO date, "YYYY-MM" or workbook serial) and check it is a month end."""
    text = pl.col(table.columns["period_end"])
    iso = text.str.extract(_ISO_DATE, 1).str.to_date("%Y-%m-%d", strict=False)
    month = (text.str.extract(_YEAR_MONTH, 1) + "-01").str.to_date("%Y-%m-%d", strict=False)
    days = text.str.extract(_SERIAL, 1).cast(pl.Int64)
    serial = pl.lit(date(1899, 12, 30)) + pl.duration(days=days)
    parsed = pl.coalesce(iso, month.dt.month_end(), serial.cast(pl.Date))
    check(
        table,
        parsed.is_null(),
        "period_end",
        "period_end is not a date",
        "an ISO date such as 2022-06-30, or 2022-06 for the end of June 2022",
    )
    check(
        table,
        parsed != parsed.dt.month_end(),
        "period_end",
        "period_end is not a month end",
        "the last day of a month, e.g. 2022-06-30",
    )
    return parsed


def _check_known_series(
    table: RawTable, series: pl.Expr, unit: pl.Expr, stat: pl.Expr, category: pl.Expr
) -> None:
    stored_unit = pl.when(unit == "percent").then(pl.lit("proportion")).otherwise(unit)
    for sid, info in SERIES.items():
        mine = series == sid
        check(
            table,
            mine & (stored_unit != info.unit),
            "unit",
            f"series {sid} is measured in {info.unit}",
            info.unit,
        )
        check(
            table,
            mine & (stat != info.statistic),
            "statistic",
            f"series {sid} is a {info.statistic}",
            info.statistic,
        )
        if info.categories:
            check(
                table,
                mine & ~_in(category, info.categories),
                "category",
                f"unknown category for series {sid}",
                ", ".join(info.categories),
            )


def looks_like(path: Path, *, data: bytes | None = None) -> bool:
    """True when the file's header row is that of the force-series long format.

    Args:
        path: The file (its name is used alone when ``data`` is given).
        data: The file's bytes, e.g. a zip member, instead of reading ``path``.
    """
    return sniff_header(path, data, COLUMNS, OPTIONAL)


@dataclass(frozen=True)
class _Checked:
    """The columns of a force-series table, every cell checked."""

    codes: dict[str, str]
    series: pl.Expr
    lower: dict[str, pl.Expr]
    period_end: pl.Expr
    window: pl.Expr
    category: pl.Expr
    comparator: pl.Expr
    value: pl.Expr
    scale: pl.Expr
    num: pl.Expr
    den: pl.Expr
    unit: pl.Expr
    stat: pl.Expr


def _check_all(table: RawTable) -> _Checked:
    """Check every cell (inside :func:`collecting`, every problem is recorded)."""
    for name in REQUIRED:
        check(table, pl.col(table.columns[name]).is_null(), name, f"{name} is blank")
    lower = {
        n: _text(table, n).str.to_lowercase()
        for n in ("period_type", "unit", "statistic", "comparator")
    }
    series = _text(table, "series")
    check(
        table,
        ~series.str.contains(_SERIES_ID),
        "series",
        "series id is not snake_case",
        "lower case letters, digits and _, e.g. drug_disruptions",
    )
    check(
        table,
        ~_in(lower["period_type"], list(PERIOD_TYPES)),
        "period_type",
        "unknown period_type",
        ", ".join(PERIOD_TYPES),
    )
    codes = resolve_names(table, "force")
    period_end = _period_end(table)
    default_window = lower["period_type"].replace_strict(PERIOD_TYPES, default=None)
    window_text = _text(table, "window_months")
    check(
        table,
        window_text.is_not_null() & ~window_text.str.contains(_WINDOW),
        "window_months",
        "window_months is not 1, 3 or 12",
        "1, 3 or 12",
    )
    window = window_text.str.extract(_WINDOW, 1).cast(pl.Int64).fill_null(default_window)
    check(
        table,
        window < default_window,
        "window_months",
        "window_months is shorter than the period",
        "at least 3 for quarters, 12 for years",
    )
    comparator = lower["comparator"].fill_null("force")
    check(
        table,
        ~_in(comparator, COMPARATORS),
        "comparator",
        "unknown comparator",
        ", ".join(COMPARATORS),
    )
    unit = lower["unit"]
    check(table, ~_in(unit, UNITS), "unit", "unknown unit", ", ".join(UNITS))
    stat = lower["statistic"].fill_null(unit.replace_strict(DEFAULT_STATISTIC, default=None))
    check(
        table,
        stat.is_null(),
        "statistic",
        "statistic is blank; units days and rate need one",
        ", ".join(STATISTICS),
    )
    check(table, ~_in(stat, STATISTICS), "statistic", "unknown statistic", ", ".join(STATISTICS))
    category = _text(table, "category", "")
    _check_known_series(table, series, unit, stat, category)

    value, num, den = (_number(table, n) for n in ("value", "numerator", "denominator"))
    for name, expr in (("value", value), ("numerator", num), ("denominator", den)):
        check(table, expr < 0, name, f"{name} is negative", "a number 0 or more")
    check(
        table,
        num.is_null() != den.is_null(),
        "denominator" if "numerator" in table.columns else "numerator",
        "numerator and denominator must be given together",
    )
    check(table, den == 0, "denominator", "denominator is zero", "a number above 0")
    is_prop = _in(unit, ["proportion", "percent"])
    scale = pl.when(unit == "percent").then(100.0).otherwise(1.0)
    check(
        table,
        is_prop & (num > den),
        "numerator",
        "numerator is larger than denominator",
        "numerator <= denominator for a proportion",
    )
    check(
        table,
        is_prop & (value > scale),
        "value",
        "proportion above 1 (or percent above 100)",
        "a proportion in [0, 1], or a percent in [0, 100] with unit percent",
    )
    check(
        table,
        is_prop & ((value / scale - num / den).abs() > PROPORTION_TOLERANCE),
        "value",
        "value disagrees with numerator / denominator",
        "value = numerator / denominator",
    )
    derivable = is_prop | (stat == "mean")
    check(
        table,
        value.is_null() & ~(derivable & num.is_not_null()),
        "value",
        "value is blank",
        "a value, or numerator and denominator for a proportion or mean",
    )
    for name, expr in (("value", value), ("numerator", num), ("denominator", den)):
        check(table, expr.is_nan() | (expr.abs() > MAX_SERIES_VALUE), name,
              f"{name} is too large", f"a number up to {MAX_SERIES_VALUE:g}")
    check(table, ~period_end.is_between(MIN_PERIOD, max_period()), "period_end",
          "period_end is outside the years data can cover",
          f"a date from {MIN_PERIOD.isoformat()} to a year from today")
    return _Checked(codes, series, lower, period_end, window, category, comparator, value,
                    scale, num, den, unit, stat)


def read(path: Path, *, data: bytes | None = None, display_name: str | None = None) -> Batch:
    """Read a force-series file into the ``force_series`` table.

    Args:
        path: The CSV, XLSX or ODS file.
        data: The file's bytes (e.g. a zip member); ``path`` is then only its name.
        display_name: What errors call the file; defaults to ``path``.

    Returns:
        A batch whose edition is the latest period end in the file; its notes say how many rows are
        marked illustrative, if any.

    Raises:
        InputError: An unknown column; a required column missing or blank; an unknown force (with
            suggestions); a bad series id, period type, date, window, comparator, unit or statistic;
            a value that is not a number, negative, or a proportion outside [0, 1]; a numerator
            without a denominator or above it; a value that disagrees with numerator / denominator;
            two rows with the same key.
    """
    file = display_name or str(path)
    table = load_table(data if data is not None else path, file, COLUMNS, OPTIONAL)
    known = {fold(n) for n in COLUMN_NAMES}
    for header in table.frame.columns:
        if header != ROW and fold(header) not in known:
            shown = "" if header.startswith("__blank") else header
            raise InputError(
                f"unknown column {shown!r}",
                file=file,
                sheet=table.sheet,
                row=1,
                column=shown,
                expected="columns " + ", ".join(COLUMN_NAMES),
            )
    with collecting():
        c = _check_all(table)
    codes, series, lower, period_end, window, category, comparator, value, scale, num, den, \
        unit, stat = (c.codes, c.series, c.lower, c.period_end, c.window, c.category,
                      c.comparator, c.value, c.scale, c.num, c.den, c.unit, c.stat)
    value_header = table.columns.get("value", "")
    frame = table.frame.select(
        area_code=_text(table, "force").replace_strict(codes, return_dtype=pl.Utf8),
        series_id=series,
        period_type=lower["period_type"],
        period_end=period_end,
        window_months=window,
        category=category,
        comparator=comparator,
        value=pl.coalesce(value / scale, num / den),
        numerator=num,
        denominator=den,
        unit=pl.when(unit == "percent").then(pl.lit("proportion")).otherwise(unit),
        statistic=stat,
        sheet=pl.lit(table.sheet, pl.Utf8),
        row=pl.col(ROW),
        column=pl.when(value.is_null())
        .then(pl.lit(table.columns.get("numerator")))
        .otherwise(pl.lit(value_header)),
        illustrative=_text(table, "note", "").str.to_lowercase().str.contains("illustrative"),
    )
    if frame.is_empty():
        raise InputError("the file has a header but no data rows", file=file, sheet=table.sheet)
    duplicate(
        table,
        frame,
        list(FORCE_SERIES.key),
        "series",
        "same force, series, period_end, window_months, category and comparator",
    )
    notes: list[str] = []
    marked = int(frame.get_column("illustrative").sum())
    if marked:
        notes.append(f"illustrative data: {marked} rows marked illustrative")
    edition = frame.get_column("period_end").max()
    assert isinstance(edition, date)
    return Batch(
        path=file,
        format=FORMAT,
        edition=edition,
        tables={FORCE_SERIES.name: frame.drop("illustrative")},
        notes=tuple(notes),
    )
