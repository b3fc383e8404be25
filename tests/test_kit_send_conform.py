"""``fmtcodec conform --send``: the sending scenario against the fake over loopback."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from fmtcodec.cli import cli
from fmtcodec.kit.conform import CONFORM, NONCONFORM, Runner


def run(server, **options):
    options.setdefault("login", server.login)
    options.setdefault("psw", server.psw)
    # the runner's waits move the fake's clock: statuses change, rate windows pass
    return Runner(server.url, sleep=server.clock.advance, **options).run()


def problems(report):
    return [(step.name, step.problem) for step in report.steps if not step.ok]


def sending_steps(report):
    return [step for step in report.steps if step.request.split("?")[0] != "GET /sys/phones.php"]


def test_send_scenario_conforms(smsc_server):
    report = run(smsc_server, send_to="+79991234567")
    assert report.outcome == CONFORM, problems(report)
    names = [step.name for step in sending_steps(report)]
    assert names == [
        *(f"balance before (fmt {fmt}, utf-8)" for fmt in range(4)),
        *(f"cost of the message (fmt {fmt}, {cs})" for fmt in range(4) for cs in ("utf-8", "windows-1251")),
        "send the message (fmt 3, utf-8)",
        "status, poll 1 (fmt 0, utf-8)",
        "status, poll 2 (fmt 1, utf-8)",
        *(f"balance after (fmt {fmt}, utf-8)" for fmt in range(4)),
    ]
    assert [step.drift for step in sending_steps(report) if step.drift] == []
    (message,) = smsc_server.outbox.messages
    assert (message.phones, message.text, message.parts) == (["79991234567"], Runner.SEND_TEXT, 1)
    assert smsc_server.sending.balance == Decimal("96.80")
    send = next(step for step in report.steps if step.name.startswith("send the message"))
    assert send.request.startswith("GET /sys/send.php?phones=79991234567&mes=fmtcodec+conform")
    assert "&psw=***&" in send.request


def test_send_scenario_reports_an_undelivered_message_as_drift(smsc_server):
    smsc_server.sending.rules.failing["79991234567"] = 1
    report = run(smsc_server, send_to="79991234567", fmts=(3,), charsets=("utf-8",))
    assert report.outcome == CONFORM, problems(report)
    last_poll = [step for step in report.steps if step.name.startswith("status")][-1]
    assert last_poll.drift == ["final status 20 (cannot be delivered), err 1, not delivered"]


def test_send_scenario_not_enough_money_is_nonconformance_with_the_reason(smsc_server):
    smsc_server.sending.balance = Decimal("1.00")
    report = run(smsc_server, send_to="79991234567", fmts=(1,), charsets=("utf-8",))
    assert report.outcome == NONCONFORM
    assert problems(report) == [
        ("send the message (fmt 1, utf-8)", "server error 3 (Not enough money on the client's account.)")
    ]


def test_send_scenario_finds_a_wrong_cnt(smsc_server):
    original = smsc_server.service.pages["/sys/send.php"].handle

    def handle(values, *, strict):
        value = original(values, strict=strict)
        return type(value)(**{**{f: getattr(value, f) for f in value.__struct_fields__}, "cnt": 2})

    smsc_server.service.pages["/sys/send.php"].handle = handle
    report = run(smsc_server, send_to="79991234567", fmts=(3,), charsets=("utf-8",))
    assert report.outcome == NONCONFORM
    assert problems(report)[:2] == [
        ("cost of the message (fmt 3, utf-8)", "cnt 2, the message is 1 SMS"),
        ("send the message (fmt 3, utf-8)", "cnt 2, the message is 1 SMS"),
    ]


@pytest.mark.parametrize("number", ["12345", "7999abc4567", ""])
def test_send_needs_a_phone_number(number):
    with pytest.raises(ValueError, match="the number to send to must be 10 to 15 digits"):
        Runner("http://127.0.0.1:9/", login="a", psw="b", send_to=number)


def test_cli_conform_send_json(smsc_server):
    args = ["conform", smsc_server.url, "--login", smsc_server.login, "--psw", smsc_server.psw]
    args += ["--send", "79991234567", "--fmt", "3", "--charset", "utf-8", "--to", "json"]
    smsc_server.sending.rules.to_final = 0.0  # delivered at once: no wait in the CLI
    smsc_server.sending.rules.to_operator = 0.0
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    sending = [step["step"] for step in report["steps"] if "phones.php" not in step["request"]]
    assert sending == [
        "balance before (fmt 3, utf-8)",
        "cost of the message (fmt 3, utf-8)",
        "send the message (fmt 3, utf-8)",
        "status, poll 1 (fmt 3, utf-8)",
        "balance after (fmt 3, utf-8)",
    ]
    assert smsc_server.outbox.texts("79991234567") == [Runner.SEND_TEXT]
