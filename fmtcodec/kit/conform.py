"""The conformance runner: a scripted scenario through real HTTP against any SMSC-compatible
contacts endpoint, each step checked against spec/formats.md and spec/requests.md.

The scenario (``Runner.run``) creates a uniquely named group, adds three contacts (Cyrillic, a
comma and ``&``, empty fields, several phones), lists them back in every fmt and charset asked
for, changes and moves them, renames the group, blacklists a number and lists the blacklist,
then deletes everything it created -- also after a failure. Each step records the request
(credentials masked), whether the reply decoded in the requested fmt, whether the values equal
what was sent, and the drift seen (a reply that conforms but differs from the seed page, such
as the bare ``OK`` to fmt 3).

With ``send_to`` (``fmtcodec conform --send PHONE``; opt-in, since it costs money on a real
account) a sending scenario follows: the balance in each fmt, the free cost request
(``cost=1``) in each fmt and charset, one message sent, its status polled until final, and the
balance again, each checked for shape and for agreement with the others (``Runner``).

It sends no more than three identical requests a minute and, on error 9, waits a minute and
tries again (twice at most) rather than hammering (seed, code 9); it says so (``notify``) before
each wait. Outcome: ``CONFORM`` (0), ``NONCONFORM`` (1), ``REFUSED`` (3: wrong credentials or a
blocked IP, errors 2 and 4), ``UNREACHABLE`` (4: no connection could be made; the run stops at
the first such step).

The endpoint is someone else's server: every request goes through ``fetch.fetch`` (no redirect to
another origin or scheme, a bounded reply, one deadline for the whole request), and the base URL
is checked before the first request (``fetch.check_base_url``).
"""

from __future__ import annotations

import collections
import math
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote_plus

import msgspec

from fmtcodec.api import decode, detect_fmt
from fmtcodec.charset import charset_label, normalize_charset
from fmtcodec.errors import ApiError, DecodeError
from fmtcodec.kit.commands import (
    AddBlacklist,
    AddContact,
    AddGroup,
    ChangeContact,
    ChangeGroup,
    Command,
    DeleteBlacklist,
    DeleteContact,
    DeleteGroup,
    ListBlacklist,
    ListContacts,
    ListGroups,
    MoveGroup,
    Request,
)
from fmtcodec.kit.fetch import MAX_REPLY_BYTES, FetchError, Unreachable, check_base_url, fetch
from fmtcodec.kit.query import mask_credentials, write_query
from fmtcodec.kit.sending import message_parts
from fmtcodec.records import Balance, BlacklistEntry, Contact, Cost, Created, Error, Group, Ok, Sent, Status

__all__ = ["CONFORM", "NONCONFORM", "REFUSED", "UNREACHABLE", "Report", "Runner", "Step"]

CONFORM, NONCONFORM, REFUSED, UNREACHABLE = 0, 1, 3, 4
"""Exit codes: every step conformed; some step did not; the endpoint refused (error 2 or 4); the
endpoint could not be reached."""

_CHARSET_PARAM = re.compile(r"""charset=["']?([^"';,\s]+)""", re.IGNORECASE)
_DIGITS = re.compile(r"[^0-9]")
_SEED_OK = {2: "<result>OK</result>", 3: '{"result": "OK"}'}


class Refused(Exception):
    """The endpoint answered error 2 or 4: the scenario cannot go on."""


class _Unreachable(Exception):
    """No connection to the endpoint: the scenario cannot go on."""


@dataclass
class Step:
    """One request of the scenario and what was found in its reply."""

    name: str
    request: str
    fmt: int
    charset: str
    status: int | None = None
    decoded: bool = False
    equal: bool | None = None
    drift: list[str] = field(default_factory=list)
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.decoded and self.equal is not False and not self.problem


@dataclass
class Report:
    """The steps and the outcome of a run."""

    endpoint: str
    steps: list[Step] = field(default_factory=list)
    refused: str = ""
    """Why the endpoint refused (``error 2 (authorise error)``), or empty."""
    unreachable: str = ""
    """Why the endpoint could not be reached, or empty."""

    @property
    def outcome(self) -> int:
        if self.unreachable:
            return UNREACHABLE
        if self.refused:
            return REFUSED
        return CONFORM if all(step.ok for step in self.steps) else NONCONFORM

    def to_dict(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "outcome": OUTCOMES[self.outcome],
            "refused": self.refused or None,
            "unreachable": self.unreachable or None,
            "steps": [
                {
                    "step": step.name,
                    "request": step.request,
                    "fmt": step.fmt,
                    "charset": step.charset,
                    "status": step.status,
                    "decoded": step.decoded,
                    "equal": step.equal,
                    "drift": step.drift,
                    "problem": step.problem or None,
                    "ok": step.ok,
                }
                for step in self.steps
            ],
        }


OUTCOMES = {CONFORM: "conform", NONCONFORM: "nonconform", REFUSED: "refused", UNREACHABLE: "unreachable"}
"""Each outcome's name in the JSON report."""


class Runner:
    """Runs the scenario against ``base_url`` (``https://smsc.ru/`` or a fake's URL).

    ``sleep`` and ``clock`` pace the requests (injectable for tests); ``timeout`` bounds each
    request as a whole (seconds, finite and above 0); a reply body over ``max_reply_bytes`` is not
    read; ``notify`` is told, in one line, whenever the runner waits. ``ValueError`` for a base
    URL, fmt, charset, timeout or bound it cannot use.
    """

    def __init__(
        self,
        base_url: str,
        *,
        login: str | None = None,
        psw: str | None = None,
        apikey: str | None = None,
        fmts: Sequence[int] = (0, 1, 2, 3),
        charsets: Sequence[str] = ("utf-8", "windows-1251"),
        timeout: float = 30.0,
        max_reply_bytes: int = MAX_REPLY_BYTES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        notify: Callable[[str], None] = lambda line: None,
        send_to: str | None = None,
        poll_interval: float = 15.0,
        max_polls: int = 40,
    ) -> None:
        root = check_base_url(base_url)
        if not _positive(timeout, float) or not math.isfinite(timeout):
            raise ValueError(f"timeout must be a number of seconds above 0, got {timeout!r}")
        if not _positive(max_reply_bytes, int):
            raise ValueError(f"max_reply_bytes must be a positive integer, got {max_reply_bytes!r}")
        if not fmts or not charsets:
            raise ValueError("at least one fmt and one charset are needed")
        for fmt in fmts:
            if fmt not in (0, 1, 2, 3):
                raise ValueError(f"fmt must be 0, 1, 2 or 3, got {fmt!r}")
        self.root = root
        self.base = root + "sys/phones.php"
        if send_to is not None and not re.fullmatch(r"\+?[0-9]{10,15}", send_to):
            raise ValueError(f"the number to send to must be 10 to 15 digits, got {send_to!r}")
        self.send_to = send_to.removeprefix("+") if send_to is not None else None
        self.poll_interval = poll_interval
        self.max_polls = max_polls
        self.auth = {"login": login, "psw": psw, "apikey": apikey}
        self.fmts = list(fmts)
        self.charsets = [charset_label(name) for name in charsets]
        self.timeout = float(timeout)
        self.max_reply_bytes = max_reply_bytes
        self.sleep = sleep
        self.clock = clock
        self.notify = notify
        self.report = Report(base_url)
        self._sent: dict[str, collections.deque[float]] = {}
        tag = secrets.token_hex(4)
        self.group_name = f"Fmtcodec conform {tag}"
        self.group_renamed = f"Fmtcodec conform {tag} renamed"
        base = 79900000000 + secrets.randbelow(90_000) * 100  # 11 digits: 7990xxxxx00 .. 05
        self.numbers = [str(base + index) for index in range(6)]
        self.group_id: int | None = None
        self.created: list[str] = []  # phones of the contacts still to delete
        self.blacklisted: str | None = None

    # -- the scenario ----------------------------------------------------------------------

    def run(self) -> Report:
        try:
            self._scenario()
            if self.send_to is not None:
                self._send_scenario(self.send_to)
        except (Refused, _Unreachable) as exc:
            self._stopped(exc)
        finally:
            if not self.report.refused and not self.report.unreachable:
                try:
                    self._clean_up()
                except (Refused, _Unreachable) as exc:  # the endpoint turned us away meanwhile
                    self._stopped(exc)
        return self.report

    def _stopped(self, exc: Exception) -> None:
        if isinstance(exc, Refused):
            self.report.refused = str(exc)
        else:
            self.report.unreachable = str(exc)

    def _contacts(self) -> list[AddContact]:
        first, second, third, fourth = self.numbers[:4]
        return [
            AddContact(
                phone=first,
                name="Иванов Пётр",
                grp=str(self.group_id),
                fnm="Пётр",
                mnm="Сергеевич",
                lnm="Иванов",
                bd="01.02.1990",
                myid="c-1",
                cmt="Кириллица: ёжик",
                tags="vip",  # not "a,b": a comma in tags makes the fmt 1 row ambiguous
            ),
            AddContact(phone=second, name="Smith, John & Co", cmt="R&D <lab>", tags="x & y"),
            AddContact(phone=f"{third},{fourth}", name="Several phones", pho=f"+{self.numbers[4]}"),
        ]

    def _scenario(self) -> None:
        fmt0, charset0 = self.fmts[-1], self.charsets[0]
        created = self._call("add a group", AddGroup(name=self.group_name), fmt0, charset0, Created)
        if not isinstance(created, Created):
            return
        self.group_id = created.id
        self._each("list groups", ListGroups(), list[Group], self._check_group(self.group_name))
        contacts = self._contacts()
        for index, command in enumerate(contacts):
            fmt = self.fmts[index % len(self.fmts)]
            if isinstance(self._call(f"add contact {index + 1}", command, fmt, charset0, Created), Created):
                self.created.append(command.phone)
        self._each("list contacts", ListContacts(), list[Contact], self._check_contacts(contacts))
        change = ChangeContact(phone=self.numbers[0], name="Иванова Анна", fnm="Анна", cmt="", tags="")
        self._call("change contact 1", change, fmt0, charset0, Ok)
        grp = self.group_id
        self._call(
            "move contact 2 into the group",
            MoveGroup(move_group=1, grp=grp, phone=self.numbers[1]),
            fmt0,
            charset0,
            Ok,
        )
        self._call(
            "add contact 3 to the group",
            MoveGroup(move_group=2, grp=grp, phone=self.numbers[2]),
            fmt0,
            charset0,
            Ok,
        )
        expected = [
            _expected(contacts[0], name="Иванова Анна", first_name="Анна", comments="", tags=""),
            _expected(contacts[1], group=str(grp)),
            _expected(contacts[2], group=str(grp)),
        ]
        self._each("list changed contacts", ListContacts(), list[Contact], self._check_records(expected))
        self._call(
            "take contact 3 out of the group",
            MoveGroup(move_group=3, grp=grp, phone=self.numbers[2]),
            fmt0,
            charset0,
            Ok,
        )
        self._call("rename the group", ChangeGroup(grp=grp, name=self.group_renamed), fmt0, charset0, Ok)
        self._call(
            "list renamed group",
            ListGroups(),
            fmt0,
            charset0,
            list[Group],
            self._check_group(self.group_renamed),
        )
        black = self.numbers[5]
        if isinstance(
            self._call("blacklist a number", AddBlacklist(phone=black), fmt0, charset0, Created), Created
        ):
            self.blacklisted = black
        self._each("list the blacklist", ListBlacklist(), list[BlacklistEntry], self._check_blacklist(black))

    def _clean_up(self) -> None:
        fmt, charset = self.fmts[-1], self.charsets[0]
        if self.blacklisted is not None:
            self._call("clean up: unblacklist", DeleteBlacklist(phone=self.blacklisted), fmt, charset, Ok)
        for index, phone in enumerate(self.created):
            self._call(f"clean up: delete contact {index + 1}", DeleteContact(phone=phone), fmt, charset, Ok)
        if self.group_id is not None:
            self._call("clean up: delete the group", DeleteGroup(grp=self.group_id), fmt, charset, Ok)

    def _each(self, name: str, command: Command, kind: Any, check: Callable[[Any, Step], None]) -> None:
        for fmt in self.fmts:
            for charset in self.charsets:
                self._call(f"{name} (fmt {fmt}, {charset})", command, fmt, charset, kind, check)

    # -- the sending scenario (opt-in) -----------------------------------------------------

    SEND_TEXT = "fmtcodec conform: проверка связи"
    """The message the sending scenario sends: Cyrillic, so one UCS-2 part on every phone."""

    def _page_query(self, params: list[tuple[str, object]], fmt: int, charset: str) -> str:
        codec = normalize_charset(charset)
        pairs = [*params, *self.auth.items(), ("fmt", fmt), ("charset", charset)]
        return "&".join(
            f"{name}={quote_plus(str(value), safe='', encoding=codec)}"
            for name, value in pairs
            if value is not None
        )

    def _send_scenario(self, phone: str) -> None:
        charset0 = self.charsets[0]
        parts = message_parts(self.SEND_TEXT)
        before = self._balances("balance before", charset0)
        costs: list[Cost] = []
        for fmt in self.fmts:
            for charset in self.charsets:
                query = self._page_query(
                    [("phones", phone), ("mes", self.SEND_TEXT), ("cost", 1)], fmt, charset
                )
                cost = self._exchange(
                    f"cost of the message (fmt {fmt}, {charset})", "send.php", query, fmt, charset, Cost,
                    self._check_cost(parts, costs),
                )  # fmt: skip
                if isinstance(cost, Cost):
                    costs.append(cost)
        fmt = self.fmts[-1]
        query = self._page_query([("phones", phone), ("mes", self.SEND_TEXT), ("cost", 3)], fmt, charset0)
        sent = self._exchange(
            f"send the message (fmt {fmt}, {charset0})", "send.php", query, fmt, charset0, Sent,
            self._check_sent(parts, costs, before),
        )  # fmt: skip
        if not isinstance(sent, Sent):
            return
        self._poll_status(phone, sent.id, charset0)
        if before is not None and sent.cost is not None:
            self._balances("balance after", charset0, before - sent.cost)

    def _balances(self, name: str, charset: str, expected: Decimal | None = None) -> Decimal | None:
        """The balance in each fmt; the first one read (and checked against ``expected``)."""
        seen: list[Decimal] = []

        def check(balance: Balance, step: Step) -> None:
            want = expected if expected is not None else (seen[0] if seen else None)
            step.equal = want is None or balance.balance == want
            if not step.equal:
                step.problem = f"balance {balance.balance}, expected {want}"
            seen.append(balance.balance)

        for fmt in self.fmts:
            query = self._page_query([], fmt, charset)
            self._exchange(
                f"{name} (fmt {fmt}, {charset})", "balance.php", query, fmt, charset, Balance, check
            )
        return seen[0] if seen else None

    def _check_cost(self, parts: int, costs: list[Cost]) -> Callable[[Any, Step], None]:
        def check(cost: Cost, step: Step) -> None:
            problems = []
            if cost.cnt != parts:
                problems.append(f"cnt {cost.cnt}, the message is {parts} SMS")
            if costs and cost.cost != costs[0].cost:
                problems.append(f"cost {cost.cost}, {costs[0].cost} in the first cost reply")
            step.equal = not problems
            step.problem = "; ".join(problems)

        return check

    def _check_sent(
        self, parts: int, costs: list[Cost], before: Decimal | None
    ) -> Callable[[Any, Step], None]:
        def check(sent: Sent, step: Step) -> None:
            problems = []
            if sent.cnt != parts:
                problems.append(f"cnt {sent.cnt}, the message is {parts} SMS")
            if sent.cost is None:
                step.drift.append("no cost with cost=3")
            elif costs and sent.cost != costs[0].cost:
                problems.append(f"cost {sent.cost}, the cost request said {costs[0].cost}")
            if sent.balance is None:
                step.drift.append("no balance with cost=3")
            elif before is not None and sent.cost is not None and sent.balance != before - sent.cost:
                problems.append(f"balance {sent.balance}, expected {before} - {sent.cost}")
            step.equal = not problems
            step.problem = "; ".join(problems)

        return check

    def _poll_status(self, phone: str, message_id: str, charset: str) -> None:
        """The message's status, in each fmt in turn, until it is final."""
        for poll in range(self.max_polls):
            fmt = self.fmts[poll % len(self.fmts)]
            query = self._page_query([("phone", phone), ("id", message_id)], fmt, charset)
            status = self._exchange(
                f"status, poll {poll + 1} (fmt {fmt}, {charset})", "status.php", query, fmt, charset, Status
            )
            if not isinstance(status, Status):
                return
            if status.status not in (-1, 0):  # queued, handed to the operator
                step = self.report.steps[-1]
                if status.status != 1:
                    meaning = status.status_meaning or "undocumented"
                    step.drift.append(
                        f"final status {status.status} ({meaning}), err {status.err}, not delivered"
                    )
                return
            self.notify(
                f"status {status.status}: waiting {self.poll_interval:.0f} s for the message's status"
            )
            self.sleep(self.poll_interval)
        self.report.steps[-1].problem = f"no final status after {self.max_polls} polls"

    # -- checks ----------------------------------------------------------------------------

    def _check_group(self, name: str) -> Callable[[Any, Step], None]:
        def check(groups: list[Group], step: Step) -> None:
            found = [group for group in groups if group.id == self.group_id]
            if not found:
                step.equal, step.problem = False, f"group {self.group_id} is not in the list"
                return
            group = found[0]
            step.equal = group.name == name
            if not step.equal:
                step.problem = f"name {group.name!r}, sent {name!r}"
            if group.cnt is None:
                step.drift.append("no `cnt` (the seed page lists it)")

        return check

    def _check_contacts(self, sent: list[AddContact]) -> Callable[[Any, Step], None]:
        return self._check_records([_expected(command) for command in sent])

    def _check_records(self, expected: list[Contact]) -> Callable[[Any, Step], None]:
        def check(contacts: list[Contact], step: Step) -> None:
            mine = {_digits(contact.phone): contact for contact in contacts}
            problems = []
            for want in expected:
                got = mine.get(_digits(want.phone))
                if got is None:
                    problems.append(f"contact {want.phone} is missing")
                    continue
                if got.phone != want.phone:
                    step.drift.append(f"phone {want.phone!r} listed as {got.phone!r}")
                    got = _replace(got, phone=want.phone)
                if got != want:
                    problems.append(_difference(want, got))
            step.equal = not problems
            step.problem = "; ".join(problems)

        return check

    def _check_blacklist(self, number: str) -> Callable[[Any, Step], None]:
        def check(entries: list[BlacklistEntry], step: Step) -> None:
            step.equal = any(_digits(entry.phone) == number for entry in entries)
            if not step.equal:
                step.problem = f"{number} is not in the blacklist"

        return check

    # -- one request -----------------------------------------------------------------------

    def _call(
        self,
        name: str,
        command: Command,
        fmt: int,
        charset: str,
        kind: Any,
        check: Callable[[Any, Step], None] | None = None,
    ) -> Any:
        request = Request(command=command, fmt=fmt, charset=charset, **self.auth)
        return self._exchange(name, "phones.php", write_query(request), fmt, charset, kind, check)

    def _exchange(
        self,
        name: str,
        page: str,
        query: str,
        fmt: int,
        charset: str,
        kind: Any,
        check: Callable[[Any, Step], None] | None = None,
    ) -> Any:
        """One step: ``query`` to ``/sys/<page>``, its reply judged as ``kind``."""
        step = Step(name, f"GET /sys/{page}?{mask_credentials(query)}", fmt, charset)
        self.report.steps.append(step)
        for attempt in range(3):
            try:
                reply = self._get(query, page)
            except Unreachable as exc:
                step.problem = f"unreachable: {exc}"
                raise _Unreachable(str(exc)) from None
            except FetchError as exc:
                step.problem = str(exc)
                return None
            step.status = reply.status
            if reply.redirects:
                step.drift.append(
                    "redirected to " + ", ".join(mask_credentials(url) for url in reply.redirects)
                )
            if reply.status != 200:
                step.problem = f"HTTP {reply.status}"
                return None
            error = _error_of(reply.body)
            if error is not None and error.error_code == 9 and attempt < 2:
                step.drift.append("error 9: waited a minute")
                self.notify(
                    f"{name}: error 9 (too many requests), waiting 60 s before try {attempt + 2} of 3"
                )
                self.sleep(60.0)
                continue
            break
        if error is not None and error.error_code in (2, 4):
            reason = (
                f"error {error.error_code} ({error.error})" if error.error else f"error {error.error_code}"
            )
            step.problem = f"refused: {reason}"
            raise Refused(reason)
        return self._judge(step, reply.body, reply.content_type, fmt, kind, check)

    def _judge(
        self,
        step: Step,
        body: bytes,
        content_type: str,
        fmt: int,
        kind: Any,
        check: Callable[[Any, Step], None] | None,
    ) -> Any:
        label = _CHARSET_PARAM.search(content_type)
        header_charset = label[1].lower() if label else None
        if header_charset is not None:
            try:
                normalize_charset(header_charset)
            except ValueError:
                shown = header_charset if len(header_charset) <= 40 else header_charset[:40] + "…"
                step.problem = f"reply in charset {shown!r}, none of utf-8, windows-1251, koi8-r"
                return None
        if header_charset is not None and header_charset != step.charset:
            step.drift.append(f"Content-Type says charset={header_charset}, {step.charset} was asked")
        seen = _fmt_of(body, kind, fmt, header_charset or step.charset)
        if kind is Ok and body.strip() == b"OK" and fmt in (2, 3):
            step.drift.append(f"bare OK (the seed page: {_SEED_OK[fmt]})")
        elif seen != fmt and not (body.strip() == b"OK" or (fmt == 1 and seen == 0 and body.strip() == b"")):
            step.problem = f"reply is in fmt {seen}, fmt {fmt} was asked"
            return None
        try:
            value = decode(body, kind, fmt=fmt, charset=header_charset or step.charset)
        except ApiError as exc:
            step.decoded = True
            step.problem = f"server error {exc.code} ({exc.message or exc.meaning or 'no text'})"
            return None
        except DecodeError as exc:
            step.problem = f"does not decode: {exc}"
            return None
        step.decoded = True
        if check is not None:
            check(value, step)
        return value

    def _get(self, query: str, page: str = "phones.php") -> Any:
        self._pace(page + "?" + query)
        return fetch(f"{self.root}sys/{page}?{query}", timeout=self.timeout, max_bytes=self.max_reply_bytes)

    def _pace(self, query: str) -> None:
        """Wait until sending ``query`` makes no more than three identical requests a minute."""
        times = self._sent.setdefault(query, collections.deque())
        now = self.clock()
        while times and now - times[0] >= 60.0:
            times.popleft()
        if len(times) >= 3:
            wait = 60.0 - (now - times[0])
            self.notify(f"waiting {wait:.0f} s: no more than three identical requests a minute (error 9)")
            self.sleep(wait)
            times.popleft()
        times.append(self.clock())


def _positive(value: object, kind: type[int] | type[float]) -> bool:
    """``value`` is a number above 0 (an ``int`` where ``kind`` is ``int``; never a bool)."""
    allowed = (int,) if kind is int else (int, float)
    return type(value) is not bool and isinstance(value, allowed) and value > 0


def _fmt_of(body: bytes, kind: Any, asked: int, charset: str) -> int:
    """The fmt of a reply, by its first characters -- except where those cannot tell fmt 0 from
    fmt 1 (no ``key = `` in ``3.20 (1 SMS)``, ``OK - 1 SMS, ID - 1``; a bare balance ``15.00`` is
    both): a reply asked in one of them that reads as ``kind`` in it is in it."""
    seen = detect_fmt(body)
    if seen != asked and {seen, asked} == {0, 1}:
        try:
            decode(body, kind, fmt=asked, charset=charset)
        except (DecodeError, ApiError):
            return seen
        return asked
    return seen


def _error_of(body: bytes) -> Error | None:
    try:
        return decode(body, Error)
    except (DecodeError, ApiError):
        return None


def _digits(phones: str) -> str:
    return ",".join(_DIGITS.sub("", part) for part in phones.split(","))


def _expected(command: AddContact, **changes: str) -> Contact:
    record = Contact(
        phone=command.phone,
        name=command.name,
        group=command.grp or "",
        first_name=command.fnm or "",
        last_name=command.lnm or "",
        middle_name=command.mnm or "",
        birthday=command.bd or "",
        id=command.myid or "",
        comments=command.cmt or "",
        tags=command.tags or "",
        phone_other=command.pho or "",
    )
    return _replace(record, **changes)


def _replace(record: Contact, **changes: str) -> Contact:
    return msgspec.structs.replace(record, **changes)


def _difference(want: Contact, got: Contact) -> str:
    differ = [
        f"{name} {getattr(got, name)!r}, sent {getattr(want, name)!r}"
        for name in Contact.__struct_fields__
        if getattr(got, name) != getattr(want, name)
    ]
    return f"contact {want.phone}: " + ", ".join(differ)
