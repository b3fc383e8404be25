"""fmtcodec.columnar: Arrow schemas from the layout table, decode_table, iter_batches.

Skipped without pyarrow (``pip install 'fmtcodec[arrow]'``; .ci/run has a step that installs it).
"""

from __future__ import annotations

import datetime
import decimal
import gc
import json
import re
import tracemalloc
import typing
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

pa = pytest.importorskip("pyarrow")

import fmtcodec  # noqa: E402
from fmtcodec import columnar  # noqa: E402
from fmtcodec.columnar import (  # noqa: E402
    TableValueError,
    UnknownFieldType,
    decode_table,
    iter_batches,
    schema,
    table_layout,
    to_table,
)
from fmtcodec.layout import FieldLayout, RecordLayout  # noqa: E402

VECTORS = Path(__file__).resolve().parent.parent / "spec" / "vectors"
EXT = {0: "txt", 1: "txt", 2: "xml", 3: "json"}
D = decimal.Decimal


def _types(arrow_schema):
    return [(field.name, str(field.type), field.nullable) for field in arrow_schema]


# --------------------------------------------------------------------------------------------
# the kinds of today's table


def test_group_schema_comes_from_the_table():
    assert _types(schema("groups")) == [
        ("id", "int64", False),
        ("name", "string", False),
        ("number", "int64", True),
        ("cnt", "int64", True),
    ]
    assert schema("groups").metadata == {b"fmtcodec.kind": b"groups"}
    assert schema(list[fmtcodec.Group]) == schema(fmtcodec.Group) == schema("groups")
    assert [field.metadata for field in schema("groups")] == [
        {b"fmtcodec.type": b"int"}, {b"fmtcodec.type": b"str"}, {b"fmtcodec.type": b"int?"}, {b"fmtcodec.type": b"int?"},
    ]


def test_blacklist_schemas():
    assert _types(schema("blacklist")) == [
        ("id", "int64", False), ("phone", "string", False), ("type", "int8", False), ("comment", "string", False),
    ]
    assert _types(schema("mail-blacklist"))[1] == ("email", "string", False)


@pytest.mark.parametrize(("kind", "first"), [("contacts", "phone"), ("mail-contacts", "mail")])
def test_contact_schemas_are_text_in_wire_order(kind, first):
    layout = fmtcodec.layout.LAYOUTS["contact" if kind == "contacts" else "mail_contact"]
    assert _types(schema(kind)) == [(field.name, "string", False) for field in layout.fields]
    assert schema(kind).names[0] == first


def test_single_record_kinds():
    assert _types(schema("created")) == [("id", "int64", False), ("element", "string", True)]
    assert _types(schema("error")) == [
        ("error_code", "int64", False), ("error", "string", False), ("id", "string", True),
    ]
    assert _types(schema("ok")) == []
    assert _types(schema("ok", source=True)) == [("source", "string", False), ("source_index", "int64", False)]


def test_source_columns_come_last():
    assert schema("groups", source=True).names == ["id", "name", "number", "cnt", "source", "source_index"]


def _vectors():
    for manifest_path in sorted(VECTORS.glob("*.expect.json")):
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if "expect" in manifest:
            name = manifest_path.name.removesuffix(".expect.json")
            yield pytest.param(name, manifest, id=name)


@pytest.mark.parametrize(("name", "manifest"), list(_vectors()))
def test_every_vector_decodes_to_the_rows_its_manifest_lists(name, manifest):
    payload = (VECTORS / f"{name}.{EXT[manifest['fmt']]}").read_bytes()
    table = decode_table(payload, manifest["type"], fmt=manifest["fmt"], charset=manifest["charset"])
    expected = manifest["expect"] if isinstance(manifest["expect"], list) else [manifest["expect"]]
    assert [_as_json(row, manifest["type"]) for row in table.to_pylist()] == expected
    assert table.schema.remove_metadata() == schema(manifest["type"], decimal_scale=_scale(table)).remove_metadata()


def _scale(table):
    scales = [field.type.scale for field in table.schema if pa.types.is_decimal(field.type)]
    return max(scales, default=columnar.DEFAULT_DECIMAL_SCALE)


def _as_json(row, kind):
    """A table row as the manifest writes the record: money as its text (numerically: a column has
    one scale), Unix times as ints, nested lists from their JSON text, derived columns left out."""
    out = {}
    for column in columnar.table_layout(kind).columns:
        if column.derived:
            continue
        value = row[column.name]
        if column.base == "decimal" and value is not None:
            value = _Money(value)
        elif column.base == "ts" and value is not None:
            value = int(value.timestamp())
        elif column.base == "list" and value is not None:
            value = json.loads(value)
        out[column.field] = value
    return out


class _Money(decimal.Decimal):
    """Equal to the manifest's text of the same amount (15.0 == "15.00")."""

    def __eq__(self, other):
        return isinstance(other, str) and decimal.Decimal(other) == decimal.Decimal(self)

    __hash__ = decimal.Decimal.__hash__


def test_decode_table_with_source_columns():
    payload = (VECTORS / "real-25-group-list.json").read_bytes()
    table = decode_table(payload, list[fmtcodec.Group], source_name="replies/a.json")
    assert table.column("source").to_pylist() == ["replies/a.json"] * 3
    assert table.column("source_index").to_pylist() == [0, 1, 2]
    assert table.column("id").to_pylist() == [5924, 5922, 5921]


def test_decode_table_raises_what_decode_raises():
    payload = (VECTORS / "err-group-id-fmt3.json").read_bytes()
    with pytest.raises(fmtcodec.DecodeError) as caught:
        decode_table(payload, "groups")
    assert (caught.value.pos, caught.value.path) == (51, "$[1].id")
    with pytest.raises(fmtcodec.ApiError) as api:
        decode_table((VECTORS / "real-16-error-record-not-found-group-rename.json").read_bytes(), "groups")
    assert api.value.code == 3


def test_to_table_of_an_empty_list_needs_the_kind():
    assert to_table([], "groups").num_rows == 0
    assert to_table([], "groups").schema == schema("groups")
    with pytest.raises(TypeError, match=r"^to_table of an empty list needs kind= \(list\[Contact\] \.\.\.\)$"):
        to_table([])


def test_records_of_another_kind_are_refused():
    with pytest.raises(TypeError, match=r"^expected Group records, got BlacklistEntry\(id=2, phone='7', .*… at \$\[1\]$"):
        to_table([fmtcodec.Group(id=1), fmtcodec.BlacklistEntry(id=2, phone="7")])


def test_unknown_kind_names_are_refused():
    with pytest.raises(TypeError, match=r"^no reply kind is named 'group'; known: contacts, mail-contacts, "):
        schema("group")
    with pytest.raises(TypeError, match=r"^expected a reply kind \(list\[Contact\], Created, 'groups' \.\.\.\), got <class 'int'>$"):
        schema(int)


def test_an_id_past_int64_is_refused_with_its_path():
    groups = [fmtcodec.Group(id=5), fmtcodec.Group(id=1 << 63)]
    with pytest.raises(TableValueError) as caught:
        to_table(groups)
    assert str(caught.value) == "`id` = 9223372036854775808 does not fit a 64-bit integer column - at $[1].id"
    assert to_table([fmtcodec.Group(id=(1 << 63) - 1)]).column("id").to_pylist() == [(1 << 63) - 1]


def test_a_blacklist_type_outside_0_to_2_is_refused():
    entries = [fmtcodec.BlacklistEntry(id=1, phone="7", type=7)]  # records are not validated when built
    with pytest.raises(TableValueError, match=r"^`type` must be 0, 1 or 2, got 7 - at \$\[0\]\.type$"):
        to_table(entries)


# --------------------------------------------------------------------------------------------
# the tags the redesigned table brings, on a synthetic layout


class Payment(msgspec.Struct, frozen=True):
    """A made-up record with one field of each new tag (none of today's kinds has them)."""

    id: str
    amount: decimal.Decimal
    balance: decimal.Decimal | None
    delta: int
    offset: int | None
    sent: int | datetime.datetime
    done: int | None
    when: str
    last: str | None
    comment: str | None


_NEW_TAGS = [
    ("id", "id"), ("amount", "decimal"), ("balance", "decimal?"), ("delta", "signed"), ("offset", "signed?"),
    ("sent", "ts"), ("done", "ts?"), ("when", "date-time"), ("last", "date-time?"), ("comment", "str?"),
]


def _layout(fields, record=Payment, kind="payment"):
    return RecordLayout(
        kind=kind, record=record, service="pay.php", xml_item="payment", created_xml="payment", names=(kind,),
        fields=tuple(FieldLayout(name=name, type=tag, json="string", fmt1="text") for name, tag in fields),
    )


PAYMENTS = _layout(_NEW_TAGS)


def test_new_tags_map_to_their_arrow_types():
    assert _types(table_layout(PAYMENTS).schema(decimal_scale=4)) == [
        ("id", "string", False),
        ("amount", "decimal128(38, 4)", False),
        ("balance", "decimal128(38, 4)", True),
        ("delta", "int64", False),
        ("offset", "int64", True),
        ("sent", "timestamp[s, tz=UTC]", False),
        ("done", "timestamp[s, tz=UTC]", True),
        ("when", "string", False),
        ("when_parsed", "timestamp[s]", True),
        ("last", "string", True),
        ("last_parsed", "timestamp[s]", True),
        ("comment", "string", True),
    ]
    assert table_layout(PAYMENTS).schema().field("amount").type == pa.decimal128(38, 6)


def _payment(**changes):
    values = {
        "id": "msg-1", "amount": D("12.50"), "balance": None, "delta": -3, "offset": None, "sent": 1386000000,
        "done": None, "when": "02.12.2013 16:00:00", "last": None, "comment": None,
    }
    return Payment(**{**values, **changes})


def test_new_tags_carry_their_values():
    rows = [
        _payment(),
        _payment(id="msg-2", amount=D("0.0045"), balance=D("-1000000.1"), delta=7, offset=-1 << 40,
                 sent=datetime.datetime(2013, 12, 31, 23, 59, 59, tzinfo=datetime.UTC), done=0,
                 when="31.12.2013 23:59:01", last="29.02.2013 00:00:00", comment="ok"),
    ]
    table = to_table(rows, PAYMENTS)
    assert table.schema.field("amount").type == pa.decimal128(38, 4)  # fitted: the most places seen
    utc = datetime.UTC
    assert table.to_pylist() == [
        {"id": "msg-1", "amount": D("12.5000"), "balance": None, "delta": -3, "offset": None,
         "sent": datetime.datetime(2013, 12, 2, 16, 0, tzinfo=utc), "done": None,
         "when": "02.12.2013 16:00:00", "when_parsed": datetime.datetime(2013, 12, 2, 16, 0),
         "last": None, "last_parsed": None, "comment": None},
        {"id": "msg-2", "amount": D("0.0045"), "balance": D("-1000000.1000"), "delta": 7, "offset": -1 << 40,
         "sent": datetime.datetime(2013, 12, 31, 23, 59, 59, tzinfo=utc), "done": datetime.datetime(1970, 1, 1, tzinfo=utc),
         "when": "31.12.2013 23:59:01", "when_parsed": datetime.datetime(2013, 12, 31, 23, 59, 1),
         # 29.02.2013 is no date: the text stays, the parsed column is null
         "last": "29.02.2013 00:00:00", "last_parsed": None, "comment": "ok"},
    ]
    # every decimal value is exact
    assert [value == original.amount for value, original in zip(table.column("amount").to_pylist(), rows, strict=True)] == [True, True]


def test_a_decimal_with_more_places_than_the_scale_is_refused_not_rounded():
    rows = [_payment(), _payment(amount=D("0.1234567"))]
    with pytest.raises(TableValueError) as caught:
        columnar.record_batch(rows, PAYMENTS, decimal_scale=6)
    assert str(caught.value) == "`amount` = 0.1234567 has 7 decimal places; the column keeps 6 (decimal_scale) - at $[1].amount"
    assert to_table(rows, PAYMENTS).column("amount").to_pylist() == [D("12.5000000"), D("0.1234567")]


def test_a_decimal_too_large_for_38_digits_is_refused():
    rows = [_payment(amount=D("1" * 33))]
    with pytest.raises(TableValueError, match=r"^`amount` = 1{33} has more than 32 digits before the point - at \$\[0\]\.amount$"):
        columnar.record_batch(rows, PAYMENTS, decimal_scale=6)
    assert columnar.record_batch(rows, PAYMENTS, decimal_scale=5).column("amount").to_pylist() == [D("1" * 33)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": D("NaN")}, "`amount` must be a finite Decimal, got Decimal('NaN') - at $[0].amount"),
        ({"amount": 1.5}, "`amount` must be a finite Decimal, got 1.5 - at $[0].amount"),
        ({"amount": None}, "`amount` is None in a column that is not optional - at $[0].amount"),
        ({"sent": datetime.datetime(2013, 1, 1)}, "`sent` is a datetime without a zone: datetime.datetime(2013, 1, 1, 0, 0) - at $[0].sent"),
        ({"delta": True}, "`delta` must be an int, got True - at $[0].delta"),
        ({"id": 5}, "`id` must be a str, got 5 - at $[0].id"),
    ],
)
def test_values_that_do_not_fit_their_column(changes, message):
    with pytest.raises(TableValueError) as caught:
        to_table([_payment(**changes)], PAYMENTS)
    assert str(caught.value) == message


@pytest.mark.parametrize("tag", ["money", "money?", "Int", "date", "", "?"])
def test_an_unknown_tag_is_refused_when_the_schema_is_built(tag):
    with pytest.raises(ValueError, match=f"^spec/layout.toml: field `amount` has unknown type {re.escape(repr(tag))}$"):
        _layout([("id", "id"), ("amount", tag)])  # the table itself refuses it first
    with pytest.raises(UnknownFieldType) as caught:
        columnar.columns_for("payment", [("id", "id"), ("amount", tag)])
    assert str(caught.value) == (
        f"field `amount` of kind `payment` has the type tag {tag!r}, which has no Arrow column type;"
        ' known tags: "str", "id", "date-time", "int", "signed", "blacklist-type", "decimal", "ts",'
        ' "list", each also with a trailing ? (optional)'
    )


@pytest.mark.parametrize(
    ("fields", "clash"),
    [([("when", "date-time"), ("when_parsed", "str")], "when_parsed"), ([("source", "str")], "source")],
)
def test_column_names_may_not_clash(fields, clash):
    with pytest.raises(UnknownFieldType, match=rf"^kind `payment`: two columns would be named `{clash}`$"):
        table_layout(_layout(fields))


class Receipt(msgspec.Struct, frozen=True):
    """A single-record kind that the table does not list: tags come from its annotations."""

    id: int
    change: int
    note: str | None = None


def test_struct_fields_are_tagged_by_their_annotations():
    assert [(column.name, column.tag) for column in table_layout(Receipt).columns] == [
        ("id", "signed"), ("change", "signed"), ("note", "str?"),
    ]
    assert [(column.name, column.tag) for column in table_layout(fmtcodec.Created).columns] == [
        ("id", "int"), ("element", "str?"),
    ]

    class Odd(msgspec.Struct):
        when: datetime.date

    with pytest.raises(UnknownFieldType, match=r"^field `when` of Odd has the type DateType\(\), which has no Arrow column type$"):
        table_layout(Odd)


# --------------------------------------------------------------------------------------------
# streaming


def _group(index: int) -> fmtcodec.Group:
    return fmtcodec.Group(id=index, name=f"Группа {index}, Москва", number=index % 7 or None)


def _fmt0_chunks(count: int, per_chunk: int = 100, pulled: list[int] | None = None) -> Iterator[bytes]:
    """A fmt 0 group list of ``count`` records, ``per_chunk`` records a chunk, made as it is read."""
    for start in range(0, count, per_chunk):
        if pulled is not None:
            pulled.append(start)
        chunk = fmtcodec.encode([_group(index) for index in range(start, min(start + per_chunk, count))], fmt=0)
        yield chunk + (b"\n" if start + per_chunk < count else b"")


def test_iter_batches_cuts_the_reply_into_batches_of_the_chosen_size():
    batches = list(iter_batches(_fmt0_chunks(2500), "groups", batch_size=1000))
    assert [batch.num_rows for batch in batches] == [1000, 1000, 500]
    assert {batch.schema for batch in batches} == {schema("groups")}
    table = pa.Table.from_batches(batches)
    whole = b"".join(_fmt0_chunks(2500))
    assert table.equals(decode_table(whole, "groups"))
    assert table.column("id").to_pylist() == list(range(2500))


@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_iter_batches_from_a_file_in_every_fmt(fmt, tmp_path):
    path = tmp_path / "groups"
    path.write_bytes(fmtcodec.encode([_group(index) for index in range(300)], fmt=fmt))
    with path.open("rb") as file:
        batches = list(iter_batches(file, list[fmtcodec.Group], batch_size=128, chunk_size=1000))
    assert [batch.num_rows for batch in batches] == [128, 128, 44]
    assert pa.Table.from_batches(batches).to_pylist() == [msgspec.structs.asdict(_group(index)) for index in range(300)]


def test_iter_batches_yields_the_batches_before_an_error_then_raises_it_with_its_stream_place():
    whole = b"".join(_fmt0_chunks(250)).replace(b"id = 201,", b"id = 2x1,")
    seen: list[int] = []

    def read_all() -> None:
        for batch in iter_batches([whole[at : at + 100] for at in range(0, len(whole), 100)], "groups", batch_size=100):
            seen.append(batch.num_rows)

    with pytest.raises(fmtcodec.DecodeError) as caught:
        read_all()
    assert seen == [100, 100]
    assert caught.value.path == "$[201].id"
    assert caught.value.line == 202
    assert whole[caught.value.pos : caught.value.pos + 3] == b"2x1"


def test_iter_batches_reads_no_further_than_the_batch_needs():
    pulled: list[int] = []
    batches = iter_batches(_fmt0_chunks(100_000, pulled=pulled), "groups", batch_size=1000)
    first = next(batches)
    assert first.num_rows == 1000
    # 1000 records are 10 chunks of 100; the stream reads at most one chunk ahead of a cut
    assert len(pulled) <= 12
    second = next(batches)
    assert second.column("id")[0].as_py() == 1000
    assert len(pulled) <= 22


def _peak_while_streaming(count: int) -> tuple[int, int]:
    """tracemalloc's peak (Python objects) and the most Arrow bytes alive while the batches of a
    ``count``-record stream go by, each dropped before the next."""
    gc.collect()
    arrow_peak = 0
    tracemalloc.start()
    try:
        for batch in iter_batches(_fmt0_chunks(count), "groups", batch_size=2000):
            arrow_peak = max(arrow_peak, pa.total_allocated_bytes())
            del batch
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, arrow_peak


def test_streaming_memory_is_bounded_by_the_batch_not_the_reply():
    _peak_while_streaming(4_000)  # first use: caches and lazy imports
    small_python, small_arrow = _peak_while_streaming(10_000)
    large_python, large_arrow = _peak_while_streaming(80_000)  # 8 times the records (about 3.6 MB)
    assert large_python < small_python * 1.25
    assert large_arrow < small_arrow * 1.25 + 65536
    # and the whole reply would be far larger than what was held
    assert len(b"".join(_fmt0_chunks(80_000))) > 4 * large_python


def test_the_batch_builder_cuts_runs_of_replies_into_batches():
    from fmtcodec.columnar import BatchBuilder

    builder = BatchBuilder("groups", batch_size=3)
    builder.extend([_group(index) for index in range(5)], "a.json")
    builder.add(_group(10), "b.txt", 0)
    builder.add(_group(11), "b.txt", 1)
    assert builder.full
    first = builder.flush()
    assert (first.column("source").to_pylist(), first.column("source_index").to_pylist()) == (["a.json"] * 3, [0, 1, 2])
    assert builder.taken == [("a.json", 3)]
    second = builder.flush()
    assert second.column("source").to_pylist() == ["a.json", "a.json", "b.txt"]
    assert second.column("source_index").to_pylist() == [3, 4, 0]
    assert second.column("id").to_pylist() == [3, 4, 10]
    assert builder.taken == [("a.json", 2), ("b.txt", 1)]
    builder.extend([_group(20)], "c.xml", 7)
    assert builder.drop("b.txt") == 1
    last = builder.flush()
    assert (last.column("source").to_pylist(), last.column("source_index").to_pylist()) == (["c.xml"], [7])
    assert builder.flush() is None


def test_a_refused_value_leaves_the_batch_held_and_names_its_reply():
    from fmtcodec.columnar import BatchBuilder

    builder = BatchBuilder("groups", batch_size=10)
    builder.extend([_group(1), _group(2)], "a.json")
    builder.extend([_group(3), fmtcodec.Group(id=1 << 63)], "b.json", 5)
    with pytest.raises(TableValueError) as caught:
        builder.flush()
    assert (caught.value.source, caught.value.path, caught.value.row) == ("b.json", "$[6].id", 3)
    assert len(builder) == 4
    assert builder.drop("b.json") == 2
    assert builder.flush().column("id").to_pylist() == [1, 2]


def test_every_reply_kind_of_every_page_has_a_schema():
    for name, kind in fmtcodec.REPLY_TYPES.items():
        schema = columnar.schema(kind)
        layout = fmtcodec.layout.layout_for(typing.get_args(kind)[0]) if typing.get_args(kind) else None
        if layout is not None:
            assert [field.name for field in schema][: len(layout.fields)][0] == layout.fields[0].name, name


def test_the_pages_kinds_go_into_tables_exactly():
    sent = fmtcodec.decode(
        b'{"id": 78, "cnt": 2, "cost": "2.80", "phones": [{"phone": "7999", "cost": "1.40"}, {"phone": "7998", "status": 22, "error": 7}]}',
        fmtcodec.Sent,
    )
    table = columnar.to_table(sent)
    assert table.schema.field("phones").type == pa.string()
    assert table.to_pylist() == [{
        "id": "78", "cnt": 2, "cost": decimal.Decimal("2.80"), "balance": None,
        "phones": '[{"phone":"7999","mccmnc":null,"cost":"1.40","status":null,"error":null},'
                  '{"phone":"7998","mccmnc":null,"cost":null,"status":22,"error":7}]',
    }]
    statuses = fmtcodec.decode(b"25,1679036400,248,5,79991234567\n-3,0,0,17,79991234568", list[fmtcodec.Status])
    rows = columnar.to_table(statuses).to_pylist()
    assert [(row["status"], row["err"], row["id"], row["phone"]) for row in rows] == [
        (25, 248, "5", "79991234567"), (-3, 0, "17", "79991234568"),
    ]
    assert rows[0]["last_timestamp"] == datetime.datetime(2023, 3, 17, 7, 0, tzinfo=datetime.UTC)
