"""The conformance runner against the fake service over loopback (never a public host)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request

import pytest
from click.testing import CliRunner

from fmtcodec.cli import cli
from fmtcodec.kit.conform import CONFORM, NONCONFORM, REFUSED, Runner
from fmtcodec.kit.faults import PlainError, ServerError
from fmtcodec.kit.serve import Server
from fmtcodec.kit.service import Account, FakeClock, Reply, Service


def run(server, **options):
    options.setdefault("login", server.login)
    options.setdefault("psw", server.psw)
    return Runner(server.url, sleep=lambda seconds: None, **options).run()


def problems(report):
    return [(step.name, step.problem) for step in report.steps if not step.ok]


def test_2013_profile_conforms_with_its_drift_reported(smsc_server):
    report = run(smsc_server)
    assert report.outcome == CONFORM, problems(report)
    assert len(report.steps) == 48
    drift = {note for step in report.steps for note in step.drift}
    assert drift == {'bare OK (the seed page: {"result": "OK"})', "no `cnt` (the seed page lists it)"}
    change = next(step for step in report.steps if step.name == "change contact 1")
    assert change.request.startswith("GET /sys/phones.php?chg=1&login=test&psw=***&phone=79")
    assert (change.fmt, change.charset, change.decoded, change.equal) == (3, "utf-8", True, None)
    # everything it created is gone again
    store = smsc_server.store.phones
    assert (store.contacts, store.groups(), store.blacklist) == ([], [], [])


@pytest.mark.smsc_service(profile="doc")
def test_doc_profile_conforms_without_drift(smsc_server):
    report = run(smsc_server, apikey=smsc_server.apikey, login=None, psw=None)
    assert report.outcome == CONFORM, problems(report)
    assert [step.drift for step in report.steps if step.drift] == []
    assert "apikey=***" in report.steps[0].request


def test_every_fmt_and_charset_is_listed(smsc_server):
    report = run(smsc_server, fmts=(1, 2), charsets=("koi8-r",))
    listed = [step.name for step in report.steps if step.name.startswith("list contacts")]
    assert listed == ["list contacts (fmt 1, koi8-r)", "list contacts (fmt 2, koi8-r)"]
    assert report.outcome == CONFORM, problems(report)


def test_http_500_is_nonconformance_and_clean_up_still_runs(smsc_server):
    smsc_server.faults.every(5, ServerError())
    report = run(smsc_server)
    assert report.outcome == NONCONFORM
    assert [step.status for step in report.steps[4::5]] == [500] * (len(report.steps) // 5)
    assert report.steps[-1].name == "clean up: delete the group"


class Tampering(Service):
    """A service that lists a changed value: the runner must notice."""

    def respond(self, *args, **kwargs) -> Reply:
        reply = super().respond(*args, **kwargs)
        return Reply(reply.status, reply.headers, reply.body.replace(b"Smith", b"Smyth"))


def test_a_changed_value_is_nonconformance():
    service = Tampering(account=Account("a", "b"), clock=FakeClock())
    with Server(service) as server:
        report = Runner(server.url, login="a", psw="b", fmts=(3,), charsets=("utf-8",)).run()
    assert report.outcome == NONCONFORM
    failed = problems(report)
    assert [name for name, _ in failed] == ["list contacts (fmt 3, utf-8)", "list changed contacts (fmt 3, utf-8)"]
    assert failed[0][1].endswith("name 'Smyth, John & Co', sent 'Smith, John & Co'")


def test_a_reply_in_another_fmt_is_nonconformance(smsc_server):
    smsc_server.faults.once(PlainError(3))
    report = run(smsc_server, fmts=(2,), charsets=("utf-8",))
    assert report.outcome == NONCONFORM
    assert problems(report)[0] == ("add a group", "reply is in fmt 0, fmt 2 was asked")


@pytest.mark.parametrize("block", [False, True])
def test_refused(smsc_server, block):
    smsc_server.service.ip_blocked = block
    report = run(smsc_server, psw="wrong")
    assert report.outcome == REFUSED
    code, text = (4, "ip blocked") if block else (2, "authorise error")
    assert report.refused == f"error {code} ({text})"
    assert len(report.steps) == 1
    assert report.steps[0].problem == f"refused: error {code} ({text})"


def test_error_9_waits_a_minute_then_retries(smsc_server):
    smsc_server.faults.once(PlainError(9))
    waits = []
    report = Runner(smsc_server.url, login=smsc_server.login, psw=smsc_server.psw, sleep=waits.append).run()
    assert waits == [60.0]
    assert report.outcome == CONFORM
    assert "error 9: waited a minute" in report.steps[0].drift


def test_never_more_than_three_identical_requests_a_minute():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    runner = Runner("http://127.0.0.1:9/", login="a", psw="b", sleep=sleep, clock=lambda: now[0])
    for moment in (0.0, 10.0, 20.0, 30.0):
        now[0] = moment
        runner._pace("get=1")
    assert waits == [30.0]  # the fourth waits until the first is a minute old
    now[0] = 95.0
    runner._pace("get=1")
    assert waits == [30.0]


# -- the CLI --------------------------------------------------------------------------------------


def test_cli_conform_json(smsc_server):
    result = CliRunner().invoke(
        cli, ["conform", smsc_server.url, "--login", smsc_server.login, "--psw", smsc_server.psw,
              "--fmt", "3", "--charset", "utf-8", "--to", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["outcome"], report["refused"], len(report["steps"])) == ("conform", None, 20)
    assert set(report["steps"][0]) == {"step", "request", "fmt", "charset", "status", "decoded", "equal",
                                       "drift", "problem", "ok"}


def test_cli_conform_table_and_exit_codes(smsc_server):
    args = ["conform", smsc_server.url, "--login", smsc_server.login, "--fmt", "0", "--charset", "utf-8"]
    result = CliRunner().invoke(cli, [*args, "--psw", smsc_server.psw])
    assert result.exit_code == 0, result.output
    assert "list contacts (fmt 0, utf-8)" in result.output
    assert result.output.rstrip().endswith("all steps conform")
    smsc_server.clock.advance(60)  # else the third run's identical list requests meet error 9
    refused = CliRunner().invoke(cli, [*args, "--psw", "wrong"])
    assert refused.exit_code == 3
    assert refused.output.rstrip().endswith("\nrefused: error 2 (authorise error)")
    smsc_server.faults.every(4, ServerError())
    failing = CliRunner().invoke(cli, [*args, "--psw", smsc_server.psw])
    assert failing.exit_code == 1
    assert failing.output.rstrip().endswith("some steps do not conform")


@pytest.mark.parametrize(("args", "message"), [
    (["http://127.0.0.1:9"], "give --login and --psw, or --apikey"),
    (["http://127.0.0.1:9", "--apikey", "k", "--fmt", "x"], "expected fmts such as 0,1,2,3, got 'x'"),
    (["http://127.0.0.1:9", "--apikey", "k", "--fmt", "5"], "fmt must be 0, 1, 2 or 3, got 5"),
    (["http://127.0.0.1:9", "--apikey", "k", "--charset", "latin-1"], "unsupported charset 'latin-1'"),
])
def test_cli_conform_usage_errors(args, message):
    result = CliRunner().invoke(cli, ["conform", *args])
    assert result.exit_code == 2
    assert message in result.output


def _serve(*args, ignore_sigint=False):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # A shell starts background jobs with SIGINT ignored; `kill -INT` must stop the server anyway.
    start = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
    return subprocess.Popen([sys.executable, "-m", "fmtcodec", "serve", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, preexec_fn=start)


@pytest.mark.parametrize(("stop", "ignore_sigint"), [(signal.SIGTERM, False), (signal.SIGINT, False),
                                                     (signal.SIGINT, True)])
def test_cli_serve_prints_its_url_logs_requests_and_stops_cleanly(stop, ignore_sigint):
    process = _serve("--port", "0", "--login", "demo", "--psw", "demo", ignore_sigint=ignore_sigint)
    try:
        first = process.stdout.readline()
        assert first.startswith("serving on http://127.0.0.1:")
        url = first.split()[-1]
        query = "login=demo&psw=demo&add_group=1&name=Test&fmt=3"
        with urllib.request.urlopen(f"{url}sys/phones.php?{query}", timeout=10) as reply:
            assert reply.read() == b'{\n"id": 1\n}'
    finally:
        process.send_signal(stop)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert out == ""
    assert err == '127.0.0.1 "GET /sys/phones.php?login=demo&psw=***&add_group=1&name=Test&fmt=3" 200\n'


def test_cli_serve_fault_and_default_credentials():
    process = _serve("--fault", "500", "--fault-every", "2", "--quiet")
    try:
        url = process.stdout.readline().split()[-1]
        statuses = []
        for _ in range(2):
            try:
                with urllib.request.urlopen(f"{url}sys/phones.php?login=demo&psw=demo&get=1", timeout=10) as reply:
                    statuses.append(reply.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
                error.close()
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    assert statuses == [200, 500]
    assert err == "no credentials given: login demo, password demo\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--psw", "x"], "--login and --psw go together"),
    (["--fault", "boom"], "unknown fault 'boom'"),
    (["--profile", "2020"], "'2020' is not one of '2013', 'doc'"),
])
def test_cli_serve_usage_errors(args, message):
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_serve_on_a_port_in_use_fails_with_exit_1():
    with Server(Service()) as server:
        port = server.url.rstrip("/").rsplit(":", 1)[1]
        process = _serve("--port", port)
        out, err = process.communicate(timeout=20)
    assert (process.returncode, out) == (1, "")
    assert err == f"no credentials given: login demo, password demo\nfmtcodec: cannot listen on 127.0.0.1:{port}: address in use\n"
