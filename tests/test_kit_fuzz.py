"""Fuzzed requests never crash the fake service: every answer is a reply fmtcodec decodes, in
the fmt and charset the request asked for, and error 1 exactly when the request reader refuses."""

from __future__ import annotations

import http.client
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fmtcodec import decode
from fmtcodec.api import REPLY_TYPES
from fmtcodec.kit.commands import COMMANDS, AddContact, AddGroup
from fmtcodec.kit.query import RequestError, read_request, reply_format, split_pairs
from fmtcodec.kit.serve import Server
from fmtcodec.kit.service import Account, FakeClock, Service
from fmtcodec.records import Error

NAMES = [*COMMANDS, "login", "psw", "apikey", "fmt", "charset", "phone", "new_phone", "name", "grp", "num",
         "fnm", "mnm", "lnm", "bd", "myid", "cmt", "tags", "pho", "lmt", "mail", "mail_other", "x", ""]
VALUES = st.one_of(
    st.sampled_from(["1", "2", "3", "0", "", "05", "-1", "utf-8", "koi8-r", "windows-1251", "latin1",
                     "79990000001", "79990000002", "%2B7+999", "%C8%E2", "%D0%98", "%98", "%FF", "1%2C2",
                     "01.01.1990", "demo", "a%26b", "%", "%zz", "+"]),
    st.binary(max_size=6).map(lambda raw: quote_from_bytes(raw, safe="")),
    st.text(alphabet="0123456789,.+%&=abc", max_size=6),
)
PAIR = st.tuples(st.sampled_from(NAMES), VALUES).map(lambda pair: f"{pair[0]}={pair[1]}")


VALID = [
    "get=1", "get_group=1", "get_black=1", "add_group=1&name=Sales", "add_group=1&name=B&num=7",
    "chg_group=1&grp=1&name=Main", "del_group=1&grp=1", "add=1&phone=79990000002&name=%CF%E5%F2%FF",
    "add=1&phone=79990000003&name=A&grp=1&bd=01.01.1990&tags=t&pho=%2B7", "chg=1&phone=79990000001&name=B",
    "chg=1&phone=79990000001&new_phone=79990000005", "del=1&phone=79990000001",
    "move_group=2&grp=1&phone=79990000001", "move_group=3&grp=1&phone=79990000001",
    "add_black=1&phone=79990000009", "del_black=1&phone=79990000009",
]


@st.composite
def queries(draw: st.DrawFn) -> str:
    """A valid request (with credentials, fmt and charset) mutated a little, or random pairs."""
    if draw(st.booleans()):
        pieces = draw(st.sampled_from(VALID)).split("&")
        pieces += ["login=demo", "psw=demo"]
        pieces += draw(st.lists(st.sampled_from(["fmt=0", "fmt=1", "fmt=2", "fmt=3", "charset=utf-8",
                                                 "charset=koi8-r", "charset=windows-1251"]), max_size=2))
        for _ in range(draw(st.integers(0, 2))):
            action = draw(st.sampled_from(["drop", "add", "change"]))
            where = draw(st.integers(0, len(pieces) - 1))
            if action == "drop":
                del pieces[where]
            elif action == "add":
                pieces.insert(where, draw(PAIR))
            else:
                pieces[where] = pieces[where].split("=")[0] + "=" + draw(VALUES)
            if not pieces:
                break
        pieces = draw(st.permutations(pieces))
    else:
        pieces = draw(st.lists(PAIR, max_size=7))
    return "&".join(pieces)


def _service() -> Service:
    service = Service(account=Account("demo", "demo"), clock=FakeClock(), rate_limit=False)
    book = service.store.phones
    book.execute(AddGroup(name="Office"))
    book.execute(AddContact(phone="79990000001", name="Иван", grp="1"))
    return service


def _check(query: str, status: int, content_type: str, body: bytes) -> None:
    assert status == 200, body
    fmt, charset = reply_format(split_pairs(query))
    label = {"cp1251": "windows-1251"}.get(charset, charset)
    kind = {0: "text/plain", 1: "text/plain", 2: "text/xml", 3: "application/json"}[fmt]
    assert content_type == f"{kind}; charset={label}"
    try:
        error = decode(body, Error, fmt=fmt, charset=charset)
    except Exception:  # not an error reply: a success, which must decode as what was asked
        error = None
    try:
        request = read_request(query)
    except RequestError:
        request = None
    pieces = query.split("&")
    names = [piece.partition("=")[0] for piece in pieces]
    authorised = {"login=demo", "psw=demo"} <= set(pieces) and "apikey" not in names \
        and names.count("login") == names.count("psw") == 1
    if request is None and authorised:
        assert error is not None, body  # the reader and the service agree
        assert error.error_code == 1, body
    if error is None:
        assert request is not None
        command = type(request.command).__name__
        kinds = {"ListContacts": "contacts", "ListGroups": "groups", "ListBlacklist": "blacklist"}
        expected = REPLY_TYPES[kinds.get(command, "created" if command.startswith("Add") else "ok")]
        decode(body, expected, fmt=fmt, charset=charset)
    else:
        assert error.error_code in (1, 2, 3, 5)


@given(queries())
def test_fuzzed_queries_in_process(query):
    service = _service()
    reply = service.respond("GET", "/sys/phones.php", query.encode("latin-1"))
    headers = dict(reply.headers)
    _check(query, int(reply.status[:3]), headers["Content-Type"], reply.body)


@given(queries())
def test_fuzzed_form_bodies_in_process(query):
    service = _service()
    reply = service.respond("POST", "/sys/phones.php", b"", query.encode("latin-1"))
    headers = dict(reply.headers)
    _check(query, int(reply.status[:3]), headers["Content-Type"], reply.body)


@pytest.fixture(scope="module")
def served():
    service = _service()
    with Server(service) as server:
        yield server


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=queries())
def test_fuzzed_queries_over_http(served, query):
    host, port = served.url[len("http://"):-1].rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", "/sys/phones.php?" + query)
        reply = connection.getresponse()
        body = reply.read()
    finally:
        connection.close()
    served.service.store.clear()  # the next example starts from the same data
    served.service.store.phones.execute(AddGroup(name="Office"))
    served.service.store.phones.execute(AddContact(phone="79990000001", name="Иван", grp="1"))
    _check(query, reply.status, reply.getheader("Content-Type"), body)
