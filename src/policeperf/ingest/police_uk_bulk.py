"""Many data.police.uk files read together: one Polars scan per header, one check pass.

The result equals :func:`policeperf.ingest.police_uk.read` file by file; on any problem the files
are read one by one with it, so errors are exactly the single-file ones.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from policeperf.ingest._tabular import csv_header
from policeperf.ingest.csv_errors import short_row
from policeperf.ingest.police_uk import (
    STOP_AND_SEARCH,
    _canonical,
    _local_time,
    _stop_search_checks,
    _stop_search_columns,
    _street_checks,
    _street_columns,
    fold,
    format_of,
    read,
    stop_search_force,
)
from policeperf.ingest.schema import Batch
from policeperf.reference.areas import force_name_variants


@dataclass(frozen=True)
class BulkRead:
    """Files of one format read together by :func:`read_many`.

    ``table`` has the format's table schema plus ``file`` (UInt32): the file's index in the list
    given to :func:`read_many`. ``editions`` and ``rows`` are by that index.
    """

    format: str
    table: pl.DataFrame
    editions: dict[int, date]
    rows: dict[int, int]


def read_many(files: Sequence[tuple[Path, str]]) -> list[BulkRead]:
    """Read many data.police.uk files (path on disk, display name) in one Polars scan per header.

    Files are grouped by their exact header line (the Essex snake_case variant, a BOM or another
    column order make their own group); each group is one scan, checked in one vectorised pass.
    The result equals :func:`read` of each file. If anything is wrong, the files are read one by
    one with :func:`read` in order, so the error is exactly the one :func:`read` gives for the
    first bad file.
    """
    try:
        parts = _read_bulk(files)
    except _Fallback:
        parts = [_tagged(read(path, display_name=name), i) for i, (path, name) in enumerate(files)]
    by_format: dict[str, list[pl.DataFrame]] = {}
    for fmt, table in parts:
        by_format.setdefault(fmt, []).append(table)
    out = []
    for fmt, tables in by_format.items():
        table = pl.concat(tables, rechunk=False)
        stats = table.group_by("file").agg(pl.col("month").max(), pl.len())
        out.append(BulkRead(fmt, table, dict(zip(stats["file"], stats["month"], strict=True)),
                            dict(zip(stats["file"], stats["len"], strict=True))))
    return out


class _Fallback(Exception):
    """Something in a bulk read is wrong: read the files one by one to say what."""


def _tagged(batch: Batch, index: int) -> tuple[str, pl.DataFrame]:
    (table,) = batch.tables.values()
    return batch.format, table.with_columns(file=pl.lit(index, pl.UInt32()))


def _read_bulk(files: Sequence[tuple[Path, str]]) -> list[tuple[str, pl.DataFrame]]:
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, (path, _) in enumerate(files):
        try:
            header = tuple(csv_header(path))
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise _Fallback from exc
        groups.setdefault(header, []).append(i)
    return [_read_group(list(header), [(i, *files[i]) for i in members])
            for header, members in groups.items()]


def _read_group(header: list[str], files: list[tuple[int, Path, str]]) -> tuple[str, pl.DataFrame]:
    fmt = format_of(header)
    if fmt is None:
        raise _Fallback
    paths = [str(path) for _, path, _ in files]
    folded = [fold(h) for h in header]
    # One lazy query: scan, per-file row numbers, checks and typed columns, collected once.
    # glob=False: names are files, never patterns ("2018-0?-essex-street.csv" is one file).
    lazy = (pl.scan_csv(paths, infer_schema=False, encoding="utf8-lossy", glob=False,
                        include_file_paths="_path").with_row_index("_idx")
            .rename(dict(zip(header, folded, strict=True))))
    index = pl.Series([i for i, _, _ in files], dtype=pl.UInt32())
    lazy = lazy.with_columns(file=pl.col("_path").replace_strict(pl.Series(paths), index))
    lazy = lazy.with_columns(
        row=(pl.col("_idx") - pl.col("_idx").min().over("file") + 2).cast(pl.Int64)
    ).filter(~pl.all_horizontal(pl.col(folded).is_null())).drop("_idx", "_path")
    checks = _stop_search_checks() if fmt == STOP_AND_SEARCH else _street_checks(fmt)
    bad = pl.any_horizontal(b.fill_null(False) for b, *_ in checks)
    if fmt == STOP_AND_SEARCH:
        forces_ = {i: stop_search_force(name) for i, _, name in files}
        codes = {i: force.code for i, force in forces_.items() if force is not None}
        if len(codes) != len(files):
            raise _Fallback
        area = pl.col("file").replace_strict(codes, return_dtype=pl.Utf8())
        lazy = lazy.with_columns(_bad=bad).with_columns(date=_local_time())
        lazy = lazy.with_columns(**_stop_search_columns(area))
    else:
        columns = _street_columns({})
        # A name not among the exact variants is not an error here: the files are then read one
        # by one, where every name is resolved (and a wrong one reported) by police_uk.read.
        columns["area_code"] = pl.col("falls_within").replace_strict(
            force_name_variants(), default=None, return_dtype=pl.Utf8())
        lazy = lazy.with_columns(_bad=bad).with_columns(**columns)
        lazy = lazy.with_columns(_bad=pl.col("_bad") | pl.col("area_code").is_null())
    try:
        frame = _canonical(fmt, lazy, "file", "_bad").collect()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _Fallback from exc
    if frame["file"].n_unique() != len(files) or frame["_bad"].any():
        raise _Fallback  # a file with no data rows, or something to report exactly
    # A row with fewer fields than the header reads as blanks in Polars: count each file's.
    records = dict(frame.group_by("file").len().iter_rows())
    try:
        if any(short_row(path, len(header), records[i]) is not None for i, path, _ in files):
            raise _Fallback
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise _Fallback from exc
    return fmt, frame.drop("_bad")
