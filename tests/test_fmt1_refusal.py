"""fmt 1, two-sided: the codec accepts exactly the rows that fit, judged by an independent predicate.

The predicate restates spec/formats.md (fmt 1, rules 2-4) by brute force: it lists every placement
of a row's tokens into the fields (each field a run of tokens of its class from spec/layout.toml),
ranks them by the lengths of the phone/e-mail list fields in field order, and keeps the best.  It
shares no code with ``fmtcodec.values`` (whose dynamic programme it checks), so a class made too
wide or too narrow, a rank compared the wrong way, or a count of ways off by one shows as a
difference in both directions: the codec accepting what does not fit, or refusing what does.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    AmbiguousRecordError,
    BlacklistEntry,
    BlacklistType,
    Contact,
    DecodeError,
    EncodeError,
    Group,
    MailBlacklistEntry,
    MailContact,
)

_SPEC = tomllib.loads((Path(__file__).resolve().parent.parent / "spec" / "layout.toml").read_text("utf-8"))
FIELDS = {
    getattr(fmtcodec, entry["record"]): entry["fields"]
    for entry in _SPEC["kinds"].values()
    if entry["page"] == "contacts"
}

# spec/formats.md, fmt 1, rule 2: what one token of each class looks like (fullmatch)
TOKEN = {
    "phone": re.compile(r"[ \t+\-();]*[0-9][0-9 \t+\-();]*"),
    "email": re.compile(r"[ \t]*[^\s@,;]+@[^\s@,;]+[ \t]*"),
    "number": re.compile(r"[0-9]+"),
    "date": re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}"),
}
# class -> (token class or None for anything, takes a run of tokens, one empty token will do)
CLASSES = {
    "text": (None, True, True),
    "phones": ("phone", True, False),
    "phones?": ("phone", True, True),
    "emails": ("email", True, False),
    "emails?": ("email", True, True),
    "phone": ("phone", False, False),
    "email": ("email", False, False),
    "number": ("number", False, False),
    "number?": ("number", False, True),
    "date?": ("date", False, True),
}
LISTS = {"phones", "phones?", "emails", "emails?"}
INTEGER = re.compile(r"0|[1-9][0-9]*")


def fits(cls: str, run: tuple[str, ...]) -> bool:
    token, many, empty = CLASSES[cls]
    if len(run) > 1 and not many:
        return False
    if token is None:
        return True
    if empty and run == ("",):
        return True
    return all(TOKEN[token].fullmatch(piece) for piece in run)


def placements(classes: tuple[str, ...], tokens: tuple[str, ...]) -> list[list[tuple[str, ...]]]:
    """Every way to cut ``tokens`` into one fitting run per field, in order."""

    @cache
    def rest(field: int, start: int) -> list[list[tuple[str, ...]]]:
        if field == len(classes):
            return [[]] if start == len(tokens) else []
        found = []
        # leave at least one token for each field after this one
        for end in range(start + 1, len(tokens) - (len(classes) - field - 1) + 1):
            run = tokens[start:end]
            if fits(classes[field], run):
                found.extend([run, *tail] for tail in rest(field + 1, end))
        return found

    return rest(0, 0)


def rank(classes: tuple[str, ...], placement: list[tuple[str, ...]]) -> tuple[int, ...]:
    """Rule 3: the list fields' lengths in tokens, in field order (an empty list counts 0)."""
    return tuple(0 if run == ("",) else len(run) for cls, run in zip(classes, placement, strict=True) if cls in LISTS)


def best_readings(kind: type, row: str) -> list[tuple[str, ...]]:
    """The texts of every best placement of ``row`` (none, one, or several tied)."""
    classes = tuple(field["fmt1"] for field in FIELDS[kind])
    found = placements(classes, tuple(row.split(",")))
    if not found:
        return []
    top = max(rank(classes, placement) for placement in found)
    return [tuple(",".join(run) for run in placement) for placement in found if rank(classes, placement) == top]


def typed(kind: type, texts: tuple[str, ...]) -> Any:
    """The record of field texts by the integer rule; a ``str`` naming the field that does not fit."""
    values = []
    for field, text in zip(FIELDS[kind], texts, strict=True):
        if field["type"] == "str":
            values.append(text)
        elif field["type"] == "int?" and text == "":
            values.append(None)
        elif not INTEGER.fullmatch(text) or len(text) > 4300:
            return field["name"]
        elif field["type"] == "blacklist-type":
            if text not in ("0", "1", "2"):
                return field["name"]
            values.append(BlacklistType(int(text)))
        else:
            values.append(int(text))
    return kind(*values)


def attempt(action: Any) -> tuple[Any, Exception | None]:
    """(result, None), or (None, the fmtcodec error raised)."""
    try:
        return action(), None
    except fmtcodec.FmtcodecError as exc:
        return None, exc


def wire_texts(record: Any) -> tuple[str, ...]:
    return tuple("" if value is None else str(int(value)) if not isinstance(value, str) else value
                 for value in msgspec.structs.astuple(record))


# ---------------------------------------------------------------------------------------------
# Values: pieces of every class and of none, joined by commas, so rows split zero, one or many ways.

PIECES = ["", "a", "Иван", " 12", "5", "05", "0", "7", "+7 (916) 123-45-67", "79161234567", "x@y.ru",
          "01.02.1990", "1.2.1990", "a;b", "3", "2", "\t8", "7.5", "z@w.ru"]
# pieces of each class, so that most rows come close to fitting and the edges decide
FITTING = {
    "text": ["", "a", "Иван", "5", "7"],
    "phones": ["7", "79161234567", "+7 (916) 123-45-67", "\t8"],
    "emails": ["x@y.ru", "z@w.ru", " a@b.c"],
    "number": ["5", "0", "3", "2"],
    "date": ["01.02.1990", ""],
}
FITTING.update({"phones?": ["", *FITTING["phones"]], "phone": FITTING["phones"], "emails?": ["", *FITTING["emails"]],
                "email": FITTING["emails"], "number?": ["", *FITTING["number"]], "date?": FITTING["date"]})
value = st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map(",".join)


def field_value(fmt1: str) -> st.SearchStrategy[str]:
    """Mostly a value of the field's class; sometimes two pieces, or any piece at all."""
    fitting = st.sampled_from(FITTING[fmt1])
    return st.one_of(
        fitting, fitting, fitting, fitting, fitting, fitting,
        st.tuples(fitting, fitting).map(",".join),
        st.sampled_from(PIECES),
    )


@st.composite
def contacts(draw: st.DrawFn, kind: type) -> Any:
    return kind(*[draw(field_value(field["fmt1"])) for field in FIELDS[kind]])


@st.composite
def numbered(draw: st.DrawFn, kind: type) -> Any:
    """A Group or a blacklist entry: its number fields are numbers, its text fields anything."""
    values = []
    for field in FIELDS[kind]:
        if field["type"] == "str":
            values.append(draw(field_value(field["fmt1"])))
        elif field["type"] == "blacklist-type":
            values.append(BlacklistType(draw(st.integers(0, 2))))
        elif field["type"] == "int?":
            values.append(draw(st.none() | st.integers(0, 99)))
        else:
            values.append(draw(st.integers(0, 99)))
    return kind(*values)


@st.composite
def near_rows(draw: st.DrawFn, kind: type) -> str:
    """A row of pieces close to the kind's fields: one near-fitting value a field, give or take
    a piece."""
    pieces = [draw(field_value(field["fmt1"])) for field in FIELDS[kind]]
    if draw(st.booleans()):
        pieces.insert(draw(st.integers(0, len(pieces))), draw(st.sampled_from(PIECES)))
    if draw(st.booleans()):
        del pieces[draw(st.integers(0, len(pieces) - 1))]
    return ",".join(pieces)


KINDS = {Contact: contacts, MailContact: contacts, Group: numbered, BlacklistEntry: numbered,
         MailBlacklistEntry: numbered}


ISSUE_ROWS = {
    # "every column class made optional": 1,,0,x would decode with an empty phone
    Contact: ["1,,0,x", ",a,,,,,,,,,", "7.5,a,,,,,,,,,", "7,a,5,,,,01.02.1990,,,,",
              "79221113340,Anderson,5922,T,A,A,01.01.1960,4321,fake,ups,+79112223351,+79112223352",
              "7922,,,T,U,,,,,,,", "7922,Office,12,,,,,,,,,", "7922,12,Office,,,,,,,,,", "7,a,,,,,1.2.1990,,,,"],
    MailContact: ["x@y.ru,a,,,,,,,,,", "a,b,,,,,,,,,", "x@y.ru,z@w.ru,a,,,,,,,,,", "x@y.ru,a,,,,,,,,,q@r.ru,s@t.ru"],
    # "a phone token that takes '.'" and the fast path's "05,a,," (issue 12)
    Group: ["05,a,,", "5,a,,", "5,New, group, 12,1234,", ",a,,", "5,a,b", "5,a,,,", "5.1,a,,"],
    BlacklistEntry: ["1,,0,x", "1,7,0,x", "1,7.5,0,", "1,7,3,", "1,7,2,a,b", "1,a@b.c,0,"],
    MailBlacklistEntry: ["1,a@b.c,0,", "1,7,0,", "1,a@b.c,,", "1,a@b.c,2,x,y"],
}


class TestFmt1AcceptsExactlyWhatFits:
    """Kills values mutants that widen or narrow a class (``_CLASSES`` flags, ``_Class.is_list``,
    the ``cls.empty and token == ""`` tests, ``fits_one_each``, ``_steps``), that flip or weaken the
    ranking (``candidate > top``, ``here[i] = (j - i, ...)``, ``last[x]``), that miscount the ways
    (``count += ...``), that pick another best reading (``best_readings``' ``got == target``), or
    that let the encoder write a row that does not split back (``_encode_records``' ``back !=
    texts``, ``_fast_lines``' column checks): issue 12's "every class made optional" and "a phone
    token that takes '.'" among them."""

    # the properties are static: Hypothesis refuses a test method run from two instances of its
    # class (its differing_executors check), which is what mutmut's second pytest run does
    @staticmethod
    @pytest.mark.parametrize("kind", list(KINDS), ids=lambda kind: kind.__name__)
    @given(data=st.data())
    def test_encoder_refuses_exactly_the_rows_that_do_not_split_back(kind, data):
        record = data.draw(KINDS[kind](kind), label="record")
        texts = wire_texts(record)
        readings = best_readings(kind, ",".join(texts))
        carries = readings == [texts]
        event(f"{'carried' if carries else 'refused'}; {min(len(readings), 2)} best readings")
        payload, refusal = attempt(lambda: fmtcodec.encode([record], fmt=1))
        if isinstance(refusal, EncodeError):
            assert not carries, f"refused a row that splits back: {refusal}"
            assert refusal.path == "$[0]" or refusal.path.startswith("$[0].")
        else:
            assert carries, f"wrote {payload!r}, which reads as {readings}"
            assert payload == ",".join(texts).encode()
            assert fmtcodec.decode(payload, list[kind], fmt=1) == [record]

    @staticmethod
    @pytest.mark.parametrize("kind", list(KINDS), ids=lambda kind: kind.__name__)
    @given(data=st.data())
    def test_decoder_reads_exactly_the_best_reading(kind, data):
        row = data.draw(near_rows(kind), label="row")
        event(f"{min(len(best_readings(kind, row)), 2)} best readings")
        TestFmt1AcceptsExactlyWhatFits.judge(kind, row)

    @pytest.mark.parametrize(
        ("kind", "row"), [(kind, row) for kind, rows in ISSUE_ROWS.items() for row in rows]
    )
    def test_rows_of_the_issue_and_the_spec(self, kind, row):
        self.judge(kind, row)

    @staticmethod
    def judge(kind: type, row: str) -> None:
        if row == "":  # no line at all: no record
            assert fmtcodec.decode(b"", list[kind], fmt=1) == []
            return
        readings = best_readings(kind, row)
        got, exc = attempt(lambda: fmtcodec.decode(row.encode(), list[kind], fmt=1))
        if isinstance(exc, AmbiguousRecordError):
            assert len(readings) > 1, f"ambiguous, but the predicate finds {readings}"
            assert f"in {len(readings)} equally good ways" in exc.reason
            assert len(exc.candidates) == min(len(readings), 5)
            assert set(exc.candidates) <= set(readings)
            assert (exc.pos, exc.line, exc.column, exc.path) == (0, 1, 1, "$[0]")
        elif isinstance(exc, DecodeError):
            if not readings:
                assert exc.reason.startswith("the row does not split into the ")
                assert (exc.pos, exc.path) == (0, "$[0]")
            else:
                assert len(readings) == 1, f"{exc.reason}, but the predicate finds {readings}"
                bad = typed(kind, readings[0])
                assert isinstance(bad, str), f"{exc.reason}, but {readings[0]} fits"
                assert exc.path == f"$[0].{bad}"
        else:
            assert len(readings) == 1, f"decoded {got}, but the predicate finds {readings}"
            assert got == [typed(kind, readings[0])]


class TestThePredicateItself:
    """The brute force agrees with the worked examples of spec/formats.md (fmt 1, rules 3-5)."""

    def test_examples(self):
        capture = "79221113340,Anderson,5922,T,A,A,01.01.1960,4321,fake,ups,+79112223351,+79112223352"
        assert best_readings(Contact, capture) == [
            ("79221113340", "Anderson", "5922", "T", "A", "A", "01.01.1960", "4321", "fake", "ups",
             "+79112223351,+79112223352")
        ]
        assert len(best_readings(Contact, "7922,,,T,U,,,,,,,")) == 6
        assert len(best_readings(Contact, "7922,Office,12,,,,,,,,,")) == 7
        assert len(best_readings(Contact, "7922,a,,b,,,,,,,,,")) == 22
        assert best_readings(Contact, "7922,12,Office,,,,,,,,,")[0][:2] == ("7922,12", "Office")
        assert best_readings(Group, "5921,New, group, 12,1234,") == [("5921", "New, group, 12", "1234", "")]
        assert best_readings(Contact, "1,,0,x") == []
