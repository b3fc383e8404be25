"""The fake service as its users meet it on a bad day (issue 17, section 2): parameters the real
service ignores, values that would forge records, clients that never finish their request, the
request log, the rate limiter's memory, and the one-line failures of ``fmtcodec serve``. Every
test talks to a real socket on 127.0.0.1 unless it is about the application alone."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.request

import pytest
from click.testing import CliRunner
from test_kit_service import ERRORS_FMT3, ask, call

from fmtcodec.cli import cli
from fmtcodec.kit.faults import Delay, Drop, ServerError
from fmtcodec.kit.serve import Server
from fmtcodec.kit.service import Account, FakeClock, Service
from fmtcodec.records import Contact


def _port(url: str) -> int:
    return int(url.rstrip("/").rsplit(":", 1)[1])


# -- parameters the provider ignores; --strict -------------------------------------------------------


def test_unknown_parameters_are_ignored_and_the_last_of_a_repeat_counts(smsc_server):
    """The provider's PHP pages read the parameters they know and ignore the rest; a client
    that adds a tracking or a cache-busting parameter works against them, so it must here."""
    assert ask(smsc_server, "add_group=1&name=A&name=Office&fmt=3&_=1717171717") == b'{\n"id": 1\n}'
    assert ask(smsc_server, "get_group=1&utm_source=x&fmt=1&fmt=3") == b'[{\n"id": 1,\n"name": "Office"\n}]'
    assert ask(smsc_server, "del=1&phone=1&grp=2&fmt=3") == ERRORS_FMT3[3]  # `grp` is not `del`'s: ignored


@pytest.mark.smsc_service(strict=True)
@pytest.mark.parametrize("query", ["get_group=1&utm_source=x", "del=1&phone=1&grp=2", "get_group=1&fmt=3"])
def test_strict_refuses_unknown_and_repeated_parameters_with_error_1(smsc_server, query):
    assert ask(smsc_server, f"{query}&fmt=3") == ERRORS_FMT3[1]


# -- a value cannot forge records -------------------------------------------------------------------

FORGERIES = [
    "add=1&phone=79990000001&name=Alice,,,,,,,,,%0A79990000666,FORGED",
    "add=1&phone=79990000001&name=Alice%0Aphone+%3D+79990000666,+name+%3D+FORGED",
    "add=1&phone=79990000001&name=Alice&cmt=x%0D%0A79990000666,FORGED,,,,,,,,,",
    "add_group=1&name=G%0Aid+%3D+666,+name+%3D+FORGED",
    "add_black=1&phone=79990000002&cmt=%0A79990000666",
]


@pytest.mark.parametrize("fmt", [0, 1])
@pytest.mark.parametrize("query", FORGERIES)
def test_a_line_break_in_a_value_is_error_1_and_lists_show_no_forged_record(smsc_server, query, fmt):
    assert ask(smsc_server, f"{query}&fmt={fmt}") == (b"ERROR = 1 (parameters error)" if fmt == 0 else b"0,-1")
    assert ask(smsc_server, "add=1&phone=79990000003&name=Bob") == b"ID = 1"
    assert ask(smsc_server, f"get=1&fmt={fmt}") == (
        b"phone = 79990000003, name = Bob, group = , first_name = , last_name = , middle_name = , "
        b"birthday = , id = , comments = , tags = , phone_other = " if fmt == 0 else b"79990000003,Bob,,,,,,,,,"
    )
    assert ask(smsc_server, f"get_group=1&fmt={fmt}") == (b"ERROR = 3 (record not found)" if fmt == 0 else b"0,-3")
    assert ask(smsc_server, f"get_black=1&fmt={fmt}") == (b"ERROR = 3 (record not found)" if fmt == 0 else b"0,-3")


def test_a_line_break_is_refused_in_a_change_too(smsc_server):
    ask(smsc_server, "add=1&phone=79990000003&name=Bob")
    assert ask(smsc_server, "chg=1&phone=79990000003&tags=a%0Db&fmt=3") == ERRORS_FMT3[1]
    assert smsc_server.store.phones.contacts == [Contact(phone="79990000003", name="Bob")]


# -- faults per page ------------------------------------------------------------------------------


def test_a_fault_can_be_for_one_page(smsc_server):
    smsc_server.faults.once(ServerError(), path="/sys/mails.php")
    assert call(smsc_server, f"{smsc_server.auth_query}&get=1&fmt=1")[0] == 200
    assert call(smsc_server, f"{smsc_server.auth_query}&get=1&fmt=1", path="sys/mails.php")[0] == 500
    assert call(smsc_server, f"{smsc_server.auth_query}&get=1&fmt=1&x=1", path="sys/mails.php")[0] == 200


# -- the request log ------------------------------------------------------------------------------


def _raw(url: str, request: bytes) -> bytes:
    """Send ``request`` as is and read the whole answer."""
    with socket.create_connection(("127.0.0.1", _port(url)), timeout=10) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("name", ["psw", "%70sw", "ps%77", "%50SW", "+psw"])
def test_the_log_masks_the_password_however_its_name_is_spelled(name):
    log = io.StringIO()
    with Server(Service(account=Account("a", "s3cret"), clock=FakeClock()), log=log) as server:
        _raw(server.url, f"GET /sys/phones.php?login=a&{name}=s3cret&%61pikey=k3y&get=1 HTTP/1.0\r\n\r\n".encode())
    assert "s3cret" not in log.getvalue()
    assert "k3y" not in log.getvalue()
    assert log.getvalue() == f'127.0.0.1 "GET /sys/phones.php?login=a&{name}=***&%61pikey=***&get=1" 200\n'


def test_the_log_escapes_control_characters():
    log = io.StringIO()
    with Server(Service(clock=FakeClock()), log=log) as server:
        _raw(server.url, b"GET /sys/phones.php?get=1&x=\x1b[2J\x1b]0;owned\x07\x9b HTTP/1.0\r\n\r\n")
    assert log.getvalue() == '127.0.0.1 "GET /sys/phones.php?get=1&x=\\x1b[2J\\x1b]0;owned\\x07\\x9b" 200\n'
    from fmtcodec.kit.serve import escape_controls

    assert escape_controls("a\\b\r\n\x7f") == "a\\\\b\\x0d\\x0a\\x7f"


def test_a_post_body_shorter_than_announced_is_not_carried_out():
    log = io.StringIO()
    service = Service(clock=FakeClock())
    with Server(service, log=log) as server, socket.create_connection(("127.0.0.1", _port(server.url))) as client:
        client.sendall(b"POST /sys/phones.php HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                       b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
                       b"login=demo&psw=demo&add_group=1&name=Al")
        client.shutdown(socket.SHUT_WR)  # the client sends no more
        reply = b""
        while chunk := client.recv(65536):
            reply += chunk
    assert reply.endswith(b"\r\n\r\nERROR = 1 (parameters error)")
    assert service.store.phones.groups() == []
    assert log.getvalue() == '127.0.0.1 "POST /sys/phones.php" 200 body cut short\n'


def test_a_dropped_connection_is_logged_as_dropped():
    log = io.StringIO()
    service = Service(clock=FakeClock())
    service.faults.once(Drop())
    with Server(service, log=log) as server:
        assert _raw(server.url, b"GET /sys/phones.php?login=demo&psw=demo&get=1 HTTP/1.0\r\n\r\n") == b""
        _raw(server.url, b"GET /sys/phones.php?login=demo&psw=demo&get=1 HTTP/1.0\r\n\r\n")
    # A line is written when its request ends; the dropped one ends after its socket is shut, which
    # is what lets the client send the second request, so either line may come first.
    assert sorted(log.getvalue().splitlines(keepends=True)) == [
        '127.0.0.1 "GET /sys/phones.php?login=demo&psw=***&get=1" 200\n',
        '127.0.0.1 "GET /sys/phones.php?login=demo&psw=***&get=1" dropped\n',
    ]


# -- the rate limiter: bounded memory, constant work --------------------------------------------------


def test_the_rate_limiter_remembers_a_bounded_number_of_requests_with_constant_work():
    assert Service().limiter.max_keys == 10_000
    service = Service(account=Account("a", "b"), clock=FakeClock(), rate_limit_keys=1000)
    requests = 1500
    for index in range(requests):
        assert service.respond("GET", "/sys/phones.php", f"login=a&psw=b&get=1&fmt=1&n={index}".encode()).body == b"0,-3"
    assert len(service.limiter) == 1000
    assert service.limiter.steps <= 2 * requests  # one look-up each, and each key forgotten once
    service.clock.advance(60)
    service.respond("GET", "/sys/phones.php", b"login=a&psw=b&get=1&fmt=1")
    assert len(service.limiter) == 1  # every key older than the window forgotten in one request


def test_the_rate_limiter_still_counts_identical_requests_among_many_distinct_ones():
    from fmtcodec.kit.ratelimit import RateLimiter, RateRule, request_key

    clock = FakeClock()
    limiter = RateLimiter(clock, max_keys=100)
    rule = RateRule(3)
    same = request_key(b"/sys/phones.php", b"get", b"1")
    assert [limiter.admit(same, rule) for _ in range(3)] == [True, True, True]
    for index in range(1000):
        clock.advance(0.01)
        assert limiter.admit(request_key(b"/sys/phones.php", str(index).encode()), rule)
        assert len(limiter) <= 100
    assert limiter.steps <= 3 * 1003
    clock.advance(50)
    assert limiter.admit(same, rule) is True  # forgotten to make room: counted afresh
    assert [limiter.admit(same, rule) for _ in range(3)] == [True, True, False]
    assert request_key(b"ab", b"c") != request_key(b"a", b"bc")


def test_the_rate_rule_is_the_pages():
    from fmtcodec.kit.ratelimit import RateRule

    service = Service(clock=FakeClock())
    key, rule = service.pages["/sys/phones.php"].rate([])
    assert (rule, len(key)) == (RateRule(3, 60.0), 16)


# -- no thread waits forever on a client ------------------------------------------------------------


def _handler_threads() -> int:
    return sum("process_request_thread" in thread.name for thread in threading.enumerate())


def test_stop_returns_while_clients_hold_a_half_sent_request_and_a_short_body():
    before = set(threading.enumerate())
    service = Service(clock=FakeClock())
    service.faults.once(Delay(60))  # longer than the join below: stopping must end it
    server = Server(service).start()
    slow, half, short = (socket.create_connection(("127.0.0.1", _port(server.url)), timeout=10) for _ in range(3))
    stopper = threading.Thread(target=server.stop)
    try:
        slow.sendall(b"GET /sys/mails.php?login=demo&psw=demo&get=1&fmt=1 HTTP/1.0\r\n\r\n")
        while service.faults.seen == 0:  # the slow request is being delayed
            threading.Event().wait(0.01)
        half.sendall(b"GET /sys/phones.php?login=demo&ps")
        short.sendall(b"POST /sys/phones.php HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\n\r\nlogin=demo&psw=demo&get=1")
        while _handler_threads() < 3 or service.faults.seen < 2:  # all three are in the server
            threading.Event().wait(0.01)
        stopper.start()
        stopper.join(30)
        assert not stopper.is_alive()
        reply = b""
        while chunk := slow.recv(65536):
            reply += chunk
        assert reply.endswith(b"\r\n\r\n0,-3")  # the delayed request is answered, not cut
        reply = b""
        while chunk := short.recv(65536):
            reply += chunk
        assert reply.endswith(b"\r\n\r\nERROR = 1 (parameters error)")  # not carried out as `get=1`
    finally:
        for connection in (half, short, slow):
            connection.close()
        if stopper.ident is not None:
            stopper.join()
        else:
            server.stop()
    assert set(threading.enumerate()) == before


def _serve(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "fmtcodec", "serve", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def test_cli_serve_stops_on_sigterm_with_a_half_sent_request():
    process = _serve("--login", "demo", "--psw", "demo", "--quiet")
    half = None
    try:
        url = process.stdout.readline().split()[-1]
        half = socket.create_connection(("127.0.0.1", _port(url)), timeout=10)
        half.sendall(b"GET /sys/phones.php?login=demo&ps")
        with urllib.request.urlopen(f"{url}sys/phones.php?login=demo&psw=demo&get=1&fmt=3", timeout=10) as reply:
            assert reply.read() == ERRORS_FMT3[3]  # the half-sent request has been accepted by now
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if half is not None:
            half.close()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (process.returncode, out, err) == (0, "", "")


def test_cli_serve_strict():
    process = _serve("--login", "demo", "--psw", "demo", "--strict", "--quiet")
    try:
        url = process.stdout.readline().split()[-1]
        with urllib.request.urlopen(f"{url}sys/phones.php?login=demo&psw=demo&get=1&fmt=3&utm=1", timeout=10) as reply:
            assert reply.read() == ERRORS_FMT3[1]
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_cli_serve_without_werkzeug_says_which_extra_in_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "werkzeug", None)
    monkeypatch.setitem(sys.modules, "werkzeug.serving", None)
    monkeypatch.delitem(sys.modules, "fmtcodec.kit.serve", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--login", "a", "--psw", "b"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "fmtcodec: serve needs werkzeug: pip install 'fmtcodec[server]'\n"


# -- a page is one entry in the table ------------------------------------------------------------------


class PingPage:
    """A toy page: everything around it (auth, fmt, charset, faults, error 9, strict) is the
    front's, which is what serving ``send.php`` or ``balance.php`` later relies on."""

    parameters = frozenset({"login", "psw", "apikey", "fmt", "charset", "ping"})

    def __init__(self) -> None:
        from fmtcodec.kit.store import ERROR_TEXTS

        self.errors = ERROR_TEXTS
        self.handled: list[str] = []

    def rate(self, pairs):
        from fmtcodec.kit.ratelimit import RateRule, request_key

        return request_key(b"/sys/ping.php"), RateRule(2)  # any two requests a minute, like balance's 10

    def handle(self, values, *, strict):
        from fmtcodec.kit.query import RequestError
        from fmtcodec.records import Ok

        if "ping" not in values:
            raise RequestError("no ping", parameter="ping", pos=0, snippet="", in_body=False)
        self.handled.append(values["ping"][0])
        return Ok()

    def write(self, value, fmt, charset):
        from fmtcodec import encode

        return encode(value, fmt=fmt, charset=charset)


def test_a_page_added_to_the_table_gets_auth_fmt_charset_faults_and_its_own_rate_rule():
    service = Service(account=Account("a", "b"), clock=FakeClock())
    page = PingPage()
    service.pages["/sys/ping.php"] = page
    with Server(service) as server:
        def ping(query):
            return call(server, query, path="sys/ping.php")

        assert ping("login=a&psw=x&ping=1&fmt=3") == (200, "application/json; charset=windows-1251", ERRORS_FMT3[2])
        assert ping("login=a&psw=b&ping=%D0%AF&fmt=2&charset=utf-8&utm=1") == (
            200, "text/xml; charset=utf-8", b'<?xml version="1.0" encoding="utf-8"?>\n<result>OK</result>')
        assert ping("login=a&psw=b&fmt=3&x=2")[2] == ERRORS_FMT3[1]  # no ping: error 1, counted
        assert ping("login=a&psw=b&ping=3&fmt=3")[2] == ERRORS_FMT3[9]  # the page's rule: 2 a minute
        service.clock.advance(60)
        service.faults.once(ServerError(), path="/sys/ping.php")
        assert ping("login=a&psw=b&ping=4")[0] == 500
        assert ping("login=a&psw=b&ping=5&fmt=1") == (200, "text/plain; charset=windows-1251", b"OK")
    assert page.handled == ["Я", "5"]
