"""The command line at an 80-column terminal (issue 15, item 11): every ``--help`` fits in 80
columns, and ``decode --to table`` lays records out so that they read at that width."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from fmtcodec.cli import EXIT_OK, cli

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
    result = CliRunner().invoke(cli, [*path, "--help"], env={"COLUMNS": str(columns)}, prog_name="fmtcodec")
    assert result.exit_code == EXIT_OK, result.output
    return result.stdout


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "fmtcodec")
def test_help_fits_80_columns(path: tuple[str, ...]) -> None:
    text = help_at(COLUMNS, path)
    too_wide = [f"{cell_len(line)}: {line}" for line in text.splitlines() if cell_len(line) > COLUMNS]
    assert too_wide == []
    assert help_at(200, path) == text  # a wider terminal prints the same help
