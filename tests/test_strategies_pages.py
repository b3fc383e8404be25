"""The pages' strategies give the shapes real replies have (issue 16, item 6).

Each shape is looked for in a bounded number of generated examples: commas in
messages, status and operator names, Cyrillic names, negative statuses and ``err`` codes, money
with 2 and 3 decimals (negative balances too), client-chosen ids up to 40 characters, server dates,
Unix timestamps, the per-number list, optional fields present and absent -- and, per ``for_fmt``,
only what that fmt can carry.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import (
    Balance,
    Contact,
    Cost,
    Error,
    HistoryMessage,
    OperatorInfo,
    PhoneReport,
    Sender,
    Sent,
    Status,
    Template,
)
from fmtcodec import strategies as fs

pytestmark = pytest.mark.hypothesis  # every test here draws from the strategies

# 1000, not 300: which examples a derandomized search draws depends on the constants Hypothesis
# collects from the source of every local module loaded, and in mutmut's copy of the package (the
# mutants beside the originals) 300 examples of history messages for fmt 0 held no status -1.
SEARCH = settings(
    max_examples=1000, database=None, derandomize=True, phases=[Phase.generate], suppress_health_check=list(HealthCheck)
)
CYRILLIC = re.compile("[\u0400-\u04ff]")
SERVER_DATE = re.compile(r"[0-3][0-9]\.[01][0-9]\.20[0-9]{2} [0-2][0-9]:[0-5][0-9]:[0-5][0-9]")
CLIENT_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")


def found(strategy: st.SearchStrategy[Any], condition: Any) -> Any:
    """The first of at most 1000 generated examples meeting ``condition`` (not shrunk: shrinking
    whole records costs more than the search); fails when none does."""
    hits: list[Any] = []

    @SEARCH
    @given(strategy)
    def search(value: Any) -> None:
        if condition(value):
            hits.append(value)
            raise _Found  # stops the search; Hypothesis replays this example once and re-raises

    with contextlib.suppress(_Found):
        search()
    assert hits, "no example met the condition"
    return hits[0]


class _Found(Exception):
    pass


def decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent


@pytest.mark.parametrize("for_fmt", [None, 0, 2, 3])
def test_commas_in_messages_status_and_operator_names(for_fmt):
    for field in ("message", "status_name", "operator"):
        got = found(fs.statuses(for_fmt=for_fmt), lambda s, field=field: "," in (getattr(s, field) or ""))
        assert "," in getattr(got, field)
    assert "," in found(fs.history_messages(for_fmt=for_fmt), lambda h: "," in h.message).message


def test_cyrillic_names_and_negative_codes():
    assert CYRILLIC.search(found(fs.history_messages(), lambda h: bool(CYRILLIC.search(h.operator))).operator)
    assert CYRILLIC.search(found(fs.operator_infos(for_fmt=1), lambda o: bool(CYRILLIC.search(o.region))).region)
    assert found(fs.statuses(for_fmt=1), lambda s: s.status == -3).status == -3
    assert found(fs.history_messages(for_fmt=0), lambda h: h.status == -1).status == -1
    assert found(fs.statuses(), lambda s: (s.err or 0) < 0).err < 0


def test_money_with_two_and_three_decimals_and_negative_balances():
    assert decimals(found(fs.money(), lambda m: decimals(m) == 2 and m > 0)) == 2
    assert str(found(fs.money(), lambda m: decimals(m) == 3 and m > 1)).count(".") == 1
    assert found(fs.balances(for_fmt=1), lambda b: b.balance < 0).balance < 0
    assert found(fs.sent(for_fmt=0), lambda s: s.balance is not None and s.balance < 0).cost is not None
    for value in (found(fs.money(negative=True), lambda m: m < 0), found(fs.money(), lambda m: True)):
        assert isinstance(value, Decimal)


@given(fs.money(negative=True))
def test_money_is_never_an_exponent_or_minus_zero(value):
    assert re.fullmatch(r"-?(0|[1-9][0-9]*)\.[0-9]{1,3}", str(value)), str(value)


def test_client_chosen_ids_of_up_to_40_characters():
    long_id = found(fs.message_ids(), lambda i: len(i) == fs.MAX_CLIENT_ID and not i.isdigit())
    assert CLIENT_ID.fullmatch(long_id)
    assert found(fs.message_ids(), lambda i: i.isdigit() and len(i) > 9).isdigit()
    assert found(fs.history_messages(for_fmt=1), lambda h: not h.id.isdigit()).id


@given(fs.message_ids(), fs.server_dates(), fs.timestamps())
def test_ids_dates_and_timestamps_have_their_shapes(message_id, date, timestamp):
    assert CLIENT_ID.fullmatch(message_id)
    assert SERVER_DATE.fullmatch(date)
    assert 0 <= timestamp <= 9_999_999_999


def test_the_per_number_list_only_where_the_fmt_has_it():
    got = found(fs.sent(), lambda s: bool(s.phones) and any(p.cost is not None for p in s.phones))
    assert all(isinstance(report, PhoneReport) for report in got.phones)
    assert found(fs.costs(for_fmt=3), lambda c: bool(c.phones)).phones


@pytest.mark.parametrize("for_fmt", [0, 1, 2])
@given(data=st.data())
def test_no_per_number_list_or_misplaced_field_outside_fmt_3(for_fmt, data):
    assert data.draw(fs.sent(for_fmt=for_fmt)).phones is None
    assert data.draw(fs.costs(for_fmt=for_fmt)).phones is None
    if for_fmt in (0, 1):
        assert data.draw(fs.balances(for_fmt=for_fmt)).credit is None
        sent = data.draw(fs.sent(for_fmt=for_fmt))
        assert sent.balance is None or sent.cost is not None


def test_optional_fields_present_and_absent():
    for name in ("last_timestamp", "err", "send_date", "cost", "phone"):
        assert getattr(found(fs.statuses(), lambda s, name=name: getattr(s, name) is None), name) is None
        assert getattr(found(fs.statuses(), lambda s, name=name: getattr(s, name) is not None), name) is not None
    assert found(fs.senders(for_fmt=1), lambda s: s.id is None).id is None
    assert found(fs.operator_infos(for_fmt=1), lambda o: o.tz is None).tz is None


STATUS_VARIANTS = [
    {"status", "last_timestamp"},
    {"status", "last_timestamp", "err"},
    {"status", "last_timestamp", "err", "send_timestamp", "phone", "cost", "sender_id", "status_name", "message"},
    {"status", "last_timestamp", "err", "send_timestamp", "phone", "country", "operator", "region", "cost",
     "sender_id", "status_name", "message"},
]  # fmt: skip
HLR = {"status", "last_timestamp", "err", "imsi", "cn", "net", "rcn", "rnet"}


def present(record: Any) -> set[str]:
    return {name for name in record.__struct_fields__ if getattr(record, name) is not None}


def test_fmt1_statuses_cover_every_row_variant_it_reads_one_way():
    for fields in STATUS_VARIANTS:
        assert present(found(fs.statuses(for_fmt=1), lambda s, fields=fields: present(s) == fields)) == fields
    hlr = found(fs.statuses(for_fmt=1), lambda s: present(s) >= HLR)
    assert len(hlr.imsi) == 15
    listed = found(fs.records(Status, for_fmt=1), lambda rows: any(len(present(row)) == 5 for row in rows))
    assert any(present(row) == {"status", "last_timestamp", "err", "id", "phone"} for row in listed)


@SEARCH
@given(fs.statuses(for_fmt=1), fs.statuses(for_fmt=1, listed=True))
def test_fmt1_statuses_are_written_and_read_back_one_way(single, listed):
    # 300 draws: at 30 a property the round trip met an all=2 row with neither country nor
    # operator only once in a few CI runs; it reads as all=1 too and fmt 1 cannot carry it
    assert fmtcodec.decode(fmtcodec.encode(single, fmt=1), Status, fmt=1) == single
    assert fmtcodec.decode(fmtcodec.encode([listed], fmt=1), list[Status], fmt=1) == [listed]


@given(fs.records(Status, for_fmt=1), fs.records(HistoryMessage, for_fmt=1), fs.records(Template, for_fmt=1))
def test_fmt1_keeps_commas_out_where_they_would_be_ambiguous(statuses, history, templates):
    for record in (*statuses, *history, *templates):
        assert not any("," in value for value in map(str, (getattr(record, n) for n in record.__struct_fields__)))
    for record in history:
        assert (record.last_timestamp, record.send_timestamp, record.err) == (None, None, None)


def test_fmt1_sender_names_hold_commas():
    assert "," in found(fs.senders(for_fmt=1), lambda s: "," in s.sender).sender


@given(fs.page_errors(for_fmt=1), fs.page_errors(for_fmt=0))
def test_error_replies(fmt1_error, fmt0_error):
    assert fmt1_error.error == ""
    assert fmt1_error.id != "0"
    assert isinstance(fmt0_error, Error)
    assert "\n" not in fmt0_error.error


def test_errors_with_and_without_a_message_id():
    assert found(fs.page_errors(), lambda e: e.id is not None and not e.id.isdigit()).id
    assert found(fs.page_errors(), lambda e: e.id is None).id is None


def test_kinds_are_routed_and_misuse_is_refused():
    assert isinstance(found(fs.one(Balance), lambda b: True), Balance)
    assert isinstance(found(fs.one(OperatorInfo, for_fmt=1), lambda o: True), OperatorInfo)
    assert all(isinstance(row, Sender) for row in found(fs.records(Sender), lambda rows: len(rows) > 1))
    assert all(isinstance(row, Cost) for row in [found(fs.one(Cost), lambda c: True)])
    assert isinstance(found(fs.one(Sent), lambda s: True), Sent)
    with pytest.raises(TypeError, match="not a one-record reply kind"):
        fs.one(Contact)
    with pytest.raises(TypeError, match="not a list reply kind"):
        fs.records(Sent)
    with pytest.raises(ValueError, match="for_fmt must be None, 0, 1, 2 or 3, got 4"):
        fs.sent(for_fmt=4)
