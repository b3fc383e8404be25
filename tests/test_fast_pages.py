"""The pages' kinds on the fast paths of fmt 0 and fmt 1 (issue 18): read and written a column at a
time from the layout table, giving exactly what the general paths give.

* Differential properties: for every list kind of the pages, both fmts and both charsets, replies
  written by the encoder and then mutated with what pushes a fast path off its track (commas,
  markers, trimmed markers, line ends, numbers the rules refuse, dates and timestamps of the wrong
  shape) decode to the same records, or the same error (type, message, byte, path), through
  ``fmtcodec.decode`` (compiled core on, then off) and through the general path alone.  Records
  with an unusual value written the same way give the same bytes or the same refusal.
* Examples: which rows the fast reader reads a column at a time and which it hands to the row
  reader (counted, not timed), the variants of a multi-id status list side by side, and the
  general path's errors where the fast path declines.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from unittest import mock

import msgspec
import pytest
from budget import capped
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from spies import counted

import fmtcodec
from fmtcodec import DecodeError, EncodeError, HistoryMessage, Sender, Status, Template, _core
from fmtcodec import strategies as fs
from fmtcodec import text as fmt0
from fmtcodec import values as fmt1
from fmtcodec.api import CODECS, server_error
from fmtcodec.charset import Source
from fmtcodec.errors import FmtcodecError
from fmtcodec.layout import layout_for

KINDS = (Status, HistoryMessage, Sender, Template)
CHARSETS = ("utf-8", "cp1251")
GENERAL_DECODERS = {0: (fmt0, "_line_records"), 1: (fmt1, "_row_records")}
FAST_ENCODERS = {0: (fmt0, "_fast_pair_lines"), 1: (fmt1, "_fast_variant_lines")}

# What moves a reply of the pages off the fast track: separators and markers of the pages' keys
# (a trimmed last one too), line ends, numbers the type rules refuse, dates, timestamps and ids
# of the wrong shape, non-ASCII letters.
FRAGMENTS = [
    "", ",", ", ", ",,", "\n", "\n\n", "\r", "\r\n", " ", "0", "05", "-0", "-", "1.", ".5", "0.385", "1e3",
    "99999999999999999999", "12345678901", "17.03.2023 10:00:00", "17.03.2023", "+7 (911) 222-33-51",
    "Status = ", ", Status = ", ", check_time = ", ", last_timestamp = ", ", err = ", ", ID = ",
    ", id = ", ", crc = ", ", crc =", ", message = ", ", type = ", ", flag = ", ", name = ", " = ",
    "name = ", ", sender = ", "ERROR = 1 (x)", "0,-1", "Ж", "€", "\t", "a b", "_",
]

# Whole values put in place of one: what each type's rule and each token class refuse or take.
VALUES = [
    "", "0", "-0", "05", "-5", "-", "1.", ".5", "0.385", "-1.50", "1e3", "99999999999999999999",
    "12345678901", "1234567890", "17.03.2023 10:00:00", "17.03.2023", "1.2.3", "a b", "a_b-c.d", "Ж", " 1",
]


def _outcome(run: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        return ("records", run())
    except FmtcodecError as exc:
        return ("error", type(exc).__name__, str(exc), getattr(exc, "pos", None), getattr(exc, "path", None))


def _general(payload: bytes, kind: type, fmt: int, charset: str) -> Any:
    """``fmtcodec.decode`` of a list with the fmt's general path of the pages' kinds alone."""
    codec = CODECS[fmt]
    src = Source.from_payload(payload, charset, fmt)
    error = fmt0.plain_error(src) or codec.decode_error(src)  # as api.decode: plain text in any fmt
    if error is not None:
        raise server_error(error, fmt)
    layout = layout_for(kind)
    assert layout is not None
    module, name = GENERAL_DECODERS[fmt]
    return getattr(module, name)(src, layout)


@st.composite
def _replies(draw: st.DrawFn, kind: type) -> tuple[bytes, int, str]:
    fmt = draw(st.sampled_from([0, 1]), label="fmt")
    shaped = draw(st.booleans(), label="values shaped for the fmt")
    records = draw(fs.records(kind, min_size=1, max_size=6, for_fmt=fmt if shaped else None), label="records")
    charset = draw(st.sampled_from(CHARSETS), label="charset")
    try:
        text = fmtcodec.encode(records, fmt=fmt, strict=draw(st.booleans(), label="strict")).decode("utf-8")
    except EncodeError:
        text = ""
    edits = draw(
        st.lists(
            st.one_of(
                st.tuples(st.integers(0, 10**6), st.sampled_from(["insert", "delete"]), st.sampled_from(FRAGMENTS)),
                st.tuples(st.integers(0, 10**6), st.just("replace a value"), st.sampled_from(VALUES)),
            ),
            max_size=3,
        ),
        label="edits",
    )
    for at, how, fragment in edits:
        at %= len(text) + 1
        if how == "replace a value":  # the value after a separator, up to the next comma or line end
            start = text.find("," if fmt else " = ", at)
            if start < 0:
                continue
            start += 1 if fmt else 3
            ends = [end for end in (text.find(",", start), text.find("\n", start)) if end >= 0]
            text = text[:start] + fragment + text[min(ends, default=len(text)) :]
        elif how == "insert":
            text = text[:at] + fragment + text[at:]
        else:
            text = text[:at] + text[at + len(fragment) :]
    try:
        payload = text.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"  # a character windows-1251 cannot hold: the reply is UTF-8 then
        payload = text.encode(charset)
    return payload, fmt, charset


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@settings(deadline=None, max_examples=capped(), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_readers_give_what_the_general_path_gives(kind, data):
    payload, fmt, charset = data.draw(_replies(kind), label="reply")
    note(f"payload={payload!r}")

    def as_users_call() -> Any:
        return fmtcodec.decode(payload, list[kind], fmt=fmt, charset=charset)

    used = _outcome(as_users_call)
    with _core.pure():
        pure = _outcome(as_users_call)
    general = _outcome(lambda: _general(payload, kind, fmt, charset))
    event(f"fmt {fmt}: {used[0]}")
    assert pure == general, "fast path vs general path"
    assert used == pure, "compiled core on vs off"


@contextlib.contextmanager
def _general_encoders() -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for module, name in FAST_ENCODERS.values():
            stack.enter_context(mock.patch.object(module, name, return_value=None))
        yield


class _Text(str):
    __slots__ = ()

    def __str__(self) -> str:
        return "not my characters"


# What a caller may put in a record that the fast writers must judge as the general one does.
_ODD_VALUES = [
    True, 1.5, -1, 10**5000, Decimal("NaN"), Decimal("1E+5000"), Decimal("-0.00"), Decimal("1E+2"),
    None, "", "x y", "a,b", "a\nb", "a\rb", _Text("7"), "0", "-0", "ERROR = 1", ", crc =", " = ",
]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@settings(deadline=None, max_examples=capped(), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_writers_give_what_the_general_path_gives(kind, data):
    fmt = data.draw(st.sampled_from([0, 1]), label="fmt")
    value = data.draw(fs.records(kind, min_size=1, max_size=6, for_fmt=fmt), label="records")
    fields = [field.name for field in msgspec.structs.fields(kind)]
    for _ in range(data.draw(st.integers(0, 2), label="changes")):
        row = data.draw(st.integers(0, len(value) - 1), label="row")
        name = data.draw(st.sampled_from(fields), label="field")
        how = data.draw(st.sampled_from(["odd value", "fragment added"]), label="how")
        old = getattr(value[row], name)
        if how == "odd value":
            new = data.draw(st.sampled_from(_ODD_VALUES), label="value")
        elif isinstance(old, str):
            new = old + data.draw(st.sampled_from(FRAGMENTS), label="fragment")
        else:
            continue
        value[row] = msgspec.structs.replace(value[row], **{name: new})
    if data.draw(st.booleans(), label="every record alike"):
        value = [value[0]] * len(value)  # one set of fields: the fast writers' case
    charset = data.draw(st.sampled_from(CHARSETS), label="charset")
    strict = data.draw(st.booleans(), label="strict")

    def write() -> Any:
        return fmtcodec.encode(value, fmt=fmt, charset=charset, strict=strict)

    used = _outcome(write)
    with _core.pure():
        pure = _outcome(write)
    with _general_encoders():
        general = _outcome(write)
    event(f"fmt {fmt}: {used[0]}")
    assert pure == general, "fast writer vs general writer"
    assert used == pure, "compiled core on vs off"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("fmt", [0, 1])
@settings(
    deadline=None, max_examples=min(settings.default.max_examples, 25),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
@given(data=st.data())
def test_long_lists_round_trip_on_the_fast_paths(kind, fmt, data):
    value = data.draw(fs.records(kind, min_size=8, max_size=20, for_fmt=fmt), label="records")
    charset = data.draw(st.sampled_from(CHARSETS), label="charset")
    try:
        payload = fmtcodec.encode(value, fmt=fmt, charset=charset)
    except EncodeError:  # a character windows-1251 has no byte for
        charset = "utf-8"
        payload = fmtcodec.encode(value, fmt=fmt, charset=charset)
    with _general_encoders():
        assert fmtcodec.encode(value, fmt=fmt, charset=charset) == payload
    assert fmtcodec.decode(payload, list[kind], fmt=fmt, charset=charset) == value
    assert _general(payload, kind, fmt, charset) == value


# -- every value of a reply replaced in turn ---------------------------------------------------


def _every_kind_of_row() -> dict[type, list[Any]]:
    return {
        HistoryMessage: [_history(row) for row in range(3)],
        Status: [_status(row, 0) for row in range(3)],
        Sender: [Sender(sender=f"SMSC{row}", id=row) for row in range(3)],
        Template: [Template(id=row, name="Код", message="Ваш код", format="0", sender="SMSC", flag=1) for row in range(3)],
    }


def _replaced(line: str, fmt: int, position: int, value: str) -> str | None:
    """``line`` with its value number ``position`` replaced (its values hold no separator)."""
    if fmt == 1:
        pieces = line.split(",")
        if position >= len(pieces):
            return None
        pieces[position] = value
        return ",".join(pieces)
    pairs = [pair.split(" = ", 1) for pair in line.split(", ")]
    if position >= len(pairs):
        return None
    pairs[position][1] = value
    return ", ".join(" = ".join(pair) for pair in pairs)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("fmt", [0, 1])
def test_every_value_replaced_reads_as_the_general_path_reads_it(kind, fmt):
    """Each value of the middle row of a reply the fast reader takes, replaced in turn by each of
    ``VALUES``: the same records or the same error on every path."""
    for charset in CHARSETS:
        lines = fmtcodec.encode(_every_kind_of_row()[kind], fmt=fmt, charset=charset).decode(charset).split("\n")
        for position in range(40):
            for value in VALUES:
                line = _replaced(lines[1], fmt, position, value)
                if line is None:
                    break
                payload = "\n".join([lines[0], line, lines[2]]).encode(charset)
                with _core.pure():
                    fast = _outcome(
                        lambda payload=payload, charset=charset: fmtcodec.decode(
                            payload, list[kind], fmt=fmt, charset=charset
                        )
                    )
                general = _outcome(lambda payload=payload, charset=charset: _general(payload, kind, fmt, charset))
                assert fast == general, (payload, charset)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("fmt", [0, 1])
def test_every_field_set_to_an_odd_value_is_written_as_the_general_path_writes_it(kind, fmt):
    """Each field of every record of a list the fast writers take, set in turn to each of
    ``_ODD_VALUES``, ``VALUES`` and texts holding each marker of the kind: the same bytes or the
    same refusal, strict or not."""
    records = _every_kind_of_row()[kind]
    layout = layout_for(kind)
    assert layout is not None
    markers = [f"x, {field.fmt0} = y" for field in layout.fields] + [f"x, {layout.fields[-1].fmt0} ="]
    for name in (field.name for field in msgspec.structs.fields(kind)):
        for value in [*_ODD_VALUES, *VALUES, *markers]:
            changed = [msgspec.structs.replace(record, **{name: value}) for record in records]
            for strict in (True, False):
                def write(changed: list[Any] = changed, strict: bool = strict) -> Any:
                    return fmtcodec.encode(changed, fmt=fmt, strict=strict)

                with _core.pure():
                    fast = _outcome(write)
                with _general_encoders():
                    general = _outcome(write)
                assert fast == general, (name, value, strict)


# -- which rows take which path (counted) ------------------------------------------------------


def _history(row: int, **changes: Any) -> HistoryMessage:
    message = HistoryMessage(
        status=1, last_date="28.06.2021 12:00:05", send_date="28.06.2021 12:00:00", phone=f"7999{row:07d}",
        mccmnc="25001", country="Россия", operator="МТС", region="Москва", cost=Decimal("0.385"),
        sender_id="SMSC.RU", status_name="Доставлено", message=f"Код {row}", type=0, id=str(row),
        int_id=1000 + row, sms_cnt=1, format=0, crc=-17,
    )  # fmt: skip
    return msgspec.structs.replace(message, **changes)


def test_a_history_reply_of_one_width_is_read_a_column_at_a_time():
    messages = [_history(row) for row in range(50)]
    for fmt, module, name in ((1, fmt1, "_read_row"), (0, fmt0, "_read_pairs")):
        payload = fmtcodec.encode(messages, fmt=fmt)
        with counted(module, name) as rows, _core.pure():
            assert fmtcodec.decode(payload, list[HistoryMessage], fmt=fmt) == messages
        assert rows.call_count == 0, fmt


def test_a_history_row_whose_message_holds_a_comma_is_refused_where_it_is():
    """Three text fields side by side: a comma in one of them reads in several ways.  The fast
    reader hands that row to the row reader, which refuses it; the general path then says where."""
    messages = [_history(row) for row in range(20)]
    messages[7] = _history(7, message="Код 7, до 12:00")
    payload = fmtcodec.encode(messages, fmt=1, strict=False)
    rows = payload.decode().split("\n")
    with counted(fmt1, "_read_row") as reads, pytest.raises(fmtcodec.AmbiguousRecordError) as caught:
        fmtcodec.decode(payload, list[HistoryMessage], fmt=1)
    assert reads.call_args_list[0].args[0] == rows[7]  # the fast reader's one row, then the general path's
    assert reads.call_count == 1 + 8  # the general path reads rows 0 to 7 and stops there
    reason = "the row splits into the 18 fields of a history in 3 equally good ways"
    assert caught.value.reason.startswith(f"{reason}: ('1', '28.06.2021 12:00:05'")
    assert (caught.value.pos, caught.value.path) == (len("\n".join(rows[:7]).encode()) + 1, "$[7]")


def _status(row: int, all_: int) -> Status:
    base: dict[str, Any] = {"status": 1, "last_timestamp": 1679036400 + row, "err": 0, "id": str(row)}
    if all_ == 0:
        return Status(**base, phone=f"7999{row:07d}")
    geo = {"country": "Россия", "operator": "МТС", "region": "Москва"} if all_ == 2 else {}
    return Status(
        **base, send_timestamp=1679036300, phone=f"7999{row:07d}", cost=Decimal("1.40"), sender_id="SMSC",
        status_name="Доставлено", message=f"Код {row}", **geo,
    )  # fmt: skip


def test_statuses_of_several_variants_in_one_reply():
    """Rows of 5 and of 10 pieces each have one variant that can read them: a column at a time;
    a row of 13 (all=2) could also be a row of 10 whose texts hold commas: the row reader decides."""
    statuses = [_status(row, (0, 1, 2, 1, 0, 2, 0)[row % 7]) for row in range(21)]
    lines = [fmtcodec.encode([status], fmt=1).decode() for status in statuses]
    assert [line.count(",") + 1 for line in lines[:7]] == [5, 10, 13, 10, 5, 13, 5]
    payload = "\n".join(lines).encode()
    with counted(fmt1, "_read_row") as rows:
        assert fmtcodec.decode(payload, list[Status], fmt=1) == statuses
    assert [call.args[0] for call in rows.call_args_list] == [lines[row] for row in range(21) if row % 7 in (2, 5)]


def test_fmt0_lines_of_several_sets_of_fields_are_read_a_group_at_a_time():
    """Lines that leave out different optional fields are grouped by the markers each holds, and
    each group is read a column at a time."""
    statuses = [
        msgspec.structs.replace(_status(row, (0, 1, 2)[row % 3]), err=None if row % 2 else row)
        for row in range(12)
    ]
    payload = fmtcodec.encode(statuses, fmt=0)
    assert len({line.count(b" = ") for line in payload.split(b"\n")}) == 6
    with counted(fmt0, "_read_pairs") as lines, counted(fmt0, "_same_fields_records") as groups:
        assert fmtcodec.decode(payload, list[Status], fmt=0) == statuses
    assert lines.call_count == 0
    assert groups.call_count == 1 + 6  # the whole reply, then each set of fields


def test_statuses_alike_are_written_a_column_at_a_time_and_mixed_ones_row_by_row():
    alike = [_status(row, 0) for row in range(10)]
    with counted(fmt1, "_checked_row") as rows:
        payload = fmtcodec.encode(alike, fmt=1)
    assert rows.call_count == 0
    assert payload.split(b"\n")[3] == b"1,1679036403,0,3,79990000003"
    mixed = [_status(row, row % 2) for row in range(10)]
    with counted(fmt1, "_checked_row") as rows:
        fmtcodec.encode(mixed, fmt=1)
    assert rows.call_count == 10
    with counted(fmt0, "_pair_line") as lines:
        assert fmtcodec.encode(alike, fmt=0).split(b"\n")[3] == (
            b"Status = 1, last_timestamp = 1679036403, err = 0, id = 3, phone = 79990000003"
        )
    assert lines.call_count == 0


def test_blank_lines_and_a_final_line_break_stay_on_the_fast_path():
    messages = [_history(row) for row in range(3)]
    for fmt, module, name in ((1, fmt1, "_read_row"), (0, fmt0, "_read_pairs")):
        rows = fmtcodec.encode(messages, fmt=fmt).split(b"\n")
        payload = b"\n\n" + rows[0] + b"\n\n\n\n" + rows[1] + b"\n" + rows[2] + b"\n\n"
        with counted(module, name) as spy:
            assert fmtcodec.decode(payload, list[HistoryMessage], fmt=fmt) == messages
        assert spy.call_count == 0


# -- where the fast paths decline, the general path says what is wrong ------------------------


def test_a_value_that_does_not_fit_is_reported_by_the_general_path():
    messages = [_history(row) for row in range(5)]
    rows = fmtcodec.encode(messages, fmt=1).decode().split("\n")
    rows[3] = rows[3].replace(",0.385,", ",1.,")
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode("\n".join(rows).encode(), list[HistoryMessage], fmt=1)
    at = len("\n".join(rows[:3]).encode()) + 1 + len(rows[3][: rows[3].index(",1.,") + 1].encode())
    assert (caught.value.reason, caught.value.pos, caught.value.path) == (
        "expected a decimal amount for `cost`, got '1.'", at, "$[3].cost",
    )
    lines = fmtcodec.encode(messages, fmt=0).decode().split("\n")
    lines[2] = lines[2].replace("crc = -17", "crc = -0")
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode("\n".join(lines).encode(), list[HistoryMessage], fmt=0)
    at = len("\n".join(lines[:2]).encode()) + 1 + len(lines[2][: lines[2].index("-0")].encode())
    assert (caught.value.reason, caught.value.pos, caught.value.path) == (
        "expected an integer for `crc`, got '-0'", at, "$[2].crc",
    )


def test_a_value_holding_a_marker_is_refused_by_the_general_writer():
    messages = [_history(row, message="a, type = 1") for row in range(3)]
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode(messages, fmt=0)
    assert (str(caught.value.reason), caught.value.path) == (
        "the value holds ', type = ', the marker of `type`", "$[0].message",
    )
    assert fmtcodec.encode(messages, fmt=0, strict=False).count(b", type = ") == 6


def test_a_str_subclass_is_written_by_its_characters_on_every_path():
    messages = [_history(row, sender_id=_Text("SMSC")) for row in range(3)]
    for fmt in (0, 1):
        written = fmtcodec.encode(messages, fmt=fmt)
        assert b"SMSC" in written
        assert b"not my characters" not in written
        with _general_encoders():
            assert fmtcodec.encode(messages, fmt=fmt) == written


# -- memory: what the fast readers hold is proportional to the reply ---------------------------

_FILL = 1_000_000


@pytest.mark.parametrize("pure", [False, True], ids=["as-loaded", "pure"])
@pytest.mark.parametrize("fmt", [0, 1])
@pytest.mark.parametrize("kind", [HistoryMessage, Status], ids=lambda kind: kind.__name__)
def test_blank_lines_cost_at_most_twice_the_payload(kind, fmt, pure):
    """A million blank lines between rows the fast reader takes: no list as long as the lines
    (8 bytes a line at least: 4x the text); the peak is the decoding of the text (measured 1.5x the
    text, the UTF-8 decoder's own copy) and little else."""
    records = [_history(row) for row in range(3)] if kind is HistoryMessage else [_status(row, 0) for row in range(3)]
    rows = fmtcodec.encode(records, fmt=fmt).split(b"\n")
    payload = rows[0] + b"\n" * _FILL + b"\n".join(rows[1:]) + b"\n" * _FILL
    with _core.pure() if pure else contextlib.nullcontext(), counted(fmt1, "_read_row") as placed:
        gc.collect()
        tracemalloc.start()
        try:
            decoded = fmtcodec.decode(payload, list[kind], fmt=fmt)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert decoded == records
    assert placed.call_count == 0
    text = sys.getsizeof(payload.decode())  # 2 bytes a character: the rows hold Cyrillic
    assert peak <= 2 * text, f"peak {peak / text:.2f}x the decoded text"
