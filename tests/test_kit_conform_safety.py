"""The runner against endpoints it does not control (issue 17, section 3): redirects elsewhere, huge
and dripping replies, charsets outside the three, bad Locations, hosts that do not answer, and URLs
and options checked before any request. Every hostile server here is a real socket on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner

from fmtcodec.cli import cli
from fmtcodec.kit.conform import NONCONFORM, Runner
from fmtcodec.kit.faults import PlainError
from fmtcodec.kit.serve import Server
from fmtcodec.kit.service import Account, FakeClock, Service

Answer = tuple[int, list[tuple[str, str]], bytes]

ADD_GROUP = "add a group"


class Hostile:
    """A stdlib HTTP server on a free loopback port answering every GET with ``answer(path)``;
    ``paths`` lists the requests it got."""

    def __init__(self, answer: Callable[[str], Answer]) -> None:
        self.paths: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.paths.append(self.path)
                status, headers, body = answer(self.path)
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})

    def __enter__(self) -> Hostile:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()


def run(url: str, **options: object):
    options = {"login": "a", "psw": "b", "fmts": [3], "charsets": ["utf-8"], "sleep": lambda s: None, **options}
    return Runner(url, **options).run()


def first_problem(report) -> str:
    return report.steps[0].problem


# -- redirects ------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere() -> Iterator[Server]:
    """A fake service the hostile one redirects to: it must never be asked anything."""
    with Server(Service(account=Account("a", "b"), clock=FakeClock())) as server:
        yield server


@pytest.mark.parametrize("where", ["http://127.0.0.1:{other}", "http://localhost:{port}", "https://127.0.0.1:{port}",
                                   "//127.0.0.1:{other}"])
def test_a_redirect_to_another_origin_is_not_followed(elsewhere, where):
    other = int(elsewhere.url.rstrip("/").rsplit(":", 1)[1])
    holder: dict[str, int] = {}

    def answer(path: str) -> Answer:
        target = where.format(other=other, port=holder["port"]) + path
        return 302, [("Location", target)], b""

    with Hostile(answer) as hostile:
        holder["port"] = hostile.port
        report = run(hostile.url)
    target = where.format(other=other, port=hostile.port)  # shown as sent
    assert report.outcome == NONCONFORM
    assert first_problem(report).startswith(f"HTTP 302 to another origin, '{target}/sys/phones.php?add_group=1&")
    assert first_problem(report).endswith("': not followed")
    assert "&psw=***&" in first_problem(report)  # the query of the Location is shown masked
    assert elsewhere.service.faults.seen == 0
    assert len(hostile.paths) == 1


@pytest.mark.parametrize(("location", "problem"), [
    ("file:///etc/passwd", "HTTP 301 to 'file:///etc/passwd', not http or https: not followed"),
    ("ftp://127.0.0.1/x", "HTTP 301 to 'ftp://127.0.0.1/x', not http or https: not followed"),
    ("javascript:alert(1)", "HTTP 301 to 'javascript:alert(1)', not http or https: not followed"),
    ("http://[::1", "HTTP 301 with a bad Location 'http://[::1': Invalid IPv6 URL"),
    ("http://127.0.0.1:99999/", "HTTP 301 with a bad Location 'http://127.0.0.1:99999/': Port out of range 0-65535"),
    ("http://127.0.0.1:port/", "HTTP 301 with a bad Location 'http://127.0.0.1:port/': Port could not be cast to integer value as 'port'"),
    ("http:///sys", "HTTP 301 with a bad Location 'http:///sys': no host"),
    ("", "HTTP 301 without a Location"),
])
def test_a_bad_or_non_http_location_is_one_reported_step(location, problem):
    headers = [("Location", location)] if location else []
    with Hostile(lambda path: (301, headers, b"")) as hostile:
        report = run(hostile.url)
    assert report.outcome == NONCONFORM
    assert first_problem(report) == problem
    assert [step.name for step in report.steps] == [ADD_GROUP]  # nothing created: nothing to clean up


def test_redirects_within_the_origin_are_followed_and_noted():
    class Moved(Service):
        def __call__(self, environ, start_response):
            if environ["PATH_INFO"] == "/sys/phones.php":
                start_response("302 Found", [("Location", "/v2/sys/phones.php?" + environ["QUERY_STRING"])])
                return [b""]
            environ["PATH_INFO"] = environ["PATH_INFO"].removeprefix("/v2")
            return super().__call__(environ, start_response)

    with Server(Moved(account=Account("a", "b"), clock=FakeClock())) as server:
        report = run(server.url)
    assert report.outcome == 0, [step.problem for step in report.steps]
    assert report.steps[0].drift == [f"redirected to {server.url}v2/sys/phones.php?add_group=1&login=a&psw=***"
                                     f"&name={report.steps[0].request.split('name=')[1]}"]


def test_a_redirect_loop_ends():
    with Hostile(lambda path: (307, [("Location", path)], b"")) as hostile:
        report = run(hostile.url)
    assert first_problem(report).startswith("more than 5 redirects (last to http://127.0.0.1:")
    assert len(hostile.paths) == 6


# -- bounded replies -------------------------------------------------------------------------------


def test_a_reply_larger_than_the_bound_is_not_read():
    body = b'{\n"id": 1\n}' + b" " * 5000
    with Hostile(lambda path: (200, [("Content-Length", str(len(body)))], body)) as hostile:
        report = run(hostile.url, max_reply_bytes=1000)
    assert first_problem(report) == "reply of 5011 bytes, more than the 1000 allowed: not read"


def test_a_reply_without_length_is_read_up_to_the_bound_only():
    body = b'{\n"id": 1\n}' + b" " * 5000
    with Hostile(lambda path: (200, [], body)) as hostile:
        report = run(hostile.url, max_reply_bytes=1000)
    assert first_problem(report) == "reply larger than the 1000 bytes allowed: not read further"
    with Hostile(lambda path: (200, [("Content-Type", "application/json; charset=utf-8")], body)) as hostile:
        assert run(hostile.url, max_reply_bytes=5011).steps[0].problem == ""


class Dripper:
    """A server that accepts one connection and sends an endless status line, one byte every
    ``interval`` seconds, until the client goes away or ``limit`` bytes are sent."""

    def __init__(self, interval: float = 0.1, limit: int = 400) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/"
        self.interval, self.limit = interval, limit
        self.sent = 0
        self.client_left = False
        self.thread = threading.Thread(target=self._drip)
        self.thread.start()

    def _drip(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            connection.recv(65536)
            pause = threading.Event()
            for byte in (b"HTTP/1.1 200 OK\r\nX-Drip: " + b"a" * self.limit)[: self.limit]:
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    self.client_left = True
                    return
                self.sent += 1
                pause.wait(self.interval)

    def close(self) -> None:
        self.thread.join()
        self.listener.close()


def test_timeout_bounds_the_whole_request_against_a_dripping_server():
    dripper = Dripper()
    try:
        report = run(dripper.url, timeout=0.5)
    finally:
        dripper.close()
    assert first_problem(report) == "no whole reply within 0.5 s"
    assert report.outcome == NONCONFORM
    assert dripper.client_left  # the runner hung up, not the server
    assert dripper.sent < dripper.limit


# -- what the reply says --------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["iso-8859-1", "latin1", '"cp1252"', "x" * 100])
def test_a_charset_outside_the_three_is_one_reported_step(charset):
    headers = [("Content-Type", f"application/json; charset={charset}")]
    with Hostile(lambda path: (200, headers, b'{\n"id": 1\n}')) as hostile:
        report = run(hostile.url)
    shown = charset.strip('"')
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    assert first_problem(report) == f"reply in charset {shown!r}, none of utf-8, windows-1251, koi8-r"


# -- unreachable is not nonconformance --------------------------------------------------------------


def _closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return listener.getsockname()[1]


def test_an_unreachable_host_is_one_step_and_its_own_outcome():
    port = _closed_port()
    report = run(f"http://127.0.0.1:{port}/")
    assert (report.outcome, report.unreachable) == (4, f"cannot connect to 127.0.0.1:{port}: connection refused")
    assert [(step.name, step.problem) for step in report.steps] == [
        (ADD_GROUP, f"unreachable: cannot connect to 127.0.0.1:{port}: connection refused")
    ]
    assert report.to_dict()["outcome"] == "unreachable"


def test_cli_unreachable_exits_4_with_one_line():
    port = _closed_port()
    result = CliRunner().invoke(cli, ["conform", f"http://127.0.0.1:{port}", "--apikey", "k", "--to", "json"])
    assert result.exit_code == 4
    report = json.loads(result.stdout)
    assert (report["outcome"], report["unreachable"], len(report["steps"])) == (
        "unreachable", f"cannot connect to 127.0.0.1:{port}: connection refused", 1)
    table = CliRunner().invoke(cli, ["conform", f"http://127.0.0.1:{port}", "--apikey", "k"])
    assert table.exit_code == 4
    assert table.stdout.rstrip().endswith(f"\nunreachable: cannot connect to 127.0.0.1:{port}: connection refused")
    assert "refused: refused" not in table.stdout


# -- checked before any request -------------------------------------------------------------------


@pytest.mark.parametrize(("url", "message"), [
    ("127.0.0.1:{port}", "'127.0.0.1:{port}' has no scheme: did you mean http://127.0.0.1:{port}?"),
    ("localhost:{port}", "'localhost:{port}' has no scheme: did you mean http://localhost:{port}?"),
    ("http://127.0.0.1:{port}/sys/phones.php",
     "'http://127.0.0.1:{port}/sys/phones.php' is the address of a page: give the base URL, e.g."
     " http://127.0.0.1:{port}/ (the runner adds sys/phones.php)"),
    ("http://127.0.0.1:{port}/api/sys/",
     "'http://127.0.0.1:{port}/api/sys/' is the address of a page: give the base URL, e.g."
     " http://127.0.0.1:{port}/api/ (the runner adds sys/phones.php)"),
    ("http://127.0.0.1:{port}/?login=a", "'http://127.0.0.1:{port}/?login=a' has a query or a fragment: give the site's base URL only"),
    ("ftp://127.0.0.1:{port}/", "'ftp://127.0.0.1:{port}/': the runner speaks http and https only, not 'ftp'"),
    ("http://a:b@127.0.0.1:{port}/", "'http://a:b@127.0.0.1:{port}/' holds credentials: give them with --login/--psw or --apikey"),
    ("http://127.0.0.1:99999/", "'http://127.0.0.1:99999/' is not a usable URL: Port out of range 0-65535"),
    ("http:///", "'http:///' names no host"),
])
def test_cli_conform_checks_the_url_before_any_request(smsc_server, url, message):
    port = smsc_server.url.rstrip("/").rsplit(":", 1)[1]
    result = CliRunner().invoke(cli, ["conform", url.format(port=port), "--apikey", "k"])
    assert result.exit_code == 2
    assert f"Error: {message.format(port=port)}" in " ".join(result.stderr.split())
    assert smsc_server.service.faults.seen == 0


@pytest.mark.parametrize("timeout", ["-1", "0", "nan", "inf", "-inf"])
def test_cli_conform_refuses_a_timeout_that_bounds_nothing(timeout):
    result = CliRunner().invoke(cli, ["conform", "http://127.0.0.1:9/", "--apikey", "k", "--timeout", timeout])
    assert result.exit_code == 2
    assert f"Error: timeout must be a number of seconds above 0, got {float(timeout)!r}" in result.stderr


def test_cli_conform_refuses_a_zero_reply_bound():
    result = CliRunner().invoke(cli, ["conform", "http://127.0.0.1:9/", "--apikey", "k", "--max-reply-bytes", "0"])
    assert result.exit_code == 2
    assert "--max-reply-bytes" in result.stderr


# -- waiting out error 9 is said --------------------------------------------------------------------


def test_the_runner_says_so_while_it_waits_out_error_9(smsc_server):
    smsc_server.faults.once(PlainError(9), times=2)
    notes: list[str] = []
    waits: list[float] = []
    report = Runner(smsc_server.url, login=smsc_server.login, psw=smsc_server.psw, sleep=waits.append,
                    notify=notes.append).run()
    assert waits == [60.0, 60.0]
    assert notes == [
        "add a group: error 9 (too many requests), waiting 60 s before try 2 of 3",
        "add a group: error 9 (too many requests), waiting 60 s before try 3 of 3",
    ]
    assert report.outcome == 0


def test_the_runner_says_so_while_it_paces_identical_requests():
    now = [0.0]
    notes: list[str] = []
    runner = Runner("http://127.0.0.1:9/", login="a", psw="b", sleep=lambda s: None, clock=lambda: now[0],
                    notify=notes.append)
    for moment in (0.0, 10.0, 20.0, 30.0):
        now[0] = moment
        runner._pace("get=1")
    assert notes == ["waiting 30 s: no more than three identical requests a minute (error 9)"]
