"""The ``fmtcodec`` click group: the four built-in commands and the optional ones.

An optional module (the conformance kit, say) adds a command with one entry in
``OPTIONAL_COMMANDS``; its module is imported only when the command runs (or its own ``--help``
is asked for), so ``fmtcodec --help`` and every other command stay as quick as before, and a
missing extra is one line naming it instead of a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from dataclasses import dataclass
from typing import Any

import click

from fmtcodec import __version__, _core
from fmtcodec.cli._common import Failure
from fmtcodec.cli.decode import convert, decode_command
from fmtcodec.cli.detect import detect
from fmtcodec.cli.validate import validate


@dataclass(frozen=True)
class OptionalCommand:
    """A command that lives in an optional module."""

    target: str
    """``"package.module:attribute"``: the click command."""
    extra: str
    """The ``pip install 'fmtcodec[extra]'`` its module needs."""
    summary: str
    """Its line in ``fmtcodec --help`` (shown without importing the module)."""


OPTIONAL_COMMANDS: dict[str, OptionalCommand] = {
    "archive": OptionalCommand(
        "fmtcodec.cli.archive:archive", "arrow", "Decode a folder of replies into a Parquet/Arrow/CSV table."
    ),
    "serve": OptionalCommand(
        "fmtcodec.kit.cli:serve", "server", "Serve a fake contacts service over HTTP (phones.php, mails.php)."
    ),
    "conform": OptionalCommand(
        "fmtcodec.kit.cli:conform", "server", "Check an SMSC-compatible endpoint against the spec."
    ),
}
"""Commands of optional modules by name: register new ones here."""


def _load(name: str, entry: OptionalCommand) -> click.Command:
    module_name, _, attribute = entry.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or module_name

        @click.command(name=name, help=entry.summary, context_settings={"ignore_unknown_options": True})
        @click.argument("args", nargs=-1, type=click.UNPROCESSED)
        def unavailable(args: tuple[str, ...]) -> None:
            raise Failure(f"{name} needs {missing}: pip install 'fmtcodec[{entry.extra}]'")

        return unavailable
    command: click.Command = getattr(module, attribute)
    return command


class _Group(click.Group):
    """Turns unexpected exceptions into one line (a traceback only with ``--debug``), and loads
    the commands of ``OPTIONAL_COMMANDS`` when they are run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *OPTIONAL_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in OPTIONAL_COMMANDS:
            command = _load(cmd_name, OPTIONAL_COMMANDS[cmd_name])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in OPTIONAL_COMMANDS:
                rows.append((name, OPTIONAL_COMMANDS[name].summary))
            else:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                raise
            if isinstance(exc, ModuleNotFoundError) and exc.name == "rich":
                # click is there but rich is not (it is imported only to draw a table or a bar)
                raise Failure("this needs rich: pip install 'fmtcodec[cli]'") from exc
            raise Failure(
                f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)"
            ) from exc


def compiled_core() -> str:
    """Whether the compiled core is in use, and if not, why: what ``--version`` says after the
    version (a newcomer checks here that the build took)."""
    if _core.COMPILED:
        return "compiled core: yes"
    switched_off = os.environ.get("FMTCODEC_PURE", "") not in ("", "0")
    if switched_off and importlib.util.find_spec("fmtcodec._speedups") is not None:
        return "compiled core: no \N{EM DASH} pure Python, FMTCODEC_PURE is set"
    return "compiled core: no \N{EM DASH} pure Python"


def version_line() -> str:
    """``fmtcodec --version``: ``fmtcodec 0.1.0 (compiled core: yes)``."""
    return f"fmtcodec {__version__} ({compiled_core()})".replace("%", "%%")


HELP_WIDTH = 80
"""``--help`` is wrapped at this width at most, whatever the terminal: the same text in a pipe,
in an 80-column terminal and in a wide one (docs/cli.md shows it, a test compares)."""


@click.group(
    name="fmtcodec",
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": HELP_WIDTH},
    epilog="""
Examples:

\b
  fmtcodec detect replies/*.txt
  fmtcodec decode --type contacts reply.txt
  curl -s "$URL&fmt=3" | fmtcodec decode --type groups --to table
  fmtcodec convert --type contacts --to-fmt 2 reply.txt > reply.xml
  fmtcodec validate --type contacts archive/

Every command reads stdin for the file "-".

Exit codes: 0 ok, 1 decode/encode failure, 2 usage error, 3 server error reply.
""",
)
@click.version_option(__version__, prog_name="fmtcodec", message=version_line())
@click.option("--debug", is_flag=True, help="Show Python tracebacks instead of one-line errors.")
def cli(debug: bool) -> None:
    """Decode, convert and check SMSC contacts-service replies in every fmt (0 text, 1 CSV,
    2 XML, 3 JSON)."""


for _command in (convert, decode_command, detect, validate):
    cli.add_command(_command)
