"""pytest plugin: the ``smsc_server`` fixture, the fake SMSC service on a free loopback port.

Registered as the ``fmtcodec`` pytest plugin when fmtcodec is installed; importing it costs one
``import pytest`` -- the service and werkzeug load only when a test asks for the fixture::

    import urllib.request

    def test_my_client_lists_groups(smsc_server):
        smsc_server.store.phones.execute(AddGroup(name="Office"))
        url = smsc_server.url + "sys/phones.php?get_group=1&fmt=3&" + smsc_server.auth_query
        assert urllib.request.urlopen(url).read() == b'[{\\n"id": 1,\\n"name": "Office"\\n}]'

What the code under test sent is in the outbox, one line to assert::

    def test_sign_up_texts_the_code(smsc_server):
        sign_up(phone="+7 999 123-45-67", smsc_url=smsc_server.url)
        assert smsc_server.outbox.texts("79991234567") == ["Your code: 1234"]

Options go through the ``smsc_service`` marker, passed to ``Service``:
``@pytest.mark.smsc_service(profile="doc", rate_limit=False)``; ``strict=True`` refuses unknown and
repeated parameters with error 1 (the default, like the real service, ignores unknown ones and
reads the last of a repeat).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest

if TYPE_CHECKING:
    from fmtcodec.kit.faults import FaultPlan
    from fmtcodec.kit.send_pages import Sending
    from fmtcodec.kit.sending import Outbox
    from fmtcodec.kit.service import FakeClock, Service
    from fmtcodec.kit.store import Store

__all__ = ["SmscServer", "smsc_server"]

LOGIN = "test"
PASSWORD = "test-password"
APIKEY = "test-apikey"
EPOCH = 1_767_214_800
"""The Unix time at the fixture's clock zero: 01.01.2026 00:00:00 in the server's clock (Moscow),
so that the dates a test sees do not depend on when it runs."""


@dataclass
class SmscServer:
    """What the fixture gives a test: where the service is, how to log in, and its controls."""

    url: str
    """Base URL ending in ``/``; the endpoints are ``url + "sys/phones.php"`` and ``"sys/mails.php"``."""
    login: str
    psw: str
    apikey: str
    service: Service
    """The application itself: ``ip_blocked``, ``rate_limit``, ``profile``…"""

    @property
    def store(self) -> Store:
        """The data: ``store.phones`` / ``store.mails`` (seed with ``execute`` or ``put_contact``)."""
        return self.service.store

    @property
    def faults(self) -> FaultPlan:
        """The fault plan: ``faults.once(Drop())``, ``faults.every(3, ServerError())``, either with
        ``path="/sys/mails.php"`` for one page's requests only…"""
        return self.service.faults

    @property
    def outbox(self) -> Outbox:
        """Every message the service accepted: ``outbox.texts("79991234567")``, ``outbox.last``,
        ``outbox.clear()``."""
        return self.service.outbox

    @property
    def sending(self) -> Sending:
        """The account and the rules of sending: ``sending.balance``, ``sending.rules.stop_words``,
        ``sending.rules.failing["79990000000"] = 1``, ``sending.register_sender("Shop")``…"""
        return self.service.sending

    @property
    def clock(self) -> FakeClock:
        """The service's clock (rate limit, statuses, dates): ``clock.advance(60)`` instead of
        waiting a minute."""
        clock = self.service.clock
        assert hasattr(clock, "advance")
        return clock  # type: ignore[return-value]

    @property
    def auth_query(self) -> str:
        """``login=…&psw=…``, ready to join to a query string."""
        return urlencode({"login": self.login, "psw": self.psw})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "smsc_service(**options): options of the fake service behind the smsc_server fixture"
    )


@pytest.fixture
def smsc_server(request: pytest.FixtureRequest) -> Iterator[SmscServer]:
    """The fake SMSC service on a free loopback port, stopped (threads joined) after the test."""
    from fmtcodec.kit.serve import Server
    from fmtcodec.kit.service import Account, FakeClock, Service

    marker = request.node.get_closest_marker("smsc_service")
    options: dict[str, Any] = {"clock": FakeClock(), "epoch": EPOCH}
    if marker is not None:
        options.update(marker.kwargs)
    service = Service(account=Account(LOGIN, PASSWORD, APIKEY), **options)
    with Server(service) as server:
        yield SmscServer(server.url, LOGIN, PASSWORD, APIKEY, service)
