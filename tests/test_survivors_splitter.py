"""Survivors of the unsampled mutation run in ``values._Splitter``, the fmt 1 row splitter that
places the commas of a row whose values hold some (spec/formats.md, fmt 1), killed here; grouped by
class, each class's docstring names the mutants it kills (the equivalent ones are in
mutation/equivalent.txt).
"""

from __future__ import annotations

from typing import Any

import pytest

import fmtcodec
from fmtcodec import AmbiguousRecordError, Contact, DecodeError, Group, Status, Template

CONTACT_FIELDS = (
    "phone, name, group, first_name, last_name, middle_name, birthday, id, comments, tags, phone_other"
)


def refused(payload: bytes, kind: Any) -> DecodeError:
    with pytest.raises(DecodeError) as caught:
        fmtcodec.decode(payload, kind, fmt=1)
    return caught.value


class TestRowOfOneTokenAFieldWithAMisfit:
    """A contact row of exactly eleven pieces, one a field, whose ``group`` piece is neither a
    number nor empty is not read one piece a field (the shortcut ``fits_one_each`` declines it):
    no other placement exists, so the row does not split -- it is not read with ``group`` taken
    for a number.  (Its birthday and second phone are set: an empty one is let through by the
    shortcut as it may be empty.)

    Kills ``fmtcodec.values.xǁ_Splitterǁfits_one_each__mutmut_18`` (the empty-piece exemption
    asked of ``"XXXX"``: a ``group`` of ``XXXX`` let through as if it were empty)."""

    def test_refused(self):
        error = refused(b"79990000001,a,XXXX,,,,01.02.2020,,,,79990000002", list[Contact])
        assert type(error) is DecodeError
        assert (error.reason, error.pos, error.line, error.column, error.path) == (
            f"the row does not split into the 11 fields of a contact ({CONTACT_FIELDS})", 0, 1, 1, "$[0]"
        )

    def test_one_piece_a_field(self):
        assert fmtcodec.decode(b"79990000001,a,7,,,,01.02.2020,,,,79990000002", list[Contact], fmt=1) == [
            Contact(phone="79990000001", name="a", group="7", birthday="01.02.2020", phone_other="79990000002")
        ]


class TestTwoEquallyGoodWays:
    """A template row (``id, name, message, format, sender, flag``: two free-text fields, a
    ``word?`` one and a third free-text field) may split in exactly two equally good ways: a piece
    holding a CR is no ``word``, so with one piece too many the format takes the piece after it
    and the piece before it goes to the name or to the message.  Both readings are shown.

    Kills ``fmtcodec.values.xǁ_Splitterǁ_place__mutmut_23`` (one reading looked for when there
    are two ways: the second candidate lost)."""

    def test_both_readings(self):
        error = refused(b"1,a,b,c\rd,e,f,2", list[Template])
        assert type(error) is AmbiguousRecordError
        readings = [("1", "a", "b,c\rd", "e", "f", "2"), ("1", "a,b", "c\rd", "e", "f", "2")]
        assert error.candidates == readings
        assert (error.reason, error.pos, error.path) == (
            f"the row splits into the 6 fields of a template in 2 equally good ways: {readings[0]}; {readings[1]}",
            0,
            "$[0]",
        )


class TestDistinctReadingsOfALastFreeTextField:
    """The readings shown of an ambiguous row are distinct placements, the first five in order,
    also where the row's last field is free text that could end before the row does (a status
    row of twenty ``1`` pieces: the nine-field variant ends in three free-text fields).

    Kills ``fmtcodec.values.xǁ_Splitterǁrank__mutmut_30`` (one step of the table too many, for a
    field before the first: it overwrites the row after the last field, so that the last field
    seems to end before the row's end and the first reading is shown three times)."""

    def test_readings(self):
        error = refused(b",".join([b"1"] * 20), Status)
        assert type(error) is AmbiguousRecordError
        readings = [("1",) * 7 + (",".join(["1"] * first), ",".join(["1"] * (13 - first))) for first in range(1, 6)]
        assert error.candidates == readings
        assert error.reason == (
            "the row reads in 1805 equally good ways as a status row of 2, 3, 9, 11 or 12 fields:"
            f" {readings[0]}; {readings[1]}; {readings[2]}; and 2 more"
        )


class TestPhoneListTakesTheLongestRunThatLeavesRoom:
    """The phone list takes the longest run of phone pieces after which the other fields still
    fit: three phones then nine empty pieces (twelve for eleven fields) give the list two phones
    and the name the third.

    Kills ``fmtcodec.values.xǁ_Splitterǁrank__mutmut_89`` (the longest end looked for two pieces
    back, among the ends of the same parity only: the list cut to one phone)."""

    def test_two_phones(self):
        payload = b"79990000001,79990000002,79990000003" + b"," * 9
        assert fmtcodec.decode(payload, list[Contact], fmt=1) == [
            Contact(phone="79990000001,79990000002", name="79990000003")
        ]


class TestLongRowClassesScanned:
    """A row of many pieces is classified by one scan of the row a class at a time; a piece is of
    a class only when the class's scan finds it: a group row of 103 pieces whose id is ``x`` does
    not split (the id must be a number), and is refused as such, not as a row whose id is read.

    Kills ``fmtcodec.values.xǁ_Splitterǁshape__mutmut_25`` (every non-empty piece of a long row
    taken for one of the first class, a number for a group)."""

    NAME = b",".join(b"w%d" % index for index in range(100))

    def test_refused(self):
        error = refused(b"x," + self.NAME + b",1,2", list[Group])
        assert type(error) is DecodeError
        assert (error.reason, error.pos, error.path) == (
            "the row does not split into the 4 fields of a group (id, name, number, cnt)", 0, "$[0]"
        )

    def test_read(self):
        assert fmtcodec.decode(b"5," + self.NAME + b",1,2", list[Group], fmt=1) == [
            Group(id=5, name=self.NAME.decode(), number=1, cnt=2)
        ]
