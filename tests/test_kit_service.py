"""The fake contacts service over real HTTP (urllib against 127.0.0.1): replies, errors, profiles,
charsets, faults, limits, and the server's life cycle."""

from __future__ import annotations

import hashlib
import http.client
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fmtcodec import decode
from fmtcodec.errors import AmbiguousRecordError
from fmtcodec.kit.commands import AddContact, AddGroup
from fmtcodec.kit.faults import CutShort, Delay, Drop, PlainError, ServerError, parse_fault
from fmtcodec.kit.serve import Server
from fmtcodec.kit.service import Account, FakeClock, Service
from fmtcodec.records import Contact, Group

VECTORS = Path(__file__).resolve().parent.parent / "spec" / "vectors"


def call(server, query, *, path="sys/phones.php", data=None, method=None, headers=None, timeout=10):
    """(status, Content-Type, body) of one request."""
    url = server.url + path + ("?" + query if query else "")
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.headers["Content-Type"], reply.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read()


def ask(server, query, **options):
    """The body of a request made with the fixture's credentials."""
    status, _, body = call(server, f"{server.auth_query}&{query}", **options)
    assert status == 200
    return body


# -- created, ok, lists: exact bytes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "body"),
    [
        (0, "text/plain; charset=windows-1251", b"ID = 1"),
        (1, "text/plain; charset=windows-1251", b"1"),
        (2, "text/xml; charset=windows-1251",
         b'<?xml version="1.0" encoding="windows-1251"?>\n<group>\n<id>1</id>\n</group>'),
        (3, "application/json; charset=windows-1251", b'{\n"id": 1\n}'),
    ],
)
def test_add_group_answers_the_new_id(smsc_server, fmt, content_type, body):
    assert call(smsc_server, f"{smsc_server.auth_query}&add_group=1&name=Test&fmt={fmt}") == (200, content_type, body)
    assert smsc_server.store.phones.groups() == [Group(id=1, name="Test")]


def test_created_contact_and_blacklist_entry_have_the_phone_root(smsc_server):
    """Seed: fmt 2 "создание контакта, записи черного списка: <phone><id>id</id></phone>"."""
    contact = ask(smsc_server, "add=1&phone=79990000001&name=A&fmt=2&charset=utf-8")
    black = ask(smsc_server, "add_black=1&phone=79990000002&fmt=2&charset=utf-8")
    assert contact == b'<?xml version="1.0" encoding="utf-8"?>\n<phone>\n<id>1</id>\n</phone>'
    assert black == b'<?xml version="1.0" encoding="utf-8"?>\n<phone>\n<id>2</id>\n</phone>'
    mail = ask(smsc_server, "add=1&mail=a%40b.ru&name=A&fmt=2&charset=utf-8", path="sys/mails.php")
    assert mail == b'<?xml version="1.0" encoding="utf-8"?>\n<mail>\n<id>1</id>\n</mail>'


@pytest.mark.smsc_service(first_id=5921)
def test_contact_list_as_the_2013_capture(smsc_server):
    """Captures 12, 13, 26-28: two groups, add with two phones and groups, change, then get=1."""
    assert ask(smsc_server, "add_group=1&name=new+group&num=1234&fmt=3") == b'{\n"id": 5921\n}'
    assert ask(smsc_server, "add_group=1&name=new+group&fmt=3") == b'{\n"id": 5922\n}'
    ask(smsc_server, "add=1&name=Mr.Anderson&phone=%2B79112223341%2C%2B79112223342&grp=5921%2C5922&fnm=Thomas"
                     "&mnm=A.&lnm=Anderson&bd=11.03.1962&myid=1234&cmt=Neo&tags=neo%2Cmatrix"
                     "&pho=%2B79112223351%2C%2B79112223352&lmt=10&fmt=3&charset=utf-8")
    changed = ask(smsc_server, "chg=1&phone=79112223341%2C+79112223342&new_phone=%2B79221113340&name=Anderson"
                               "&grp=5922&fnm=T&mnm=A&lnm=A&bd=01.01.1960&myid=4321&cmt=fake&tags=ups&lmt="
                               "&fmt=3&charset=utf-8")
    assert changed == b"OK"
    listed = ask(smsc_server, "get=1&fmt=3&charset=utf-8")
    assert listed == (VECTORS / "real-28-contacts-list.json").read_bytes()


def test_group_list_as_the_2013_capture(smsc_server):
    """Captures 12-15 and 25: names stored with a capital first letter, listed by name, number."""
    for name in ("new+group&num=1234", "new+group", "my+group"):
        ask(smsc_server, f"add_group=1&name={name}&fmt=3")
    assert ask(smsc_server, "chg_group=1&grp=3&name=my+group+new+name&fmt=3") == b"OK"
    assert ask(smsc_server, "get_group=1&fmt=3") == (
        b'[{\n"id": 3,\n"name": "My group new name"\n},\n{\n"id": 2,\n"name": "New group"\n},\n'
        b'{\n"id": 1,\n"name": "New group",\n"number": 1234\n}]'
    )


@pytest.mark.smsc_service(profile="doc")
def test_doc_profile_writes_the_seed_page_forms(smsc_server):
    ask(smsc_server, "add_group=1&name=office&fmt=3")
    ask(smsc_server, "add=1&phone=79990000001&name=A&grp=1&fmt=3")
    ask(smsc_server, "add=1&phone=79990000002&name=B&fmt=3")
    assert ask(smsc_server, "chg=1&phone=79990000001&cmt=x&fmt=3") == b'{\n"result": "OK"\n}'
    assert ask(smsc_server, "get_group=1&fmt=3") == b'[{\n"id": 1,\n"name": "office",\n"cnt": "1"\n}]'
    listed = ask(smsc_server, "get=1&fmt=3")
    assert b'"phone": "79990000001",\n"name": "A",\n"group": 1,\n' in listed
    assert b'"phone": "79990000002",\n"name": "B",\n"group": "",\n' in listed  # no group: written quoted
    assert decode(listed, list[Contact], fmt=3)[0].group == "1"


@pytest.mark.parametrize(("fmt", "body"), [(0, b"OK"), (1, b"OK"), (3, b"OK"),
                                            (2, b'<?xml version="1.0" encoding="windows-1251"?>\n<result>OK</result>')])
def test_2013_profile_answers_ok(smsc_server, fmt, body):
    ask(smsc_server, "add_group=1&name=x")
    assert ask(smsc_server, f"chg_group=1&grp=1&name=y&fmt={fmt}") == body


def test_move_group_modes(smsc_server):
    for name in ("a", "b"):
        ask(smsc_server, f"add_group=1&name={name}")
    ask(smsc_server, "add=1&phone=79990000001&name=A&grp=1")
    ask(smsc_server, "move_group=2&grp=2&phone=79990000001")
    assert smsc_server.store.phones.contacts[0].group == "1,2"
    ask(smsc_server, "move_group=3&grp=1&phone=79990000001")
    assert smsc_server.store.phones.contacts[0].group == "2"
    ask(smsc_server, "move_group=1&grp=1&phone=%2B7+999+000-00-01")
    assert smsc_server.store.phones.contacts[0].group == "1"
    ask(smsc_server, "del_group=1&grp=1")
    assert smsc_server.store.phones.contacts[0].group == ""


@pytest.mark.parametrize(
    ("fmt", "body"),
    [
        (1, b"79990000001,A,5921,5922,,,,,,,,"),
        (0, b"phone = 79990000001, name = A, group = 5921,5922, first_name = , last_name = , middle_name = ,"
            b" birthday = , id = , comments = , tags = , phone_other = "),
    ],
)
@pytest.mark.smsc_service(first_id=5921)
def test_contact_in_two_groups_is_listed_as_the_server_writes_it(smsc_server, fmt, body):
    """fmt 1 escapes nothing: the row is written although it does not read back."""
    for name in ("a", "b"):
        ask(smsc_server, f"add_group=1&name={name}")
    ask(smsc_server, "add=1&phone=79990000001&name=A&grp=5921%2C5922")
    assert call(smsc_server, f"{smsc_server.auth_query}&get=1&fmt={fmt}&charset=utf-8") == (
        200, "text/plain; charset=utf-8", body
    )
    if fmt == 1:
        with pytest.raises(AmbiguousRecordError, match="in 7 equally good ways"):
            decode(body, list[Contact], fmt=1)


def test_a_character_the_charset_cannot_carry_is_a_500_saying_it_is_the_charset(smsc_server):
    smsc_server.store.phones.put_contact(Contact(phone="1", name="A"))
    smsc_server.store.phones.put_contact(Contact(phone="2", name="B", comments="ok \U0001f600"))
    for fmt in (0, 1, 2, 3):
        status, content_type, body = call(smsc_server, f"{smsc_server.auth_query}&get=1&fmt={fmt}")
        assert (status, content_type) == (500, "text/plain; charset=utf-8")
        assert body == ("fmtcodec fake service: the reply charset windows-1251 cannot carry a stored value:"
                        " record 2, `comments`: character '\U0001f600' (U+1F600) at character 3"
                        " (ask with charset=utf-8)\n").encode()
    assert ask(smsc_server, "get=1&fmt=1&charset=utf-8") == "1,A,,,,,,,,,\n2,B,,,,,,,ok \U0001f600,,".encode()


# -- errors ---------------------------------------------------------------------------------------

ERRORS_FMT3 = {
    1: b'{\n"error": "parameters error",\n"error_code": 1\n}',
    2: b'{\n"error": "authorise error",\n"error_code": 2\n}',
    3: b'{\n"error": "record not found",\n"error_code": 3\n}',
    4: b'{\n"error": "ip blocked",\n"error_code": 4\n}',
    5: b'{\n"error": "save error",\n"error_code": 5\n}',
    9: b'{\n"error": "duplicate request, wait a minute",\n"error_code": 9\n}',
}


@pytest.mark.parametrize(
    "query",
    [
        "chg_group=1&grp=1",  # capture 17: no name
        "chg_group=1&grp=1&name=",  # capture 17: empty name
        "del_group=1&grp=WRONG123",  # capture 24
        "del_group=1",  # capture 23
        "get=1&get_group=1",
        "get=1&name=%98",  # not windows-1251
        "add=1&phone=abc&name=x",  # no digit: no number
        "add=1&phone=1&name=x&bd=1.1.1960",
        "add=1&phone=1&name=x&grp=a",
    ],
)
def test_error_1(smsc_server, query):
    ask(smsc_server, "add_group=1&name=x")
    assert ask(smsc_server, f"{query}&fmt=3") == ERRORS_FMT3[1]


@pytest.mark.parametrize(("query", "fmt", "body"), [
    ("get=1&fmt=7", 0, b"ERROR = 1 (parameters error)"),
    ("get=1&fmt=1&charset=latin-1", 1, b"0,-1"),
    ("get=1&charset=utf-8&fmt=2&name=%FF", 2,
     b'<?xml version="1.0" encoding="utf-8"?>\n<result>\n<error>parameters error</error>\n<error_code>1</error_code>\n</result>'),
])
def test_error_1_in_the_fmt_and_charset_that_can_be_read(smsc_server, query, fmt, body):
    assert ask(smsc_server, query) == body


def test_error_1_for_a_request_too_large_and_a_multipart_body(smsc_server):
    smsc_server.service.max_request_bytes = 100
    assert ask(smsc_server, "get=1&fmt=3&cmt=" + "x" * 100) == ERRORS_FMT3[1]
    status, _, body = call(smsc_server, "fmt=3", data=smsc_server.auth_query.encode() + b"&get=1&" + b"y" * 200)
    assert (status, body) == (200, ERRORS_FMT3[1])
    multipart = {"Content-Type": "multipart/form-data; boundary=x"}
    status, _, body = call(smsc_server, "fmt=3", data=b"--x--", headers=multipart)
    assert (status, body) == (200, ERRORS_FMT3[1])


def test_error_2_and_the_ways_to_log_in(smsc_server):
    md5 = hashlib.md5(smsc_server.psw.encode()).hexdigest()
    cases = {
        f"login={smsc_server.login}&psw={smsc_server.psw}": b"[]",
        f"login={smsc_server.login}&psw={md5}": b"[]",
        f"apikey={smsc_server.apikey}": b"[]",
        f"login={smsc_server.login}&psw={md5.upper()}": ERRORS_FMT3[2],
        f"login={smsc_server.login}&psw=wrong": ERRORS_FMT3[2],
        f"login=other&psw={smsc_server.psw}": ERRORS_FMT3[2],
        f"login={smsc_server.login}": ERRORS_FMT3[2],
        "apikey=wrong": ERRORS_FMT3[2],
        # non-ASCII secrets (found by the fuzz test: compare_digest refused them with a TypeError)
        f"login={smsc_server.login}&psw=%D0%AF": ERRORS_FMT3[2],
        "apikey=%80": ERRORS_FMT3[2],
        "": ERRORS_FMT3[2],
    }
    for credentials, expected in cases.items():
        status, _, body = call(smsc_server, f"{credentials}&get_group=1&fmt=3")
        assert (status, body) == (200, ERRORS_FMT3[3] if expected == b"[]" else expected), credentials


@pytest.mark.parametrize(
    "query",
    [
        "chg_group=1&grp=12345&name=x",  # capture 16
        "del_group=1&grp=4321",  # capture 22
        "move_group=1&grp=12345&phone=79990000001",
        "chg=1&phone=79990000009&name=x",
        "del=1&phone=79990000009",
        "del_black=1&phone=79990000009",
        "add=1&phone=79990000002&name=x&grp=77",
        "get_black=1",  # an empty list is error 3
        "get=1&x=1" if False else "get_group=1&charset=utf-8",
    ],
)
def test_error_3(smsc_server, query):
    smsc_server.store.phones.clear()
    smsc_server.store.phones.execute(AddContact(phone="79990000001", name="a"))
    assert ask(smsc_server, f"{query}&fmt=3") == ERRORS_FMT3[3]


def test_empty_list_is_error_3_in_every_fmt(smsc_server):
    assert ask(smsc_server, "get=1&fmt=0") == b"ERROR = 3 (record not found)"
    assert ask(smsc_server, "get=1&fmt=1") == b"0,-3"


def test_error_4_while_the_ip_is_blocked(smsc_server):
    smsc_server.service.ip_blocked = True
    assert ask(smsc_server, "get=1&fmt=3") == ERRORS_FMT3[4]
    assert call(smsc_server, "get=1&fmt=3")[2] == ERRORS_FMT3[4]  # before credentials are looked at
    smsc_server.service.ip_blocked = False
    assert ask(smsc_server, "get=1&fmt=3") == ERRORS_FMT3[3]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("add=1&phone=79990000001&name=a", "add=1&phone=%2B7+999+000+00+01&name=b"),
        ("add_group=1&name=a&num=1234", "add_group=1&name=b&num=1234"),  # captures 19, 32
        ("add_group=1&name=a", "chg_group=1&grp=1&name=+"),  # capture 18: blank name
        ("add_black=1&phone=79990000001", "add_black=1&phone=79990000001&cmt=again"),
        ("add=1&phone=79990000001,79990000002&name=a", "add=1&phone=79990000002&name=b"),
    ],
)
def test_error_5(smsc_server, first, second):
    ask(smsc_server, first)
    assert ask(smsc_server, f"{second}&fmt=3") == ERRORS_FMT3[5]


def test_error_9_on_the_fourth_identical_request_within_a_minute(smsc_server):
    for _ in range(3):
        assert ask(smsc_server, "get_group=1&fmt=3") == ERRORS_FMT3[3]
    assert ask(smsc_server, "get_group=1&fmt=3") == ERRORS_FMT3[9]
    assert ask(smsc_server, "fmt=3&get_group=1") == ERRORS_FMT3[9]  # the same parameters in another order
    assert ask(smsc_server, "get_group=1&fmt=0") == b"ERROR = 3 (record not found)"  # another request
    smsc_server.clock.advance(59.9)
    assert ask(smsc_server, "get_group=1&fmt=3") == ERRORS_FMT3[9]
    smsc_server.clock.advance(0.1)
    assert ask(smsc_server, "get_group=1&fmt=3") == ERRORS_FMT3[3]


@pytest.mark.smsc_service(rate_limit=False)
def test_rate_limit_can_be_switched_off(smsc_server):
    for _ in range(5):
        assert ask(smsc_server, "get_group=1&fmt=3") == ERRORS_FMT3[3]


# -- charsets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("charset", "name", "label"),
    [("utf-8", b"%D0%98%D0%B2%D0%B0%D0%BD", "utf-8"), ("koi8-r", b"%E9%D7%C1%CE", "koi8-r"),
     ("windows-1251", b"%C8%E2%E0%ED", "windows-1251"), (None, b"%C8%E2%E0%ED", "windows-1251")],
)
def test_request_and_reply_in_each_charset(smsc_server, charset, name, label):
    given = f"&charset={charset}" if charset else ""
    ask(smsc_server, f"add_group=1&name={name.decode()}{given}")
    status, content_type, body = call(smsc_server, f"{smsc_server.auth_query}&get_group=1&fmt=0{given}")
    assert (status, content_type) == (200, f"text/plain; charset={label}")
    assert body == b"id = 1, name = " + "Иван".encode(label) + b", number = , cnt = "
    assert smsc_server.store.phones.groups()[0].name == "Иван"


def test_post_form_body(smsc_server):
    data = f"{smsc_server.auth_query}&add_group=1&name=%D0%AF&charset=utf-8&fmt=3".encode()
    assert call(smsc_server, "", data=data) == (200, "application/json; charset=utf-8", b'{\n"id": 1\n}')
    assert smsc_server.store.phones.groups()[0].name == "Я"


def test_other_paths_and_methods(smsc_server):
    assert call(smsc_server, "", path="sys/no-such-page.php")[0] == 404
    assert call(smsc_server, "get=1", method="PUT", data=b"")[0] == 405
    assert call(smsc_server, f"{smsc_server.auth_query}&get=1", method="HEAD")[:2] == (
        200, "text/plain; charset=windows-1251")


# -- faults ---------------------------------------------------------------------------------------


def test_fault_http_500_then_normal(smsc_server):
    smsc_server.faults.once(ServerError())
    status, content_type, body = call(smsc_server, f"{smsc_server.auth_query}&get=1&fmt=3")
    assert (status, content_type) == (500, "text/html")
    assert b"<h1>500 Internal Server Error</h1>" in body
    assert ask(smsc_server, "get=1&fmt=3") == ERRORS_FMT3[3]


def test_fault_body_cut_short(smsc_server):
    ask(smsc_server, "add_group=1&name=x")
    smsc_server.faults.once(CutShort(0.5))
    with pytest.raises(http.client.IncompleteRead) as caught:
        call(smsc_server, f"{smsc_server.auth_query}&get_group=1&fmt=3")
    assert caught.value.partial == b'[{\n"id": 1,\n"'  # 13 of the 26 bytes of [{"id": 1, "name": "X"}]
    assert caught.value.expected == 13


def test_fault_dropped_connection(smsc_server):
    smsc_server.faults.once(Drop())
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        call(smsc_server, f"{smsc_server.auth_query}&get=1")
    assert ask(smsc_server, "get=1&fmt=1") == b"0,-3"


def test_fault_delay_makes_a_client_time_out(smsc_server):
    smsc_server.faults.once(Delay(1.0))
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        call(smsc_server, f"{smsc_server.auth_query}&get=1", timeout=0.1)


def test_fault_plain_error_whatever_fmt(smsc_server):
    smsc_server.faults.once(PlainError(2))
    status, content_type, body = call(smsc_server, f"{smsc_server.auth_query}&add_group=1&name=x&fmt=3&charset=utf-8")
    assert (status, content_type, body) == (200, "application/json; charset=utf-8", b"ERROR = 2 (authorise error)")
    assert smsc_server.store.phones.groups() == []  # the command was not carried out


def test_fault_every_third_request(smsc_server):
    smsc_server.faults.every(3, ServerError())
    statuses = [call(smsc_server, f"{smsc_server.auth_query}&get=1&n={n}")[0] for n in range(7)]
    assert statuses == [200, 200, 500, 200, 200, 500, 200]
    smsc_server.faults.clear()
    assert call(smsc_server, f"{smsc_server.auth_query}&get=1&n=9")[0] == 200


@pytest.mark.parametrize(("text", "fault"), [
    ("500", ServerError()), ("cut", CutShort()), ("cut:0.25", CutShort(0.25)), ("delay:2", Delay(2.0)),
    ("drop", Drop()), ("error:9", PlainError(9)),
])
def test_parse_fault(text, fault):
    assert parse_fault(text) == fault


@pytest.mark.parametrize(("text", "message"), [
    ("boom", "unknown fault 'boom': one of 500, cut, delay, drop, error"),
    ("cut:1", "cut keeps a fraction in [0, 1), got 1"),
    ("drop:1", "fault 'drop' takes no argument"),
])
def test_parse_fault_refuses(text, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        parse_fault(text)


# -- life cycle -----------------------------------------------------------------------------------


def test_server_stops_cleanly_with_a_request_under_way():
    before = set(threading.enumerate())
    service = Service(account=Account("a", "b"), clock=FakeClock())
    service.faults.once(Delay(0.3))
    server = Server(service).start()
    errors = []

    def slow():
        try:
            call(server, "login=a&psw=b&get=1&fmt=1")
        except Exception as exc:  # pragma: no cover - shown if it happens
            errors.append(exc)

    client = threading.Thread(target=slow)
    client.start()
    while service.faults.seen == 0:  # until the request has arrived and is being delayed
        threading.Event().wait(0.01)
    server.stop()
    client.join()
    assert errors == []
    assert set(threading.enumerate()) == before
    port = int(server.url.rstrip("/").rsplit(":", 1)[1])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1)


def test_store_is_reachable_from_the_fixture(smsc_server):
    smsc_server.store.phones.execute(AddGroup(name="Office"))
    assert ask(smsc_server, "get_group=1&fmt=3") == b'[{\n"id": 1,\n"name": "Office"\n}]'


def test_mails_php_twin(smsc_server):
    """mails.php: `mail`/`mail_other` replace `phone`/`pho` (seed), the blacklist lists `email`."""
    path = {"path": "sys/mails.php"}
    assert ask(smsc_server, "add=1&mail=A%40b.ru&name=A&mail_other=c%40d.ru&fmt=1", **path) == b"1"
    assert ask(smsc_server, "add=1&mail=a%40b.ru&name=B&fmt=3", **path) == b'{\n"id": 2\n}'  # kept as sent
    assert ask(smsc_server, "chg=1&mail=A%40b.ru&new_mail=x%40y.ru&fmt=3", **path) == b"OK"
    assert ask(smsc_server, "get=1&fmt=0&charset=utf-8", **path) == (
        b"mail = x@y.ru, name = A, group = , first_name = , last_name = , middle_name = , birthday = , id = ,"
        b" comments = , tags = , mail_other = c@d.ru\n"
        b"mail = a@b.ru, name = B, group = , first_name = , last_name = , middle_name = , birthday = , id = ,"
        b" comments = , tags = , mail_other = "
    )
    assert ask(smsc_server, "add_black=1&mail=x%40y.ru&fmt=3", **path) == b'{\n"id": 3\n}'
    assert ask(smsc_server, "get_black=1&fmt=3", **path) == (
        b'[{\n"id": 3,\n"email": "x@y.ru",\n"type": 0,\n"comment": ""\n}]'
    )
    assert ask(smsc_server, "add=1&phone=1&name=x&fmt=3", **path) == ERRORS_FMT3[1]  # no `phone` there
    assert ask(smsc_server, "get=1&fmt=3") == ERRORS_FMT3[3]  # phones.php has its own book
