"""The fake service's sending pages over real HTTP (urllib against 127.0.0.1): send, status,
balance and senders in every fmt and charset and both profiles, each error code, statuses moving
on the fake clock, the outbox (Python API, fixture and ``/_fake/outbox``)."""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from decimal import Decimal
from urllib.parse import quote

import pytest

from fmtcodec import ApiError, Balance, Cost, Sent, Status, decode
from fmtcodec.kit.faults import PlainError, ServerError
from fmtcodec.kit.sending import Tariff

CT = {0: "text/plain", 1: "text/plain", 2: "text/xml", 3: "application/json"}
XML = '<?xml version="1.0" encoding="{}"?>\n'


def call(server, path, query, *, data=None, method=None, timeout=10):
    """(status, Content-Type, body) of one request."""
    url = server.url + path + ("?" + query if query else "")
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.headers["Content-Type"], reply.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read()


def ask(server, page, query, **options):
    """The body of a request to ``/sys/<page>.php`` with the fixture's login and password."""
    status, _, body = call(server, f"sys/{page}.php", f"{server.auth_query}&{query}", **options)
    assert status == 200
    return body


# -- the "done when": send, status, balance, outbox -----------------------------------------


def test_send_in_fmt_3_answers_id_and_cnt_and_shows_everywhere(smsc_server):
    status, content_type, body = call(
        smsc_server, "sys/send.php", f"{smsc_server.auth_query}&phones=79991234567&mes=Hello&fmt=3"
    )
    assert (status, content_type, body) == (
        200,
        "application/json; charset=windows-1251",
        b'{\n"id": 1,\n"cnt": 1\n}',
    )
    assert smsc_server.outbox.texts("79991234567") == ["Hello"]
    assert smsc_server.outbox.texts("+7 (999) 123-45-67") == ["Hello"]
    # 7999… costs 3.20 a part by the default tariffs; the account starts with 100.00
    assert ask(smsc_server, "balance", "fmt=3") == b'{\n"balance": "96.80"\n}'
    assert ask(smsc_server, "status", "phone=79991234567&id=1&fmt=3") == (
        b'{\n"status": -1,\n"last_date": "01.01.2026 00:00:00",\n"last_timestamp": 1767214800,\n'
        b'"flag": 0,\n"err": 0\n}'
    )
    listing = json.loads(call(smsc_server, "_fake/outbox", "")[2])
    assert listing["messages"][0] | {"recipients": None} == {
        "id": "1", "phones": ["79991234567"], "text": "Hello", "sent_text": "Hello", "sender": "SMSC.RU",
        "parts": 1, "cnt": 1, "cost": "3.20", "accepted": "01.01.2026 00:00:00",
        "send_time": "01.01.2026 00:00:00", "recipients": None,
    }  # fmt: skip
    assert listing["messages"][0]["recipients"] == [
        {"phone": "79991234567", "cost": "3.20", "status": -1, "err": 0,
         "status_since": "01.01.2026 00:00:00", "deleted": False}
    ]  # fmt: skip


# -- send: every fmt, every cost mode ---------------------------------------------------------------

SENT = {
    (0, "0"): b"OK - 1 SMS, ID - 1",
    (0, "2"): b"OK - 1 SMS, ID - 1, COST - 3.20",
    (0, "3"): b"OK - 1 SMS, ID - 1, COST - 3.20, BALANCE - 96.80",
    (0, "1"): b"3.20 (1 SMS)",
    (1, "0"): b"1,1",
    (1, "2"): b"1,1,3.20",
    (1, "3"): b"1,1,3.20,96.80",
    (1, "1"): b"3.20,1",
    (2, "0"): b"<result>\n<id>1</id>\n<cnt>1</cnt>\n</result>",
    (2, "2"): b"<result>\n<id>1</id>\n<cnt>1</cnt>\n<cost>3.20</cost>\n</result>",
    (2, "3"): b"<result>\n<id>1</id>\n<cnt>1</cnt>\n<cost>3.20</cost>\n<balance>96.80</balance>\n</result>",
    (2, "1"): b"<result>\n<cost>3.20</cost>\n<cnt>1</cnt>\n</result>",
    (3, "0"): b'{\n"id": 1,\n"cnt": 1\n}',
    (3, "2"): b'{\n"id": 1,\n"cnt": 1,\n"cost": "3.20"\n}',
    (3, "3"): b'{\n"id": 1,\n"cnt": 1,\n"cost": "3.20",\n"balance": "96.80"\n}',
    (3, "1"): b'{\n"cost": "3.20",\n"cnt": 1\n}',
}


PROFILES = [pytest.param(name, marks=pytest.mark.smsc_service(profile=name)) for name in ("2013", "doc")]


@pytest.mark.parametrize(("fmt", "cost"), sorted(SENT))
@pytest.mark.parametrize("charset", ["windows-1251", "utf-8", "koi8-r"])
@pytest.mark.parametrize("profile", PROFILES)
def test_send_reply_in_every_fmt_charset_cost_mode_and_profile(smsc_server, fmt, cost, charset, profile):
    assert smsc_server.service.profile.name == profile  # the send page answers alike in both
    query = f"{smsc_server.auth_query}&phones=79991234567&mes=Hello&cost={cost}&fmt={fmt}&charset={charset}"
    status, content_type, body = call(smsc_server, "sys/send.php", query)
    expected = (XML.format(charset).encode() if fmt == 2 else b"") + SENT[fmt, cost]
    assert (status, content_type, body) == (200, f"{CT[fmt]}; charset={charset}", expected)
    value = decode(body, Cost if cost == "1" else Sent, fmt=fmt)
    assert (value.cnt, value.cost) == (1, None if cost == "0" else Decimal("3.20"))
    if cost == "1":  # the cost request sends nothing and takes no money
        assert (len(smsc_server.outbox), smsc_server.sending.balance) == (0, Decimal("100.00"))
    else:
        assert (smsc_server.outbox.last.id, smsc_server.sending.balance) == ("1", Decimal("96.80"))


def test_send_by_post_with_md5_password_and_with_apikey(smsc_server):
    digest = hashlib.md5(smsc_server.psw.encode()).hexdigest()
    form = f"login={smsc_server.login}&psw={digest}&phones=79991234567&mes=Post+body&fmt=1".encode()
    assert call(smsc_server, "sys/send.php", "", data=form) == (
        200,
        "text/plain; charset=windows-1251",
        b"1,1",
    )
    query = f"apikey={smsc_server.apikey}&phones=79991234568&mes=By+key&fmt=1"
    assert call(smsc_server, "sys/send.php", query)[2] == b"2,1"
    assert [m.text for m in smsc_server.outbox.messages] == ["Post body", "By key"]


@pytest.mark.parametrize("charset", ["windows-1251", "utf-8", "koi8-r"])
def test_cyrillic_text_in_each_charset_is_what_the_phone_gets(smsc_server, charset):
    text = "Ваш код: 1234"
    ask(
        smsc_server, "send", f"phones=79991234567&mes={quote(text, encoding=charset)}&charset={charset}&fmt=1"
    )
    assert smsc_server.outbox.texts("79991234567") == [text]
    assert smsc_server.outbox.last.parts == 1
    body = ask(smsc_server, "status", f"phone=79991234567&id=1&all=1&fmt=3&charset={charset}")
    assert decode(body, Status, fmt=3, charset=charset).message == text
    assert "Ожидает отправки".encode(charset) in body


def test_several_numbers_one_id_cnt_is_parts_times_recipients(smsc_server):
    text = "x" * 161  # two GSM-7 parts
    body = ask(smsc_server, "send", f"phones=79991234567,%2B375291112233;79991234567&mes={text}&cost=2&fmt=3")
    # the repeated number counts once; 2 parts x (3.20 + 5.00)
    assert body == b'{\n"id": 1,\n"cnt": 4,\n"cost": "16.40"\n}'
    assert smsc_server.outbox.last.phones == ["79991234567", "375291112233"]


def test_op_lists_every_number_in_fmt_3_and_nothing_elsewhere(smsc_server):
    body = ask(smsc_server, "send", "phones=79991234567,12,79991234568&mes=Hi&op=1&fmt=3")
    assert body == (
        b'{\n"id": 1,\n"cnt": 2,\n"phones": [{"phone": "79991234567", "mccmnc": "25099", "cost": "3.20"}, '
        b'{"phone": "12", "status": 22, "error": 7}, {"phone": "79991234568", "mccmnc": "25099", "cost": "3.20"}]\n}'
    )
    assert ask(smsc_server, "send", "phones=79991234567,12&mes=Hi&err=1&fmt=3") == (
        b'{\n"id": 2,\n"cnt": 1,\n"phones": [{"phone": "12", "status": 22, "error": 7}]\n}'
    )
    # fmt 0-2 have no place for the list (spec/pages.md): the reply goes without it
    assert ask(smsc_server, "send", "phones=79991234567,12&mes=Hi&op=1&fmt=1") == b"3,1"


def test_client_id_is_echoed_and_status_answers_by_it(smsc_server):
    assert (
        ask(smsc_server, "send", "phones=79991234567&mes=A&id=order-17.a&fmt=0")
        == b"OK - 1 SMS, ID - order-17.a"
    )
    assert ask(smsc_server, "send", "phones=79991234567&mes=B&id=order-17.a&fmt=1") == b"order-17.a,1"
    # equal ids: the status is the last message's (facts §4.5)
    row = decode(ask(smsc_server, "status", "phone=79991234567&id=order-17.a&all=1&fmt=3"), Status, fmt=3)
    assert row.message == "B"
    assert ask(smsc_server, "send", "phones=79991234567&mes=C&id=bad%20id&fmt=1") == b"0,-1"


def test_translit_makes_a_cyrillic_text_gsm7(smsc_server):
    text = "Привет" * 20  # 120 characters: two UCS-2 parts, one GSM-7 part once transliterated
    ask(smsc_server, "send", f"phones=79991234567&mes={quote(text, encoding='cp1251')}&fmt=1")
    assert smsc_server.outbox.last.parts == 2
    ask(smsc_server, "send", f"phones=79991234567&mes={quote(text, encoding='cp1251')}&translit=1&fmt=1")
    message = smsc_server.outbox.last
    assert (message.parts, message.text, message.sent_text) == (1, text, "Privet" * 20)


def test_scheduled_send_stays_queued_until_its_time(smsc_server):
    ask(smsc_server, "send", "phones=79991234567&mes=Later&time=%2B10&fmt=1")  # in ten minutes
    assert smsc_server.outbox.last.as_json(smsc_server.sending.now())["send_time"] == "01.01.2026 00:10:00"
    smsc_server.clock.advance(599)
    assert decode(ask(smsc_server, "status", "phone=79991234567&id=1&fmt=3"), Status, fmt=3).status == -1
    smsc_server.clock.advance(2)  # handed to the operator a second after its time
    row = decode(ask(smsc_server, "status", "phone=79991234567&id=1&fmt=3"), Status, fmt=3)
    assert (row.status, row.last_date) == (0, "01.01.2026 00:10:01")
    for time, when in [("0101261230", "01.01.2026 12:30:00"), ("02.01.26+09%3A05", "02.01.2026 09:05:00"),
                       ("01767218400", "01.01.2026 01:00:00")]:  # fmt: skip
        ask(smsc_server, "send", f"phones=79991234567&mes={time}&time={time}&fmt=1")
        assert smsc_server.outbox.last.as_json(0)["send_time"] == when


# -- status: the clock moves them -------------------------------------------------------------------


@pytest.mark.smsc_service(rate_limit=False)
def test_status_moves_queued_operator_delivered_on_the_fake_clock(smsc_server):
    ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1")

    def status(fmt):
        return ask(smsc_server, "status", f"phone=79991234567&id=1&fmt={fmt}")

    assert status(0) == b"Status = -1, check_time = 01.01.2026 00:00:00, err = 0"
    assert status(1) == b"-1,1767214800,0"
    smsc_server.clock.advance(1)  # rules.to_operator
    assert status(0) == b"Status = 0, check_time = 01.01.2026 00:00:01, err = 0"
    assert status(1) == b"0,1767214801,0"
    smsc_server.clock.advance(4)  # rules.to_final: 5 s after the send
    assert status(0) == b"Status = 1, check_time = 01.01.2026 00:00:05, err = 0"
    assert status(2) == (
        XML.format("windows-1251").encode()
        + b"<sms>\n<status>1</status>\n<last_date>01.01.2026 00:00:05</last_date>\n"
        b"<last_timestamp>1767214805</last_timestamp>\n<flag>0</flag>\n<err>0</err>\n</sms>"
    )
    smsc_server.clock.advance(3600)  # final: stays
    assert status(1) == b"1,1767214805,0"


@pytest.mark.smsc_service(rate_limit=False)
def test_a_number_configured_to_fail_ends_undeliverable_with_its_err(smsc_server):
    smsc_server.sending.rules.failing["79990000001"] = 1
    ask(smsc_server, "send", "phones=79990000001&mes=Hi&fmt=1")
    smsc_server.clock.advance(5)
    row = decode(
        ask(smsc_server, "status", "phone=79990000001&id=1&all=1&fmt=3&charset=utf-8"), Status, fmt=3
    )
    assert (row.status, row.err, row.status_name) == (20, 1, "Невозможно доставить")
    assert smsc_server.outbox.last.as_json(smsc_server.sending.now())["recipients"][0]["status"] == 20


@pytest.mark.smsc_service(rate_limit=False)
def test_a_polling_loop_runs_without_waiting(smsc_server):
    ask(smsc_server, "send", "phones=79991234567&mes=Poll&fmt=1")
    seen = []
    for _ in range(20):
        row = decode(ask(smsc_server, "status", "phone=79991234567&id=1&fmt=3"), Status, fmt=3)
        seen.append(row.status)
        if row.status in (1, 20):
            break
        smsc_server.clock.advance(0.5)
    assert seen == [-1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_status_all_1_and_2_in_every_fmt(smsc_server):
    ask(smsc_server, "send", "phones=79991234567&mes=Hi%2C+there&sender=Shop&fmt=1")
    assert (
        ask(smsc_server, "status", "phone=79991234567&id=1&all=1&fmt=0&charset=utf-8")
        == (
            "Status = -1, check_time = 01.01.2026 00:00:00, err = 0, send_date = 01.01.2026 00:00:00, "
            "phone = 79991234567, cost = 3.20, sender_id = Shop, status_name = Ожидает отправки, message = Hi, there"
        ).encode()
    )
    assert (
        ask(smsc_server, "status", "phone=79991234567&id=1&all=2&fmt=1&charset=utf-8")
        == (
            "-1,1767214800,0,1767214800,79991234567,Россия,Тестовый оператор,,3.20,Shop,Ожидает отправки,Hi, there"
        ).encode()
    )
    row = decode(
        ask(smsc_server, "status", "phone=79991234567&id=1&all=2&fmt=2&charset=utf-8"), Status, fmt=2
    )
    assert (row.country, row.operator, row.region, row.sender_id, row.message) == (
        "Россия",
        "Тестовый оператор",
        "",
        "Shop",
        "Hi, there",
    )
    smsc_server.clock.advance(60)
    row = decode(ask(smsc_server, "status", "phone=79991234567&id=1&all=1&fmt=3"), Status, fmt=3)
    assert (row.status, row.send_timestamp, row.last_timestamp, row.cost) == (
        1,
        1767214800,
        1767214805,
        Decimal("3.20"),
    )


def test_status_of_an_unknown_message_is_error_3_alone_and_status_minus_3_in_a_list(smsc_server):
    ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1")
    assert ask(smsc_server, "status", "phone=79991234567&id=2&fmt=1") == b"0,-3"
    assert ask(smsc_server, "status", "phone=79991234567&id=2&fmt=3") == (
        b'{\n"error": "message not found",\n"error_code": 3\n}'
    )
    body = ask(smsc_server, "status", "phone=79991234567,79990000000&id=1,1&fmt=1")
    assert body == b"-1,1767214800,0,1,79991234567\n-3,1767214800,0,1,79990000000"
    smsc_server.clock.advance(60)  # more than one mass request a minute is error 9
    rows = decode(ask(smsc_server, "status", "phone=79991234567,&id=1,&fmt=3"), list[Status], fmt=3)
    assert [(row.id, row.phone, row.status) for row in rows] == [("1", "79991234567", 1)]


def test_status_lists_in_fmt_0_and_2(smsc_server):
    ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1")
    assert ask(smsc_server, "status", "phone=79991234567,7999&id=1,5&fmt=0") == (
        b"Status = -1, check_time = 01.01.2026 00:00:00, err = 0, id = 1, phone = 79991234567\n"
        b"Status = -3, check_time = 01.01.2026 00:00:00, err = 0, id = 5, phone = 7999"
    )
    smsc_server.clock.advance(60)
    rows = decode(ask(smsc_server, "status", "phone=79991234567,&id=1,&fmt=2"), list[Status], fmt=2)
    assert [(row.id, row.phone, row.status, row.last_timestamp) for row in rows] == [
        ("1", "79991234567", 1, 1767214805)
    ]


def test_status_needs_as_many_phones_as_ids(smsc_server):
    assert ask(smsc_server, "status", "phone=79991234567&id=1,2&fmt=1") == b"0,-1"
    assert ask(smsc_server, "status", "id=1&fmt=1") == b"0,-1"
    assert ask(smsc_server, "status", "phone=79991234567&id=1&all=3&fmt=1") == b"0,-1"


@pytest.mark.parametrize(("fmt", "ok"), [(0, b"OK"), (1, b"OK"), (3, b"OK")])
def test_status_delete(smsc_server, fmt, ok):
    ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1")
    assert ask(smsc_server, "status", f"phone=79991234567&id=1&del=1&fmt={fmt}") == ok
    assert ask(smsc_server, "status", "phone=79991234567&id=1&fmt=1") == b"0,-3"
    assert ask(smsc_server, "status", "phone=79991234567&id=1&del=1&fmt=1") == b"0,-5"
    assert smsc_server.outbox.last.deliveries[0].deleted  # the outbox keeps what was sent


@pytest.mark.smsc_service(profile="doc")
def test_doc_profile_answers_ok_in_json(smsc_server):
    ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1")
    assert ask(smsc_server, "status", "phone=79991234567&id=1&del=1&fmt=3") == b'{\n"result": "OK"\n}'
    smsc_server.sending.register_sender("Shop")
    assert ask(smsc_server, "senders", "get=1&fmt=3") == b'[{\n"sender": "Shop",\n"id": 1\n}]'
    assert ask(smsc_server, "senders", "del=1&sender=Shop&fmt=3") == b'{\n"result": "OK"\n}'


# -- balance ------------------------------------------------------------------------------------------

BALANCES = {
    (0, "0"): b"100.00", (0, "1"): b"100.00,RUR",
    (1, "0"): b"100.00", (1, "1"): b"100.00,RUR",
    (2, "0"): b"<balance>100.00</balance>",
    (2, "1"): b"<result>\n<balance>100.00</balance>\n<currency>RUR</currency>\n</result>",
    (3, "0"): b'{\n"balance": "100.00"\n}', (3, "1"): b'{\n"balance": "100.00",\n"currency": "RUR"\n}',
}  # fmt: skip


@pytest.mark.parametrize(("fmt", "cur"), sorted(BALANCES))
@pytest.mark.parametrize("profile", PROFILES)
def test_balance_in_every_fmt_and_profile(smsc_server, fmt, cur, profile):
    assert smsc_server.service.profile.name == profile  # the balance page answers alike in both
    status, content_type, body = call(
        smsc_server, "sys/balance.php", f"{smsc_server.auth_query}&fmt={fmt}&cur={cur}&charset=utf-8"
    )
    assert (status, content_type) == (200, f"{CT[fmt]}; charset=utf-8")
    assert body == (XML.format("utf-8").encode() if fmt == 2 else b"") + BALANCES[fmt, cur]
    assert decode(body, Balance, fmt=fmt) == Balance(Decimal("100.00"), "RUR" if cur == "1" else None)


def test_balance_more_than_ten_a_minute_is_error_9(smsc_server):
    assert [ask(smsc_server, "balance", f"fmt=1&n={n}") for n in range(11)] == [b"100.00"] * 10 + [b"0,-9"]
    smsc_server.clock.advance(60)
    assert ask(smsc_server, "balance", "fmt=1") == b"100.00"


@pytest.mark.smsc_service(balance="5.00", currency="KZT")
def test_the_account_is_configurable(smsc_server):
    assert ask(smsc_server, "balance", "cur=1&fmt=1") == b"5.00,KZT"


# -- senders ------------------------------------------------------------------------------------------


def test_senders_add_list_delete_as_the_2013_captures(smsc_server):
    assert (
        ask(smsc_server, "senders", "add=1&sender=my_test_1&cmt=New+sender&fmt=3&charset=utf-8")
        == b'{\n"sender": 1\n}'
    )
    assert (
        ask(smsc_server, "senders", "add=1&sender=test_2&cmt=&fmt=3")
        == b'{\n"error": "parameters error",\n"error_code": 1\n}'
    )
    assert (
        ask(smsc_server, "senders", "add=1&sender=test_2&fmt=3")
        == b'{\n"error": "parameters error",\n"error_code": 1\n}'
    )
    assert ask(smsc_server, "senders", "add=1&sender=my_test_1&cmt=New+sender+2&fmt=3") == (
        b'{\n"error": "save error",\n"error_code": 5\n}'
    )
    assert ask(smsc_server, "senders", "add=1&sender=test3&cmt=New+sender&fmt=3") == b'{\n"sender": 2\n}'
    assert (
        ask(smsc_server, "senders", "get=1&fmt=3")
        == b'[{\n"sender": "my_test_1"\n},\n{\n"sender": "test3"\n}]'
    )
    assert ask(smsc_server, "senders", "get=1&fmt=0") == b"name = my_test_1, id = 1\nname = test3, id = 2"
    assert ask(smsc_server, "senders", "get=1&fmt=1") == b"my_test_1,1\ntest3,2"
    assert ask(smsc_server, "senders", "get=1&fmt=2&charset=utf-8") == (
        XML.format("utf-8").encode()
        + b'<list>\n<sender id="1">my_test_1</sender>\n<sender id="2">test3</sender>\n</list>'
    )
    assert ask(smsc_server, "senders", "del=1&sender=my_test_1&fmt=3") == b"OK"
    assert (
        ask(smsc_server, "senders", "del=1&sender=not+exist&fmt=3")
        == b'{\n"error": "record not found",\n"error_code": 3\n}'
    )
    assert ask(smsc_server, "senders", "del=1&id=2&fmt=3") == b"OK"
    assert smsc_server.sending.senders == {}


def test_unregistered_sender_is_error_6_only_when_configured(smsc_server):
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi&sender=Anyone&fmt=1") == b"1,1"
    smsc_server.sending.rules.registered_senders_only = True
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi+2&sender=Anyone&fmt=1") == b"2,-6"
    ask(smsc_server, "senders", "add=1&sender=Anyone&cmt=mine&fmt=1")
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi+again&sender=Anyone&fmt=1") == b"3,1"
    assert ask(smsc_server, "send", "phones=79991234567&mes=No+sender&fmt=1") == b"4,1"  # the default name
    assert [m.sender for m in smsc_server.outbox.messages] == ["Anyone", "Anyone", "SMSC.RU"]


# -- errors: every code, with its id where the page gives one ----------------------------------------

ERROR_FORMS = {
    0: lambda code, text, id: f"ERROR = {code} ({text})" + (f", ID - {id}" if id else ""),
    1: lambda code, text, id: f"{id or 0},-{code}",
    2: lambda code, text, id: (
        XML.format("windows-1251")
        + f"<result>\n<error>{text}</error>\n<error_code>{code}</error_code>\n"
        + (f"<id>{id}</id>\n" if id else "")
        + "</result>"
    ),
    3: lambda code, text, id: (
        f'{{\n"error": "{text}",\n"error_code": {code}'
        + (f',\n"id": {id if id.isdigit() else json.dumps(id)}' if id else "")
        + "\n}"
    ),
}


@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
def test_send_errors_in_every_fmt(smsc_server, fmt):
    server = smsc_server
    server.sending.rules.stop_words.append("casino")
    server.sending.rules.undeliverable.add("79990000008")
    server.sending.rules.invalid_numbers.add("79990000007")
    server.sending.balance = Decimal("3.00")
    cases = [
        ("phones=79991234567&fmt={fmt}", 1, "parameters error", None),  # no mes
        ("mes=Hi&fmt={fmt}", 1, "parameters error", None),  # no phones
        ("phones=79991234567&mes=Hi&cost=4&fmt={fmt}", 1, "parameters error", None),
        ("phones=79991234567&mes=Hi&fmt={fmt}", 3, "not enough money", "1"),
        ("phones=79991234567&mes=Hi&time=31.02.26+10:00&fmt={fmt}", 5, "invalid time format", None),
        ("phones=79991234567&mes=Big+CASINO+win&fmt={fmt}", 6, "message is denied", "2"),
        ("phones=79990000007&mes=Hi&fmt={fmt}", 7, "invalid number", "3"),
        ("phones=hello&mes=Hi&fmt={fmt}", 7, "invalid number", "4"),
        ("phones=79990000008&mes=Hi&fmt={fmt}", 8, "can't to deliver", "5"),
        ("phones=79990000008&mes=Hi&id=mine&fmt={fmt}", 8, "can't to deliver", "mine"),
        (
            "phones=79990000008&mes=Hi&cost=1&fmt={fmt}",
            8,
            "can't to deliver",
            None,
        ),  # no id on a cost request
    ]
    for query, code, text, id in cases:
        body = ask(server, "send", query.format(fmt=fmt))
        assert body.decode("cp1251") == ERROR_FORMS[fmt](code, text, id), query
        if fmt != 1:
            with pytest.raises(ApiError) as caught:
                decode(body, Sent, fmt=fmt)
            assert (caught.value.code, caught.value.id) == (code, id)
    assert (len(server.outbox), server.sending.balance) == (0, Decimal("3.00"))
    _, _, body = call(
        server, "sys/send.php", f"login={server.login}&psw=wrong&phones=79991234567&mes=Hi&fmt={fmt}"
    )
    assert body.decode("cp1251") == ERROR_FORMS[fmt](2, "authorise error", None)
    server.service.ip_blocked = True
    assert ask(server, "send", f"phones=79991234567&mes=Hi&fmt={fmt}").decode("cp1251") == ERROR_FORMS[fmt](
        4, "ip blocked", None
    )


def test_send_error_9_duplicate_send_and_sixth_cost_request(smsc_server):
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1") == b"1,1"
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1") == b"0,-9"
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi!&fmt=1") == b"2,1"  # not identical
    costs = [ask(smsc_server, "send", "phones=79991234567&mes=Hi&cost=1&fmt=1") for _ in range(6)]
    assert costs == [b"3.20,1"] * 5 + [b"0,-9"]
    smsc_server.clock.advance(60)
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1") == b"3,1"
    assert smsc_server.outbox.texts() == ["Hi", "Hi!", "Hi"]


def test_some_bad_numbers_the_rest_still_sent(smsc_server):
    smsc_server.sending.rules.undeliverable.add("79990000008")
    assert ask(smsc_server, "send", "phones=79990000008,abc,79991234567&mes=Hi&fmt=1") == b"1,1"
    assert smsc_server.outbox.last.phones == ["79991234567"]


@pytest.mark.smsc_service(strict=True)
def test_strict_refuses_unknown_parameters_on_the_sending_pages(smsc_server):
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1&sendr=x") == b"0,-1"
    assert ask(smsc_server, "balance", "fmt=1&currency=1") == b"0,-1"
    assert ask(smsc_server, "balance", "fmt=1&cur=1") == b"100.00,RUR"


def test_lenient_ignores_unknown_parameters_on_the_sending_pages(smsc_server):
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1&sendr=x&tinyurl=1") == b"1,1"


def test_faults_reach_the_sending_pages(smsc_server):
    smsc_server.faults.once(PlainError(2), path="/sys/send.php")
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=3") == b"ERROR = 2 (authorise error)"
    assert len(smsc_server.outbox) == 0  # not carried out
    smsc_server.faults.once(ServerError(), path="/sys/status.php")
    assert call(smsc_server, "sys/status.php", f"{smsc_server.auth_query}&id=1&phone=79991234567")[0] == 500


# -- the outbox -----------------------------------------------------------------------------------------


def test_outbox_page_lists_and_empties(smsc_server):
    ask(smsc_server, "send", "phones=79991234567&mes=One&fmt=1")
    ask(smsc_server, "send", "phones=79991234568&mes=Two&sender=Shop&fmt=1")
    status, content_type, body = call(smsc_server, "_fake/outbox", "")
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert [(m["id"], m["phones"], m["text"], m["sender"]) for m in json.loads(body)["messages"]] == [
        ("1", ["79991234567"], "One", "SMSC.RU"), ("2", ["79991234568"], "Two", "Shop"),
    ]  # fmt: skip
    assert call(smsc_server, "_fake/outbox", "", method="DELETE")[:1] == (204,)
    assert json.loads(call(smsc_server, "_fake/outbox", "")[2]) == {"messages": []}
    assert smsc_server.outbox.texts() == []
    assert call(smsc_server, "_fake/outbox", "", method="PUT", data=b"")[0] == 405


def test_outbox_api(smsc_server):
    with pytest.raises(LookupError, match="the outbox is empty"):
        smsc_server.outbox.last  # noqa: B018
    ask(smsc_server, "send", "phones=79991234567,79991234568&mes=Both&fmt=1")
    ask(smsc_server, "send", "phones=79991234568&mes=Only+you&fmt=1")
    assert smsc_server.outbox.texts("79991234568") == ["Both", "Only you"]
    assert smsc_server.outbox.texts("+79991234567") == ["Both"]
    assert [m.id for m in smsc_server.outbox.to("79991234568")] == ["1", "2"]
    message = smsc_server.outbox.last
    assert (message.cnt, message.cost, message.sender) == (1, Decimal("3.20"), "SMSC.RU")
    smsc_server.outbox.clear()
    assert len(smsc_server.outbox) == 0


@pytest.mark.smsc_service(tariffs=[Tariff("7", Decimal("0.50"))], balance="1.00")
def test_tariffs_are_configurable(smsc_server):
    assert ask(smsc_server, "send", "phones=79991234567&mes=Hi&cost=3&fmt=1") == b"1,1,0.50,0.50"
    assert ask(smsc_server, "send", "phones=380501234567&mes=Hi&cost=3&fmt=1") == b"2,-3"  # default 8.00


STATUS_ALL_1 = {
    0: "Status = -1, check_time = 01.01.2026 00:00:00, err = 0, send_date = 01.01.2026 00:00:00, "
    "phone = 79991234567, cost = 3.20, sender_id = Shop, status_name = Ожидает отправки, message = Привет",
    1: "-1,1767214800,0,1767214800,79991234567,3.20,Shop,Ожидает отправки,Привет",
    2: "<sms>\n<status>-1</status>\n<last_date>01.01.2026 00:00:00</last_date>\n"
    "<last_timestamp>1767214800</last_timestamp>\n<flag>0</flag>\n<err>0</err>\n"
    "<send_date>01.01.2026 00:00:00</send_date>\n<send_timestamp>1767214800</send_timestamp>\n"
    "<phone>79991234567</phone>\n<cost>3.20</cost>\n<sender_id>Shop</sender_id>\n"
    "<status_name>Ожидает отправки</status_name>\n<message>Привет</message>\n</sms>",
    3: '{\n"status": -1,\n"last_date": "01.01.2026 00:00:00",\n"last_timestamp": 1767214800,\n"flag": 0,\n'
    '"err": 0,\n"send_date": "01.01.2026 00:00:00",\n"send_timestamp": 1767214800,\n"phone": "79991234567",\n'
    '"cost": "3.20",\n"sender_id": "Shop",\n"status_name": "Ожидает отправки",\n"message": "Привет"\n}',
}


@pytest.mark.parametrize("fmt", [0, 1, 2, 3])
@pytest.mark.parametrize("charset", ["windows-1251", "utf-8", "koi8-r"])
@pytest.mark.parametrize("profile", PROFILES)
def test_status_all_1_in_every_fmt_charset_and_profile(smsc_server, fmt, charset, profile):
    assert smsc_server.service.profile.name == profile  # the status page answers alike in both
    ask(
        smsc_server,
        "send",
        f"phones=79991234567&mes={quote('Привет', encoding=charset)}&sender=Shop&charset={charset}",
    )
    query = f"{smsc_server.auth_query}&phone=79991234567&id=1&all=1&fmt={fmt}&charset={charset}"
    status, content_type, body = call(smsc_server, "sys/status.php", query)
    expected = (XML.format(charset) if fmt == 2 else "") + STATUS_ALL_1[fmt]
    assert (status, content_type, body) == (200, f"{CT[fmt]}; charset={charset}", expected.encode(charset))
    row = decode(body, Status, fmt=fmt, charset=charset)
    assert (row.status, row.phone, row.message, row.cost) == (-1, "79991234567", "Привет", Decimal("3.20"))


def test_status_error_9_after_five_requests_for_one_message(smsc_server):
    ask(smsc_server, "send", "phones=79991234567&mes=Hi&fmt=1")
    polls = [ask(smsc_server, "status", f"phone=79991234567&id=1&fmt={n % 2}") for n in range(6)]
    assert polls[5] == b"0,-9"
    assert [poll[:2] for poll in polls[:5]] == [b"St", b"-1", b"St", b"-1", b"St"]
    assert (
        ask(smsc_server, "status", "phone=79991234567&id=2&fmt=1") == b"0,-3"
    )  # another message counts apart
    smsc_server.clock.advance(60)
    assert ask(smsc_server, "status", "phone=79991234567&id=1&fmt=1") == b"1,1767214805,0"


def test_senders_error_9_on_the_fourth_identical_list_and_the_sixth_add(smsc_server):
    lists = [ask(smsc_server, "senders", "get=1&fmt=1") for _ in range(4)]
    assert lists == [b"0,-3", b"0,-3", b"0,-3", b"0,-9"]  # an empty list is error 3
    adds = [ask(smsc_server, "senders", f"add=1&sender=S{n}&cmt=c&fmt=1") for n in range(6)]
    assert adds == [b"1", b"2", b"3", b"4", b"5", b"0,-9"]
