"""``fmtcodec serve`` with its sending options, over real HTTP; and their usage errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from fmtcodec.cli import cli


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return bytes(reply.read())


def test_serve_sends_with_the_configured_account_and_rules():
    args = ["--port", "0", "--quiet", "--no-rate-limit", "--balance", "7.00", "--stop-word", "casino", "--invalid-number",
            "79990000007", "--undeliverable", "+7 999 000-00-08", "--fail", "79990000020:13"]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "fmtcodec", "serve", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    try:
        url = process.stdout.readline().split()[-1] + "sys/"
        auth = "login=demo&psw=demo&fmt=1"
        assert get(f"{url}balance.php?{auth}") == b"7.00"
        assert get(f"{url}send.php?{auth}&phones=79990000020&mes=Hi") == b"1,1"
        assert get(f"{url}send.php?{auth}&phones=79991234567&mes=Win+at+CASINO") == b"2,-6"
        assert get(f"{url}send.php?{auth}&phones=79990000007&mes=Hi") == b"3,-7"
        assert get(f"{url}send.php?{auth}&phones=79990000008&mes=Hi") == b"4,-8"
        assert get(f"{url}send.php?{auth}&phones=380501234567&mes=Hi") == b"5,-3"  # 4.50, and 3.80 left
        for _ in range(120):  # the serving process's own clock moves the status: poll, at most 120 times
            row = get(f"{url}status.php?{auth}&phone=79990000020&id=1")
            if row.startswith(b"20,"):
                break
            time.sleep(0.5)
        assert re.fullmatch(rb"20,[0-9]{10},13", row), row
        outbox = json.loads(get(url.replace("sys/", "_fake/outbox")))
        assert [m["phones"] for m in outbox["messages"]] == [["79990000020"]]
    finally:
        process.terminate()
        process.communicate(timeout=20)


@pytest.mark.parametrize(("args", "message"), [
    (["--balance", "lots"], "expected an amount such as 100.00, got 'lots'"),
    (["--balance", "NaN"], "expected an amount such as 100.00, got 'NaN'"),
    (["--fail", "79990000020:x"], "expected PHONE or PHONE:ERR, got '79990000020:x'"),
    (["--undeliverable", "12"], "expected a phone number, got '12'"),
])  # fmt: skip
def test_serve_sending_usage_errors(args, message):
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 2
    assert message in result.output
