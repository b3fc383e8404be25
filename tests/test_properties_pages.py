"""Properties of encode/decode for the pages' reply kinds (issue 16), driven by ``fmtcodec.strategies``.

* Round trip: ``decode(encode(x)) == x`` for every kind x fmt, in UTF-8, windows-1251 and KOI8-R,
  with the values ``for_fmt=N`` gives (the strategies restate each fmt's rules from the spec, so
  this checks the encoder and the decoder against the spec, not against themselves).
* Refusal: strict ``encode`` either refuses with ``EncodeError`` or writes what reads back, and
  never raises anything else; the refusals the spec states outright are restated here as
  predicates and compared with the encoder (CR/LF in fmt 0/1, XML-forbidden characters in fmt 2,
  the per-number list outside fmt 3, a balance's credit in fmt 0/1, the fmt 0 markers of a status).
* Mutated payloads decode or raise ``DecodeError``/``ApiError``, never a bare exception.
* A naive client (``split(",")`` for fmt 1, ``split(", ")``/``split(" = ")`` for fmt 0) misreads
  statuses and history within one run's examples, where fmtcodec reads them exactly or refuses.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest
from budget import capped
from hypothesis import Phase, event, given, note, settings
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    AmbiguousRecordError,
    ApiError,
    Balance,
    Cost,
    DecodeError,
    EncodeError,
    Error,
    HistoryMessage,
    JobCreated,
    OperatorInfo,
    PhoneReport,
    Sender,
    SenderCreated,
    Sent,
    Status,
    Template,
    TemplateCreated,
)
from fmtcodec import strategies as fs

# 13 kinds x 4 fmts x several properties: the CI profile's 100 examples each would take most of
# CI's time, so these run at most 30 (the thorough profile, 5000 a property, is not capped).
_CAPPED = settings(max_examples=capped(30))

FMTS = (0, 1, 2, 3)
CHARSETS = ("windows-1251", "koi8-r")
LIST_KINDS = (Status, HistoryMessage, Sender, Template)
RECORD_KINDS = (Sent, Cost, Status, Balance, SenderCreated, JobCreated, OperatorInfo, TemplateCreated)
TEXT_KNOB = {Status, HistoryMessage, Sender, Template, OperatorInfo}

# (label, decode type, strategy maker): every reply kind of the pages, and an error of one.
CASES: list[tuple[str, Any, Any]] = [
    # up to 2 records a list: a third adds drawing time and no shape the first two lack
    *(
        (f"list[{kind.__name__}]", list[kind], lambda kind=kind, **kw: fs.records(kind, max_size=2, **kw))
        for kind in LIST_KINDS
    ),
    *((kind.__name__, kind, lambda kind=kind, **kw: fs.one(kind, **kw)) for kind in RECORD_KINDS),
    ("Error", Error, fs.page_errors),
]
CASE_IDS = [case[0] for case in CASES]

_SPEC = tomllib.loads((Path(__file__).resolve().parent.parent / "spec" / "layout.toml").read_text("utf-8"))
_KINDS = _SPEC["kinds"]


def _fields(kind: str) -> list[dict[str, Any]]:
    fields = _KINDS[kind]["fields"]
    return _KINDS[fields]["fields"] if isinstance(fields, str) else fields


FMT0_KEYS = {kind: {f["name"]: f.get("fmt0", f["name"]) for f in _fields(kind)} for kind in ("status", "history")}
FMT1_VARIANTS = {kind: [tuple(variant) for variant in _KINDS[kind]["fmt1"]] for kind in ("statuses", "history")}

_NOT_IMPLEMENTED: dict[int, bool] = {}


def implemented(fmt: int) -> bool:
    """The fmt's pages' kinds are on this branch (fmt 2/3 come from branch pages23)."""
    if fmt not in _NOT_IMPLEMENTED:
        try:
            fmtcodec.encode(TemplateCreated(id=5), fmt=fmt)
            fmtcodec.decode(fmtcodec.encode([Sender(sender="a")], fmt=fmt), list[Sender], fmt=fmt)
            _NOT_IMPLEMENTED[fmt] = False
        except NotImplementedError:
            _NOT_IMPLEMENTED[fmt] = True
    return not _NOT_IMPLEMENTED[fmt]


def needs_fmt(fmt: int) -> None:
    if not implemented(fmt):
        pytest.skip(f"fmt {fmt} of the pages' kinds is not implemented on this branch yet")


def wire(value: Any) -> str:
    """A field as fmt 0/1 write it: text as is, numbers in decimal, a Decimal with its digits."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(int(value))
    return str(value)


def texts(value: Any) -> list[str]:
    """Every text of a reply (records, nested per-number lists, an error's description and id)."""
    if isinstance(value, list | tuple):
        return [text for item in value for text in texts(item)]
    if isinstance(value, msgspec.Struct):
        return [text for field in msgspec.structs.astuple(value) for text in texts(field)]
    return [value] if isinstance(value, str) else []


def decode_checked(payload: bytes, decode_type: Any, fmt: int, charset: str = "utf-8") -> Any:
    return fmtcodec.decode(payload, decode_type, fmt=fmt, charset=charset)


def assert_round_trip(value: Any, decode_type: Any, fmt: int, charset: str = "utf-8") -> None:
    payload = fmtcodec.encode(value, fmt=fmt, charset=charset)  # strict: refuses what would not read back
    note(f"fmt {fmt}: {payload!r}")
    assert decode_checked(payload, decode_type, fmt, charset) == value
    if isinstance(value, Error):
        # read as a page's reply, the error is an ApiError carrying the same code, text and id
        with pytest.raises(ApiError) as caught:
            fmtcodec.decode(payload, Sent, fmt=fmt, charset=charset)
        assert (caught.value.code, caught.value.id) == (value.error_code, value.id)


# ---------------------------------------------------------------------------------------------
# Round trip


@pytest.mark.parametrize("fmt", FMTS)
@pytest.mark.parametrize(("label", "decode_type", "make"), CASES, ids=CASE_IDS)
@_CAPPED
@given(data=st.data())
def test_round_trip(label, decode_type, make, fmt, data):
    needs_fmt(fmt)
    value = data.draw(make(for_fmt=fmt), label="value")
    assert_round_trip(value, decode_type, fmt)


def _charset_alphabet(charset: str) -> str:
    return "".join(
        char for char in (bytes([byte]).decode(charset, errors="replace") for byte in range(256)) if char != "\ufffd"
    )


ALPHABETS = {charset: _charset_alphabet(charset) for charset in CHARSETS}


def _fits(charset: str):
    def fits(value: Any) -> bool:
        try:
            for text in texts(value):
                text.encode(charset)
        except UnicodeEncodeError:
            return False
        return True

    return fits


# the kinds that hold text (the others are digits and ASCII ids in every charset)
TEXT_CASES = [case for case in CASES if case[0] not in {
    "Sent", "Cost", "SenderCreated", "JobCreated", "TemplateCreated"
}]  # fmt: skip


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize(("label", "decode_type", "make"), TEXT_CASES, ids=[case[0] for case in TEXT_CASES])
@_CAPPED
@given(data=st.data())
def test_round_trip_in_charset(label, decode_type, make, charset, data):
    # Free text from the charset's own alphabet (Cyrillic, its punctuation, its controls), where
    # the kind has free text; the sample names and currencies kept where the charset holds them.
    for fmt in FMTS:
        if not implemented(fmt):
            continue
        knobs: dict[str, Any] = {"for_fmt": fmt}
        kind = decode_type.__args__[0] if label.startswith("list[") else decode_type
        if kind in TEXT_KNOB or kind is Error:
            knobs["text"] = st.text(alphabet=ALPHABETS[charset], max_size=10)
        value = data.draw(make(**knobs).filter(_fits(charset)), label=f"fmt {fmt} value")
        assert_round_trip(value, decode_type, fmt, charset)


# ---------------------------------------------------------------------------------------------
# Refusal


def try_encode(value: Any, fmt: int, *, strict: bool = True) -> bytes | None:
    """The payload, or None when refused; any exception but EncodeError fails the test."""
    try:
        return fmtcodec.encode(value, fmt=fmt, strict=strict)
    except EncodeError as error:
        if error.fmt != fmt:
            raise AssertionError(f"EncodeError names fmt {error.fmt}, not {fmt}") from error
        return None


@pytest.mark.parametrize(("label", "decode_type", "make"), CASES, ids=CASE_IDS)
@_CAPPED
@given(data=st.data())
def test_strict_encode_refuses_what_would_not_read_back(label, decode_type, make, data):
    # Values for no fmt in particular: line breaks, controls, commas, markers, the per-number list.
    value = data.draw(make(), label="value")
    for fmt in FMTS:
        if not implemented(fmt):
            continue
        payload = try_encode(value, fmt)
        event(f"fmt {fmt}: {'refused' if payload is None else 'accepted'}")
        if payload is not None:
            note(f"fmt {fmt}: {payload!r}")
            assert decode_checked(payload, decode_type, fmt) == value, f"fmt {fmt}"
        # strict=False refuses no less than misuse: only EncodeError, never another exception
        try_encode(value, fmt, strict=False)


_LINE_BREAK = re.compile("[\r\n]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _has_phones(value: Any) -> bool:
    return isinstance(value, Sent | Cost) and value.phones is not None


@pytest.mark.parametrize(("label", "decode_type", "make"), CASES, ids=CASE_IDS)
@_CAPPED
@given(data=st.data())
def test_stated_refusals(label, decode_type, make, data):
    value = data.draw(make(), label="value")
    all_texts = texts(value)
    records = value if isinstance(value, list) else [value]
    for fmt in FMTS:
        if not implemented(fmt):
            continue
        strict, lenient = try_encode(value, fmt) is None, try_encode(value, fmt, strict=False) is None
        if fmt in (0, 1) and any(_LINE_BREAK.search(text) for text in all_texts):
            assert strict, f"fmt {fmt}: CR/LF in a value must be refused"
            assert lenient, f"fmt {fmt}: CR/LF in a value must be refused with strict=False too"
        if fmt == 2 and any(_NOT_XML.search(text) for text in all_texts):
            assert strict, "fmt 2: a character XML 1.0 cannot hold must be refused"
        if fmt != 3 and any(_has_phones(record) for record in records):
            assert (strict, lenient) == (True, True), f"fmt {fmt} has no place for the per-number list"
        if fmt in (0, 1) and isinstance(value, Balance) and value.credit is not None:
            assert (strict, lenient) == (True, True), f"fmt {fmt} has no place for a balance's credit"
        if fmt == 3:
            assert not strict, "fmt 3 carries every value the strategies give"


def fmt0_status_refused(status: Status) -> bool:
    """spec/formats.md, fmt 0 rules 10-11, for one status (only `status` required, so the decoder
    looks for the marker of every later field): refused exactly when a value holds CR/LF, or the
    marker ``, <key> = `` of a field after it, or -- the line's last value -- ends with the trimmed
    marker of the layout's last field (``, rnet =``) while that field is not itself the last one."""
    keys = FMT0_KEYS["status"]
    present = [(name, wire(getattr(status, name))) for name in keys if getattr(status, name) is not None]
    for index, (_, text) in enumerate(present):
        if _LINE_BREAK.search(text):
            return True
        later = [keys[name] for name in keys][list(keys).index(present[index][0]) + 1 :]
        if any(f", {key} = " in text for key in later):
            return True
    last_name, last_text = present[-1]
    last_key = list(keys.values())[-1]
    return last_name != "rnet" and last_text.endswith(f", {last_key} =")


@given(fs.statuses())
def test_fmt0_status_refusal_rule(status):
    refused = try_encode(status, 0) is None
    event("refused" if refused else "accepted")
    assert refused == fmt0_status_refused(status)


@given(
    fs.statuses(for_fmt=0),
    st.sampled_from(sorted(FMT0_KEYS["status"].values())),
    st.sampled_from(["message", "status_name", "operator", "sender_id"]),
)
def test_fmt0_status_with_a_later_marker_is_refused(status, key, field):
    # A value given the marker of a field after it is refused at that value's path.
    names = list(FMT0_KEYS["status"])
    keys = list(FMT0_KEYS["status"].values())
    if names.index(field) >= keys.index(key):
        return
    value = msgspec.structs.replace(status, **{field: f"a, {key} = b"})
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode(value, fmt=0)
    assert caught.value.path == f"$.{field}"


# ---------------------------------------------------------------------------------------------
# Mutated payloads

_MUTATION = st.one_of(
    st.tuples(st.just("cut"), st.integers(0, 10**6)),
    st.tuples(st.just("drop"), st.integers(0, 10**6), st.integers(1, 8)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.sampled_from([
        b",", b", ", b" = ", b"\n", b"\r", b"\x00", b"-", b"\"", b"<", b">", b"</", b"{", b"}", b"[", b"]",
        b"\xff", b"\xd0", b"ERROR = 1 (x)", b"0,-3", b"OK", b"&", b"1.5", b"9" * 30, b"\xef\xbb\xbf",
    ])),
    st.tuples(st.just("set"), st.integers(0, 10**6), st.integers(0, 255)),
    st.tuples(st.just("repeat"), st.integers(0, 10**6), st.integers(1, 40)),
)


def mutate(payload: bytes, mutation: tuple[Any, ...]) -> bytes:
    how, at = mutation[0], mutation[1] % (len(payload) + 1)
    if how == "cut":
        return payload[:at]
    if how == "drop":
        return payload[:at] + payload[at + mutation[2] :]
    if how == "insert":
        return payload[:at] + mutation[2] + payload[at:]
    if how == "set":
        return payload[:at] + bytes([mutation[2]]) + payload[at + 1 :]
    return payload[:at] + payload[at : at + mutation[2]] * 2 + payload[at + mutation[2] :]


@pytest.mark.parametrize("fmt", FMTS)
@pytest.mark.parametrize(("label", "decode_type", "make"), CASES, ids=CASE_IDS)
@_CAPPED
@given(data=st.data())
def test_mutated_payloads_raise_only_codec_errors(label, decode_type, make, fmt, data):
    needs_fmt(fmt)
    value = data.draw(make(for_fmt=fmt), label="value")
    payload = fmtcodec.encode(value, fmt=fmt)
    mutations = data.draw(st.lists(_MUTATION, min_size=1, max_size=3), label="mutations")
    for mutation in mutations:
        payload = mutate(payload, mutation)
    note(repr(payload))
    detecting = all(implemented(other) for other in FMTS)  # detection may pick any fmt
    for told in (fmt, None) if detecting else (fmt,):  # told the fmt, and detecting it
        try:
            fmtcodec.decode(payload, decode_type, fmt=told)
        except (DecodeError, ApiError) as error:
            event(type(error).__name__)


# ---------------------------------------------------------------------------------------------
# Naive clients


def naive_fmt0_client(payload: bytes) -> list[dict[str, str]]:
    """One record a line, ``", "`` between pairs, ``" = "`` between key and value."""
    lines = [line for line in payload.decode("utf-8").split("\n") if line]
    return [dict(pair.split(" = ", 1) for pair in line.split(", ")) for line in lines]


def fmt0_expected(record: Any, kind: str) -> dict[str, str]:
    keys = FMT0_KEYS[kind]
    return {keys[name]: wire(getattr(record, name)) for name in keys if getattr(record, name) is not None}


def naive_fmt1_client(payload: bytes) -> list[list[str]]:
    """One record a line, one field a comma-separated piece."""
    return [line.split(",") for line in payload.decode("utf-8").split("\n") if line]


def fmt1_expected(record: Any, kind: str) -> list[str]:
    """The record's pieces in the order of the fmt 1 variant that holds exactly its fields."""
    present = {name for name in record.__struct_fields__ if getattr(record, name) is not None}
    (variant,) = [variant for variant in FMT1_VARIANTS[kind] if set(variant) == present]
    return [wire(getattr(record, name)) for name in variant]


KIND_NAMES = {Status: "statuses", HistoryMessage: "history"}
FMT0_NAMES = {Status: "status", HistoryMessage: "history"}


def _naive_fmt0_reads(records: list[Any], kind: type) -> bool:
    try:
        got = naive_fmt0_client(fmtcodec.encode(records, fmt=0))
    except ValueError:  # a piece without " = ": dict() refuses it
        return False
    return got == [fmt0_expected(record, FMT0_NAMES[kind]) for record in records]


@pytest.mark.hypothesis
@pytest.mark.parametrize("kind", [Status, HistoryMessage], ids=lambda kind: kind.__name__)
def test_the_naive_clients_read_values_without_separators(kind):
    # so that the failures below are the commas', not the clients' own
    @settings(database=None)
    @given(fs.records(kind, for_fmt=1), fs.records(kind, for_fmt=0))
    def naive_clients_read_plain_values(fmt1_records, fmt0_records):
        # for_fmt=1 values of these kinds hold no comma: fmt 1 cannot place one
        assert naive_fmt1_client(fmtcodec.encode(fmt1_records, fmt=1)) == [
            fmt1_expected(record, KIND_NAMES[kind]) for record in fmt1_records
        ]
        if not any(", " in text or " = " in text for text in texts(fmt0_records)):
            assert _naive_fmt0_reads(fmt0_records, kind)

    naive_clients_read_plain_values()


@pytest.mark.hypothesis
@pytest.mark.parametrize("kind", [Status, HistoryMessage], ids=lambda kind: kind.__name__)
def test_a_naive_fmt0_client_fails_within_one_run(kind):
    # Run with the examples of the profile in use (30 in "dev"): Hypothesis finds a reply the
    # ", "/" = " client misreads, and that reply holds a separator inside a value.
    failing: list[list[Any]] = []

    @settings(database=None, phases=[Phase.explicit, Phase.generate])
    @given(fs.records(kind, for_fmt=0))
    def naive_client_reads_fmt0(records):
        if not _naive_fmt0_reads(records, kind):
            failing.append(records)
            raise AssertionError("misread")

    with pytest.raises(AssertionError, match="misread"):
        naive_client_reads_fmt0()
    assert any(", " in text or " = " in text for text in texts(failing[-1]))


COMMA_TEXTS = st.sampled_from([text for text in (*fs.MESSAGES, *fs.STATUS_NAMES) if "," in text])


@pytest.mark.hypothesis
@pytest.mark.parametrize("kind", [Status, HistoryMessage], ids=lambda kind: kind.__name__)
def test_a_naive_fmt1_client_fails_within_one_run(kind):
    # The server writes a message or status name with commas as it is (strict=False writes as the
    # server does).  The split(",") client misreads such a row within one run; fmtcodec reads the
    # row exactly or refuses it with AmbiguousRecordError -- it never misreads it.
    failing: list[list[Any]] = []

    def with_commas(records: list[Any], data: st.DataObject) -> list[Any]:
        out = []
        for record in records:
            if record.message is not None and data.draw(st.booleans()):
                record = msgspec.structs.replace(record, message=data.draw(COMMA_TEXTS))
            if record.status_name is not None and data.draw(st.booleans()):
                record = msgspec.structs.replace(record, status_name=data.draw(COMMA_TEXTS))
            out.append(record)
        return out

    @settings(database=None, phases=[Phase.explicit, Phase.generate])
    @given(data=st.data())
    def naive_client_reads_fmt1(data):
        records = with_commas(data.draw(fs.records(kind, for_fmt=1)), data)
        payload = fmtcodec.encode(records, fmt=1, strict=False)
        with contextlib.suppress(AmbiguousRecordError):  # refused as ambiguous, or read exactly
            assert fmtcodec.decode(payload, list[kind], fmt=1) == records
        if naive_fmt1_client(payload) != [fmt1_expected(record, KIND_NAMES[kind]) for record in records]:
            failing.append(records)
            raise AssertionError("misread")

    with pytest.raises(AssertionError, match="misread"):
        naive_client_reads_fmt1()
    assert any("," in text for text in texts(failing[-1]))


# ---------------------------------------------------------------------------------------------
# Exact examples of the shapes (digits kept, ids as text)


@pytest.mark.parametrize("fmt", FMTS)
def test_money_keeps_its_digits_and_ids_stay_text(fmt):
    needs_fmt(fmt)
    value = Sent(id="order-15.2", cnt=1, cost=Decimal("15.00"), balance=Decimal("-0.385"))
    got = fmtcodec.decode(fmtcodec.encode(value, fmt=fmt), Sent, fmt=fmt)
    assert (str(got.cost), str(got.balance), got.id) == ("15.00", "-0.385", "order-15.2")
    phones = (PhoneReport(phone="79991112233", mccmnc="25001", cost=Decimal("2.40"), status=-3, error=248),)
    if fmt == 3:
        value = Cost(cost=Decimal("2.40"), cnt=1, phones=phones)
        assert fmtcodec.decode(fmtcodec.encode(value, fmt=3), Cost, fmt=3) == value
