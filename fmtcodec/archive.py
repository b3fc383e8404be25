"""Archives of captured replies into one table (``pip install 'fmtcodec[arrow]'``).

``Archiver`` reads reply files (plain or gzip) of one kind and gives ``RecordBatch``es of their
records with the ``source`` columns, and one row per reply that gave no records -- a reply that
did not decode, a server error reply, an empty body, a file that could not be read -- in
``ERROR_SCHEMA``.  Nothing is dropped: every file read is counted in ``Tally`` either as decoded or
as one error row, and ``Tally.check`` says whether the counts add up.  The ``fmtcodec archive``
command (``fmtcodec.cli.archive``) and the Dask path (``fmtcodec.archive_dask``) both run it, so a
file gives the same rows whichever runs it.

A file is decoded whole with ``decode`` when it fits in one read (``chunk_size``), else streamed
with ``iter_decode``: memory holds a batch and one chunk, whatever the file's size.  A streamed
reply that breaks after some records keeps those records in the table; its error row says how
many (``rows``), so ``WHERE source NOT IN (SELECT source FROM errors)`` leaves them out.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, Any

import msgspec
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet

from fmtcodec.api import decode
from fmtcodec.columnar import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_DECIMAL_SCALE,
    BatchBuilder,
    TableValueError,
    reply_type,
    table_layout,
)
from fmtcodec.errors import ApiError, DecodeError
from fmtcodec.stream import iter_decode

__all__ = [
    "ERROR_SCHEMA",
    "FORMATS",
    "Archiver",
    "TableWriter",
    "Tally",
    "archive_files",
    "walk",
]

READ_SIZE = 1 << 20
"""A file that fits in one read of this size is decoded whole; a larger one is streamed."""
_GZIP_MAGIC = b"\x1f\x8b"
_SKIPPED_SUFFIXES = (".expect.json",)

ERROR_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("problem", pa.string(), nullable=False),
        pa.field("fmt", pa.int8()),
        pa.field("byte", pa.int64()),
        pa.field("line", pa.int64()),
        pa.field("column", pa.int64()),
        pa.field("path", pa.string()),
        pa.field("message", pa.string(), nullable=False),
        pa.field("error_code", pa.int64()),
        pa.field("meaning", pa.string()),
        pa.field("id", pa.string()),
        pa.field("rows", pa.int64(), nullable=False),
    ],
    metadata={"fmtcodec.table": "errors"},
)
"""One row per reply that gave no records, or stopped giving them: ``problem`` is ``decode
error`` (``fmt``, ``byte``, ``line``, ``column``, ``path`` and ``message`` as in ``DecodeError``),
``server error`` (``error_code``, the server's ``message``, ``meaning``, and the ``id`` where the
reply carries one), ``value`` (a value the table's column cannot hold, ``path`` names it),
``empty`` (no bytes, or only whitespace) or ``unreadable`` (the file, or its gzip, could not be
read).  ``rows`` is how many of the reply's records are in the table all the same (records a
streamed reply gave before it broke; 0 otherwise)."""

PROBLEMS = ("decode error", "server error", "value", "empty", "unreadable")


def walk(paths: Iterable[str]) -> Iterator[str]:
    """The files of ``paths``: files as given, directories walked recursively in name order,
    skipping hidden files and directories, ``*.expect.json`` manifests and ``README*`` files
    (as ``fmtcodec validate`` does)."""
    for given in paths:
        if Path(given).is_dir():
            for root, dirs, names in os.walk(given):
                dirs[:] = sorted(name for name in dirs if not name.startswith("."))
                for name in sorted(names):
                    if not _skipped(name):
                        yield str(Path(root, name))
        else:
            yield given


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.endswith(_SKIPPED_SUFFIXES) or name.upper().startswith("README")


def _shown(path: str) -> str:
    """A file name as text for the ``source`` column: bytes that are no UTF-8 (kept by Python as
    lone surrogates) are written as ``\\xNN``."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def _chunks(file: IO[bytes], size: int) -> Iterator[bytes]:
    while chunk := file.read(size):
        yield chunk


@dataclass
class Tally:
    """What an archive run counted: every reply read is decoded or one error row."""

    replies: int = 0
    decoded: int = 0
    rows: int = 0
    problems: Counter[str] = field(default_factory=Counter)
    server_errors: Counter[int] = field(default_factory=Counter)

    @property
    def error_rows(self) -> int:
        return sum(self.problems.values())

    def add(self, other: Tally) -> None:
        self.replies += other.replies
        self.decoded += other.decoded
        self.rows += other.rows
        self.problems.update(other.problems)
        self.server_errors.update(other.server_errors)

    def check(self, rows_written: int, error_rows_written: int) -> str | None:
        """``None`` when every reply is accounted for and every row was written, else why not."""
        if self.replies != self.decoded + self.error_rows:
            return f"{self.replies} replies read, but {self.decoded} decoded + {self.error_rows} error rows"
        if rows_written != self.rows:
            return f"{self.rows} rows decoded, but {rows_written} written"
        if error_rows_written != self.error_rows:
            return f"{self.error_rows} error rows counted, but {error_rows_written} written"
        return None

    def summary(self) -> str:
        parts = [f"{self.decoded} decoded ({self.rows} {'row' if self.rows == 1 else 'rows'})"]
        failed = self.problems["decode error"] + self.problems["value"] + self.problems["unreadable"]
        parts.append(f"{failed} failed")
        parts += [f"{count} server error {code}" for code, count in sorted(self.server_errors.items())]
        if self.problems["empty"]:
            parts.append(f"{self.problems['empty']} empty")
        return f"{self.replies} {'reply' if self.replies == 1 else 'replies'}: " + ", ".join(parts)

    @property
    def failed(self) -> int:
        return self.problems["decode error"] + self.problems["value"] + self.problems["unreadable"]


def _error_row(source: str, problem: str, message: str, rows: int = 0, **found: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(ERROR_SCHEMA.names)
    row.update(source=source, problem=problem, message=message, rows=rows, **found)
    return row


def _decode_error_row(source: str, exc: DecodeError) -> dict[str, Any]:
    return _error_row(
        source, "decode error", exc.reason,
        fmt=exc.fmt, byte=exc.pos, line=exc.line, column=exc.column, path=exc.path,
    )


def _server_error_row(source: str, exc: ApiError) -> dict[str, Any]:
    reply_id = getattr(exc, "id", None)
    return _error_row(
        source, "server error", exc.message,
        fmt=exc.fmt, error_code=exc.code, meaning=exc.meaning, id=None if reply_id is None else str(reply_id),
    )


class Archiver:
    """Reads reply files of one kind into batches (``read``, ``finish``) and error rows
    (``errors``, taken with ``take_errors``), counting everything in ``tally``."""

    def __init__(
        self,
        kind: Any,
        *,
        fmt: int | None = None,
        charset: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        decimal_scale: int = DEFAULT_DECIMAL_SCALE,
        read_size: int = READ_SIZE,
    ) -> None:
        self.kind = reply_type(kind)
        self.layout = table_layout(self.kind)
        self.is_list = self.kind is not self.layout.record
        self.fmt = fmt
        self.charset = charset
        self.read_size = read_size
        self.builder = BatchBuilder(self.kind, batch_size=batch_size, decimal_scale=decimal_scale)
        self.schema = self.builder.schema
        self.tally = Tally()
        self.errors: list[dict[str, Any]] = []
        self._held: Counter[str] = Counter()  # records in the builder, by reply
        self._totals: dict[str, int] = {}  # records of replies read to the end that are still held
        self._current: str | None = None  # the reply being read
        self._written = 0  # of the reply being read: records in batches already
        self._refused: TableValueError | None = None  # a value of the reply being read

    def take_errors(self) -> list[dict[str, Any]]:
        errors, self.errors = self.errors, []
        return errors

    def _problem(self, row: dict[str, Any]) -> None:
        self.tally.problems[row["problem"]] += 1
        if row["error_code"] is not None:
            self.tally.server_errors[row["error_code"]] += 1
        self.errors.append(row)

    def read(self, path: str, source: str | None = None) -> Iterator[pa.RecordBatch]:
        """The batches that fill up while the file ``path`` is read (named ``source`` in the
        table, ``path`` by default); what it could not decode goes to ``errors``."""
        source = _shown(path if source is None else source)
        self.tally.replies += 1
        self._current, self._written, self._refused = source, 0, None
        try:
            with open(path, "rb") as raw:
                head = raw.read(2)
                raw.seek(0)
                file: Any = gzip.GzipFile(fileobj=raw, mode="rb") if head == _GZIP_MAGIC else raw
                yield from self._read_reply(file, source)
        except (OSError, EOFError, zlib.error) as exc:  # a gzip cut short is an EOFError, a bad one
            # an OSError (no gzip header) or a zlib.error (a damaged stream)
            what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._stop(source, _error_row(source, "unreadable", f"cannot read: {what}"))
        finally:
            self._current = None

    def _read_reply(self, file: IO[bytes], source: str) -> Iterator[pa.RecordBatch]:
        first = file.read(self.read_size)
        rest = file.read(self.read_size) if len(first) == self.read_size else b""
        count = 0
        try:
            if not rest:
                if not first.strip():
                    what = "no bytes" if not first else f"{len(first)} bytes of whitespace"
                    self._problem(_error_row(source, "empty", f"empty reply ({what})"))
                    return
                decoded = decode(first, self.kind, fmt=self.fmt, charset=self.charset)
                whole = decoded if self.is_list else [decoded]
                self._held[source] += len(whole)
                self.builder.extend(whole, source)
                count = len(whole)
                records: Iterable[Any] = ()
            else:
                records = iter_decode(
                    chain((first, rest), _chunks(file, self.read_size)), self.kind, fmt=self.fmt,
                    charset=self.charset,
                )
            for record in chain(records, (None,)):
                if record is not None:
                    self._held[source] += 1
                    self.builder.add(record, source, count)
                    count += 1
                while self.builder.full and self._refused is None:
                    batch = self._flush()
                    if batch is not None:
                        yield batch
                if self._refused is not None:
                    exc = self._refused
                    self._stop(source, _error_row(source, "value", exc.reason, path=exc.path))
                    return
        except DecodeError as exc:
            self._stop(source, _decode_error_row(source, exc))
            return
        except ApiError as exc:
            self._stop(source, _server_error_row(source, exc))
            return
        self.tally.decoded += 1
        self.tally.rows += count
        if self._held[source]:
            self._totals[source] = count

    def _stop(self, source: str, row: dict[str, Any]) -> None:
        """The reply being read gives no more records: its held ones are let go, the ones in
        batches already stay (``rows``), and ``row`` says why."""
        if self._held.pop(source, 0):
            self.builder.drop(source)
        row["rows"] = self._written
        self.tally.rows += self._written
        self._problem(row)

    def _flush(self) -> pa.RecordBatch | None:
        """The held records as a batch; a reply with a value that its column cannot hold is
        taken out (an error row) and the others flushed."""
        while True:
            try:
                batch = self.builder.flush()
            except TableValueError as exc:
                self._refuse(exc)
                continue
            for name, size in self.builder.taken if batch is not None else ():
                self._held[name] -= size
                if name == self._current:
                    self._written += size
                if not self._held[name]:
                    del self._held[name]
                    self._totals.pop(name, None)
            return batch

    def _refuse(self, exc: TableValueError) -> None:
        bad = exc.source
        assert bad is not None
        held = self._held.pop(bad)
        self.builder.drop(bad)
        if bad == self._current:  # _read_reply stops reading it
            self._refused = exc
            self._held[bad] = 0
            return
        # a reply read to the end, counted as decoded: an error row after all
        total = self._totals.pop(bad)
        self.tally.decoded -= 1
        self.tally.rows -= held
        self._problem(_error_row(bad, "value", exc.reason, total - held, path=exc.path))

    def finish(self) -> Iterator[pa.RecordBatch]:
        """The last, partly filled batch (if any records are held)."""
        batch = self._flush()
        if batch is not None:
            yield batch


# --------------------------------------------------------------------------------------------
# writing the tables

FORMATS = {".parquet": "parquet", ".arrow": "arrow", ".feather": "arrow", ".csv": "csv", ".jsonl": "jsonl",
           ".ndjson": "jsonl"}
"""Output formats by file suffix (``arrow`` is the Arrow IPC file format, which Feather v2 is)."""
SUFFIXES = {"parquet": ".parquet", "arrow": ".arrow", "csv": ".csv", "jsonl": ".jsonl"}


def format_of(path: str) -> str | None:
    """The output format a file name's suffix asks for (``None``: none known)."""
    return FORMATS.get(Path(path).suffix.lower())


def errors_path(path: str, format: str) -> str:
    """Where the error table goes by default: beside ``path``, ``NAME.errors.EXT``."""
    target = Path(path)
    stem = target.name.removesuffix(target.suffix) if target.suffix.lower() in FORMATS else target.name
    return str(target.with_name(f"{stem}.errors{SUFFIXES[format]}"))


class TableWriter:
    """Writes batches of one schema to a Parquet, Arrow IPC, CSV or JSON-lines file, in row
    groups of ``row_group_size`` rows (Parquet) whatever the size of the batches given."""

    def __init__(
        self, path: str, schema: pa.Schema, format: str, *, row_group_size: int = DEFAULT_BATCH_SIZE
    ) -> None:
        self.path = path
        self.schema = schema
        self.format = format
        self.rows = 0
        self.row_group_size = row_group_size
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0
        if format == "parquet":
            self._writer: Any = pyarrow.parquet.ParquetWriter(path, schema)
        elif format == "arrow":
            self._writer = pa.ipc.new_file(path, schema)
        elif format == "csv":
            self._writer = pyarrow.csv.CSVWriter(path, schema)
        elif format == "jsonl":
            self._writer = open(path, "wb")  # noqa: SIM115 - closed by close()
        else:
            raise ValueError(f"format must be one of {', '.join(SUFFIXES)}, got {format!r}")

    def write(self, batch: pa.RecordBatch) -> None:
        if not batch.num_rows:
            return
        self.rows += batch.num_rows
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        if self._pending_rows >= self.row_group_size:
            self._write_pending()

    def write_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.write(pa.RecordBatch.from_pylist(list(rows), schema=self.schema))

    def _write_pending(self) -> None:
        if not self._pending:
            return
        table = pa.Table.from_batches(self._pending, schema=self.schema)
        self._pending, self._pending_rows = [], 0
        if self.format == "parquet":
            self._writer.write_table(table, row_group_size=self.row_group_size)
        elif self.format == "jsonl":
            encode = msgspec.json.Encoder().encode
            self._writer.write(b"".join(encode(row) + b"\n" for row in table.to_pylist()))
        else:
            self._writer.write_table(table)

    def close(self) -> None:
        self._write_pending()
        self._writer.close()


# --------------------------------------------------------------------------------------------
# running an archive, in one process or several

TASK_BYTES = 8 << 20
"""--jobs: a task is a run of files of this many bytes together at most (or 512 files); a larger
file is read by the main process, streamed, when its turn comes."""
TASK_FILES = 512


@dataclass(frozen=True)
class Settings:
    kind: Any
    fmt: int | None = None
    charset: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    decimal_scale: int = DEFAULT_DECIMAL_SCALE

    def archiver(self) -> Archiver:
        return Archiver(
            self.kind, fmt=self.fmt, charset=self.charset, batch_size=self.batch_size,
            decimal_scale=self.decimal_scale,
        )


TaskResult = tuple[list[pa.RecordBatch], list[dict[str, Any]], Tally]


def archive_task(settings: Settings, files: Sequence[str]) -> TaskResult:
    """Read ``files`` in a fresh ``Archiver``: their batches, error rows and tally (a worker's
    task; also what the Dask path runs per partition)."""
    archiver = settings.archiver()
    batches: list[pa.RecordBatch] = []
    for path in files:
        batches.extend(archiver.read(path))
    batches.extend(archiver.finish())
    return batches, archiver.take_errors(), archiver.tally


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _units(files: Sequence[str]) -> Iterator[tuple[bool, list[str]]]:
    """Runs of small files for the workers (``True``), and large files alone for the main
    process (``False``), in the archive's order."""
    run: list[str] = []
    run_bytes = 0
    for path in files:
        size = _size(path)
        if size > TASK_BYTES:
            if run:
                yield True, run
                run, run_bytes = [], 0
            yield False, [path]
            continue
        if run and (run_bytes + size > TASK_BYTES or len(run) >= TASK_FILES):
            yield True, run
            run, run_bytes = [], 0
        run.append(path)
        run_bytes += size
    if run:
        yield True, run


def archive_files(
    files: Sequence[str],
    settings: Settings,
    table: TableWriter,
    errors: TableWriter,
    *,
    jobs: int = 1,
    advance: Any = None,
) -> Tally:
    """Read ``files`` into ``table`` and ``errors`` in the archive's order; ``jobs`` > 1 reads
    runs of files in that many processes.  ``advance(n)`` is called as files are done."""
    tally = Tally()
    if jobs <= 1:
        archiver = settings.archiver()
        for path in files:
            for batch in archiver.read(path):
                table.write(batch)
            errors.write_rows(archiver.take_errors())
            if advance is not None:
                advance(1)
        for batch in archiver.finish():
            table.write(batch)
        errors.write_rows(archiver.take_errors())
        return archiver.tally

    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    def take(result: TaskResult, done: int) -> None:
        batches, rows, counted = result
        for batch in batches:
            table.write(batch)
        errors.write_rows(rows)
        tally.add(counted)
        if advance is not None:
            advance(done)

    # spawn: a forked child of a process with Arrow's threads may hang
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: list[tuple[Future[Any] | None, list[str]]] = []
        for in_worker, unit in _units(files):
            pending.append((pool.submit(archive_task, settings, unit) if in_worker else None, unit))
            while len(pending) > 2 * jobs or (pending and pending[0][0] is None):
                future, done = pending.pop(0)
                take(archive_task(settings, done) if future is None else future.result(), len(done))
        for future, done in pending:
            take(archive_task(settings, done) if future is None else future.result(), len(done))
    return tally
