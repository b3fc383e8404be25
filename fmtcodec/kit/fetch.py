"""One GET against an endpoint the runner does not control, safe against a hostile or broken one.

``fetch`` follows a redirect only within the same origin (scheme, host and port) and only to
``http``/``https``; reads at most ``max_bytes`` of a reply body; and bounds the **whole** request
-- connecting, sending, every header line, every body byte, every redirect -- by one deadline: a
watchdog closes the socket when it passes, so a server dripping one byte a second cannot hold
the runner (a socket timeout alone bounds each read, not their sum).

It raises ``Unreachable`` when no connection could be made (name not found, refused, no route,
TLS handshake refused, connect timeout) and ``FetchError`` for every other way of not getting a
whole reply; both carry one line saying why. ``check_base_url`` refuses, with a hint, a base URL
the runner cannot use, before any request is made. Only the standard library is used.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urljoin, urlsplit

from fmtcodec.kit.query import mask_credentials

__all__ = [
    "MAX_REDIRECTS",
    "MAX_REPLY_BYTES",
    "FetchError",
    "Fetched",
    "Unreachable",
    "check_base_url",
    "fetch",
]

MAX_REPLY_BYTES = 16 * 1024 * 1024
"""The default bound on a reply body: far above any contacts list an account holds (a 10 000
contact list is some 3 MB in fmt 2, the largest fmt), far below what would hurt the runner."""
MAX_REDIRECTS = 5
"""Same-origin redirects followed at most, per request."""

_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024


class FetchError(Exception):
    """No whole reply: the message says why, in one line."""


class Unreachable(FetchError):
    """No connection to the endpoint could be made."""


@dataclass(frozen=True)
class Fetched:
    """A whole reply."""

    status: int
    content_type: str
    body: bytes
    redirects: list[str] = field(default_factory=list)
    """The ``Location``s followed, in order."""


def _origin(parts: SplitResult) -> tuple[str, str, int]:
    port = parts.port or _DEFAULT_PORTS[parts.scheme]
    return parts.scheme, (parts.hostname or "").lower(), port


def check_base_url(url: str) -> str:
    """``url`` as the runner's base (ending in ``/``); ``ValueError`` with a hint when it cannot
    be one: no scheme, a scheme other than http/https, no host, a bad port, a query or a fragment,
    credentials in it, or the path of a page (``…/sys/phones.php``) instead of the site's root."""
    text = url.strip()
    if "://" not in text:
        raise ValueError(f"{url!r} has no scheme: did you mean http://{text.lstrip('/')}?")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{url!r} is not a usable URL: {exc}") from None
    if parts.scheme.lower() not in _SCHEMES:
        raise ValueError(f"{url!r}: the runner speaks http and https only, not {parts.scheme!r}")
    if not parts.hostname:
        raise ValueError(f"{url!r} names no host")
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in text):
        raise ValueError(f"{url!r} holds a space or a control character")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{url!r} holds credentials: give them with --login/--psw or --apikey")
    if parts.query or parts.fragment:
        raise ValueError(f"{url!r} has a query or a fragment: give the site's base URL only")
    root = f"{parts.scheme.lower()}://{parts.netloc}/"
    if parts.path.lower().endswith(".php") or "/sys/" in f"{parts.path}/".lower():
        prefix = parts.path[: parts.path.lower().find("/sys/") + 1] if "/sys/" in parts.path.lower() else "/"
        raise ValueError(
            f"{url!r} is the address of a page: give the base URL, e.g. "
            f"{root.rstrip('/')}{prefix} (the runner adds sys/phones.php)"
        )
    del port  # read only to check it
    return f"{parts.scheme.lower()}://{parts.netloc}{parts.path.rstrip('/')}/"


def fetch(
    url: str, *, timeout: float, max_bytes: int = MAX_REPLY_BYTES, max_redirects: int = MAX_REDIRECTS
) -> Fetched:
    """GET ``url`` within ``timeout`` seconds in all (redirects included)."""
    deadline = time.monotonic() + timeout
    followed: list[str] = []
    first = urlsplit(url)
    origin = _origin(first)
    while True:
        status, content_type, body, location = _get_once(url, deadline, timeout, max_bytes)
        if status not in _REDIRECTS:
            return Fetched(status, content_type, body, followed)
        url = _next_url(url, status, location, origin)
        followed.append(url)
        if len(followed) > max_redirects:
            raise FetchError(f"more than {max_redirects} redirects (last to {mask_credentials(url)})")


def _next_url(url: str, status: int, location: str | None, origin: tuple[str, str, int]) -> str:
    if location is None or not location.strip():
        raise FetchError(f"HTTP {status} without a Location")
    shown = mask_credentials(location if len(location) <= 200 else location[:200] + "…")
    if any(ord(char) < 0x20 or ord(char) == 0x7F or ord(char) > 0x7E for char in location):
        raise FetchError(f"HTTP {status} with a bad Location {shown!r}: a control or non-ASCII character")
    try:
        given = urlsplit(location.strip())
        authority = location.strip()[len(given.scheme) + 1 :].startswith("//")
        if given.scheme.lower() in _SCHEMES and authority and not given.hostname:
            raise FetchError(f"HTTP {status} with a bad Location {shown!r}: no host")
        target = urljoin(url, location.strip())
        parts = urlsplit(target)
        scheme = parts.scheme.lower()
        if scheme in _SCHEMES:
            where = _origin(parts)
    except ValueError as exc:
        raise FetchError(f"HTTP {status} with a bad Location {shown!r}: {exc}") from None
    if scheme not in _SCHEMES:
        raise FetchError(f"HTTP {status} to {shown!r}, not http or https: not followed")
    if not parts.hostname:
        raise FetchError(f"HTTP {status} with a bad Location {shown!r}: no host")
    if where != origin:
        raise FetchError(f"HTTP {status} to another origin, {shown!r}: not followed")
    return target


def _get_once(
    url: str, deadline: float, timeout: float, max_bytes: int
) -> tuple[int, str, bytes, str | None]:
    parts = urlsplit(url)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"no whole reply within {timeout:g} s")
    kind = http.client.HTTPSConnection if parts.scheme.lower() == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname or "", parts.port, timeout=remaining)
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        try:
            connection.connect()
        except (OSError, ssl.SSLError) as exc:
            if expired.is_set() or isinstance(exc, TimeoutError | socket.timeout):
                raise Unreachable(f"cannot connect to {parts.netloc} within {timeout:g} s") from None
            raise Unreachable(f"cannot connect to {parts.netloc}: {_why(exc)}") from None
        try:
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
            connection.request("GET", target, headers={"Accept-Encoding": "identity", "Connection": "close"})
            reply = connection.getresponse()
            declared = reply.getheader("Content-Length")
            if declared is not None and declared.strip().isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"reply of {int(declared)} bytes, more than the {max_bytes} allowed: not read"
                )
            chunks: list[bytes] = []
            size = 0
            while chunk := reply.read(min(_CHUNK, max_bytes + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"reply larger than the {max_bytes} bytes allowed: not read further")
            return (
                reply.status,
                reply.getheader("Content-Type", ""),
                b"".join(chunks),
                reply.getheader("Location"),
            )
        except FetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if expired.is_set():
                raise FetchError(f"no whole reply within {timeout:g} s") from None
            raise FetchError(f"no whole reply: {_why(exc)}") from None
    finally:
        watchdog.cancel()
        connection.close()


def _why(exc: BaseException) -> str:
    if isinstance(exc, http.client.IncompleteRead):
        return f"the connection closed after {len(exc.partial)} bytes of the body"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the connection closed without a reply"
    if isinstance(exc, http.client.BadStatusLine):
        return "not an HTTP reply"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"
