"""Survivors of the unsampled mutation run on the compiled core in values' fmt 1 encoders, killed
here; each class's docstring names the mutants it kills (the equivalent ones are in
mutation/equivalent.txt).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from spies import counted

import fmtcodec
from fmtcodec import BlacklistEntry, Contact, EncodeError, Group, OperatorInfo, _core, values
from fmtcodec.records.templates import Template

needs_core = pytest.mark.skipif(_core.CORE is None, reason="the compiled core is not built or FMTCODEC_PURE is set")
EMPTY9 = ", ''" * 9  # the nine empty fields after a contact's ``name`` in a shown row


def encode_refusal(records: list[Any]) -> tuple[str, str | None]:
    with pytest.raises(EncodeError) as caught:
        fmtcodec.encode(records, fmt=1, strict=True)
    return str(caught.value), caught.value.path


class TestNoneTextBesideCommas:
    """A group's ``name`` of ``None`` is refused by the general path when another row's name holds a
    comma.  Written for ``fmtcodec.values.x__fast_lines__mutmut_126`` (any read-back accepted)
    while the fast writer still wrote ``None`` as an empty text; since that fix the writer declines
    the column before its read-back, and _126 waits for another input (not judged yet)."""

    def test_refused(self):
        assert encode_refusal([Group(id=1, name=None), Group(id=2, name="a,b")]) == (
            "fmt 1 cannot carry the value at $[0].name: `name` must be a str, got None",
            "$[0].name",
        )


class TestRowsWithCommasCheckedWhole:
    """Where a value holds a comma, the rows without one are still checked a column at a time,
    those before the first row with a comma too, and a row of a misfit value is refused with its
    field named; rows with commas are cut at the line breaks only (a space inside a value does not
    end a row).

    Kills ``fmtcodec.values.x__fast_lines__mutmut_153`` (the rows before the first with a comma
    left unchecked: a misfit ``group`` written) and ``_131`` (rows cut at any whitespace: a row
    split in 7007 ways cut into two that each fit, and written)."""

    def test_misfit_before_the_first_comma_row(self):
        records = [Contact(phone="111", group="x"), Contact(phone="111", name="a,b"), Contact(phone="222")]
        assert encode_refusal(records) == (
            "fmt 1 cannot carry the value at $[0]: `group` 'x' does not look like a number value",
            "$[0]",
        )

    def test_space_is_no_line_end(self):
        assert encode_refusal([Contact(phone="111", name=",,,,,,,,, 222,")]) == (
            "fmt 1 cannot carry the value at $[0]: the row would split in 7007 ways, e.g."
            " ('111', '', '', '', '', '', '', '', '', ', 222,,,,,,,,,', '') and"
            " ('111', '', '', '', '', '', '', '', ',', ' 222,,,,,,,,,', '')",
            "$[0]",
        )

    def test_comma_rows_that_split_back(self):
        records = [Contact(phone="111"), Contact(phone="111", name="a,b"), Contact(phone="222", name="c d")]
        assert fmtcodec.encode(records, fmt=1, strict=True) == (
            b"111,,,,,,,,,,\n111,a,b,,,,,,,,,\n222,c d,,,,,,,,,"
        )


class TestRowReadAsOtherFields:
    """A contact row that splits one way only, but not into the fields written, is refused with the
    row it would decode as, shown up to 200 characters (a longer one is cut, ending in "…"); the
    rows around it fit, and the count of a value's commas, not of "XX,XX", decides whether the
    columns may be checked whole.

    Kills ``fmtcodec.values.x__fast_lines__mutmut_157`` (a row accepted when it does not split
    back), ``_92`` (ten "XX,XX" a row taken for a comma-free reply: the columns checked as
    written), ``fmtcodec.values.x__encode_records__mutmut_73`` (cut at 60 characters) and ``_75``
    (at 201: a row of exactly 201 shown whole)."""

    def test_decodes_otherwise(self):
        records = [Contact(phone="111", name="5,b"), Contact(phone="222")]
        assert encode_refusal(records) == (
            f"fmt 1 cannot carry the value at $[0]: the row would decode as ('111,5', 'b'{EMPTY9})",
            "$[0]",
        )

    def test_ten_xx_commas(self):
        name = "5," + ",".join(["XX"] * 20)
        shown = ",".join(["XX"] * 20)
        assert encode_refusal([Contact(phone="111", name=name)]) == (
            f"fmt 1 cannot carry the value at $[0]: the row would decode as ('111,5', '{shown}'{EMPTY9})",
            "$[0]",
        )

    @pytest.mark.parametrize(("pad", "shown"), [(151, "b" * 151 + f"'{EMPTY9})"), (152, "b" * 152 + f"'{EMPTY9[:-1]}…")])
    def test_long_row_cut_at_200(self, pad, shown):
        # ('111,5', 'b…b', '' x 9) is 50 characters with one b: 200 with 151 b,
        # 201 with 152 (cut to 199 and '…')
        assert encode_refusal([Contact(phone="111", name="5," + "b" * pad)]) == (
            f"fmt 1 cannot carry the value at $[0]: the row would decode as ('111,5', '{shown}",
            "$[0]",
        )


class TestTemplateCandidatesShown:
    """A template row that splits into its fields in more than one equally good way is refused with
    the first two readings, each shown up to 200 characters (a longer one cut, ending in "…").

    Kills ``fmtcodec.values.x__checked_row__mutmut_24`` (cut at 60 characters) and ``_25`` (at 201:
    readings of exactly 201 shown whole)."""

    @staticmethod
    def shown(name: str, reading: str) -> str:
        text = f"('1', '{name}', {reading}, '0')"
        return text if len(text) <= 200 else text[:199] + "…"

    @pytest.mark.parametrize("size", [170, 171])
    def test_candidates(self, size):
        # each reading is 31 characters with a one-letter name: 200 with 170 a, 201 with 171
        name = "a" * size
        record = Template(id=1, name=name, message="b,w", format="", sender="s", flag=0)
        first, second = self.shown(name, "'b', 'w', ',s'"), self.shown(name, "'b,w', '', 's'")
        assert encode_refusal([record]) == (
            "fmt 1 cannot carry the value at $[0]: the row would not read back: the row splits into the 6"
            f" fields of a template in 3 equally good ways, e.g. {first} and {second}",
            "$[0]",
        )


class TestOnlyCommaRowBeforeMisfits:
    """Where only the first row holds a comma in a value, every later row is still checked a column
    at a time, and a misfit value there is refused with its row and field named.

    Kills ``fmtcodec.values.x__fast_lines__mutmut_149`` (the rows between the first row with a
    comma and the last left unchecked: the misfit ``group`` of row 1 written)."""

    def test_misfit_after_the_comma_row(self):
        records = [Contact(phone="111", name="a,b"), Contact(phone="111", group="x"), Contact(phone="222")]
        assert encode_refusal(records) == (
            "fmt 1 cannot carry the value at $[1]: `group` 'x' does not look like a number value",
            "$[1]",
        )


class TestCommasCountedNotXX:
    """A row is checked a column at a time only when it has exactly one comma fewer than fields;
    a row with ten "XX,XX" in 42 commas is split, and refused when it splits in more than one way.

    Kills ``fmtcodec.values.x__fast_lines__mutmut_142`` (rows told apart by their count of "XX,XX":
    this row's 43 pieces checked eleven to a row, where each fits its column, and written)."""

    def test_many_ways(self):
        pieces = [""] * 34  # the name's pieces are 1..33; every eleventh piece from 0 a phone
        for index in [3, 4, 5, 7, 8, 9, 14, 15, 16, 18, 19, 20, 25, 26, 27]:
            pieces[index] = "XXXX"
        for index in [1, 29, 30, 31]:
            pieces[index] = "a"
        for index in [11, 22, 33]:
            pieces[index] = "5"
        name = ",".join(pieces[1:])
        assert encode_refusal([Contact(phone="111", name=name)]) == (
            "fmt 1 cannot carry the value at $[0]: the row would split in 420962 ways, e.g. ('111', 'a', '',"
            " 'XXXX', 'XXXX', 'XXXX', '', 'XXXX', 'XXXX', 'XXXX,,5,,,XXXX,XXXX,XXXX,,XXXX,XXXX,XXXX,,5,,,XXXX,"
            "XXXX,XXXX,,a,a,a,,5,,,,,,,,', '') and ('111', 'a', '', 'XXXX', 'XXXX', 'XXXX', '', 'XXXX',"
            " 'XXXX,XXXX', ',5,,,XXXX,XXXX,XXXX,,XXXX,XXXX,XXXX,,5,,,XXXX,XXXX,XXXX,,a,a,a,,5,,,,,,,,', '')",
            "$[0]",
        )


class TestNoneInARequiredTextColumn:
    """``strict=True`` refuses a ``None`` in a required text field of a kind whose rows are written
    column by column (groups, blacklists), as it does for contacts, whether or not another value
    holds a comma: the fast writer wrote it as an empty value, the way it writes an absent number
    (a bug found by judging the survivors below, fixed)."""

    @pytest.mark.parametrize(
        ("record", "name"),
        [(Group(id=1, name=None), "name"), (BlacklistEntry(id=1, phone="123", type=0, comment=None), "comment")],
    )
    def test_refused(self, record, name):
        assert encode_refusal([record]) == (
            f"fmt 1 cannot carry the value at $[0].{name}: `{name}` must be a str, got None", f"$[0].{name}"
        )

    def test_an_absent_number_is_still_written_empty(self):
        assert fmtcodec.encode([Group(id=1, name="a", number=None, cnt=2)], fmt=1) == b"1,a,,2"


class TestOptionalTextWrittenEmpty:
    """An operator's ``tz`` of "" is written as an empty piece, which reads back as ``None`` (an
    optional field written empty is absent): ``strict=True`` refuses the row with the record it
    would decode as, shown up to 200 characters (a longer one cut, ending in "…").

    Kills ``fmtcodec.values.x__checked_row__mutmut_44`` (cut at 201: a record of exactly 201
    characters shown whole)."""

    @pytest.mark.parametrize(("size", "cut"), [(111, False), (112, True)])
    def test_would_decode_as_none(self, size, cut):
        # OperatorInfo(phone=None, country='…', …, tz=None) is 89 characters and the country's
        # letters: 200 with 111, 201 with 112 (cut to 199 and "…")
        country = "a" * size
        record = OperatorInfo(country=country, operator="b", region="c", mcc="1", mnc="2", tz="")
        back = f"OperatorInfo(phone=None, country='{country}', operator='b', region='c', mcc='1', mnc='2', tz=None)"
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(record, fmt=1)
        assert (str(caught.value), caught.value.path) == (
            f"fmt 1 cannot carry the value at $: the row would decode as {back[:199] + '…' if cut else back}", "$"
        )


@contextlib.contextmanager
def counted_splits() -> Iterator[mock.MagicMock]:
    """Every ``_Splitter.split`` call (a row placed by the splitter, as the general path places
    each row it writes)."""
    with mock.patch.object(values._Splitter, "split", autospec=True, side_effect=values._Splitter.split) as spy:
        yield spy


CONTACTS = [Contact(phone="79161234567", name="Иван", group="5"), Contact(phone="79160000000", name="Petr")]
CONTACT_ROWS = "79161234567,Иван,5,,,,,,,,\n79160000000,Petr,,,,,,,,,"


class TestCommaFreeContactsWrittenWhole:
    """``strict=True``, contacts without a comma in a value, in windows-1251 (the compiled core
    writes UTF-8 bytes itself before ``values`` is asked; for another charset ``values`` writes the
    reply's text): with the compiled core the rows are written in C and nothing else writes them
    (the pure writer ``_fast_lines`` is not called); on the pure path ``_fast_lines`` writes them, checked a column at a time, and no row is placed by
    the splitter (the general path, a row at a time, never runs).

    Kills ``fmtcodec.values.x__encode_records__mutmut_1`` and ``_2`` (the compiled writer never
    asked, or asked for no records: ``_fast_lines`` writes them), ``_6`` (``_fast_lines`` asked
    after the compiled writer took the rows, and not when it declined: the general path writes
    them on the pure path), ``_7`` and ``_8`` (``_fast_lines`` never asked, or asked for no
    records: the general path writes them)."""

    @needs_core
    def test_compiled(self):
        with counted(values, "_fast_lines") as pure, counted_splits() as splits:
            assert fmtcodec.encode(CONTACTS, fmt=1, charset="windows-1251", strict=True) == CONTACT_ROWS.encode("cp1251")
        assert (pure.call_count, splits.call_count) == (0, 0)

    def test_pure(self):
        with _core.pure(), counted(values, "_fast_lines") as pure, counted_splits() as splits:
            assert fmtcodec.encode(CONTACTS, fmt=1, charset="windows-1251", strict=True) == CONTACT_ROWS.encode("cp1251")
        assert (pure.call_count, splits.call_count) == (1, 0)
