"""The golden vectors of every page but contacts: send, cost, status, balance, senders, jobs,
history, operator and templates (spec/vectors/README.md says the format; spec/pages.md the
evidence and the assumptions).

Unlike the contacts generator, the expected values here are written by hand next to the bytes,
from the facts (spec/sources.md and spec/pages.md, cited per vector as P doc, C capture or
working client, U assumption), so the vectors check fmtcodec instead of restating it.  Running
``tools/make_vectors.py`` writes them with the contacts vectors (it calls ``write``); run alone,
this script writes ``spec/vectors/page-*`` and ``spec/vectors/real-*`` of the other pages and
prints every vector where fmtcodec disagrees with its declaration (exit status 1 then)::

    python tools/make_page_vectors.py [REAL_REPLIES_DIR]

REAL_REPLIES_DIR (default ``spec/captures``) holds the 2013 captures; without it the ``real-*``
vectors of these pages are left as they are.
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

import fmtcodec
from fmtcodec import (
    AmbiguousRecordError,
    ApiError,
    Balance,
    Cost,
    DecodeError,
    Error,
    HistoryMessage,
    JobCreated,
    Ok,
    OperatorInfo,
    PhoneReport,
    Sender,
    SenderCreated,
    Sent,
    Status,
    Template,
    TemplateCreated,
)
from fmtcodec.api import REPLY_TYPES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "spec" / "vectors"
EXT = {0: "txt", 1: "txt", 2: "xml", 3: "json"}
PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n'

VECTORS: dict[str, dict[str, Any]] = {}


def _detect(payload: bytes) -> int:
    """The documented detection rule (spec/vectors/README.md), restated on purpose."""
    head = payload.lstrip(b" \t\r\n")
    if head.startswith(b"<"):
        return 2
    if head.startswith((b"{", b"[")):
        return 3
    if not head or head.rstrip() == b"OK" or re.match(rb"[A-Za-z_]+ = ", head):
        return 0
    return 1


def vec(
    name: str,
    kind: str,
    fmt: int,
    payload: str | bytes,
    note: str,
    *,
    expect: Any = None,
    api_error: tuple[int, str] | None = None,
    decode_error: tuple[str, str | None] | None = None,
    canonical: bool = False,
    charset: str | None = "utf-8",
) -> None:
    """One vector: ``expect`` the value decoding gives, or ``api_error`` (code, server text), or
    ``decode_error`` (class, path); ``canonical``: encoding ``expect`` gives the bytes back."""
    name = name if name.startswith("real-") else f"page-{name}"
    assert name not in VECTORS, name
    raw = payload.encode(charset or "utf-8") if isinstance(payload, str) else payload
    VECTORS[name] = {
        "payload": raw,
        "type": kind,
        "fmt": fmt,
        "charset": charset,
        "canonical": canonical,
        "detect": _detect(raw) == fmt,
        "note": note,
        "expect": expect,
        "api_error": api_error,
        "decode_error": decode_error,
    }


def every_fmt(name: str, kind: str, value: Any, payloads: dict[int, str], note: str) -> None:
    """Canonical vectors of one value in each fmt given (``note`` names the evidence per fmt)."""
    for fmt, payload in payloads.items():
        vec(f"{name}-fmt{fmt}", kind, fmt, payload, note, expect=value, canonical=True)


# --------------------------------------------------------------------------------------- send

def send() -> None:
    plain = Sent(id="1234", cnt=1)
    every_fmt("send", "send", plain, {
        0: "OK - 1 SMS, ID - 1234",
        1: "1234,1",
        2: f"{PROLOG}<result>\n<id>1234</id>\n<cnt>1</cnt>\n</result>",
        3: '{\n"id": 1234,\n"cnt": 1\n}',
    }, "send, cost=0: P (doc examples fmt 0/1, template fmt 2/3 in the server's layout)")
    with_cost = Sent(id="1234", cnt=1, cost=Decimal("1.40"))
    every_fmt("send-cost2", "send", with_cost, {
        0: "OK - 1 SMS, ID - 1234, COST - 1.40",
        1: "1234,1,1.40",
        2: f"{PROLOG}<result>\n<id>1234</id>\n<cnt>1</cnt>\n<cost>1.40</cost>\n</result>",
        3: '{\n"id": 1234,\n"cnt": 1,\n"cost": "1.40"\n}',
    }, "send, cost=2: fmt 1 P; fmt 3 c (cost a string); fmt 0 c (a client fixture); fmt 2 U (by the fmt 3 keys)")
    with_balance = Sent(id="1234", cnt=2, cost=Decimal("2.80"), balance=Decimal("100.50"))
    every_fmt("send-cost3", "send", with_balance, {
        0: "OK - 2 SMS, ID - 1234, COST - 2.80, BALANCE - 100.50",
        1: "1234,2,2.80,100.50",
        2: f"{PROLOG}<result>\n<id>1234</id>\n<cnt>2</cnt>\n<cost>2.80</cost>\n<balance>100.50</balance>\n</result>",
        3: '{\n"id": 1234,\n"cnt": 2,\n"cost": "2.80",\n"balance": "100.50"\n}',
    }, "send, cost=3: fmt 1 P; fmt 3 c; fmt 0 U (BALANCE by analogy with COST); fmt 2 U")
    client_id = Sent(id="order-17.a_B", cnt=3)
    every_fmt("send-client-id", "send", client_id, {
        0: "OK - 3 SMS, ID - order-17.a_B",
        1: "order-17.a_B,3",
        3: '{\n"id": "order-17.a_B",\n"cnt": 3\n}',
    }, "a client-chosen message id (up to 40 of A-Z a-z 0-9 . - _, P via C) is text; fmt 3 writes it quoted")
    vec("send-captured-fmt2", "send", 2, "<result><id>123456789</id><cnt>1</cnt></result>",
        "send fmt 2 in the one-line layout of a 2015 SMSC.UA client's test (C; decode only)",
        expect=Sent(id="123456789", cnt=1))
    vec("send-indented-fmt3", "send", 3,
        '{\n    "cnt": 2,\n    "id": 77,\n    "cost": 2.8,\n    "phones": [\n        {\n            "phone": "79991234567",\n'
        '            "mccmnc": "25001",\n            "cost": "1.40"\n        },\n        {\n'
        '            "phone": "79991234568",\n            "mccmnc": "25002",\n            "cost": "1.40"\n        }\n    ]\n}',
        "send with op=1 as a client fixture spells it: indented, keys in another order, cost a bare number (C/c; decode only)",
        expect=Sent(id="77", cnt=2, cost=Decimal("2.8"), phones=(
            PhoneReport(phone="79991234567", mccmnc="25001", cost=Decimal("1.40")),
            PhoneReport(phone="79991234568", mccmnc="25002", cost=Decimal("1.40")),
        )))
    vec("send-failed-number-fmt3", "send", 3,
        '{"id": 78, "cnt": 1, "phones": [{"phone": "79991234567", "mccmnc": "25001", "cost": "1.40"},'
        ' {"phone": "7999", "mccmnc": "0", "status": 22, "error": "7"}]}',
        "send with err=1: a failed number carries status and error, spelled as number or string by clients (c; decode only)",
        expect=Sent(id="78", cnt=1, phones=(
            PhoneReport(phone="79991234567", mccmnc="25001", cost=Decimal("1.40")),
            PhoneReport(phone="7999", mccmnc="0", status=22, error=7),
        )))
    for fmt, payload in {
        0: "ERROR = 3 (not enough money), ID - 279",
        1: "279,-3",
        2: f"{PROLOG}<result>\n<error>not enough money</error>\n<error_code>3</error_code>\n<id>279</id>\n</result>",
        3: '{\n"error": "not enough money",\n"error_code": 3,\n"id": 279\n}',
    }.items():
        message = "" if fmt == 1 else "not enough money"
        vec(f"send-error-with-id-fmt{fmt}", "error", fmt, payload,
            "send error 3 carries the message id (P)", canonical=True,
            expect=Error(error_code=3, error=message, id="279"))
        vec(f"send-api-error-with-id-fmt{fmt}", "send", fmt, payload,
            "asked for a send reply, the server answered error 3 with the id (P)", api_error=(3, message))
    vec("send-error-captured-fmt2", "error", 2,
        '<?xml version="1.0" encoding="UTF-8"?><result><error>invalid number</error><error_code>7</error_code><id>5</id></result>',
        "send error 7 with id in the one-line layout of a 2015 SMSC.UA client's test (C; decode only)",
        expect=Error(error_code=7, error="invalid number", id="5"))
    vec("send-error-plain-under-fmt3", "send", 3, "ERROR = 7 (invalid number), ID - 541",
        "the plain-text error line answers whatever fmt was asked (facts §1.2)", api_error=(7, "invalid number"))


def cost() -> None:
    every_fmt("cost", "cost", Cost(cost=Decimal("1.40"), cnt=1), {
        0: "1.40 (1 SMS)",
        1: "1.40,1",
        2: f"{PROLOG}<result>\n<cost>1.40</cost>\n<cnt>1</cnt>\n</result>",
        3: '{\n"cost": "1.40",\n"cnt": 1\n}',
    }, "cost=1: fmt 1 P (cost first); fmt 0 c (a 2012 client's pattern); fmt 3 C; fmt 2 U")
    vec("cost-ok-sentence-fmt0", "cost", 0, "OK - 2 SMS, COST - 4.48",
        "cost=1 fmt 0 as another client's fixture writes it (U; decoded, never written)",
        expect=Cost(cost=Decimal("4.48"), cnt=2))
    vec("cost-three-decimals-fmt1", "cost", 1, "0.385,1", "money keeps its digits: three decimals (C, history capture)",
        expect=Cost(cost=Decimal("0.385"), cnt=1), canonical=True)
    vec("cost-float-refused-fmt1", "cost", 1, "1.4e0,1", "money is decimal digits, not a float spelling",
        decode_error=("DecodeError", "$.cost"))


# ------------------------------------------------------------------------------------- status

def status() -> None:
    all0 = Status(status=1, last_date="10.10.2010 10:10:10", last_timestamp=1286691010, flag=0, err=0)
    vec("status-all0-fmt2", "status", 2,
        f"{PROLOG}<sms>\n<status>1</status>\n<last_date>10.10.2010 10:10:10</last_date>\n"
        "<last_timestamp>1286691010</last_timestamp>\n<flag>0</flag>\n<err>0</err>\n</sms>",
        "status all=0 fmt 2 (P template)", expect=all0, canonical=True)
    vec("status-all0-fmt3", "status", 3,
        '{\n"status": 1,\n"last_date": "10.10.2010 10:10:10",\n"last_timestamp": 1286691010,\n"flag": 0,\n"err": 0\n}',
        "status all=0 fmt 3 (P template; numbers bare, the date a string)", expect=all0, canonical=True)
    vec("status-all0-fmt0", "status", 0, "Status = 1, check_time = 10.10.2010 10:10:10, err = 0",
        "status all=0 fmt 0 (P): Status and check_time are fmt 0's names of status and last_date",
        expect=Status(status=1, last_date="10.10.2010 10:10:10", err=0), canonical=True)
    vec("status-two-fields-fmt0", "status", 0, "Status = 1, check_time = 10.10.2010 10:10:10",
        "status fmt 0 without err, the parameter table's example (P)",
        expect=Status(status=1, last_date="10.10.2010 10:10:10"), canonical=True)
    vec("status-all0-fmt1", "status", 1, "1,1286691010,0", "status all=0 fmt 1 (P)",
        expect=Status(status=1, last_timestamp=1286691010, err=0), canonical=True)
    vec("status-two-fields-fmt1", "status", 1, "1,1286524541", "status fmt 1, the parameter table's example (P)",
        expect=Status(status=1, last_timestamp=1286524541), canonical=True)
    vec("status-not-found-fmt1", "status", 1, "-3,0,0", "status -3: no such message (open value set, C)",
        expect=Status(status=-3, last_timestamp=0, err=0), canonical=True)
    vec("status-no-flag-fmt3", "status", 3,
        '{\n    "status": 1,\n    "last_date": "28.12.2019 19:20:22",\n    "last_timestamp": 1577550022\n}',
        "status fmt 3 without flag and err, 4-space indented as a 2019 client's docstring shows it (C; decode only)",
        expect=Status(status=1, last_date="28.12.2019 19:20:22", last_timestamp=1577550022))
    all1 = Status(
        status=1, last_date="10.10.2010 10:10:10", err=0, send_date="10.10.2010 10:09:55",
        phone="79991234567", cost=Decimal("1.40"), sender_id="SMSC.RU", status_name="Доставлено",
        message="Hello, world = ok", comment="", type=0,
    )
    vec("status-all1-fmt0", "status", 0,
        "Status = 1, check_time = 10.10.2010 10:10:10, err = 0, send_date = 10.10.2010 10:09:55, phone = 79991234567,"
        " cost = 1.40, sender_id = SMSC.RU, status_name = Доставлено, message = Hello, world = ok, comment = , type = 0",
        "status all=1 fmt 0 (P): a message may hold ', ' and ' = '; only the next keys' markers cut it",
        expect=all1, canonical=True)
    vec("status-all1-fmt1", "status", 1, "1,1286691010,0,1286690995,79991234567,1.40,SMSC.RU,Доставлено,Hello",
        "status all=1 fmt 1 (P, the official library's nine fields)",
        expect=Status(status=1, last_timestamp=1286691010, err=0, send_timestamp=1286690995, phone="79991234567",
                      cost=Decimal("1.40"), sender_id="SMSC.RU", status_name="Доставлено", message="Hello"),
        canonical=True)
    vec("status-all1-comma-fmt1", "status", 1,
        "1,1286691010,0,1286690995,79991234567,1.40,SMSC.RU,Доставлено,Hello, world",
        "status all=1 fmt 1 whose message holds a comma: status_name and message are both free text, so the row"
        " splits two ways (facts D)", decode_error=("AmbiguousRecordError", "$"))
    vec("status-all1-captured-fmt2", "status", 2,
        "<sms><status>-1</status><last_date>15.06.2015 12:00:01</last_date><last_timestamp>1434358801</last_timestamp>"
        "<send_date>15.06.2015 12:00:00</send_date><send_timestamp>1434358800</send_timestamp><phone>380501234567</phone>"
        "<cost>0.18</cost><sender_id>Test~1</sender_id><status_name>Доставлено</status_name><message>Test</message></sms>",
        "status all=1 fmt 2 in the one-line layout of a 2015 SMSC.UA client's test, no flag or err (C; decode only)",
        expect=Status(status=-1, last_date="15.06.2015 12:00:01", last_timestamp=1434358801,
                      send_date="15.06.2015 12:00:00", send_timestamp=1434358800, phone="380501234567",
                      cost=Decimal("0.18"), sender_id="Test~1", status_name="Доставлено", message="Test"))
    all2 = Status(
        status=1, last_date="01.02.2017 10:00:05", last_timestamp=1485943205, flag=0, err=0,
        send_date="01.02.2017 10:00:00", send_timestamp=1485943200, phone="79991234567", country="Россия",
        operator="МТС", region="", cost=Decimal("1.20"), sender_id="SMSC.RU", status_name="Доставлено",
        message="Код 1234",
    )
    vec("status-all2-fmt3", "status", 3,
        '{\n"status": 1,\n"last_date": "01.02.2017 10:00:05",\n"last_timestamp": 1485943205,\n"flag": 0,\n"err": 0,\n'
        '"send_date": "01.02.2017 10:00:00",\n"send_timestamp": 1485943200,\n"phone": "79991234567",\n'
        '"country": "Россия",\n"operator": "МТС",\n"region": "",\n"cost": "1.20",\n"sender_id": "SMSC.RU",\n'
        '"status_name": "Доставлено",\n"message": "Код 1234"\n}',
        "status all=2 fmt 3: the all=1 keys and country, operator, region (c, a client's realistic mock)",
        expect=all2, canonical=True)
    vec("status-all2-fmt1", "status", 1,
        "1,1485943205,0,1485943200,79991234567,Россия,МТС,,1.20,SMSC.RU,Доставлено,Код 1234",
        "status all=2 fmt 1: country, operator, region after phone (U: the history reply's order)",
        expect=Status(status=1, last_timestamp=1485943205, err=0, send_timestamp=1485943200, phone="79991234567",
                      country="Россия", operator="МТС", region="", cost=Decimal("1.20"), sender_id="SMSC.RU",
                      status_name="Доставлено", message="Код 1234"), canonical=True)
    hlr = Status(status=1, last_timestamp=1286691010, err=0, imsi="250011234567890", msc="79168999100",
                 mcc="250", mnc="01", cn="Russian Federation", net="MTS", rcn="", rnet="")
    vec("status-hlr-fmt1", "status", 1, "1,1286691010,0,250011234567890,79168999100,250,01,Russian Federation,MTS,,",
        "status of an HLR request fmt 1: IMSI and service centre right after err (C, the official library v3.5)",
        expect=hlr, canonical=True)
    vec("status-hlr-fmt3", "status", 3,
        '{\n"status": 1,\n"last_timestamp": 1286691010,\n"err": 0,\n"imsi": "250011234567890",\n"msc": "79168999100",\n'
        '"mcc": "250",\n"mnc": "01",\n"cn": "Russian Federation",\n"net": "MTS",\n"rcn": "",\n"rnet": ""\n}',
        "status of an HLR request fmt 3 (U: the fmt 1 names as keys)", expect=hlr, canonical=True)
    vec("status-api-error-fmt3", "status", 3, '{\n"error": "message not found",\n"error_code": 3\n}',
        "status error 3 (a 2014 copy of the page): 'message not found' on this page", api_error=(3, "message not found"))


def statuses() -> None:
    rows = [
        Status(status=25, last_date="17.03.2023 10:00:00", last_timestamp=1679036400, flag=0, err=248, id="5",
               phone="79991234567"),
        Status(status=23, last_date="17.03.2023 10:00:01", last_timestamp=1679036401, flag=0, err=254, id="5",
               phone="79991234568"),
    ]
    every_fmt("statuses", "statuses", rows, {
        0: "Status = 25, check_time = 17.03.2023 10:00:00, last_timestamp = 1679036400, flag = 0, err = 248, id = 5,"
           " phone = 79991234567\nStatus = 23, check_time = 17.03.2023 10:00:01, last_timestamp = 1679036401,"
           " flag = 0, err = 254, id = 5, phone = 79991234568",
        2: f"{PROLOG}<list>\n<sms>\n<status>25</status>\n<last_date>17.03.2023 10:00:00</last_date>\n"
           "<last_timestamp>1679036400</last_timestamp>\n<flag>0</flag>\n<err>248</err>\n<id>5</id>\n"
           "<phone>79991234567</phone>\n</sms>\n<sms>\n<status>23</status>\n<last_date>17.03.2023 10:00:01</last_date>\n"
           "<last_timestamp>1679036401</last_timestamp>\n<flag>0</flag>\n<err>254</err>\n<id>5</id>\n"
           "<phone>79991234568</phone>\n</sms>\n</list>",
        3: '[{\n"status": 25,\n"last_date": "17.03.2023 10:00:00",\n"last_timestamp": 1679036400,\n"flag": 0,\n'
           '"err": 248,\n"id": 5,\n"phone": "79991234567"\n},\n{\n"status": 23,\n"last_date": "17.03.2023 10:00:01",\n'
           '"last_timestamp": 1679036401,\n"flag": 0,\n"err": 254,\n"id": 5,\n"phone": "79991234568"\n}]',
    }, "statuses of several ids: fmt 3 C (a 2023 reply, two rows of one id); fmt 0 and fmt 2 U (lines of pairs, <list> of <sms>)")
    vec("statuses-fmt1", "statuses", 1, "25,1679036400,248,5,79991234567\n23,1679036401,254,5,79991234568",
        "statuses fmt 1: the single-message fields then id,phone (C: official library comments; position U)",
        expect=[Status(status=25, last_timestamp=1679036400, err=248, id="5", phone="79991234567"),
                Status(status=23, last_timestamp=1679036401, err=254, id="5", phone="79991234568")],
        canonical=True)
    vec("statuses-unknown-id-fmt1", "statuses", 1, "-3,0,0,17,79991234567",
        "an unknown id in a multi-id request is a row of status -3 (C, a 2014 copy of the page)",
        expect=[Status(status=-3, last_timestamp=0, err=0, id="17", phone="79991234567")], canonical=True)


# ------------------------------------------------------------------------------------ balance

def balance() -> None:
    plain = Balance(balance=Decimal("1871.62"))
    vec("balance-fmt0", "balance", 0, "1871.62", "balance fmt 0 (P: the bare amount, the same as fmt 1)",
        expect=plain, canonical=True)
    vec("balance-fmt1", "balance", 1, "1871.62", "balance fmt 1 (P, C: the official library)",
        expect=plain, canonical=True)
    vec("balance-fmt2", "balance", 2, f"{PROLOG}<balance>1871.62</balance>",
        "balance fmt 2: <balance> is the root (P)", expect=plain, canonical=True)
    vec("balance-fmt3", "balance", 3, '{\n"balance": "1871.62"\n}', "balance fmt 3: the amount a string (P, C)",
        expect=plain, canonical=True)
    with_currency = Balance(balance=Decimal("72.2"), currency="RUR")
    every_fmt("balance-cur1", "balance", with_currency, {
        0: "72.2,RUR",
        1: "72.2,RUR",
        2: f"{PROLOG}<result>\n<balance>72.2</balance>\n<currency>RUR</currency>\n</result>",
        3: '{\n"balance": "72.2",\n"currency": "RUR"\n}',
    }, "balance with cur=1: fmt 3 C (RUR, the old code); fmt 0/1 U (the amount then the code); fmt 2 U (<result>)")
    vec("balance-credit-fmt3", "balance", 3, '{\n"balance": "-5.20",\n"currency": "RUR",\n"credit": "100.00"\n}',
        "a credit account: a negative balance and a credit line (c: two clients model credit)",
        expect=Balance(balance=Decimal("-5.20"), currency="RUR", credit=Decimal("100.00")), canonical=True)
    vec("balance-api-error-fmt1", "balance", 1, "0,-9", "balance error 9 (P)", api_error=(9, ""))


# ------------------------------------------------------------------------------------ senders

def senders() -> None:
    names = [Sender(sender="zxcabs", id=17), Sender(sender="SMSC, Inc.", id=18)]
    every_fmt("senders", "senders", names, {
        0: "name = zxcabs, id = 17\nname = SMSC, Inc., id = 18",
        1: "zxcabs,17\nSMSC, Inc.,18",
        2: f'{PROLOG}<list>\n<sender id="17">zxcabs</sender>\n<sender id="18">SMSC, Inc.</sender>\n</list>',
        3: '[{\n"sender": "zxcabs",\n"id": 17\n},\n{\n"sender": "SMSC, Inc.",\n"id": 18\n}]',
    }, "sender names: fmt 0 P (name = , id = ); fmt 2 P item (<sender id=>), its root U; fmt 3 C keys with id U; fmt 1 U")
    every_fmt("sender-created", "sender-created", SenderCreated(sender=24336), {
        0: "sender = 24336",
        1: "24336",
        2: f"{PROLOG}<result>\n<sender>24336</sender>\n</result>",
    }, "a new sender name's id: fmt 3 C ({\"sender\": 24336}); fmt 0/1/2 U by the contacts page's created replies")


# --------------------------------------------------------------------------------------- jobs

def jobs() -> None:
    every_fmt("job-created", "job-created", JobCreated(id=5), {
        0: "OK, ID - 5",
        1: "5",
        2: f"{PROLOG}<result>\n<id>5</id>\n</result>",
        3: '{\n"id": 5\n}',
    }, "a new mailing job (P)")
    every_fmt("job-created-cost", "job-created", JobCreated(id=5, cost=Decimal("14.00")), {
        0: "OK, ID - 5, COST - 14.00",
        1: "5,14.00",
        2: f"{PROLOG}<result>\n<id>5</id>\n<cost>14.00</cost>\n</result>",
        3: '{\n"id": 5,\n"cost": "14.00"\n}',
    }, "a new mailing job with cost=1 (P)")
    vec("job-cancel-fmt2", "ok", 2, "<result>OK</result>", "a job cancelled, fmt 2 (P)", expect=Ok())


# ------------------------------------------------------------------------------------ history

def history() -> None:
    rows = [
        HistoryMessage(
            status=1, last_date="28.06.2021 12:00:05", send_date="28.06.2021 12:00:00", phone="79991234567",
            mccmnc="25001", country="Россия", operator="МТС", region="Москва", cost=Decimal("0.385"),
            sender_id="SMSC.RU", status_name="Доставлено", message="Код: 1234, никому не сообщайте", type=0, id="17",
            int_id=1001, sms_cnt=1, format=0, crc=0,
        ),
        HistoryMessage(
            status=20, last_date="28.06.2021 12:05:00", send_date="28.06.2021 12:04:00", phone="79991234568",
            mccmnc="25002", country="Россия", operator="МегаФон", region="", cost=Decimal("0.385"),
            sender_id="SMSC.RU", status_name="Не может быть доставлено", message="Код: 5678", type=0, id="18",
            int_id=1002, sms_cnt=1, format=0, crc=0,
        ),
    ]
    line = ("Status = {status}, check_time = {last_date}, send_date = {send_date}, phone = {phone}, mccmnc = {mccmnc},"
            " country = {country}, operator = {operator}, region = {region}, cost = {cost}, sender_id = {sender_id},"
            " status_name = {status_name}, message = {message}, type = {type}, ID = {id}, int_id = {int_id},"
            " sms_cnt = {sms_cnt}, format = {format}, crc = {crc}")
    fmt0 = "\n".join(line.format(**msgspec.structs.asdict(row)) for row in rows)
    vec("history-fmt0", "history", 0, fmt0,
        "history fmt 0 in the key order of a 2021 capture (C: Status, check_time and ID so spelled; the values"
        " here are made up); the message's ', ' does not cut it", expect=rows, canonical=True)
    fields = ("status", "last_date", "send_date", "phone", "mccmnc", "country", "operator", "region", "cost",
              "sender_id", "status_name", "message", "type", "id", "int_id", "sms_cnt", "format", "crc")
    second = rows[1]
    fmt1 = ",".join(str(getattr(second, name)) for name in fields)
    vec("history-fmt1", "history", 1, fmt1, "history fmt 1 (U: the fmt 0 order, comma-joined)",
        expect=[second], canonical=True)

    def element(row: HistoryMessage) -> str:
        return "<sms>\n" + "".join(f"<{name}>{value}</{name}>\n" for name, value in (
            (name, getattr(row, name)) for name in msgspec.structs.asdict(row)) if value is not None) + "</sms>\n"

    vec("history-fmt2", "history", 2, f"{PROLOG}<list>\n{element(second)}</list>",
        "history fmt 2 (U: <list> of <sms> with the fmt 3 names)", expect=[second], canonical=True)
    fmt3 = "[{\n" + ",\n".join(
        f'"{name}": ' + (str(value) if isinstance(value, int) and name != "id" else
                         (value if name == "id" else json.dumps(str(value), ensure_ascii=False)))
        for name, value in msgspec.structs.asdict(second).items() if value is not None
    ) + "\n}]"
    vec("history-fmt3", "history", 3, fmt3,
        "history fmt 3: an array (C); the keys are the fields' names in lower case (c/U)", expect=[second], canonical=True)


# ----------------------------------------------------------------------------------- operator

def operator() -> None:
    info = OperatorInfo(country="Россия", operator="МТС", region="Москва", mcc="250", mnc="01", tz="3")
    every_fmt("operator", "operator", info, {
        1: "Россия,МТС,Москва,250,01,3",
        2: f"{PROLOG}<result>\n<country>Россия</country>\n<operator>МТС</operator>\n<region>Москва</region>\n"
           "<mcc>250</mcc>\n<mnc>01</mnc>\n<tz>3</tz>\n</result>",
        3: '{\n"country": "Россия",\n"operator": "МТС",\n"region": "Москва",\n"mcc": "250",\n"mnc": "01",\n"tz": "3"\n}',
    }, "operator info: fmt 3 C keys (types U: mcc/mnc text for their leading zeros); fmt 1/2 U")
    vec("operator-fmt0", "operator", 0,
        "phone = 79991234567, country = Россия, operator = МТС, region = Москва, mcc = 250, mnc = 01, tz = 3",
        "operator info fmt 0: key = value pairs (c); the pair before country assumed to be the phone (U)",
        expect=OperatorInfo(phone="79991234567", country="Россия", operator="МТС", region="Москва", mcc="250",
                            mnc="01", tz="3"), canonical=True)
    vec("operator-cp1251-fmt0", "operator", 0,
        "country = Россия, operator = МТС, region = , mcc = 250, mnc = 01",
        "operator info in windows-1251, the default charset, without phone and tz (c)", charset="windows-1251",
        expect=OperatorInfo(country="Россия", operator="МТС", region="", mcc="250", mnc="01"), canonical=True)


# ---------------------------------------------------------------------------------- templates

def templates() -> None:
    rows = [Template(id=5, name="greeting", message="Hello, %NAME%!", format="sms", sender="", flag=0),
            Template(id=6, name="code", message="Код: %CODE%", format="", sender="SMSC.RU", flag=1)]
    every_fmt("templates", "templates", rows, {
        0: "id = 5, name = greeting, message = Hello, %NAME%!, format = sms, sender = , flag = 0\n"
           "id = 6, name = code, message = Код: %CODE%, format = , sender = SMSC.RU, flag = 1",
        2: f"{PROLOG}<list>\n<template>\n<id>5</id>\n<name>greeting</name>\n<message>Hello, %NAME%!</message>\n"
           "<format>sms</format>\n<sender></sender>\n<flag>0</flag>\n</template>\n<template>\n<id>6</id>\n"
           "<name>code</name>\n<message>Код: %CODE%</message>\n<format></format>\n<sender>SMSC.RU</sender>\n"
           "<flag>1</flag>\n</template>\n</list>",
        3: '[{\n"id": 5,\n"name": "greeting",\n"message": "Hello, %NAME%!",\n"format": "sms",\n"sender": "",\n'
           '"flag": 0\n},\n{\n"id": 6,\n"name": "code",\n"message": "Код: %CODE%",\n"format": "",\n'
           '"sender": "SMSC.RU",\n"flag": 1\n}]',
    }, "message templates: fmt 3 C (a client's live test against the demo account); fmt 0/2 U")
    vec("templates-fmt1", "templates", 1, "6,code,Код: %CODE%,,SMSC.RU,1",
        "message templates fmt 1 (U: the fmt 3 order, comma-joined)", expect=[rows[1]], canonical=True)
    every_fmt("template-created", "template-created", TemplateCreated(id=7), {
        0: "ID = 7",
        1: "7",
        2: f"{PROLOG}<result>\n<id>7</id>\n</result>",
        3: '{\n"id": 7\n}',
    }, "a new template's id: fmt 3 C; fmt 0/1/2 U by the contacts page's created reply")
    vec("template-ok-result-fmt3", "ok", 3, '{"result":"OK"}',
        "a template changed: {\"result\": \"OK\"} as one client expects it (c; decode only)", expect=Ok())
    vec("template-plain-error-under-fmt3", "templates", 3, "ERROR = 3 (record not found)",
        "a template change with an unknown id answers the plain-text line under fmt 3 (C)",
        api_error=(3, "record not found"))


# ------------------------------------------------------------------------------- real replies

_REAL_KINDS = {"balance": "balance", "senders: new sender id": "sender-created", "senders list": "senders",
               "send, cost=1": "cost", "send": "send"}


def real_replies(folder: Path) -> bool:
    """The 2013 captures of pages other than contacts, each a vector named as its file."""
    index = folder / "INDEX.md"
    if not index.is_file():
        return False
    for line in index.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| (\d\d-[^ |]+)\.http \|", line)
        if match is None or "/sys/phones.php" in line:
            continue
        stem = match[1]
        kind_cell = line.strip().strip("|").split(" | ")[-1].strip()
        if kind_cell == "OK":
            kind = "ok"
        elif kind_cell.startswith("error"):
            kind = "error"
        else:
            found = re.search(r"\((.*)\)", kind_cell)
            assert found is not None, stem
            kind = _REAL_KINDS[found[1].split(", key")[0]]
        raw = (folder / f"{stem}.http").read_bytes()
        head, body = raw.split(b"\n\n", 1)
        charset = re.search(rb"(?im)^content-type:.*charset=([A-Za-z0-9_-]+)", head)
        assert charset is not None, stem
        label = charset[1].decode("ascii").lower()
        try:
            value = fmtcodec.decode(body, REPLY_TYPES[kind], fmt=3, charset=label)
        except Exception as exc:  # reported with the others when the vector is checked
            print(f"real-{stem}: {type(exc).__name__}: {exc}", file=sys.stderr)
            value = None
        bare_ok = kind == "ok"  # the server's bare OK, not the documented {"result": "OK"} fmtcodec writes
        quirk = "bare `OK` with fmt=3 (not the documented {\"result\": \"OK\"}); " if bare_ok else ""
        vec(f"real-{stem}", kind, 3, body,
            f"{quirk}real smsc.ru reply {stem}.http (May 2013, node-smsc rescache), fmt=3 charset={label}",
            expect=value, canonical=not bare_ok, charset=label)
    return True


# -------------------------------------------------------------------------------------- write

def _outcome(spec: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """What the manifest says, and where fmtcodec disagrees with the declaration."""
    kind = REPLY_TYPES[spec["type"]]
    payload, fmt, charset = spec["payload"], spec["fmt"], spec["charset"]
    problems: list[str] = []
    if spec["api_error"] is not None:
        code, message = spec["api_error"]
        try:
            fmtcodec.decode(payload, kind, fmt=fmt, charset=charset)
            problems.append("no ApiError")
        except ApiError as exc:
            if (exc.code, exc.message) != (code, message):
                problems.append(f"ApiError {exc.code} {exc.message!r}")
        except Exception as exc:  # reported, not raised
            problems.append(f"{type(exc).__name__}: {exc}")
        return {"api_error": {"code": code, "message": message}}, problems
    if spec["decode_error"] is not None:
        cls, path = spec["decode_error"]
        try:
            fmtcodec.decode(payload, kind, fmt=fmt, charset=charset)
        except DecodeError as exc:
            got = "AmbiguousRecordError" if isinstance(exc, AmbiguousRecordError) else "DecodeError"
            if (got, exc.path) != (cls, path):
                problems.append(f"{got} at {exc.path}: {exc}")
            return {"decode_error": {"class": got, "pos": exc.pos, "line": exc.line, "column": exc.column,
                                     "path": exc.path, "message": str(exc)}}, problems
        except Exception as exc:  # reported, not raised: the run lists every problem
            problems.append(f"{type(exc).__name__}: {exc}")
        else:
            problems.append("decoded without error")
        return {"decode_error": {"class": cls, "path": path}}, problems
    expected = spec["expect"]
    try:
        value = fmtcodec.decode(payload, kind, fmt=fmt, charset=charset)
        if value != expected:
            problems.append(f"decodes to {value!r}")
        if spec["canonical"]:
            again = fmtcodec.encode(expected, fmt=fmt, charset=charset or "utf-8")
            if again != payload:
                problems.append(f"encodes to {again!r}")
    except Exception as exc:  # reported, not raised
        problems.append(f"{type(exc).__name__}: {exc}")
    return {"expect": msgspec.to_builtins(expected)}, problems


def write(out: Path, captures: Path) -> tuple[int, list[str]]:
    """Declare and write every vector of these pages into ``out``; the number written and the
    problems found (``tools/make_vectors.py`` calls this after writing the contacts vectors)."""
    VECTORS.clear()
    for declare in (send, cost, status, statuses, balance, senders, jobs, history, operator, templates):
        declare()
    real_replies(captures)
    problems: list[str] = []
    for name, spec in VECTORS.items():
        result, found = _outcome(spec)
        problems += [f"{name}: {problem}" for problem in found]
        manifest = {key: spec[key] for key in ("type", "fmt", "charset", "canonical", "detect", "note")}
        manifest.update(result)
        (out / f"{name}.{EXT[spec['fmt']]}").write_bytes(spec["payload"])
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (out / f"{name}.expect.json").write_text(text, encoding="utf-8")
    return len(VECTORS), problems


def main() -> int:
    captures = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "spec" / "captures"
    for old in OUT.glob("page-*"):
        old.unlink()
    count, problems = write(OUT, captures)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{count} vectors, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
