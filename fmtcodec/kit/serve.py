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
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import IO, Any

try:
    from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("the fake service needs werkzeug: pip install 'fmtcodec[server]'") from exc

from fmtcodec.kit.query import mask_credentials
from fmtcodec.kit.service import Service

__all__ = ["Server", "serve_forever"]

class _Handler(WSGIRequestHandler):
    """One log line per request, credentials masked: ``HOST "METHOD PATH" STATUS``."""

    server: _ThreadedServer

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        stream = self.server.log_stream
        if stream is None:
            return
        code_text = getattr(code, "value", code)
        line = f'{self.address_string()} "{self.command} {mask_credentials(self.path)}" {code_text}\n'
        with self.server.log_lock:
            stream.write(line)
            stream.flush()

    def log(self, type: str, message: str, *args: Any) -> None:
        if self.server.log_stream is not None:
            self.server.log_stream.write(f"{self.address_string()} {type}: {message % args}\n")


class _ThreadedServer(ThreadedWSGIServer):
    daemon_threads = False  # request threads are joined by server_close(): none is leaked
    block_on_close = True
    log_stream: IO[str] | None = None
    log_lock = threading.Lock()


def _make(service: Service, host: str, port: int, log: IO[str] | None) -> _ThreadedServer:
    try:
        server = _ThreadedServer(host, port, service, _Handler)
    except SystemExit:  # werkzeug prints why it cannot bind, then exits; a library must not
        raise OSError(f"cannot listen on {host}:{port}") from None
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
