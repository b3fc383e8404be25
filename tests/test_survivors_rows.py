"""Survivors of the unsampled mutation run on the compiled core in values' fmt 1 row readers (the
pages' kinds' row variants, their row plans, and the rows a fast path is given), killed here;
each class's docstring names the mutants it kills (the equivalent ones are in
mutation/equivalent.txt).
"""

from __future__ import annotations

from unittest import mock

import pytest
from spies import counted

import fmtcodec
from fmtcodec import (
    AmbiguousRecordError,
    BlacklistEntry,
    BlacklistType,
    Contact,
    Group,
    Sender,
    Status,
    _core,
    values,
)


class TestStatusRowOfTwoVariants:
    """A status row of 11 pieces that the variants of 9 fields (in 6 ways), of 11 fields with
    ``comment`` and ``type`` and of 11 fields with ``imsi`` .. ``rnet`` (one way each) all place is
    refused as ambiguous, its ways summed over the variants -- never read as the last variant that
    placed it alone.

    Kills ``fmtcodec.values.x__read_row__mutmut_22`` (a variant's one placement counted as the
    only one so far: the row read as ``imsi`` .. ``rnet``)."""

    def test_ambiguous(self):
        with pytest.raises(AmbiguousRecordError) as caught:
            fmtcodec.decode(b"1,100,0,5,5,5,5,a,b,c,5", Status, fmt=1)
        error = caught.value
        assert error.reason == (
            "the row reads in 8 equally good ways as a status row of 2, 3, 9, 11 or 12 fields:"
            " ('1', '100', '0', '5', '5', '5', '5', 'a', 'b,c,5');"
            " ('1', '100', '0', '5', '5', '5', '5', 'a,b', 'c,5');"
            " ('1', '100', '0', '5', '5', '5', '5', 'a,b,c', '5'); and 2 more"
        )
        assert error.candidates == [
            ("1", "100", "0", "5", "5", "5", "5", "a", "b,c,5"),
            ("1", "100", "0", "5", "5", "5", "5", "a,b", "c,5"),
            ("1", "100", "0", "5", "5", "5", "5", "a,b,c", "5"),
            ("1", "100", "0", "5", "5", "5", "5,a", "b", "c,5"),
            ("1", "100", "0", "5", "5", "5", "5,a", "b,c", "5"),
        ]
        assert (error.pos, error.line, error.column, error.path) == (0, 1, 1, "$")


SENDERS = b"SMSC,\nINFO,5\nTEST,"
SENDER_RECORDS = [Sender(sender="SMSC"), Sender(sender="INFO", id=5), Sender(sender="TEST")]


class TestSendersWithoutIdReadAColumnAtATime:
    """fmt 1, a sender list whose ``id`` (``int?``, class ``number?``) is empty in some rows: the
    rows are read a column at a time, the empty ids as ``None`` -- no row is read alone
    (``_read_row``) and the general path (``_row_records``) never runs.

    Kills ``fmtcodec.values.x__row_plan__mutmut_46`` and ``_47`` (an empty piece refused in a
    column whose class takes one, where the type's check stands for the class's: the fast path
    declines)."""

    def test_no_row_read_alone(self):
        with counted(values, "_read_row") as rows, counted(values, "_row_records") as general:
            assert fmtcodec.decode(SENDERS, list[Sender], fmt=1) == SENDER_RECORDS
        assert (rows.call_count, general.call_count) == (0, 0)


class TestPlansAndVariantsMadeOnce:
    """A pages' kind's row variants (each with its splitter) and its row plan are made once and
    kept: decoding a second sender list makes no splitter and no fast variant.

    Kills ``fmtcodec.values.x__row_plan__mutmut_1`` and ``_2`` (the plan looked up under no kind:
    made again for each reply), and ``fmtcodec.values.x__variants__mutmut_1``, ``_2`` and ``_22``
    (the variants never found, or kept as ``None``: their splitters made again each time they are
    asked for)."""

    def test_second_reply(self):
        assert fmtcodec.decode(SENDERS, list[Sender], fmt=1) == SENDER_RECORDS
        made = values._Splitter.__init__
        with mock.patch.object(values._Splitter, "__init__", autospec=True, side_effect=made) as splitters, \
                counted(values, "_FastVariant") as plans:
            assert fmtcodec.decode(SENDERS, list[Sender], fmt=1) == SENDER_RECORDS
        assert (splitters.call_count, plans.call_count) == (0, 0)


class TestRowsTextEnds:
    """The rows a fast path reads: a reply's blank lines and its leading and final line breaks are
    dropped, and nothing else -- a first value keeps its leading space or letter, a last one its
    trailing space or letter -- and a reply that starts with a line break is still read a column at
    a time (the pure path of a simple kind: a block at a time by ``_plain_records``, never matched
    row by row; a pages' kind: never read by the general path).

    Kills ``fmtcodec.values.x__rows_text__mutmut_8`` (a leading line break not dropped: the fast
    paths decline), ``_10`` (the ends stripped of all whitespace) and ``_16`` (of "X" too)."""

    @pytest.mark.parametrize(
        ("payload", "first"),
        [(b" SMSC,1\n\nINFO,2", " SMSC"), (b"XSMSC,1\n\nINFO,2", "XSMSC"), (b"\nSMSC,1\nINFO,2", "SMSC")],
    )
    def test_pages_kind(self, payload, first):
        with counted(values, "_row_records") as general:
            assert fmtcodec.decode(payload, list[Sender], fmt=1) == [
                Sender(sender=first, id=1), Sender(sender="INFO", id=2)
            ]
        assert general.call_count == 0

    @pytest.mark.parametrize("comment", ["a ", "aX"])
    def test_simple_kind_last_value(self, comment):
        payload = f"1,123,0,{comment}\n\n".encode()
        with _core.pure():
            assert fmtcodec.decode(payload, list[BlacklistEntry], fmt=1) == [
                BlacklistEntry(id=1, phone="123", type=BlacklistType.ALL, comment=comment)
            ]

    def test_simple_kind_first_value(self):
        with _core.pure():
            assert fmtcodec.decode(b"\n\n 79161234567,Ivan,,,,,,,,,", list[Contact], fmt=1) == [
                Contact(phone=" 79161234567", name="Ivan")
            ]

    def test_simple_kind_leading_line_break(self):
        with _core.pure(), counted(values, "_plain_records") as blocks, \
                counted(values, "_fast_one_placement") as one:
            assert fmtcodec.decode(b"\n5,a,,\n6,b,2,3", list[Group], fmt=1) == [
                Group(id=5, name="a"), Group(id=6, name="b", number=2, cnt=3)
            ]
        assert (blocks.call_count, one.call_count) == (1, 0)
