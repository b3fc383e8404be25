"""Arrow tables of decoded replies (``pip install 'fmtcodec[arrow]'``).

The Arrow schema of a reply kind is derived from the layout table (``spec/layout.toml``, through
``fmtcodec.layout.LAYOUTS``): each field's type tag names one column type, so no kind has a
schema written by hand and a kind added to the table gets its columns without a change here.
``import fmtcodec`` never imports this module (nor pyarrow).

==================  ===========================================  =====================================
type tag            what the record holds                        Arrow column
==================  ===========================================  =====================================
``str``             text exactly as sent                         ``string``
``id``              a message id, as text                        ``string``
``int``             a server id, count or code (>= 0)            ``int64``
``signed``          an integer that may be negative              ``int64``
``blacklist-type``  ``BlacklistType`` 0, 1 or 2                  ``int8``
``decimal``         money, a ``decimal.Decimal``                 ``decimal128(38, scale)``
``ts``              Unix seconds (an ``int``, or an aware        ``timestamp[s, tz=UTC]``
                    ``datetime``)
``date-time``       the server's ``DD.MM.YYYY hh:mm:ss`` text    ``string``, and beside it
                                                                 ``<name>_parsed``: ``timestamp[s]``
                                                                 (no zone: the server's local time)
``list``            a nested list (``Sent.phones``)              ``string``: the records as JSON text
                                                             (money as strings, exact)
``X?``              ``X`` or ``None``                            the column of ``X``, nullable
==================  ===========================================  =====================================

Any other tag is an ``UnknownFieldType`` when the schema is built, never a silent string column.

Decimal columns hold every value exactly or refuse it (``TableValueError``), never round:
precision 38 (the most ``decimal128`` has), and a scale that is either fitted to the values --
``to_table``/``decode_table`` take the largest number of decimal places seen -- or, where batches
of one stream must share one schema (``iter_batches``, the ``archive`` command), fixed by
``decimal_scale`` (``DEFAULT_DECIMAL_SCALE`` = 6: kopecks and sub-kopeck rates, with 32 digits
left before the point).  The value is exact; trailing zeros are the column's (``1.5`` reads back
as ``1.500000``), as in every engine's decimal type.

Single-record kinds (``Created``, ``Error``, ``Ok``) have no entry in the table yet: their columns
come from their ``msgspec.Struct`` fields, tagged by the same rule (``int`` -> ``"int"``, text or a
literal of texts -> ``"str"``, ``X | None`` -> ``"X?"``); a kind the table lists wins.
"""

from __future__ import annotations

import datetime
import decimal
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, repeat
from operator import attrgetter
from typing import IO, Any

import msgspec
import pyarrow as pa
import pyarrow.compute as pc

from fmtcodec.api import REPLY_TYPES, decode
from fmtcodec.errors import FmtcodecError, shown
from fmtcodec.layout import LAYOUTS, RecordLayout
from fmtcodec.stream import DEFAULT_CHUNK_SIZE, iter_decode

_JSON = msgspec.json.Encoder().encode

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_DECIMAL_SCALE",
    "SOURCE_COLUMNS",
    "BatchBuilder",
    "Column",
    "TableLayout",
    "TableValueError",
    "UnknownFieldType",
    "decode_table",
    "iter_batches",
    "record_batch",
    "reply_type",
    "schema",
    "table_layout",
    "to_table",
]

DEFAULT_BATCH_SIZE = 65536
"""Rows a ``RecordBatch`` of ``iter_batches`` holds at most (the last one may hold fewer)."""
DEFAULT_DECIMAL_SCALE = 6
"""Decimal places of a decimal column where the scale cannot follow the values (streams)."""
DECIMAL_PRECISION = 38
SOURCE_COLUMNS = ("source", "source_index")
"""With ``source_name=``: the file a row came from and its record index in that reply (``$[i]``)."""
DATE_TIME_FORMAT = "%d.%m.%Y %H:%M:%S"
"""The server's date and time text (``date-time`` fields), read into ``<name>_parsed``."""


class UnknownFieldType(ValueError):
    """A field of the layout table has a type tag with no Arrow column type (a misuse of the
    table, found when the schema is built)."""


class TableValueError(FmtcodecError, ValueError):
    """A decoded value that the column cannot hold exactly (an id past int64, a decimal with more
    places than the column's scale): ``path`` is the record path, as in a ``DecodeError``."""

    def __init__(self, reason: str, *, path: str) -> None:
        self.reason = reason
        self.path = path
        self.row = 0
        """The row of the batch being built that holds the value."""
        self.source: str | None = None
        """The ``source`` of that row, when the batch has the source columns."""
        super().__init__(f"{reason} - at {path}")


_STRING = pa.string()
_INT64 = pa.int64()
_UTC_SECONDS = pa.timestamp("s", tz="UTC")
_LOCAL_SECONDS = pa.timestamp("s")
_INT64_RANGE = (-(1 << 63), (1 << 63) - 1)


@dataclass(frozen=True)
class Column:
    """One column of a kind's table: from the field ``field`` (tag ``tag``), or derived from it."""

    name: str
    field: str
    tag: str
    nullable: bool

    @property
    def base(self) -> str:
        return self.tag.removesuffix("?")

    @property
    def derived(self) -> bool:
        """Computed from the field's value (``<name>_parsed``), not the value itself."""
        return self.name != self.field

    def arrow_type(self, scale: int) -> pa.DataType:
        if self.derived:
            return _LOCAL_SECONDS
        return _arrow_type(self.base, scale)

    def arrow_field(self, scale: int) -> pa.Field:
        nullable = self.nullable or self.derived  # a text that is no real date parses to null
        metadata = {"fmtcodec.type": self.tag}
        return pa.field(self.name, self.arrow_type(scale), nullable=nullable, metadata=metadata)


_TYPES: dict[str, Callable[[int], pa.DataType]] = {
    "str": lambda _scale: _STRING,
    "id": lambda _scale: _STRING,
    "date-time": lambda _scale: _STRING,
    "int": lambda _scale: _INT64,
    "signed": lambda _scale: _INT64,
    "blacklist-type": lambda _scale: pa.int8(),
    "decimal": lambda scale: pa.decimal128(DECIMAL_PRECISION, scale),
    "ts": lambda _scale: _UTC_SECONDS,
    # a nested list (the send page's per-number `phones`): its records as fmtcodec's JSON text,
    # exact (money as strings) and readable by every engine's JSON functions
    "list": lambda _scale: _STRING,
}
"""Arrow column type by the base of a type tag (the tag without its ``?``)."""


def _arrow_type(base: str, scale: int) -> pa.DataType:
    return _TYPES[base](scale)


@dataclass(frozen=True)
class TableLayout:
    """The columns of one reply kind, in wire order (derived columns after their field)."""

    kind: str
    record: type
    fields: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def has_decimal(self) -> bool:
        return any(column.base == "decimal" for column in self.columns)

    def schema(self, *, decimal_scale: int = DEFAULT_DECIMAL_SCALE, source: bool = False) -> pa.Schema:
        fields = [column.arrow_field(decimal_scale) for column in self.columns]
        if source:
            fields.append(pa.field("source", _STRING, nullable=False))
            fields.append(pa.field("source_index", _INT64, nullable=False))
        return pa.schema(fields, metadata={"fmtcodec.kind": self.kind})


def _check_names(kind: str, names: Sequence[str]) -> None:
    taken = set()
    for name in [*names, *SOURCE_COLUMNS]:
        if name in taken:
            raise UnknownFieldType(f"kind `{kind}`: two columns would be named `{name}`")
        taken.add(name)


def columns_for(kind: str, fields: Sequence[tuple[str, str]]) -> tuple[Column, ...]:
    """The columns of ``(name, type tag)`` fields; ``UnknownFieldType`` for a tag with no column."""
    columns = []
    for name, tag in fields:
        base = tag.removesuffix("?")
        if base not in _TYPES:
            known = ", ".join(f'"{known}"' for known in _TYPES)
            raise UnknownFieldType(
                f"field `{name}` of kind `{kind}` has the type tag {tag!r}, which has no Arrow column"
                f" type; known tags: {known}, each also with a trailing ? (optional)"
            )
        column = Column(name, name, tag, tag.endswith("?"))
        columns.append(column)
        if base == "date-time":
            columns.append(Column(f"{name}_parsed", name, tag, True))
    _check_names(kind, [column.name for column in columns])
    return tuple(columns)


def reply_type(kind: Any) -> Any:
    """The type ``decode`` takes for a ``--type`` name (``"groups"`` -> ``list[Group]``); any
    other ``kind`` as it is."""
    if isinstance(kind, str):
        if kind not in REPLY_TYPES:
            raise TypeError(f"no reply kind is named {kind!r}; known: {', '.join(REPLY_TYPES)}")
        return REPLY_TYPES[kind]
    return kind


def _record_of(kind: Any) -> type:
    kind = reply_type(kind)
    if typing.get_origin(kind) is list:
        (kind,) = typing.get_args(kind)
    if not (isinstance(kind, type) and issubclass(kind, msgspec.Struct)):
        raise TypeError(f"expected a reply kind (list[Contact], Created, 'groups' ...), got {shown(kind)}")
    return kind


def _tag_of(info: msgspec.inspect.Type, where: str) -> str:
    """The type tag of a struct field's annotation (kinds the layout table does not list)."""
    if isinstance(info, msgspec.inspect.UnionType):
        others = [member for member in info.types if not isinstance(member, msgspec.inspect.NoneType)]
        if len(others) == 1 and len(others) < len(info.types):
            return _tag_of(others[0], where) + "?"
    elif isinstance(info, msgspec.inspect.IntType):
        return "int" if info.ge is not None and info.ge >= 0 else "signed"
    elif isinstance(info, msgspec.inspect.StrType) or (
        isinstance(info, msgspec.inspect.LiteralType) and all(isinstance(value, str) for value in info.values)
    ):
        return "str"
    raise UnknownFieldType(f"{where} has the type {info!r}, which has no Arrow column type")


def _layout_fields(record: type) -> tuple[str, tuple[tuple[str, str], ...]]:
    for kind, layout in LAYOUTS.items():
        if layout.record is record:
            return kind, _tags(layout)
    info = msgspec.inspect.type_info(record)
    assert isinstance(info, msgspec.inspect.StructType)
    name = record.__name__
    fields = [(field.name, _tag_of(field.type, f"field `{field.name}` of {name}")) for field in info.fields]
    return name, tuple(fields)


@cache
def _table_layout(record: type) -> TableLayout:
    kind, fields = _layout_fields(record)
    # the kind's --type name where it has one (schema metadata)
    kind = next((name for name, type in REPLY_TYPES.items() if _record_of(type) is record), kind)
    return TableLayout(kind, record, tuple(name for name, _ in fields), columns_for(kind, fields))


def _tags(layout: RecordLayout) -> tuple[tuple[str, str], ...]:
    return tuple((field.name, field.type) for field in layout.fields)


def table_layout(kind: Any) -> TableLayout:
    """The columns of a reply kind: ``list[Contact]``, ``Contact``, ``Created``, a ``--type``
    name such as ``"contacts"``, or a ``RecordLayout`` of the table itself."""
    if isinstance(kind, TableLayout):
        return kind
    if isinstance(kind, RecordLayout):
        fields = _tags(kind)
        names = tuple(name for name, _ in fields)
        return TableLayout(kind.kind, kind.record, names, columns_for(kind.kind, fields))
    return _table_layout(_record_of(kind))


def schema(kind: Any, *, decimal_scale: int = DEFAULT_DECIMAL_SCALE, source: bool = False) -> pa.Schema:
    """The Arrow schema of a reply kind's table; with ``source=True``, the ``source`` and
    ``source_index`` columns of ``source_name=`` after the record's."""
    return table_layout(kind).schema(decimal_scale=decimal_scale, source=source)


# --------------------------------------------------------------------------------------------
# values to arrays


def _decimal_places(value: decimal.Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # NaN and infinities are refused before
    return max(-exponent, 0)


def fitted_scale(values: Iterable[Any]) -> int:
    """The fewest decimal places that hold every ``Decimal`` of ``values`` exactly."""
    finite = (value for value in values if isinstance(value, decimal.Decimal) and value.is_finite())
    return max(map(_decimal_places, finite), default=0)


def _path(index: int, field: str) -> str:
    return f"$[{index}].{field}"


def _refuse(
    values: Sequence[Any], column: Column, indexes: Sequence[int], scale: int
) -> TableValueError | None:
    """The first value of ``values`` that the column cannot hold, as an error (``None``: none);
    ``indexes`` are the values' record indexes, for the path."""
    for offset, value in enumerate(values):
        reason = _why_not(value, column, scale)
        if reason is not None:
            error = TableValueError(reason, path=_path(indexes[offset], column.field))
            error.row = offset
            return error
    return None


def _why_not(value: Any, column: Column, scale: int) -> str | None:
    name, base = column.field, column.base
    if value is None:
        return None if column.nullable else f"`{name}` is None in a column that is not optional"
    if base in ("str", "id", "date-time", "list"):  # a nested list arrives as its JSON text
        return None if isinstance(value, str) else f"`{name}` must be a str, got {shown(value)}"
    if base == "decimal":
        if not isinstance(value, decimal.Decimal) or not value.is_finite():
            return f"`{name}` must be a finite Decimal, got {shown(value)}"
        places = _decimal_places(value)
        if places > scale:
            return f"`{name}` = {value} has {places} decimal places; the column keeps {scale} (decimal_scale)"
        if value and value.adjusted() + 1 > DECIMAL_PRECISION - scale:
            return f"`{name}` = {value} has more than {DECIMAL_PRECISION - scale} digits before the point"
        return None
    if base == "ts" and isinstance(value, datetime.datetime):
        return None if value.tzinfo is not None else f"`{name}` is a datetime without a zone: {shown(value)}"
    if type(value) is bool or not isinstance(value, int):
        return f"`{name}` must be an int, got {shown(value)}"
    if base == "blacklist-type" and value not in (0, 1, 2):
        return f"`{name}` must be 0, 1 or 2, got {shown(value)}"
    if not _INT64_RANGE[0] <= value <= _INT64_RANGE[1]:
        return f"`{name}` = {shown(value)} does not fit a 64-bit integer column"
    return None


def _parsed_date_times(texts: pa.Array) -> pa.Array:
    """The server's date-time texts as timestamps; null where a text is no real date and time.
    Arrow's ``strptime`` rolls a day past the month's end over (29.02.2013 -> 01.03.2013), so a
    parse counts only where writing it back gives the same text."""
    parsed = pc.strptime(texts, format=DATE_TIME_FORMAT, unit="s", error_is_null=True)
    same = pc.equal(pc.strftime(parsed, format=DATE_TIME_FORMAT), texts)
    return pc.if_else(same, parsed, pa.scalar(None, _LOCAL_SECONDS))


def _array(values: Sequence[Any], column: Column, indexes: Sequence[int], scale: int) -> pa.Array:
    arrow_type = column.arrow_type(scale)
    if column.base in _CHECKED or (not column.nullable and None in values):
        error = _refuse(values, column, indexes, scale)  # checked first: pyarrow would round or wrap
        if error is not None:
            raise error
    try:
        return pa.array(values, arrow_type, from_pandas=False)
    except (OverflowError, TypeError, ValueError, pa.ArrowException):
        error = _refuse(values, column, indexes, scale)
        if error is None:  # pragma: no cover - pyarrow refused a value the checks above accept
            raise
        raise error from None


_CHECKED = frozenset({"decimal", "blacklist-type", "ts", "list"})
"""Bases whose values are checked in Python before pyarrow sees them: pyarrow takes 7 into an
int8 blacklist type and a naive datetime into a UTC column without a word, and refuses a decimal
with more places than the scale without saying which."""


def _plain_arrays(records: Sequence[Any], layout: TableLayout, scale: int) -> dict[str, pa.Array]:
    """The arrays of the columns that need no check in Python (text and integers), converted in
    one pass over a tuple per record; a column that pyarrow refuses, or that has a null where it
    may not, is left out (the per-column path names the value)."""
    plain = [column for column in layout.columns if not column.derived and column.base not in _CHECKED]
    if not plain:
        return {}
    getter = attrgetter(*(column.field for column in plain))
    rows = list(map(getter, records)) if len(plain) > 1 else [(value,) for value in map(getter, records)]
    struct = pa.struct([pa.field(column.name, column.arrow_type(scale)) for column in plain])
    try:
        arrays = pa.array(rows, struct, from_pandas=False).flatten()
    except (OverflowError, TypeError, ValueError, pa.ArrowException):
        return {}
    return {
        column.name: array
        for column, array in zip(plain, arrays, strict=True)
        if column.nullable or not array.null_count
    }


def _check_kind(records: Sequence[Any], layout: TableLayout) -> None:
    if set(map(type, records)) <= {layout.record}:
        return
    wrong = next(index for index, record in enumerate(records) if type(record) is not layout.record)
    expected = layout.record.__name__
    raise TypeError(f"expected {expected} records, got {shown(records[wrong])} at $[{wrong}]")


def record_batch(
    records: Sequence[Any],
    kind: Any,
    *,
    decimal_scale: int | None = DEFAULT_DECIMAL_SCALE,
    indexes: Sequence[int] | None = None,
    sources: Sequence[str] | None = None,
) -> pa.RecordBatch:
    """One ``RecordBatch`` of records of one kind.  ``indexes`` are the records' indexes in their
    replies (default 0, 1, ...), for error paths and the ``source_index`` column, which is added
    with ``source`` when ``sources`` names each record's file.  ``decimal_scale=None`` fits the
    scale to the values."""
    if indexes is None:
        indexes = range(len(records))
    layout = table_layout(kind)
    _check_kind(records, layout)
    values: dict[str, list[Any]] = {}

    def values_of(field: str) -> list[Any]:
        if field not in values:
            values[field] = list(map(attrgetter(field), records))
        return values[field]

    if decimal_scale is None:
        decimal_scale = max(
            (fitted_scale(values_of(column.field)) for column in layout.columns if column.base == "decimal"),
            default=0,
        )
    arrays = _plain_arrays(records, layout, decimal_scale)
    for column in layout.columns:
        if column.name in arrays:
            continue
        if column.derived:
            texts = arrays.get(column.field)
            if texts is None:
                texts = pa.array(values_of(column.field), _STRING)
            arrays[column.name] = _parsed_date_times(texts)
        elif column.base == "list":
            texts = [None if nested is None else _JSON(nested).decode() for nested in values_of(column.field)]
            arrays[column.name] = _array(texts, column, indexes, decimal_scale)
        else:
            arrays[column.name] = _array(values_of(column.field), column, indexes, decimal_scale)
    ordered = [arrays[column.name] for column in layout.columns]
    target = layout.schema(decimal_scale=decimal_scale, source=sources is not None)
    if sources is not None:
        ordered += [pa.array(sources, _STRING), pa.array(indexes, _INT64)]
    if not ordered:  # a kind without fields (Ok) and no source columns: rows without columns
        return pa.RecordBatch.from_arrays([pa.nulls(len(records))], ["_"]).select([])
    return pa.RecordBatch.from_arrays(ordered, schema=target)


# --------------------------------------------------------------------------------------------
# the public forms


def _as_list(records: Any) -> list[Any]:
    return list(records) if isinstance(records, list | tuple) else [records]


def to_table(
    records: Any, kind: Any = None, *, decimal_scale: int | None = None, source_name: str | None = None
) -> pa.Table:
    """A ``pyarrow.Table`` of decoded records (a list, or one single record such as ``Created``).

    ``kind`` is needed only for an empty list.  ``decimal_scale=None`` fits decimal columns to the
    values; ``source_name`` adds the ``source`` and ``source_index`` columns.
    """
    rows = _as_list(records)
    if kind is None:
        if not rows:
            raise TypeError("to_table of an empty list needs kind= (list[Contact] ...)")
        kind = type(rows[0])
    sources = None if source_name is None else [source_name] * len(rows)
    batch = record_batch(rows, kind, decimal_scale=decimal_scale, sources=sources)
    return pa.Table.from_batches([batch])


def decode_table(
    data: bytes | bytearray | memoryview | str,
    type: Any,
    *,
    fmt: int | None = None,
    charset: str | None = None,
    decimal_scale: int | None = None,
    source_name: str | None = None,
) -> pa.Table:
    """``decode`` straight into a ``pyarrow.Table``: one row per record (one row for a single
    record such as ``Created``).  Raises what ``decode`` raises, and ``TableValueError``."""
    type = reply_type(type)
    decoded = decode(data, type, fmt=fmt, charset=charset)
    return to_table(decoded, type, decimal_scale=decimal_scale, source_name=source_name)


class BatchBuilder:
    """Records of one kind gathered into ``RecordBatch``es of at most ``batch_size`` rows, with
    the ``source`` columns: what ``iter_batches`` and the ``archive`` command hold at a time.

    Records are held in runs (a reply, the index of its first record held, how many), so that a
    reply's records are taken in one step and its ``source`` is not repeated per record until
    the batch is built."""

    def __init__(
        self, kind: Any, *, batch_size: int = DEFAULT_BATCH_SIZE, decimal_scale: int = DEFAULT_DECIMAL_SCALE,
        source: bool = True,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.layout = table_layout(kind)
        self.batch_size = batch_size
        self.decimal_scale = decimal_scale
        self.source = source
        self.schema = self.layout.schema(decimal_scale=decimal_scale, source=source)
        self._records: list[Any] = []
        self._runs: list[list[Any]] = []  # [source, index of the first record, count]
        self.taken: list[tuple[str, int]] = []
        """After a ``flush``: how many records of each reply its batch holds."""

    def __len__(self) -> int:
        return len(self._records)

    @property
    def full(self) -> bool:
        """``batch_size`` records or more are held: time to ``flush``."""
        return len(self._records) >= self.batch_size

    def add(self, record: Any, source: str = "", index: int = 0) -> None:
        """Hold one record of the reply ``source``, its record ``index`` there."""
        self._records.append(record)
        last = self._runs[-1] if self._runs else None
        if last is not None and last[0] == source and last[1] + last[2] == index:
            last[2] += 1
        else:
            self._runs.append([source, index, 1])

    def extend(self, records: Sequence[Any], source: str = "", start: int = 0) -> None:
        """Hold records ``start``, ``start + 1`` ... of the reply ``source``."""
        if records:
            self._records.extend(records)
            self._runs.append([source, start, len(records)])

    def _take_runs(self, count: int) -> list[list[Any]]:
        """The runs of the first ``count`` records, cut from those held."""
        taken: list[list[Any]] = []
        while count:
            run = self._runs[0]
            if run[2] <= count:
                taken.append(self._runs.pop(0))
                count -= run[2]
            else:
                taken.append([run[0], run[1], count])
                run[1] += count
                run[2] -= count
                count = 0
        return taken

    def flush(self) -> pa.RecordBatch | None:
        """The first ``batch_size`` records held (or all, if fewer) as a batch, and those let go;
        ``None`` when none are held.

        A value that its column cannot hold raises ``TableValueError`` (with ``source``) and
        the records stay held: ``drop`` that reply's records and flush again.
        """
        if not self._records:
            return None
        count = min(len(self._records), self.batch_size)
        records = self._records[:count] if count < len(self._records) else self._records
        runs = [list(run) for run in self._runs]
        kept_runs = self._runs
        self._runs = runs
        taken = self._take_runs(count)
        indexes = list(chain.from_iterable(range(first, first + size) for _, first, size in taken))
        try:
            batch = record_batch(
                records,
                self.layout.record,
                decimal_scale=self.decimal_scale,
                indexes=indexes,
                sources=list(chain.from_iterable(repeat(name, size) for name, _, size in taken))
                if self.source else None,
            )
        except TableValueError as exc:
            self._runs = kept_runs
            at = exc.row
            for name, _, size in taken:
                if at < size:
                    exc.source = name
                    break
                at -= size
            raise
        del self._records[:count]
        self.taken = [(name, size) for name, _, size in taken]
        return batch

    def drop(self, source: str) -> int:
        """Let go of the held records of ``source``; how many there were."""
        records: list[Any] = []
        runs = []
        at = 0
        for run in self._runs:
            if run[0] != source:
                records.extend(self._records[at : at + run[2]])
                runs.append(run)
            at += run[2]
        dropped = len(self._records) - len(records)
        self._records, self._runs = records, runs
        return dropped


def iter_batches(
    source: IO[bytes] | Iterable[bytes],
    type: Any,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    fmt: int | None = None,
    charset: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    decimal_scale: int = DEFAULT_DECIMAL_SCALE,
) -> Iterator[pa.RecordBatch]:
    """``RecordBatch``es of at most ``batch_size`` rows of a list reply read from a binary file or
    an iterable of chunks (``iter_decode``): memory holds one batch and ``iter_decode``'s buffer,
    whatever the size of the reply.  Every batch has the schema ``schema(type, decimal_scale=)``.

    Raises what ``iter_decode`` raises (after the batches of the records before the error), and
    ``TableValueError`` for a value the column cannot hold.
    """
    kind = reply_type(type)
    builder = BatchBuilder(kind, batch_size=batch_size, decimal_scale=decimal_scale, source=False)
    records = iter_decode(source, kind, fmt=fmt, charset=charset, chunk_size=chunk_size)
    for index, record in enumerate(records):
        builder.add(record, index=index)
        if builder.full:
            yield builder.flush()
    last = builder.flush()
    if last is not None:
        yield last
