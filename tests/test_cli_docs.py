"""The console examples of README.md and docs/cli.md are the real output of the real command.

Every ``$ ...`` line of the console blocks is run through a shell with ``COLUMNS=80`` and its
output (stdout and stderr, as a terminal would show them) compared with the text shown, byte for
byte (trailing spaces too: fmt 0 ends a line in ``cnt = `` and rich pads a table's title).
README.md's examples run in the repository root, on the files of ``spec/vectors``; docs/cli.md's
run in a folder ``make_examples`` fills, and show a non-zero exit status as ``[exit N]``.  The help is at most 80 columns wide whatever the terminal
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

import fmtcodec
from fmtcodec import BlacklistEntry, BlacklistType, Contact, Created, Error, Group

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
    return examples(path.read_text("utf-8"))


def run_shell(command: str, cwd: Path, show_exit: bool) -> str:
    """What ``command`` prints in ``cwd``, stderr merged in, at 80 columns."""
    env = {**os.environ, "COLUMNS": "80", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", f"exec 2>&1; {command}"], cwd=cwd, env=env, capture_output=True, timeout=120, check=False
    )
    shown = result.stdout.decode("utf-8").rstrip("\n")
    if show_exit and result.returncode:
        shown += f"\n[exit {result.returncode}]"
    return shown


# --------------------------------------------------------------------------------------------
# the files docs/cli.md's examples read

CONTACTS = [
    Contact(phone="79161234567", name="Иван Петров", group="5922", birthday="15.04.1985",
            comments="VIP: звонить после 18:00"),
    Contact(phone="+7 (495) 123-45-67", name="ООО «Ромашка»"),
]
GROUPS = [Group(id=5924, name="Клиенты, Москва", number=1234, cnt=17), Group(id=5930, name="Рассылка", cnt=0)]
BLACKLIST = [BlacklistEntry(id=77, phone="79031112233", type=BlacklistType.MASS, comment="просил не беспокоить")]


def make_examples(folder: Path) -> None:
    """The files docs/cli.md's examples read, all written with ``fmtcodec.encode``."""
    files: dict[str, bytes] = {
        "contacts.txt": fmtcodec.encode(CONTACTS, fmt=0),
        "contacts-1251.csv": fmtcodec.encode(CONTACTS, fmt=1, charset="windows-1251"),
        "groups.json": fmtcodec.encode(GROUPS, fmt=3),
        "blacklist.xml": fmtcodec.encode(BLACKLIST, fmt=2, charset="windows-1251"),
        "empty.json": fmtcodec.encode([], fmt=3),
        "failed-curl.txt": b"",
        "created.txt": fmtcodec.encode(Created(id=5113988), fmt=0),
        "error.json": fmtcodec.encode(Error(error_code=2, error="authorise error"), fmt=3),
        # a group list whose second id is no number
        "broken.txt": fmtcodec.encode(GROUPS, fmt=0).replace(b"id = 5930", b"id = 59x2"),
    }
    # an archive of 300 contact lists, 100 a month, in every fmt; among them two broken files,
    # two server error replies and one empty body
    extensions = ("txt", "csv", "xml", "json")
    for month in (1, 2, 3):
        for index in range(100):
            fmt = index % 4
            contact = Contact(phone=f"7916{month}{index:06}", name=f"Клиент {index}", group=str(5920 + fmt))
            files[f"archive/2024-0{month}/contacts-{index:03}.{extensions[fmt]}"] = fmtcodec.encode([contact], fmt=fmt)
    files["archive/2024-01/contacts-040.txt"] = b'[{"phone": "79161000040", "email": "a@b.ru"}]'
    files["archive/2024-03/contacts-017.csv"] = "79163000017,Клиент 17,5921\n".encode()
    files["archive/2024-01/contacts-061.csv"] = fmtcodec.encode(Error(error_code=9), fmt=1)
    files["archive/2024-03/contacts-082.xml"] = fmtcodec.encode(Error(error_code=9, error="too many requests"), fmt=2)
    files["archive/2024-03/contacts-044.txt"] = b""
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


@pytest.fixture(scope="module")
def example_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("examples")
    make_examples(folder)
    return folder


def _ids(cases: list[tuple[str, str]]) -> list[str]:
    return [command.split(";")[0][:60] for command, _ in cases]


README_CASES = shown_by_docs(README)
CLI_DOCS_CASES = shown_by_docs(CLI_DOCS)


def test_the_docs_show_examples():
    assert len(README_CASES) == 6
    helps = [command for command, _ in CLI_DOCS_CASES if command.endswith("--help")]
    assert helps == [
        "fmtcodec --help",
        "fmtcodec detect --help",
        "fmtcodec decode --help",
        "fmtcodec convert --help",
        "fmtcodec validate --help",
    ]
    assert len(CLI_DOCS_CASES) == 28


@pytest.mark.parametrize(("command", "shown"), README_CASES, ids=_ids(README_CASES))
def test_readme_console_output_is_real(command, shown):
    assert run_shell(command, ROOT, show_exit=False) == shown


@pytest.mark.parametrize(("command", "shown"), CLI_DOCS_CASES, ids=_ids(CLI_DOCS_CASES))
def test_cli_docs_console_output_is_real(command, shown, example_folder):
    assert run_shell(command, example_folder, show_exit=True) == shown


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


def rewrite(path: Path, cwd: Path, show_exit: bool) -> None:
    """Put the real output under every example of ``path``."""
    text = path.read_text("utf-8")
    for command, shown in shown_by_docs(path):
        before = f"$ {command}\n{shown}\n" if shown else f"$ {command}\n"
        after = f"$ {command}\n{run_shell(command, cwd, show_exit)}\n"
        assert text.count(before) == 1, command
        text = text.replace(before, after)
    path.write_text(text, "utf-8")


if __name__ == "__main__":
    import tempfile

    rewrite(README, ROOT, show_exit=False)
    with tempfile.TemporaryDirectory() as folder:
        make_examples(Path(folder))
        rewrite(CLI_DOCS, Path(folder), show_exit=True)


# --------------------------------------------------------------------------------------------
# What the README says about the command line and the kit, kept true (issue 15, items 8 and 13)


def _readme_row(first_cell: str) -> str:
    (row,) = [line for line in README.read_text("utf-8").splitlines() if line.startswith(f"| {first_cell} |")]
    return row


def test_readme_command_1_runs_the_installed_package():
    # ``python -m fmtcodec`` in the checkout imports the source folder, whose compiled core a
    # non-editable install does not build in place: command 1 must run the installed command.
    commands = re.findall(r"^```sh\n(.*?)^```", README.read_text("utf-8"), flags=re.MULTILINE | re.DOTALL)[0]
    lines = commands.splitlines()
    install = lines[lines.index(next(line for line in lines if line.startswith("# 1."))) + 1]
    assert "pip install -q '.[cli]'" in install  # not editable: the package is copied
    steps = install.split(" && ")
    after = steps[next(i for i, step in enumerate(steps) if "pip install" in step) + 1 :]
    assert after
    assert all(step.startswith(".venv/bin/fmtcodec ") for step in after), after
    assert ".venv/bin/fmtcodec --version" in after


def test_readme_package_layout_names_the_module_of_every_command():
    from fmtcodec.cli.app import OPTIONAL_COMMANDS, cli

    row = _readme_row("`cli/`")
    assert "one module per command" not in row
    by_module: dict[str, list[str]] = {}
    for name, command in cli.commands.items():
        module = command.callback.__module__  # type: ignore[union-attr]
        by_module.setdefault(module.rpartition(".")[2] + ".py", []).append(name)
    for module, names in by_module.items():
        shown = f"`{module}`" if len(names) == 1 else f"`{module}` (" + " and ".join(f"`{n}`" for n in sorted(names)) + ")"
        assert shown in row, (shown, row)
    for name, entry in OPTIONAL_COMMANDS.items():
        path = entry.target.partition(":")[0].removeprefix("fmtcodec.").replace(".", "/") + ".py"
        assert f"`{name}`" in row, name
        assert f"`{path}`" in row, path
    files = sorted(path.name for path in (ROOT / "fmtcodec" / "cli").glob("*.py") if path.name != "__init__.py")
    assert [name for name in files if f"`{name}`" not in row] == []


def test_readme_says_what_the_conform_table_and_json_show(capsys):
    from fmtcodec.kit import cli as kit_cli
    from fmtcodec.kit.conform import Report, Step

    request = "GET /sys/phones.php?get_group=1&login=demo&psw=***&fmt=3&charset=utf-8"
    report = Report("http://127.0.0.1:8000", [Step("list groups", request, 3, "utf-8", 200, True, True)])
    kit_cli._table(report)
    table = capsys.readouterr().out
    assert "list groups" in table
    assert "psw=***" not in table  # the table has no request column ...
    assert report.to_dict()["steps"][0]["request"] == request  # ... the JSON has it, masked
    text = " ".join(README.read_text("utf-8").split())
    (table_claim,) = re.findall(r"`conform` prints a table of its \d+ steps \(([^)]*)\)", text)
    assert "request" not in table_claim
    assert "`--to json` for machines, which also gives each step's request (with the credentials masked)" in text
