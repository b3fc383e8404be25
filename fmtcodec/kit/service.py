"""The fake service as a WSGI application: the contacts pages (``/sys/phones.php``,
``/sys/mails.php``) and the sending pages (``/sys/send.php``, ``status.php``, ``balance.php``,
``senders.php``), plus ``/_fake/outbox``, the messages it accepted (JSON, outside the SMSC paths).

``Service.respond`` turns one request into one ``Reply`` (status, headers, body). The front is
shared by every page: the size limit, the IP block, reading the parameters (lenient or strict),
credentials, the rate limit with the page's own rule, and writing errors in the requested fmt and
charset. What a page reads and does is its ``Page`` (``pages.py``), kept by path in
``Service.pages``: serving another page is adding an entry there. ``Service.__call__`` is the
thin WSGI front, which also injects the faults. What the service does in each case, and why, is
spec/requests.md ("The fake service").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec

from fmtcodec.api import encode
from fmtcodec.charset import charset_label, normalize_charset
from fmtcodec.errors import EncodeError
from fmtcodec.kit.faults import CutShort, Delay, Drop, FaultPlan, PlainError, ServerError
from fmtcodec.kit.pages import DEFAULT_PROFILE, PROFILES, ContactsPage, Page, Profile
from fmtcodec.kit.query import RequestError, decode_params, reply_format, split_pairs
from fmtcodec.kit.ratelimit import RateLimiter
from fmtcodec.kit.send_pages import (
    BalancePage,
    MessageError,
    SendersPage,
    Sending,
    SendPage,
    StatusPage,
    default_epoch,
)
from fmtcodec.kit.sending import Outbox, SendingRules, Tariff, Tariffs
from fmtcodec.kit.store import ERROR_TEXTS, ServiceError, Store
from fmtcodec.records import Error

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "Account",
    "FakeClock",
    "Profile",
    "Reply",
    "Service",
]

CONTENT_TYPES = {0: "text/plain", 1: "text/plain", 2: "text/xml", 3: "application/json"}
"""``Content-Type`` by fmt, always with ``; charset=…`` (facts §1.4, §11; fmt 3 seen, others [U])."""

_SERVER_ERROR_PAGE = (
    b"<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
    b"<center><h1>500 Internal Server Error</h1></center>\r\n</body>\r\n</html>\r\n"
)

STOPPING = "fmtcodec.stopping"
"""WSGI environ key: a ``threading.Event`` set when the server stops (a ``Delay`` ends early)."""
OUTBOX_PATH = "/_fake/outbox"
"""The outbox as JSON: not an SMSC page (no SMSC path starts with ``/_fake/``)."""
LOG_NOTE = "fmtcodec.log_note"
"""WSGI environ key the service sets for the request log: ``dropped``, ``cut short``."""


@dataclass(frozen=True)
class Account:
    """The one account the fake serves: ``login`` with ``password``, and/or an ``apikey``."""

    login: str | None = "demo"
    password: str | None = "demo"
    apikey: str | None = None

    def admits(self, login: str | None, psw: str | None, apikey: str | None) -> bool:
        """``apikey`` alone, or ``login`` with ``psw`` being the password or its lower-case MD5
        hex (facts §1.4)."""
        if apikey is not None:
            return self.apikey is not None and _same(apikey, self.apikey)
        if login is None or psw is None or self.login is None or self.password is None:
            return False
        digest = hashlib.md5(self.password.encode("utf-8")).hexdigest()
        return login == self.login and (_same(psw, self.password) or _same(psw, digest))


def _same(given: str, secret: str) -> bool:
    """Constant-time comparison of any two texts (``compare_digest`` takes only ASCII ``str``)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), secret.encode("utf-8", "surrogatepass")
    )


class FakeClock:
    """A clock for the rate limit that moves only when told (``advance``)."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


@dataclass(frozen=True)
class Reply:
    """One HTTP answer."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes


class Service:
    """The fake SMSC service; a WSGI application.

    ``store`` holds the data (seed and inspect it), ``faults`` the fault plan, ``clock`` the
    clock of the rate limit, ``ip_blocked`` answers every request with error 4 while true,
    ``rate_limit`` switches error 9 off when false. Requests larger than ``max_request_bytes``
    (query string and form body together) are answered with error 1. Ids start at ``first_id``.
    ``strict`` refuses, with error 1, parameters a request does not take and parameters given
    twice, which the provider's pages ignore (unknown) or read by the last value (repeated).
    ``pages`` maps each path to its ``Page``; ``limiter`` is the rate limiter they share, which
    remembers at most ``rate_limit_keys`` distinct requests (the least recently seen forgotten).

    Sending: the account starts with ``balance`` (money in ``currency``); ``tariffs`` price a
    part by number prefix (``sending.DEFAULT_TARIFFS`` when ``None``); ``rules`` decide errors 6,
    7 and 8, failed deliveries and how fast statuses move; ``epoch`` is the Unix time at
    ``clock() == 0`` (by default the wall clock's now). ``sending`` holds all of it and the
    ``outbox``; ``GET /_fake/outbox`` lists it as JSON, ``DELETE /_fake/outbox`` empties it.
    """

    def __init__(
        self,
        *,
        account: Account | None = None,
        profile: str = DEFAULT_PROFILE,
        clock: Callable[[], float] = time.monotonic,
        rate_limit: bool = True,
        max_request_bytes: int = 32 * 1024,
        first_id: int = 1,
        strict: bool = False,
        rate_limit_keys: int = 10_000,
        balance: Decimal | str = Decimal("100.00"),
        currency: str = "RUR",
        tariffs: Iterable[Tariff] | Tariffs | None = None,
        rules: SendingRules | None = None,
        epoch: float | None = None,
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {', '.join(PROFILES)}, got {profile!r}")
        self.account = account if account is not None else Account()
        self.profile = PROFILES[profile]
        self.store = Store(ucfirst_groups=self.profile.ucfirst_groups, first_id=first_id)
        self.faults = FaultPlan()
        self.clock = clock
        self.rate_limit = rate_limit
        self.strict = strict
        self.ip_blocked = False
        self.max_request_bytes = max_request_bytes
        self.limiter = RateLimiter(self._now, max_keys=rate_limit_keys)
        self.pages: dict[str, Page] = {
            # facts §2.1: phones.php; mails.php by the seed's e-mail remarks; /sys/ as captured
            "/sys/phones.php": ContactsPage("/sys/phones.php", "phones", self.store, self.profile),
            "/sys/mails.php": ContactsPage("/sys/mails.php", "mails", self.store, self.profile),
        }
        if tariffs is None:
            tariffs = Tariffs()
        elif not isinstance(tariffs, Tariffs):
            tariffs = Tariffs(tariffs)
        self.sending = Sending(
            clock=self._now,
            epoch=default_epoch(self._now) if epoch is None else epoch,
            balance=Decimal(balance),
            currency=currency,
            tariffs=tariffs,
            rules=rules if rules is not None else SendingRules(),
        )
        for name, page in (
            ("send", SendPage),
            ("status", StatusPage),
            ("balance", BalancePage),
            ("senders", SendersPage),
        ):
            path = f"/sys/{name}.php"  # facts §4.1, §5.2, §7, §8: the pages beside phones.php
            self.pages[path] = page(path, self.sending, self.profile)

    @property
    def outbox(self) -> Outbox:
        """Every message accepted (``sending.outbox``)."""
        return self.sending.outbox

    def _now(self) -> float:
        return self.clock()

    # -- WSGI ------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == OUTBOX_PATH:
            reply = self._outbox_reply(environ.get("REQUEST_METHOD", "GET"))
            start_response(reply.status, [*reply.headers, ("Content-Length", str(len(reply.body)))])
            return [reply.body] if environ.get("REQUEST_METHOD") != "HEAD" else []
        fault = self.faults.next(path) if path in self.pages else None
        if isinstance(fault, Drop):
            connection = environ.get("werkzeug.socket")
            if connection is not None:
                connection.shutdown(socket.SHUT_RDWR)  # the server's write then fails quietly
            environ[LOG_NOTE] = "dropped"
            fault = CutShort(0.0)  # where the socket is out of reach: headers, then nothing
        if isinstance(fault, ServerError):
            reply = Reply("500 Internal Server Error", [("Content-Type", "text/html")], _SERVER_ERROR_PAGE)
        else:
            if isinstance(fault, Delay):
                stopping = environ.get(STOPPING)
                if isinstance(stopping, threading.Event):
                    stopping.wait(fault.seconds)  # a server that stops does not wait it out
                else:
                    time.sleep(fault.seconds)
            reply = self._wsgi_reply(environ, path, fault)
        headers = [*reply.headers, ("Content-Length", str(len(reply.body)))]
        body = reply.body
        if isinstance(fault, CutShort):
            headers.append(("Connection", "close"))
            body = body[: int(len(body) * fault.keep)]
            environ.setdefault(LOG_NOTE, "cut short")
        start_response(reply.status, headers)
        return [body] if environ.get("REQUEST_METHOD") != "HEAD" else []

    def _wsgi_reply(self, environ: dict[str, Any], path: str, fault: object) -> Reply:
        method = environ.get("REQUEST_METHOD", "GET")
        query = environ.get("QUERY_STRING", "").encode("latin-1", "replace")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = b""
        short = False
        if path in self.pages and method == "POST" and 0 < length <= self.max_request_bytes - len(query):
            body = environ["wsgi.input"].read(length)  # a larger body is not read at all
            # fewer bytes than announced: the client stopped sending (or the server is stopping);
            # what came is not the request, so nothing is carried out (error 1)
            short = len(body) < length
            if short:
                environ[LOG_NOTE] = "body cut short"
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        form = content_type in ("", "application/x-www-form-urlencoded")
        if isinstance(fault, PlainError):  # the command is not carried out
            fmt, charset = reply_format(split_pairs(query) + split_pairs(body if form else b"", in_body=True))
            page = self.pages[path]
            text = page.errors.get(fault.code, ERROR_TEXTS.get(fault.code, "error"))
            plain = encode(Error(fault.code, text), fmt=0, charset="windows-1251")
            return Reply("200 OK", [_content_type(fmt, charset)], plain)
        return self.respond(
            method,
            path,
            query,
            body if form else b"",
            size=len(query) + max(length, 0),
            unreadable_body=(bool(body) and not form) or short,
        )

    def _outbox_reply(self, method: str) -> Reply:
        """``GET /_fake/outbox``: the outbox as JSON; ``DELETE``: empty it."""
        if method in ("GET", "HEAD"):
            listing = {"messages": self.outbox.as_json(self.sending.now())}
            body = (json.dumps(listing, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            return Reply("200 OK", [("Content-Type", "application/json; charset=utf-8")], body)
        if method == "DELETE":
            self.outbox.clear()
            return Reply("204 No Content", [], b"")
        return Reply("405 Method Not Allowed", [("Allow", "GET, HEAD, DELETE")], b"")

    # -- one request, one reply ------------------------------------------------------------

    def respond(
        self,
        method: str,
        path: str,
        query: bytes,
        body: bytes = b"",
        *,
        size: int | None = None,
        unreadable_body: bool = False,
    ) -> Reply:
        """The reply to a request, without any fault; ``size`` is the request's size when the
        body was too large to read."""
        page = self.pages.get(path)
        if page is None:
            return Reply("404 Not Found", [("Content-Type", "text/plain")], b"404 Not Found")
        if method not in ("GET", "HEAD", "POST"):
            return Reply(
                "405 Method Not Allowed", [("Content-Type", "text/plain"), ("Allow", "GET, HEAD, POST")], b""
            )
        pairs = split_pairs(query) + split_pairs(body, in_body=True)
        fmt, charset = reply_format(pairs)
        if (len(query) + len(body) if size is None else size) > self.max_request_bytes:
            return self._error(page, 1, fmt, charset)
        if self.ip_blocked:
            return self._error(page, 4, fmt, charset)
        try:
            if unreadable_body:  # multipart/form-data and the like: not read (spec/requests.md)
                raise RequestError(
                    "a form body must be application/x-www-form-urlencoded",
                    parameter=None,
                    pos=0,
                    snippet="",
                    in_body=True,
                )
            values = decode_params(pairs, strict=self.strict, known=None if self.strict else page.parameters)
        except RequestError:
            return self._error(page, 1, fmt, charset)
        login, psw, apikey = (
            values[name][0] if name in values else None for name in ("login", "psw", "apikey")
        )
        if not self.account.admits(login, psw, apikey):
            return self._error(page, 2, fmt, charset)
        if self.rate_limit:
            rule = page.rate(pairs)
            if rule is not None and not self.limiter.admit(*rule):
                return self._error(page, 9, fmt, charset)
        try:
            result = page.handle(values, strict=self.strict)
        except RequestError:
            return self._error(page, 1, fmt, charset)
        except MessageError as exc:
            return self._error(page, exc.code, fmt, charset, message_id=exc.message_id)
        except ServiceError as exc:
            return self._error(page, exc.code, fmt, charset)
        try:
            reply = page.write(result, fmt, charset)
        except EncodeError as exc:
            why = _charset_problem(result, charset) or f"the reply cannot be written exactly: {exc}"
            return Reply(
                "500 Internal Server Error",
                [("Content-Type", "text/plain; charset=utf-8")],
                f"fmtcodec fake service: {why}\n".encode(),
            )
        return Reply("200 OK", [_content_type(fmt, charset)], reply)

    def _error(
        self, page: Page, code: int, fmt: int, charset: str, *, message_id: str | None = None
    ) -> Reply:
        error = Error(code, "" if fmt == 1 else page.errors[code], id=message_id)
        return Reply("200 OK", [_content_type(fmt, charset)], encode(error, fmt=fmt, charset=charset))


def _content_type(fmt: int, charset: str) -> tuple[str, str]:
    return ("Content-Type", f"{CONTENT_TYPES[fmt]}; charset={charset_label(charset)}")


def _charset_problem(value: Any, charset: str) -> str | None:
    """Where a stored value holds a character ``charset`` cannot carry, said as a charset problem:
    ``record 1, `name`: character '😀' (U+1F600) cannot be written in windows-1251 (ask with
    charset=utf-8)``; ``None`` when every value fits (the trouble is elsewhere)."""
    codec = normalize_charset(charset)
    records = value if isinstance(value, list) else [value]
    for index, record in enumerate(records):
        if not isinstance(record, msgspec.Struct):
            continue
        for name in record.__struct_fields__:
            text = getattr(record, name)
            if not isinstance(text, str):
                continue
            try:
                text.encode(codec)
            except UnicodeEncodeError as exc:
                char = text[exc.start]
                return (
                    f"the reply charset {charset_label(codec)} cannot carry a stored value: record"
                    f" {index + 1}, `{name}`: character {char!r} (U+{ord(char):04X}) at character"
                    f" {exc.start} (ask with charset=utf-8)"
                )
    return None
