"""``for_fmt=1`` strategies give the shapes real fmt 1 replies have (issue 15, item 7).

The 2013 capture's contact row holds a comma-joined phone list (``…,ups,+79112223351,+79112223352``)
and names like ``Иванов, Пётр`` are everyday data; a client that reads fmt 1 with
``line.split(",")`` works on comma-free rows and shifts every field of the first real one.  The
strategies must make such a client fail within the examples of an ordinary run, and every value
they give must still be one fmt 1 writes and reads back (``encode`` in strict mode accepts it).
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import BlacklistEntry, Contact, Group, MailBlacklistEntry, MailContact
from fmtcodec import strategies as fs

KINDS = [Contact, MailContact, Group, BlacklistEntry, MailBlacklistEntry]


def naive_fmt1_client(payload: bytes, kind: type) -> list[dict[str, str]]:
    """What a hurried client writes: one record a line, one field a comma-separated piece."""
    rows = [line for line in payload.decode("utf-8").split("\n") if line]
    return [dict(zip(kind.__struct_fields__, row.split(","), strict=False)) for row in rows]


def wire_texts(record: Any) -> dict[str, str]:
    """The fields of ``record`` as the texts fmt 1 writes (ids and numbers as digits, None empty)."""
    return {
        name: "" if value is None else str(int(value)) if isinstance(value, int) else value
        for name, value in msgspec.structs.asdict(record).items()
    }


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_the_naive_client_reads_comma_free_rows(kind):
    # so that its failures below are the commas', not its own
    @settings(database=None)
    @given(fs.records(kind, for_fmt=1).filter(lambda records: all(
        "," not in text for record in records for text in wire_texts(record).values()
    )))
    def naive_client_reads_comma_free_rows(records):
        assert naive_fmt1_client(fmtcodec.encode(records, fmt=1), kind) == [wire_texts(r) for r in records]

    naive_client_reads_comma_free_rows()


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_a_naive_split_client_fails_within_one_run(kind):
    # The README's example test with the naive client in it, run with the examples of the profile
    # in use (30 in "dev", the default; 200 in "ci"; 5000 in "thorough"): Hypothesis must find a
    # reply it misreads, and that reply holds a comma inside a value.
    failing: list[list[Any]] = []

    @settings(database=None, phases=[Phase.explicit, Phase.generate])  # found; no need to shrink it
    @given(fs.records(kind, for_fmt=1))
    def naive_client_reads_fmt1(records):
        payload = fmtcodec.encode(records, fmt=1)
        if naive_fmt1_client(payload, kind) != [wire_texts(record) for record in records]:
            failing.append(records)
            raise AssertionError("misread")

    with pytest.raises(AssertionError, match="misread"):
        naive_client_reads_fmt1()
    assert any("," in text for record in failing[-1] for text in wire_texts(record).values())


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_fmt1_values_round_trip_in_strict_mode(kind, data):
    records = data.draw(fs.records(kind, for_fmt=1), label="records")
    payload = fmtcodec.encode(records, fmt=1)  # strict: refuses what would not read back
    assert fmtcodec.decode(payload, list[kind], fmt=1) == records
