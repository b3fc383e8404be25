"""The console examples of README.md and docs/cli.md are the real output of the real command.

Every ``$ fmtcodec ...`` of README.md's console blocks (run in the repository root, on the files
of ``spec/vectors``) and every ``$ fmtcodec ... --help`` of docs/cli.md is run through a shell
with ``COLUMNS=80`` and its output (stdout and stderr, as a terminal would show them) compared
with the text shown, byte for byte (trailing spaces too: fmt 0 ends a line in ``cnt = `` and
rich pads a table's title).  The help is at most 80 columns wide whatever the terminal
(``fmtcodec.cli.app.HELP_WIDTH``), so the docs show what an 80-column terminal, a wider one and
a pipe all print.  To rewrite the shown output after a change::

    .venv/bin/python tests/test_cli_docs.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CLI_DOCS = ROOT / "docs" / "cli.md"

_CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```\n", flags=re.MULTILINE | re.DOTALL)


def examples(text: str) -> list[tuple[str, str]]:
    """``(command, shown output)`` for every ``$ `` line of every console block."""
    found = []
    for block in _CONSOLE_BLOCK.findall(text):
        parts = re.split(r"^\$ (.*)\n", block, flags=re.MULTILINE)
        for command, output in zip(parts[1::2], parts[2::2], strict=True):
            found.append((command, output.rstrip("\n")))
    return found


def shown_by_docs(path: Path) -> list[tuple[str, str]]:
    every = examples(path.read_text("utf-8"))
    return every if path == README else [(command, out) for command, out in every if command.endswith("--help")]


def run_shell(command: str) -> str:
    """What ``command`` prints in the repository root, stderr merged in, at 80 columns."""
    env = {**os.environ, "COLUMNS": "80", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", f"exec 2>&1; {command}"], cwd=ROOT, env=env, capture_output=True, timeout=120, check=False
    )
    return result.stdout.decode("utf-8").rstrip("\n")


def _ids(cases: list[tuple[str, str]]) -> list[str]:
    return [command.split(";")[0][:60] for command, _ in cases]


README_CASES = shown_by_docs(README)
CLI_DOCS_CASES = shown_by_docs(CLI_DOCS)


def test_the_docs_show_examples():
    assert len(README_CASES) == 6
    assert [command for command, _ in CLI_DOCS_CASES] == [
        "fmtcodec --help",
        "fmtcodec detect --help",
        "fmtcodec decode --help",
        "fmtcodec convert --help",
        "fmtcodec validate --help",
    ]


@pytest.mark.parametrize(("command", "shown"), README_CASES, ids=_ids(README_CASES))
def test_readme_console_output_is_real(command, shown):
    assert run_shell(command) == shown


@pytest.mark.parametrize(("command", "shown"), CLI_DOCS_CASES, ids=_ids(CLI_DOCS_CASES))
def test_cli_docs_help_is_real(command, shown):
    assert run_shell(command) == shown


@pytest.mark.parametrize("command", ["--help", "validate --help"])
def test_help_is_the_same_in_any_terminal_from_80_columns(command):
    def at(columns: str) -> bytes:
        env = {**os.environ, "COLUMNS": columns}
        result = subprocess.run([sys.executable, "-m", "fmtcodec", *command.split()], env=env,
                                capture_output=True, check=True, timeout=60)
        return result.stdout

    at_80 = at("80")
    assert at("200") == at_80
    assert max(len(line) for line in at_80.decode().splitlines()) <= 80


def rewrite(path: Path) -> None:
    """Put the real output under every example ``shown_by_docs`` checks."""
    text = path.read_text("utf-8")
    for command, shown in shown_by_docs(path):
        before = f"$ {command}\n{shown}\n" if shown else f"$ {command}\n"
        after = f"$ {command}\n{run_shell(command)}\n"
        assert text.count(before) == 1, command
        text = text.replace(before, after)
    path.write_text(text, "utf-8")


if __name__ == "__main__":
    rewrite(README)
    rewrite(CLI_DOCS)
