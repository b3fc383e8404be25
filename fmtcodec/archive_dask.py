"""The archive on Dask, for archives larger than one machine (``pip install 'fmtcodec[dask]'``).

The files are cut into partitions of ``files_per_partition`` files in the archive's order, and
each partition is read by ``fmtcodec.archive.archive_task`` -- the same code as ``fmtcodec
archive`` -- on whatever Dask runs it: the local scheduler (threads or processes) or a
``dask.distributed`` cluster whose workers see the files under the same paths (a shared or network
file system).  So the rows and the error rows of a file are the same whichever runs it.

- ``write_dataset(paths, kind, to)`` writes a Parquet dataset, ``to/records/part-NNNNN.parquet``
  and ``to/errors/part-NNNNN.parquet`` per partition, and returns the summed ``Tally``, checked
  as ``fmtcodec archive`` checks it.  DuckDB, Polars, Spark and ``dask.dataframe.read_parquet``
  read such a folder as one table.
- ``records_frame``/``errors_frame`` give ``dask.dataframe`` DataFrames (``dd.from_map`` over the
  partitions; columns of ``pandas.ArrowDtype``, so ints, decimals and timestamps stay exact), to
  go on computing in Dask.  Each decodes the files on its own.

Why Dask and not Spark: docs/archives.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import dask
import dask.bag
import dask.dataframe
import pandas as pd
import pyarrow as pa

from fmtcodec.archive import ERROR_SCHEMA, Settings, TableWriter, Tally, archive_task, walk
from fmtcodec.columnar import DEFAULT_BATCH_SIZE, DEFAULT_DECIMAL_SCALE

__all__ = ["FILES_PER_PARTITION", "errors_frame", "partitions", "records_frame", "write_dataset"]

FILES_PER_PARTITION = 256
"""Files a partition reads by default: large enough that the scheduler's cost per task is small
beside decoding, small enough that a partition's table stays a few MB for typical replies."""


def partitions(paths: Iterable[str], files_per_partition: int = FILES_PER_PARTITION) -> list[list[str]]:
    """The files of ``paths`` (walked as ``fmtcodec archive`` walks them), cut into runs."""
    if files_per_partition < 1:
        raise ValueError(f"files_per_partition must be at least 1, got {files_per_partition}")
    files = list(walk(paths))
    return [files[start : start + files_per_partition] for start in range(0, len(files), files_per_partition)]


def _settings(
    kind: Any, fmt: int | None, charset: str | None, batch_size: int, decimal_scale: int
) -> Settings:
    return Settings(kind, fmt=fmt, charset=charset, batch_size=batch_size, decimal_scale=decimal_scale)


def _write_part(item: tuple[int, list[str]], settings: Settings, to: str) -> tuple[Tally, int, int]:
    index, files = item
    batches, errors, tally = archive_task(settings, files)
    name = f"part-{index:05d}.parquet"
    table = TableWriter(str(Path(to, "records", name)), settings.archiver().schema, "parquet",
                        row_group_size=settings.batch_size)
    error_table = TableWriter(str(Path(to, "errors", name)), ERROR_SCHEMA, "parquet")
    try:
        for batch in batches:
            table.write(batch)
        error_table.write_rows(errors)
    finally:
        table.close()
        error_table.close()
    return tally, table.rows, error_table.rows


def write_dataset(
    paths: Iterable[str],
    kind: Any,
    to: str,
    *,
    fmt: int | None = None,
    charset: str | None = None,
    files_per_partition: int = FILES_PER_PARTITION,
    batch_size: int = DEFAULT_BATCH_SIZE,
    decimal_scale: int = DEFAULT_DECIMAL_SCALE,
    scheduler: Any = None,
) -> Tally:
    """Decode the files of ``paths`` on Dask into the Parquet dataset ``to`` (a folder, made if
    missing: ``records/`` and ``errors/``, one file each per partition).  ``scheduler`` is passed
    to ``compute`` (``"processes"``, ``"threads"``, a ``distributed.Client``; ``None``: Dask's
    default for a bag).  ``RuntimeError`` when the counts do not add up (every file is a decoded
    reply or an error row, every row written)."""
    settings = _settings(kind, fmt, charset, batch_size, decimal_scale)
    for folder in ("records", "errors"):
        Path(to, folder).mkdir(parents=True, exist_ok=True)
    parts = partitions(paths, files_per_partition)
    tally = Tally()
    if not parts:
        return tally
    bag = dask.bag.from_sequence(list(enumerate(parts)), npartitions=len(parts))
    results = bag.map(_write_part, settings, to).compute(scheduler=scheduler)
    rows = error_rows = 0
    for counted, written, errors_written in results:
        tally.add(counted)
        rows += written
        error_rows += errors_written
    wrong = tally.check(rows, error_rows)
    if wrong is not None:
        raise RuntimeError(f"the counts do not add up: {wrong}")
    return tally


def _frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _records_part(files: Sequence[str], settings: Settings) -> pd.DataFrame:
    batches, _, _ = archive_task(settings, files)
    return _frame(pa.Table.from_batches(batches, schema=settings.archiver().schema))


def _errors_part(files: Sequence[str], settings: Settings) -> pd.DataFrame:
    _, errors, _ = archive_task(settings, files)
    return _frame(pa.Table.from_pylist(errors, schema=ERROR_SCHEMA))


def records_frame(
    paths: Iterable[str],
    kind: Any,
    *,
    fmt: int | None = None,
    charset: str | None = None,
    files_per_partition: int = FILES_PER_PARTITION,
    decimal_scale: int = DEFAULT_DECIMAL_SCALE,
) -> dask.dataframe.DataFrame:
    """A Dask DataFrame of the records of every file (the rows of ``fmtcodec archive``'s table),
    a partition per ``files_per_partition`` files."""
    settings = _settings(kind, fmt, charset, DEFAULT_BATCH_SIZE, decimal_scale)
    meta = _frame(settings.archiver().schema.empty_table())
    return dask.dataframe.from_map(
        _records_part, partitions(paths, files_per_partition), settings=settings, meta=meta,
        enforce_metadata=False,
    )


def errors_frame(
    paths: Iterable[str],
    kind: Any,
    *,
    fmt: int | None = None,
    charset: str | None = None,
    files_per_partition: int = FILES_PER_PARTITION,
) -> dask.dataframe.DataFrame:
    """A Dask DataFrame of the error rows of every file (``fmtcodec.archive.ERROR_SCHEMA``)."""
    settings = _settings(kind, fmt, charset, DEFAULT_BATCH_SIZE, DEFAULT_DECIMAL_SCALE)
    meta = _frame(ERROR_SCHEMA.empty_table())
    return dask.dataframe.from_map(
        _errors_part, partitions(paths, files_per_partition), settings=settings, meta=meta,
        enforce_metadata=False,
    )
