"""Client libraries from PyPI, unchanged but for their base URL, against the fake's sending
pages over HTTP. Each runs only where the library is installed (they are not dependencies):

* ``smsc`` 0.1.1 (SMSC.ru HTTP API Library, 2017): send with ``cost=2``, cost, status of a list
  (``all=2``, a trailing comma), balance with ``cur=1`` -- all fmt 3. Base URL: ``SMSC._url``.
* ``smsc-client`` 0.0.1 (2024): send by POST in fmt 0 with a UUID id, the reply read by
  splitting ``OK - 1 SMS, ID - <id>``. Base URL: ``SMSCAPI._domain``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest


def test_smsc_library_sends_polls_and_reads_the_balance(smsc_server, monkeypatch):
    smsc_api = pytest.importorskip("smsc.api")
    messages = pytest.importorskip("smsc.messages")
    monkeypatch.setattr(smsc_api.SMSC, "_url", smsc_server.url + "sys/")
    client = smsc_api.SMSC(login=smsc_server.login, password=smsc_server.psw)

    cost = client.get_cost(to="79991234567", message=messages.SMSMessage(text="Hello, World!"))
    assert (cost.error, cost.count, cost.cost) == (None, 1, 3.2)
    sent = client.send(to=["79991234567", "79991234568"], message=messages.SMSMessage(text="Hello, World!"))
    assert (sent.error, sent.message_id, sent.count, sent.cost) == (None, 1, 2, 6.4)
    assert smsc_server.outbox.texts("79991234568") == ["Hello, World!"]
    assert smsc_server.outbox.last.sender == "SMSC.ru"  # the library's default sender name

    (row,) = client.get_status(to="79991234567", msg_id="1")
    assert (row.status.status_id, row.status.name) == (-1, "Ожидает отправки")
    assert (row.data["id"], row.data["phone"], row.data["country"]) == (1, "79991234567", "Россия")
    assert row.data["last_date"].isoformat() == "2026-01-01T00:00:00+03:00"
    smsc_server.clock.advance(60)  # statuses move; and one mass status request a minute
    (row,) = client.get_status(to="79991234567", msg_id="1")
    assert (row.status.status_id, row.status.name) == (1, "Доставлено")
    assert row.data["last_date"].isoformat() == "2026-01-01T00:00:05+03:00"

    balance = client.get_balance()
    assert (balance.error, balance.balance, balance.currency) == (None, 93.6, "RUR")

    smsc_server.sending.balance = Decimal("1.00")
    refused = client.send(to="79991234567", message=messages.SMSMessage(text="Too dear"))
    assert (refused.error.code, refused.error.error, refused.message_id) == (3, "not enough money", 2)


def test_smsc_client_library_sends(smsc_server):
    api_module = pytest.importorskip("smsc_client.api")
    api = api_module.SMSCAPI(login=smsc_server.login, password=smsc_server.psw)
    api._domain = smsc_server.url
    message_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    reply = api.default.send(phones="+79991234567", mes="Code: 1234", id=message_id, sender="Shop")
    assert vars(reply) == {"OK": "1 SMS", "ID": str(message_id)}
    message = smsc_server.outbox.last
    assert (message.id, message.phones, message.text, message.sender) == (
        str(message_id),
        ["79991234567"],
        "Code: 1234",
        "Shop",
    )


def test_smsc_client_library_sends_cyrillic_garbled_as_the_real_service_would(smsc_server):
    """The library sends UTF-8 bytes without ``charset=utf-8``; the service reads windows-1251,
    the provider's default (facts §11), so the phone would get mojibake: the fake shows it."""
    api_module = pytest.importorskip("smsc_client.api")
    api = api_module.SMSCAPI(login=smsc_server.login, password=smsc_server.psw)
    api._domain = smsc_server.url
    api.default.send(phones="79991234567", mes="Код: 1234", id=uuid.uuid4(), sender="Shop")
    assert smsc_server.outbox.texts("79991234567") == ["Код: 1234".encode().decode("cp1251")]
    assert smsc_server.outbox.last.text == "РљРѕРґ: 1234"
