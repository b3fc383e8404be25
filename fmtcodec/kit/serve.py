"""Running the fake service on a real HTTP server: ``Server`` (in a background thread, as a
context manager) and ``serve_forever`` (in the foreground, for ``fmtcodec serve``).

The server is werkzeug's threaded WSGI server (``fmtcodec[server]``), chosen over waitress because:

* it hands the application the connection's socket (``environ["werkzeug.socket"]``), so the
  ``Drop`` fault closes the connection for real, which no plain WSGI server allows;
* it starts and stops cleanly inside a process -- ``serve_forever`` in a thread, ``shutdown`` and
  ``server_close`` from another -- as pytest-httpserver relies on, while waitress's asyncore loop
  has no public way to stop from another thread;
* it is built on the standard library's ``http.server``/``socketserver`` (not a hand-written HTTP
  parser), is maintained by the Pallets project, and has no dependency besides MarkupSafe;
* it closes the connection after every response, so a body cut short (the ``CutShort`` fault) is
  seen by clients as a short read, never as the start of the next response.

Its cost: about 1 ms a request over loopback (benches/bench_service.py: some 800 requests/s for a
10-contact list, against 2 000-5 000 for the application alone). Request threads are joined when
the server stops, so nothing is left running.

No thread waits forever on a client: every connection has a socket timeout
(``request_timeout``, 30 s by default), and stopping the server first shuts the reading side of
every open connection -- a client holding a half-sent request line or a short POST body is read
to its end at once, while a request already being answered still gets its reply -- then, after a
short grace, closes whatever is left. A ``Delay`` fault ends when the server stops.
"""

from __future__ import annotations

import contextlib
import errno
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import IO, Any

try:
    from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("the fake service needs werkzeug: pip install 'fmtcodec[server]'") from exc

from fmtcodec.kit.query import mask_credentials
from fmtcodec.kit.service import LOG_NOTE, STOPPING, Service

__all__ = ["REQUEST_TIMEOUT", "Server", "escape_controls", "serve_forever"]

REQUEST_TIMEOUT = 30.0
"""Seconds a connection may stay silent (sending its request or taking its reply) before it is
closed."""
STOP_GRACE = 1.0
"""Seconds the requests under way get to finish when the server stops, before their connections
are closed."""

_CONTROLS = str.maketrans(
    {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))} | {ord("\\"): "\\\\"}
)


def escape_controls(text: str) -> str:
    """``text`` with control characters (C0, DEL, C1) written ``\\xNN`` and ``\\`` doubled, so that
    a request line cannot move a terminal's cursor or forge a log line."""
    return text.translate(_CONTROLS)


class _Handler(WSGIRequestHandler):
    """One log line per request, credentials masked and control characters escaped:
    ``HOST "METHOD PATH" STATUS`` (``dropped`` or ``STATUS cut short`` when a fault says so)."""

    server: _ThreadedServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.request_timeout)

    def make_environ(self) -> Any:
        environ = super().make_environ()
        environ[STOPPING] = self.server.stopping
        return environ

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        stream = self.server.log_stream
        if stream is None:
            return
        status = str(getattr(code, "value", code))
        environ = getattr(self, "environ", None) or {}
        note = environ.get(LOG_NOTE)
        if note == "dropped":
            status = note
        elif note:
            status = f"{status} {note}"
        target = getattr(self, "path", None)
        request = f"{self.command} {mask_credentials(target)}" if target is not None else self.requestline
        self.server.write_log(f'{self.address_string()} "{escape_controls(request)}" {status}')

    def log(self, type: str, message: str, *args: Any) -> None:
        self.server.write_log(f"{self.address_string()} {type}: {escape_controls(message % args)}")


class _ThreadedServer(ThreadedWSGIServer):
    daemon_threads = False  # request threads are joined by server_close(): none is leaked
    block_on_close = True
    log_stream: IO[str] | None = None
    request_timeout = REQUEST_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.stopping = threading.Event()
        self.log_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def server_bind(self) -> None:
        try:
            super().server_bind()
        except OSError as exc:  # werkzeug would print two lines and exit: let _make say it once
            raise _CannotBind(exc) from exc

    def write_log(self, line: str) -> None:
        if self.log_stream is None:
            return
        with self.log_lock:
            self.log_stream.write(line + "\n")
            self.log_stream.flush()

    def finish_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.discard(request)

    def close_connections(self, grace: float = STOP_GRACE) -> None:
        """Let the requests under way end: no more reading (a half-sent request ends now), then,
        after ``grace`` seconds, no more writing either."""
        self.stopping.set()
        self._shut(socket.SHUT_RD)
        deadline = time.monotonic() + grace
        for thread in list(vars(self).get("_threads", ())):  # ThreadingMixIn keeps them there
            thread.join(max(0.0, deadline - time.monotonic()))
        self._shut(socket.SHUT_RDWR)

    def server_close(self) -> None:
        # werkzeug's serve_forever calls this on its way out, which joins the request threads:
        # the connections are closed first so that none of them can hold the join.
        self.close_connections()
        super().server_close()

    def _shut(self, how: int) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its handler
                connection.shutdown(how)


class _CannotBind(Exception):
    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def _make(service: Service, host: str, port: int, log: IO[str] | None) -> _ThreadedServer:
    """The server bound to ``host:port``; ``OSError`` whose ``strerror`` is one line saying why
    it cannot be."""
    try:
        server = _ThreadedServer(host, port, service, _Handler)
    except _CannotBind as exc:
        why = (
            "address in use"
            if exc.error.errno == errno.EADDRINUSE
            else (exc.error.strerror or str(exc.error))
        )
        raise OSError(
            exc.error.errno, f"cannot listen on {host}:{port}: {why[:1].lower()}{why[1:]}"
        ) from None
    except SystemExit:  # werkzeug exits where it cannot listen; a library must not
        raise OSError(errno.EADDRNOTAVAIL, f"cannot listen on {host}:{port}") from None
    server.log_stream = log
    return server


def _url(server: _ThreadedServer) -> str:
    host, port = str(server.server_address[0]), server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class Server:
    """The fake service on a loopback port (``port=0``: a free one) in a background thread.

    >>> from fmtcodec.kit import Server, Service
    >>> with Server(Service()) as server:          # doctest: +SKIP
    ...     server.url                              # 'http://127.0.0.1:53817/'
    """

    def __init__(
        self, service: Service, *, host: str = "127.0.0.1", port: int = 0, log: IO[str] | None = None
    ) -> None:
        self.service = service
        self._server = _make(service, host, port, log)
        self._thread: threading.Thread | None = None
        self.url = _url(self._server)
        """The base URL, ending in ``/``: ``http://127.0.0.1:PORT/``."""

    def start(self) -> Server:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fmtcodec-fake"
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wait for the requests under way, close the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve_forever(
    service: Service,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    out: IO[str] = sys.stdout,
    log: IO[str] | None = sys.stderr,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve in the foreground until Ctrl-C or SIGTERM; ``serving on URL`` is the first line on
    ``out``."""
    server = _make(service, host, port, log)
    url = _url(server)
    out.write(f"serving on {url}\n")
    out.flush()
    if ready is not None:
        ready(url)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    in_main = threading.current_thread() is threading.main_thread()
    # SIGINT too: a shell starts background jobs with SIGINT ignored, and `kill -INT` should stop us.
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)} if in_main else {}
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
