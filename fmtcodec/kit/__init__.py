"""The conformance kit: typed requests, a fake contacts service, and a conformance runner.

``pip install 'fmtcodec[server]'`` for the server. ``import fmtcodec`` never imports this package,
and importing it imports nothing heavy: the names below load their module when first used.

* ``fmtcodec.kit.commands`` / ``query`` -- request records and their query-string form;
* ``fmtcodec.kit.service`` -- the fake service as a WSGI application (``Service``), one front
  for every page; ``pages`` -- what each page reads and does (``ContactsPage``); ``store`` -- the
  data; ``ratelimit`` -- error 9; ``faults`` -- the faults it can inject;
* ``fmtcodec.kit.serve`` -- ``Server``, the service on a loopback port in a background thread;
* ``fmtcodec.kit.pytest_plugin`` -- the ``smsc_server`` fixture;
* ``fmtcodec.kit.conform`` -- the conformance runner behind ``fmtcodec conform``, with ``fetch``,
  its guarded HTTP GET for endpoints it does not control.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Account", "FakeClock", "Server", "Service", "read_request", "write_query"]

_WHERE = {
    "Account": "fmtcodec.kit.service",
    "FakeClock": "fmtcodec.kit.service",
    "Service": "fmtcodec.kit.service",
    "Server": "fmtcodec.kit.serve",
    "read_request": "fmtcodec.kit.query",
    "write_query": "fmtcodec.kit.query",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'fmtcodec.kit' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
