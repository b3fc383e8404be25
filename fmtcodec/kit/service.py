"""The fake contacts service as a WSGI application: ``/sys/phones.php`` and ``/sys/mails.php``.

``Service.respond`` turns one request into one ``Reply`` (status, headers, body): credentials,
rate limit and IP block, the command read by ``query.read_command``, carried out by the
``store.Book``, and the result written by fmtcodec's own encoders in the requested fmt and
charset. ``Service.__call__`` is the thin WSGI front, which also injects the faults. What the
service does in each case, and why, is spec/requests.md ("The fake service").
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from fmtcodec import json as json_codec
from fmtcodec.api import encode
from fmtcodec.charset import charset_label, encode_text
from fmtcodec.errors import EncodeError
from fmtcodec.kit.commands import ServiceName
from fmtcodec.kit.faults import CutShort, Delay, Drop, FaultPlan, PlainError, ServerError
from fmtcodec.kit.query import RequestError, decode_params, read_command, reply_format, split_pairs
from fmtcodec.kit.store import ERROR_TEXTS, ServiceError, Store
from fmtcodec.layout import LAYOUTS, RecordLayout
from fmtcodec.records import Contact, Error, MailContact, Ok

__all__ = [
    "DEFAULT_PROFILE",
    "PATHS",
    "PROFILES",
    "Account",
    "FakeClock",
    "Profile",
    "Reply",
    "Service",
]

PATHS: dict[str, ServiceName] = {"/sys/phones.php": "phones", "/sys/mails.php": "mails"}
"""The service's paths (facts §2.1: ``phones.php``; ``mails.php`` by the seed's e-mail remarks)."""


@dataclass(frozen=True)
class Profile:
    """How the service writes what the sources disagree on (facts §14.1, §14.5, §14.13)."""

    name: str
    bare_ok: bool
    """fmt 3 change/delete answered by the two bytes ``OK`` (captures 15, 21, 27, 29)."""
    group_cnt: bool
    """group lists carry ``cnt`` (seed; never in the 2013 captures 25, 46)."""
    group_number: bool
    """fmt 3 contact ``group`` a bare number (seed ``"group": <group>``; capture 28 quotes it)."""
    ucfirst_groups: bool
    """group names stored with the first ASCII letter upper-cased (captures 12-14 vs 25)."""


PROFILES = {
    "2013": Profile("2013", bare_ok=True, group_cnt=False, group_number=False, ucfirst_groups=True),
    "doc": Profile("doc", bare_ok=False, group_cnt=True, group_number=True, ucfirst_groups=False),
}
"""``2013``: as the server captured in May 2013 answered; ``doc``: as the seed page documents."""

DEFAULT_PROFILE = "2013"
"""The only profile backed by real server bytes; later clients still expect its bare ``OK``
(facts §3.3, rmdm/node-smsc). spec/requests.md, "Profiles", gives the whole reasoning."""

CONTENT_TYPES = {0: "text/plain", 1: "text/plain", 2: "text/xml", 3: "application/json"}
"""``Content-Type`` by fmt, always with ``; charset=…`` (facts §1.4, §11; fmt 3 seen, others [U])."""

RATE_WINDOW = 60.0
RATE_LIMIT = 3
"""More than three identical requests within a minute: error 9 (seed, code 9)."""

_SERVER_ERROR_PAGE = (
    b"<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
    b"<center><h1>500 Internal Server Error</h1></center>\r\n</body>\r\n</html>\r\n"
)


def _group_as_number(kind: str) -> RecordLayout:
    """The layout of ``kind`` with ``group`` spelled as a JSON number: the fmt 3 encoder writes
    it bare where it is one id (the seed's ``"group": <group>``) and quoted otherwise."""
    layout = LAYOUTS[kind]
    fields = tuple(replace(f, json="number") if f.name == "group" else f for f in layout.fields)
    return replace(layout, fields=fields)


_GROUP_AS_NUMBER = {kind: _group_as_number(kind) for kind in ("contact", "mail_contact")}


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
    """The fake contacts service; a WSGI application.

    ``store`` holds the data (seed and inspect it), ``faults`` the fault plan, ``clock`` the
    clock of the rate limit, ``ip_blocked`` answers every request with error 4 while true,
    ``rate_limit`` switches error 9 off when false. Requests larger than ``max_request_bytes``
    (query string and form body together) are answered with error 1. Ids start at ``first_id``.
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
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {', '.join(PROFILES)}, got {profile!r}")
        self.account = account if account is not None else Account()
        self.profile = PROFILES[profile]
        self.store = Store(ucfirst_groups=self.profile.ucfirst_groups, first_id=first_id)
        self.faults = FaultPlan()
        self.clock = clock
        self.rate_limit = rate_limit
        self.ip_blocked = False
        self.max_request_bytes = max_request_bytes
        self._seen: dict[tuple[str, tuple[tuple[str, bytes], ...]], collections.deque[float]] = {}
        self._seen_lock = threading.Lock()

    # -- WSGI ------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        fault = self.faults.next() if path in PATHS else None
        if isinstance(fault, Drop):
            connection = environ.get("werkzeug.socket")
            if connection is not None:
                connection.shutdown(socket.SHUT_RDWR)  # the server's write then fails quietly
            fault = CutShort(0.0)  # where the socket is out of reach: headers, then nothing
        if isinstance(fault, ServerError):
            reply = Reply("500 Internal Server Error", [("Content-Type", "text/html")], _SERVER_ERROR_PAGE)
        else:
            if isinstance(fault, Delay):
                time.sleep(fault.seconds)
            reply = self._wsgi_reply(environ, path, fault)
        headers = [*reply.headers, ("Content-Length", str(len(reply.body)))]
        body = reply.body
        if isinstance(fault, CutShort):
            headers.append(("Connection", "close"))
            body = body[: int(len(body) * fault.keep)]
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
        if path in PATHS and method == "POST" and 0 < length <= self.max_request_bytes - len(query):
            body = environ["wsgi.input"].read(length)  # a larger body is not read at all
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        form = content_type in ("", "application/x-www-form-urlencoded")
        if isinstance(fault, PlainError):  # the command is not carried out
            fmt, charset = reply_format(split_pairs(query) + split_pairs(body if form else b"", in_body=True))
            text = ERROR_TEXTS.get(fault.code, "error")
            plain = encode(Error(fault.code, text), fmt=0, charset="windows-1251")
            return Reply("200 OK", [_content_type(fmt, charset)], plain)
        return self.respond(
            method,
            path,
            query,
            body if form else b"",
            size=len(query) + max(length, 0),
            unreadable_body=bool(body) and not form,
        )

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
        service = PATHS.get(path)
        if service is None:
            return Reply("404 Not Found", [("Content-Type", "text/plain")], b"404 Not Found")
        if method not in ("GET", "HEAD", "POST"):
            return Reply(
                "405 Method Not Allowed", [("Content-Type", "text/plain"), ("Allow", "GET, HEAD, POST")], b""
            )
        pairs = split_pairs(query) + split_pairs(body, in_body=True)
        fmt, charset = reply_format(pairs)
        if (len(query) + len(body) if size is None else size) > self.max_request_bytes:
            return self._error(1, fmt, charset)
        if self.ip_blocked:
            return self._error(4, fmt, charset)
        try:
            if unreadable_body:  # multipart/form-data and the like: not read (spec/requests.md)
                raise RequestError(
                    "a form body must be application/x-www-form-urlencoded",
                    parameter=None,
                    pos=0,
                    snippet="",
                    in_body=True,
                )
            values = decode_params(pairs)
        except RequestError:
            return self._error(1, fmt, charset)
        login, psw, apikey = (
            values[name][0] if name in values else None for name in ("login", "psw", "apikey")
        )
        if not self.account.admits(login, psw, apikey):
            return self._error(2, fmt, charset)
        if self._too_many(path, pairs):
            return self._error(9, fmt, charset)
        try:
            command = read_command(values, service)
            result = self.store.book(service).execute(command, with_cnt=self.profile.group_cnt)
        except RequestError:
            return self._error(1, fmt, charset)
        except ServiceError as exc:
            return self._error(exc.code, fmt, charset)
        return self._reply(result, fmt, charset, bare_ok=isinstance(result, Ok) and self.profile.bare_ok)

    def _too_many(self, path: str, pairs: list[Any]) -> bool:
        """A fourth identical request within a minute (seed, code 9); error 9 replies not counted."""
        if not self.rate_limit:
            return False
        key = (path, tuple(sorted((pair.name, pair.raw) for pair in pairs)))
        now = self.clock()
        with self._seen_lock:
            times = self._seen.setdefault(key, collections.deque())
            while times and now - times[0] >= RATE_WINDOW:
                times.popleft()
            if len(times) >= RATE_LIMIT:
                return True
            times.append(now)
            if len(self._seen) > 10_000:  # forget requests older than the window
                self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < RATE_WINDOW}
            return False

    def _error(self, code: int, fmt: int, charset: str) -> Reply:
        error = Error(code, "" if fmt == 1 else ERROR_TEXTS[code])
        return self._reply(error, fmt, charset)

    def _reply(self, value: Any, fmt: int, charset: str, *, bare_ok: bool = False) -> Reply:
        header = [_content_type(fmt, charset)]
        try:
            if bare_ok and fmt == 3:
                body = encode(Ok(), fmt=0, charset=charset)  # the two bytes OK (captures 15, 21, 27, 29)
            elif (
                fmt == 3
                and self.profile.group_number
                and isinstance(value, list)
                and value
                and isinstance(value[0], Contact | MailContact)
            ):
                body = encode_text(_contacts_with_group_numbers(value), charset, fmt)
            else:
                # fmt 0/1 rows as the provider writes them, nothing escaped, even where they do
                # not read back (a contact in two groups in fmt 1): spec/formats.md, "As the server
                # writes".  What is still refused is a character the charset cannot carry.
                body = encode(value, fmt=fmt, charset=charset, strict=False)
        except EncodeError as exc:
            why = f"fmtcodec fake service: the reply cannot be written exactly: {exc}\n"
            return Reply(
                "500 Internal Server Error", [("Content-Type", "text/plain; charset=utf-8")], why.encode()
            )
        return Reply("200 OK", header, body)


def _content_type(fmt: int, charset: str) -> tuple[str, str]:
    return ("Content-Type", f"{CONTENT_TYPES[fmt]}; charset={charset_label(charset)}")


def _contacts_with_group_numbers(records: list[Any]) -> str:
    """fmt 3 contacts with ``group`` bare where it is one id (the seed's ``"group": <group>``)."""
    kind = "mail_contact" if isinstance(records[0], MailContact) else "contact"
    return json_codec.encode_records(records, _GROUP_AS_NUMBER[kind], "utf-8")
