"""``fmtcodec serve`` and ``fmtcodec conform``: the kit's click commands, self-contained.

``fmtcodec.cli`` registers both on its group; they also run alone (``serve.main()``). click and
rich come with ``fmtcodec[cli]``, werkzeug with ``fmtcodec[server]``; the server loads only when
``serve`` runs.
"""

from __future__ import annotations

import decimal
import json
import sys

import click

from fmtcodec.kit.conform import NONCONFORM, REFUSED, UNREACHABLE, Report, Runner
from fmtcodec.kit.fetch import MAX_REPLY_BYTES

__all__ = ["conform", "serve"]

EXIT_USAGE = 2


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _fmts(text: str) -> list[int]:
    try:
        return [int(part) for part in _names(text)]
    except ValueError:
        raise click.BadParameter(f"expected fmts such as 0,1,2,3, got {text!r}", param_hint="--fmt") from None


@click.command(
    epilog="""
Example:

\b
  fmtcodec serve --port 8000 --login demo --psw demo
  curl -G http://127.0.0.1:8000/sys/phones.php -d login=demo -d psw=demo \\
      -d add_group=1 -d name=Test -d fmt=3

Faults: 500, cut[:KEEP], delay[:SECONDS], drop, error[:CODE]; every request gets the fault, or
every Nth one with --fault-every N.

Sending: a message's status is -1 (waiting), 0 (handed to the operator) a second after it was
sent, 1 (delivered) five seconds after, or 20 for a number given with --fail.
"""
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port."
)
@click.option("--login", help="Account login (with --psw). Default: demo/demo when no credentials are given.")
@click.option("--psw", help="Account password; clients may send it or its lower-case MD5 hex.")
@click.option("--apikey", help="API key clients may send instead of login and password.")
@click.option(
    "--profile",
    type=click.Choice(["2013", "doc"]),
    default="2013",
    show_default=True,
    help="2013: as the server captured in 2013 answered; doc: as the documentation page says.",
)
@click.option(
    "--no-rate-limit", is_flag=True, help="Never answer error 9 (more than 3 identical requests a minute)."
)
@click.option("--fault", "fault_text", help="Inject a fault (see below).")
@click.option(
    "--fault-every", type=click.IntRange(1), default=1, show_default=True, help="Fault every Nth request."
)
@click.option(
    "--strict",
    is_flag=True,
    help="Answer error 1 to unknown and repeated parameters (the real service ignores them).",
)
@click.option(
    "--balance", default="100.00", show_default=True, help="The account's money (send.php takes from it)."
)
@click.option(
    "--stop-word", "stop_words", multiple=True, help="send.php answers error 6 to a text holding it."
)
@click.option(
    "--registered-senders-only",
    is_flag=True,
    help="send.php answers error 6 to a sender name not added on senders.php (default: any name).",
)
@click.option("--invalid-number", "invalid_numbers", multiple=True, help="send.php: error 7 for this number.")
@click.option("--undeliverable", multiple=True, help="send.php: error 8 for this number.")
@click.option(
    "--fail",
    "failing_text",
    multiple=True,
    metavar="PHONE[:ERR]",
    help="A message to PHONE is accepted but ends undeliverable (status 20, err ERR, default 1).",
)
@click.option("--quiet", is_flag=True, help="No request log on stderr.")
def serve(
    host: str,
    port: int,
    login: str | None,
    psw: str | None,
    apikey: str | None,
    profile: str,
    no_rate_limit: bool,
    fault_text: str | None,
    fault_every: int,
    strict: bool,
    balance: str,
    stop_words: tuple[str, ...],
    registered_senders_only: bool,
    invalid_numbers: tuple[str, ...],
    undeliverable: tuple[str, ...],
    failing_text: tuple[str, ...],
    quiet: bool,
) -> None:
    """Serve a fake SMSC over HTTP: the contacts pages (/sys/phones.php, /sys/mails.php) and the
    sending pages (/sys/send.php, status.php, balance.php, senders.php); GET /_fake/outbox lists
    what was sent.

    Prints `serving on http://HOST:PORT/` first on stdout, one line per request on stderr, and
    stops cleanly on Ctrl-C or SIGTERM.
    """
    from fmtcodec.cli._common import Failure
    from fmtcodec.kit.faults import parse_fault
    from fmtcodec.kit.sending import SendingRules, normalize_phone
    from fmtcodec.kit.service import Account, Service

    try:
        from fmtcodec.kit.serve import serve_forever
    except ImportError:
        raise Failure("serve needs werkzeug: pip install 'fmtcodec[server]'") from None

    if (login is None) != (psw is None):
        raise click.UsageError("--login and --psw go together")
    if login is None and apikey is None:
        login, psw = "demo", "demo"
        click.echo("no credentials given: login demo, password demo", err=True)
    try:
        money = decimal.Decimal(balance)
    except decimal.InvalidOperation:
        raise click.BadParameter(
            f"expected an amount such as 100.00, got {balance!r}", param_hint="--balance"
        ) from None
    if not money.is_finite():
        raise click.BadParameter(
            f"expected an amount such as 100.00, got {balance!r}", param_hint="--balance"
        )

    def number(text: str, option: str) -> str:
        found = normalize_phone(text)
        if found is None:
            raise click.BadParameter(f"expected a phone number, got {text!r}", param_hint=option)
        return found

    failing = {}
    for item in failing_text:
        phone, _, err = item.partition(":")
        if err and not err.isdigit():
            raise click.BadParameter(f"expected PHONE or PHONE:ERR, got {item!r}", param_hint="--fail")
        failing[number(phone, "--fail")] = int(err or 1)
    rules = SendingRules(
        stop_words=list(stop_words),
        registered_senders_only=registered_senders_only,
        invalid_numbers={number(text, "--invalid-number") for text in invalid_numbers},
        undeliverable={number(text, "--undeliverable") for text in undeliverable},
        failing=failing,
    )
    service = Service(
        account=Account(login, psw, apikey),
        profile=profile,
        rate_limit=not no_rate_limit,
        strict=strict,
        balance=money,
        rules=rules,
    )
    if fault_text is not None:
        try:
            service.faults.every(fault_every, parse_fault(fault_text))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--fault") from None
    try:
        serve_forever(service, host=host, port=port, log=None if quiet else sys.stderr)
    except OSError as exc:
        raise Failure(exc.strerror or str(exc)) from None


@click.command(
    epilog="""
Exit codes: 0 every step conformed, 1 some step did not, 2 usage error, 3 the endpoint refused
(error 2: credentials; error 4: IP blocked), 4 the endpoint could not be reached.

Redirects are followed only within the same scheme, host and port.
"""
)
@click.argument("base_url")
@click.option("--login", help="Account login (with --psw).")
@click.option("--psw", help="Account password or its lower-case MD5 hex.")
@click.option("--apikey", help="API key, instead of --login and --psw.")
@click.option("--fmt", "fmt_text", default="0,1,2,3", show_default=True, help="fmts to list in.")
@click.option("--charset", "charset_text", default="utf-8,windows-1251", show_default=True, help="Charsets.")
@click.option("--to", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--timeout", type=float, default=30.0, show_default=True, help="Seconds for each whole request (> 0)."
)
@click.option(
    "--max-reply-bytes",
    type=click.IntRange(1),
    default=MAX_REPLY_BYTES,
    show_default=True,
    help="A reply body larger than this is not read.",
)
@click.option(
    "--send",
    "send_to",
    metavar="PHONE",
    help="Also run the sending scenario (costs money): cost in each fmt, one message to PHONE "
    "(a number the account owns), its status until final, the balance before and after.",
)
def conform(
    base_url: str,
    login: str | None,
    psw: str | None,
    apikey: str | None,
    fmt_text: str,
    charset_text: str,
    output: str,
    timeout: float,
    max_reply_bytes: int,
    send_to: str | None,
) -> None:
    """Check an SMSC-compatible endpoint (BASE_URL, e.g. https://smsc.ru) against the spec.

    Creates a uniquely named group, contacts and a blacklist entry, lists them in every fmt and
    charset, changes and moves them, and deletes everything it created, also after a failure.
    With --send PHONE, also the sending scenario (send.php, status.php, balance.php).
    """
    if apikey is None and (login is None or psw is None):
        raise click.UsageError("give --login and --psw, or --apikey")
    fmts = _fmts(fmt_text)
    charsets = _names(charset_text)
    try:
        runner = Runner(
            base_url,
            login=login,
            psw=psw,
            apikey=apikey,
            fmts=fmts,
            charsets=charsets,
            timeout=timeout,
            max_reply_bytes=max_reply_bytes,
            notify=lambda line: click.echo(f"fmtcodec: {line}", err=True),
            send_to=send_to,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    report = runner.run()
    if output == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _table(report)
    if report.outcome in (NONCONFORM, REFUSED, UNREACHABLE):
        sys.exit(report.outcome)


def _table(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"conformance of {report.endpoint}", show_lines=False)
    for column in ("step", "decoded", "equal", "drift / problem"):
        table.add_column(column, overflow="fold")
    for step in report.steps:
        equal = "-" if step.equal is None else ("yes" if step.equal else "NO")
        notes = "; ".join([step.problem, *step.drift] if step.problem else step.drift)
        style = None if step.ok else "red"
        table.add_row(step.name, "yes" if step.decoded else "NO", equal, notes, style=style)
    console = Console(width=max(Console().width, 120) if not sys.stdout.isatty() else None)
    console.print(table)
    verdict = {
        0: "all steps conform",
        NONCONFORM: "some steps do not conform",
        REFUSED: "refused",
        UNREACHABLE: "unreachable",
    }
    why = report.unreachable or report.refused
    suffix = f": {why}" if why else ""
    console.print(f"{verdict[report.outcome]}{suffix}", markup=False, highlight=False)
