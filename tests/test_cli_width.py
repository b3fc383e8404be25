"""The command line at an 80-column terminal (issue 15, item 11): every ``--help`` fits in 80
columns, and ``decode --to table`` lays records out so that they read at that width."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

import fmtcodec
from fmtcodec import Contact, Error, Group
from fmtcodec.cli import EXIT_OK, cli
from fmtcodec.cli._table import column_widths

COLUMNS = 80


def command_paths(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand of the ``fmtcodec`` group, the optional ones included."""
    ctx = click.Context(group, info_name="fmtcodec")
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += command_paths(command, (*prefix, name))
    return found


COMMANDS = [(), *command_paths()]


def test_every_command_is_checked() -> None:
    # the built-in four and the kit's; a command added later is checked without a change here
    assert {"convert", "decode", "detect", "validate", "serve", "conform"} <= {path[0] for path in COMMANDS[1:]}


def help_at(columns: int, path: tuple[str, ...]) -> str:
    # a real process: click's CliRunner forces its own width of 80 on help (the terminal's is 78)
    env = {**os.environ, "COLUMNS": str(columns)}
    command = [sys.executable, "-m", "fmtcodec", *path, "--help"]
    result = subprocess.run(command, env=env, capture_output=True, check=False, timeout=60)
    assert result.returncode == EXIT_OK, result.stderr
    return result.stdout.decode()


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "fmtcodec")
def test_help_fits_80_columns(path: tuple[str, ...]) -> None:
    text = help_at(COLUMNS, path)
    too_wide = [f"{cell_len(line)}: {line}" for line in text.splitlines() if cell_len(line) > COLUMNS]
    assert too_wide == []
    # nor is a name broken at its hyphen ("mail-" / "blacklist" reads as two words)
    assert [line for line in text.splitlines() if re.search(r"\w-$", line)] == []
    assert help_at(200, path) == text  # a wider terminal prints the same help


# --------------------------------------------------------------------------------------------
# decode --to table


FULL_CONTACTS = [
    Contact(
        phone="79161234567", name="Иванов Иван, менеджер", group="5922", first_name="Иван", last_name="Иванов",
        middle_name="Петрович", birthday="15.04.1985", id="client-17", comments="VIP, звонить после 18:00",
        tags="vip", phone_other="+79031112233,+79035556677",
    ),
    Contact(phone="+7 (495) 123-45-67", name="ООО «Ромашка»"),
]
SOME_CONTACTS = [
    Contact(phone="79161234567", name="Иван Петров", group="5922", birthday="15.04.1985",
            comments="VIP: звонить после 18:00"),
    Contact(phone="+7 (495) 123-45-67", name="ООО «Ромашка»"),
]


def table(tmp_path: Path, value: object, type_name: str, columns: int | None) -> str:
    path = tmp_path / "reply.json"
    path.write_bytes(fmtcodec.encode(value, fmt=3))
    env = {"COLUMNS": None if columns is None else str(columns)}
    result = CliRunner().invoke(cli, ["decode", "--type", type_name, "--to", "table", str(path)], env=env)
    assert result.exit_code == EXIT_OK, result.output
    return result.stdout


def test_contacts_too_wide_for_a_table_are_one_block_each_at_80_columns(tmp_path: Path) -> None:
    assert table(tmp_path, FULL_CONTACTS, "contacts", COLUMNS) == (
        "reply.json (contacts): 2 records\n"
        "\n"
        "record 1 of 2\n"
        "  phone        79161234567\n"
        "  name         Иванов Иван, менеджер\n"
        "  group        5922\n"
        "  first_name   Иван\n"
        "  last_name    Иванов\n"
        "  middle_name  Петрович\n"
        "  birthday     15.04.1985\n"
        "  id           client-17\n"
        "  comments     VIP, звонить после 18:00\n"
        "  tags         vip\n"
        "  phone_other  +79031112233,+79035556677\n"
        "\n"
        "record 2 of 2\n"
        "  phone        +7 (495) 123-45-67\n"
        "  name         ООО «Ромашка»\n"
    )


def test_a_table_that_fits_by_wrapping_free_text_between_words(tmp_path: Path) -> None:
    # at their natural widths the five columns need 86 columns: the comments (the widest free
    # text) wrap between words; the phone number, the date and the column names stay whole
    assert table(tmp_path, SOME_CONTACTS, "contacts", COLUMNS) == (
        "reply.json (contacts): 2 records\n"
        "┏━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ phone              ┃ name          ┃ group ┃ birthday   ┃ comments           ┃\n"
        "┡━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━┩\n"
        "│ 79161234567        │ Иван Петров   │ 5922  │ 15.04.1985 │ VIP: звонить после │\n"
        "│                    │               │       │            │ 18:00              │\n"
        "│ +7 (495) 123-45-67 │ ООО «Ромашка» │       │            │                    │\n"
        "└────────────────────┴───────────────┴───────┴────────────┴────────────────────┘\n"
        "empty in every record: first_name, last_name, middle_name, id, tags, phone_other\n"
    )


def test_in_a_pipe_without_columns_the_table_takes_the_width_it_needs(tmp_path: Path) -> None:
    lines = table(tmp_path, FULL_CONTACTS, "contacts", None).splitlines()
    assert lines[0] == "reply.json (contacts): 2 records"
    assert lines[2] == (
        "┃ phone              ┃ name                  ┃ group ┃ first_name ┃ last_name ┃ middle_name ┃"
        " birthday   ┃ id        ┃ comments                 ┃ tags ┃ phone_other               ┃"
    )
    assert lines[4] == (
        "│ 79161234567        │ Иванов Иван, менеджер │ 5922  │ Иван       │ Иванов    │ Петрович    │"
        " 15.04.1985 │ client-17 │ VIP, звонить после 18:00 │ vip  │ +79031112233,+79035556677 │"
    )
    assert len(lines) == 7


def test_values_are_shown_as_they_are_not_read_as_markup(tmp_path: Path) -> None:
    groups = [Group(id=1, name="a [/] b [red]x[/red]")]
    assert table(tmp_path, groups, "groups", COLUMNS) == (
        "reply.json (groups): 1 record\n"
        "┏━━━━┳━━━━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ id ┃ name                 ┃\n"
        "┡━━━━╇━━━━━━━━━━━━━━━━━━━━━━┩\n"
        "│ 1  │ a [/] b [red]x[/red] │\n"
        "└────┴──────────────────────┘\n"
        "empty in every record: number, cnt\n"
    )


def test_a_word_wider_than_the_terminal_is_folded_in_its_block(tmp_path: Path) -> None:
    groups = [Group(id=7, name="Клиенты " + "x" * 100)]
    assert table(tmp_path, groups, "groups", 40) == (
        "reply.json (groups): 1 record\n"
        "\n"
        "record 1 of 1\n"
        "  id    7\n"
        "  name  Клиенты\n"
        "        xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
        "        xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
        "        xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
        "        xxxx\n"
        "\n"
        "empty in every record: number, cnt\n"
    )


def test_column_widths_shrink_the_widest_free_text_first_and_keep_words_whole() -> None:
    columns = ["phone", "name", "comments"]
    rows = [["+7 (495) 123-45-67", "Иван Петров", "звонить после обеда или вечером"]]
    # natural: 18 + 11 + 31 and a frame of 10 = 70
    assert column_widths(columns, rows, 70) == [18, 11, 31]
    assert column_widths(columns, rows, 60) == [18, 11, 21]
    # the comments come down to the name's width, then both shrink in turn, the left one first
    assert column_widths(columns, rows, 47) == [18, 9, 10]
    # "вечером" (7) and "comments" (8) bound the comments, "Петров" (6) the name: 18 + 6 + 8 + 10
    assert column_widths(columns, rows, 42) == [18, 6, 8]
    assert column_widths(columns, rows, 41) is None
    assert column_widths(columns, rows, None) == [18, 11, 31]


def test_a_terminal_of_80_columns_shows_what_columns_80_shows(tmp_path: Path) -> None:
    path = tmp_path / "contacts.json"
    path.write_bytes(fmtcodec.encode(FULL_CONTACTS, fmt=3))
    command = [sys.executable, "-m", "fmtcodec", "decode", "--type", "contacts", "--to", "table", str(path)]
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    piped = subprocess.run(command, env={**env, "COLUMNS": "80"}, capture_output=True, check=True, timeout=60)
    assert on_a_terminal(command, env, columns=80) == piped.stdout.decode()


def on_a_terminal(command: list[str], env: dict[str, str], columns: int) -> str:
    """What ``command`` prints on a pseudo-terminal ``columns`` wide, its colours taken out."""
    import fcntl
    import pty
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    try:
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed: the process has ended
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=60) == EXIT_OK
    finally:
        os.close(controller)
    return re.sub(r"\x1b\[[0-9;]*m", "", shown.decode()).replace("\r\n", "\n")


def test_an_empty_list_at_80_columns_is_its_heading(tmp_path: Path) -> None:
    # eleven column names need 111 columns: no table of nothing, only what was read
    assert table(tmp_path, [], "contacts", COLUMNS) == "reply.json (contacts): 0 records\n"
    assert column_widths(["name", "comments"], [], 10) is None
    assert column_widths(["name", "comments"], [], 20) == [4, 8]


def test_an_error_reply_wraps_its_meaning(tmp_path: Path) -> None:
    assert table(tmp_path, Error(error_code=2, error="authorise error"), "error", COLUMNS) == (
        "reply.json (error)\n"
        "┏━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
        "┃ error_code ┃ error           ┃ meaning                                       ┃\n"
        "┡━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
        "│ 2          │ authorise error │ Invalid login or password, or the request     │\n"
        "│            │                 │ came from an IP address outside the client's  │\n"
        "│            │                 │ allowed list.                                 │\n"
        "└────────────┴─────────────────┴───────────────────────────────────────────────┘\n"
    )
