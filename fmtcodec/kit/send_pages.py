"""The sending pages of the fake service: ``send.php``, ``status.php``, ``balance.php`` and
``senders.php``, each a ``Page`` (``pages.py``) over one ``Sending`` state -- the account's money
and sender names, the tariffs, the rules and the outbox (``sending.py``).

What each page reads and answers, and every choice where the sources are silent, is in
spec/requests.md, "Sending".
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import msgspec

from fmtcodec.api import encode
from fmtcodec.kit.pages import Profile, Values, identical_request
from fmtcodec.kit.query import Param, RequestError
from fmtcodec.kit.ratelimit import RateRule, request_key
from fmtcodec.kit.sending import (
    STATUS_NAMES,
    Delivery,
    Message,
    Outbox,
    SendingRules,
    Tariffs,
    message_parts,
    normalize_phone,
    parse_send_time,
    server_date,
    split_phones,
    stop_word,
    transliterate,
    unique,
)
from fmtcodec.kit.store import ServiceError
from fmtcodec.records import Balance, Cost, Ok, PhoneReport, Sender, SenderCreated, Sent, Status

__all__ = [
    "BALANCE_ERRORS",
    "SENDERS_ERRORS",
    "SEND_ERRORS",
    "STATUS_ERRORS",
    "BalancePage",
    "MessageError",
    "SendPage",
    "SendersPage",
    "Sending",
    "StatusPage",
]

COMMON = frozenset({"login", "psw", "apikey", "fmt", "charset"})

SEND_ERRORS = {
    1: "parameters error",  # facts §1.2 (every page's code 1)
    2: "authorise error",  # facts §13, the text clients quote for send.php
    3: "not enough money",  # [U] the contract's example
    4: "ip blocked",  # [U]
    5: "invalid time format",  # [U]
    6: "message is denied",  # [U]
    7: "invalid number",  # facts §13, send [C]
    8: "can't to deliver",  # facts §13, send (a client's mock) [c]
    9: "duplicate request, wait a minute",  # [U] the text clients quote for send.php
}
"""The texts written after each send error code (fmt 0, 2, 3)."""
STATUS_ERRORS = {
    1: "parameters error",
    2: "authorise error",
    3: "message not found",  # [U]
    4: "ip blocked",
    5: "delete error",  # [U]
    9: "duplicate request, wait a minute",
}
BALANCE_ERRORS = {
    1: "parameters error",
    2: "authorise error",
    4: "ip blocked",
    9: "duplicate request, wait a minute",
}
SENDERS_ERRORS = {
    1: "parameters error",  # capture 04, 06
    2: "authorise error",
    3: "record not found",  # capture 08
    4: "ip blocked",
    5: "save error",  # capture 05
    9: "duplicate request, wait a minute",
}

SEND_RULE = RateRule(1)
"""send: "more than one identical send request within a minute" (facts §12)."""
COST_RULE = RateRule(5)
"""send with ``cost=1``: "more than five identical cost requests within a minute"."""
STATUS_ONE_RULE = RateRule(5)
"""status: "more than five requests for the status of one message within a minute"."""
STATUS_MASS_RULE = RateRule(1)
"""status: "more than one mass request within a minute"."""
BALANCE_RULE = RateRule(10)
"""balance: "more than ten balance requests within a minute" (of any kind)."""
SENDERS_LIST_RULE = RateRule(3)
SENDERS_ADD_RULE = RateRule(5)

_CLIENT_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
_SENDER_NAME = re.compile(r"[A-Za-z0-9 .\-_&!'+]{1,11}|[0-9]{1,15}")


class MessageError(ServiceError):
    """A send error that carries the message's id (codes 3, 6, 7, 8; facts §4.1)."""

    def __init__(self, code: int, why: str, message_id: str | None) -> None:
        super().__init__(code, why)
        self.message_id = message_id


@dataclass
class Sending:
    """What the sending pages share: the account's ``balance`` and ``currency``, its registered
    sender names, the ``tariffs``, the ``rules``, the ``outbox``, and the clock -- ``clock()``
    seconds (the service's clock, a ``FakeClock`` in tests) plus ``epoch`` is the Unix time."""

    clock: Callable[[], float]
    epoch: float
    balance: Decimal = Decimal("100.00")
    currency: str = "RUR"
    tariffs: Tariffs = field(default_factory=Tariffs)
    rules: SendingRules = field(default_factory=SendingRules)
    outbox: Outbox = field(default_factory=Outbox)
    senders: dict[str, int] = field(default_factory=dict)
    next_message_id: int = 1
    next_sender_id: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def now(self) -> float:
        """The Unix time on the service's clock."""
        return self.epoch + self.clock()

    def new_message_id(self) -> str:
        with self.lock:
            number = self.next_message_id
            self.next_message_id += 1
        return str(number)

    def register_sender(self, name: str) -> int:
        """Add a sender name (as ``senders.php?add=1`` does) and give its id."""
        with self.lock:
            if name in self.senders:
                raise ServiceError(5, f"sender name {name!r} exists")
            number = self.next_sender_id
            self.next_sender_id += 1
            self.senders[name] = number
            return number


def default_epoch(clock: Callable[[], float]) -> float:
    """The Unix time at ``clock() == 0``: the wall clock now, minus where ``clock`` stands."""
    return time.time() - clock()


# -- reading parameters --------------------------------------------------------------------------


def _check_names(values: Values, parameters: frozenset[str], *, strict: bool) -> None:
    if strict:
        for name, (_, pair) in values.items():
            if name not in parameters:
                raise pair.error(f"unknown parameter `{name}`", at_value=False)


def _missing(name: str) -> RequestError:
    return RequestError(f"parameter `{name}` is needed", parameter=name, pos=0, snippet="", in_body=False)


def _text(values: Values, name: str, *, required: bool = False, lines: bool = False) -> str | None:
    found = values.get(name)
    if found is None:
        if required:
            raise _missing(name)
        return None
    text, pair = found
    if required and not text.strip():
        raise pair.error(f"`{name}` is empty")
    if not lines and ("\n" in text or "\r" in text):
        raise pair.error(f"`{name}` holds a line break (CR or LF)")
    return text


def _choice(values: Values, name: str, allowed: Iterable[str], default: str = "0") -> str:
    found = values.get(name)
    if found is None or found[0] == "":
        return default
    text, pair = found
    choices = tuple(allowed)
    if text not in choices:
        raise pair.error(f"`{name}` must be {', '.join(choices)}, got {text!r}")
    return text


def _pair_value(pairs: list[Param], name: str) -> bytes | None:
    found = None
    for pair in pairs:
        if pair.name == name:
            found = pair.raw
    return found


class _SendingPage:
    """What the sending pages share: their vocabulary, errors and ``Sending`` state."""

    path: str
    sending: Sending
    profile: Profile
    parameters: frozenset[str]
    errors: Mapping[int, str]

    def write(self, value: Any, fmt: int, charset: str) -> bytes:
        if isinstance(value, Ok) and fmt == 3 and self.profile.bare_ok:
            return encode(Ok(), fmt=0, charset=charset)  # the bare OK of captures 07, 10
        return encode(value, fmt=fmt, charset=charset, strict=False)


# -- send.php ---------------------------------------------------------------------------------------


@dataclass
class SendPage(_SendingPage):
    """``send.php``: a message to one or more numbers, or its cost (``cost=1``)."""

    path: str
    sending: Sending
    profile: Profile
    parameters: frozenset[str] = COMMON | {
        "phones", "mes", "sender", "id", "cost", "op", "err", "translit", "time",
    }  # fmt: skip
    errors: Mapping[int, str] = field(default_factory=lambda: SEND_ERRORS)

    def rate(self, pairs: list[Param]) -> tuple[bytes, RateRule]:
        rule = COST_RULE if _pair_value(pairs, "cost") == b"1" else SEND_RULE
        return identical_request(self.path, pairs), rule

    def handle(self, values: Values, *, strict: bool) -> Any:
        _check_names(values, self.parameters, strict=strict)
        sending = self.sending
        rules = sending.rules
        phones_text = _text(values, "phones", required=True)
        text = _text(values, "mes", required=True, lines=True)
        assert phones_text is not None
        assert text is not None
        cost_mode = int(_choice(values, "cost", ("0", "1", "2", "3")))
        per_number = _choice(values, "op", ("0", "1")) == "1"
        failed_only = _choice(values, "err", ("0", "1")) == "1"
        translit = _choice(values, "translit", ("0", "1", "2")) != "0"
        client_id = _text(values, "id")
        if client_id is not None and not _CLIENT_ID.fullmatch(client_id):
            raise values["id"][1].error("`id` must be 1 to 40 Latin letters, digits, `.`, `-` or `_`")
        sender = _text(values, "sender") or rules.default_sender
        now = sending.now()
        send_at = parse_send_time(_text(values, "time") or "0", now)
        if send_at is None:
            raise ServiceError(5, "`time` is no time the page takes")
        cost_request = cost_mode == 1

        def message_id() -> str | None:
            if cost_request:
                return None  # a cost request has no id (facts §4.3)
            return client_id if client_id is not None else sending.new_message_id()

        if rules.registered_senders_only and "sender" in values and sender not in sending.senders:
            raise MessageError(6, f"sender name {sender!r} is not registered", message_id())
        word = stop_word(text, rules.stop_words)
        if word is not None:
            raise MessageError(6, f"the message holds the stop word {word!r}", message_id())
        given = unique(split_phones(phones_text))
        if not given:
            raise values["phones"][1].error("`phones` holds no number")
        reports: list[PhoneReport] = []
        deliveries: list[Delivery] = []
        sent_text = transliterate(text) if translit else text
        parts = message_parts(sent_text)
        failed: list[int] = []
        for raw in given:
            number = normalize_phone(raw)
            if number is None or number in rules.invalid_numbers:
                failed.append(7)
                reports.append(PhoneReport(raw.removeprefix("+"), status=22, error=7))
                continue
            tariff = sending.tariffs.for_phone(number)
            if number in rules.undeliverable:
                failed.append(8)
                reports.append(PhoneReport(number, tariff.mccmnc or None, status=20, error=8))
                continue
            cost = tariff.price * parts
            deliveries.append(Delivery(number, cost, tariff, err=rules.failing.get(number, 0)))
            reports.append(PhoneReport(number, tariff.mccmnc or None, cost))
        if not deliveries:
            code = 8 if 8 in failed else 7
            raise MessageError(code, "no number the message can go to", message_id())
        total = sum((delivery.cost for delivery in deliveries), Decimal("0.00"))
        cnt = parts * len(deliveries)
        listed: tuple[PhoneReport, ...] | None = None
        if per_number:
            listed = tuple(reports)
        elif failed_only:
            listed = tuple(report for report in reports if report.error is not None)
        if cost_request:
            return Cost(total, cnt, listed)
        number_id = message_id()
        assert number_id is not None
        with sending.lock:
            if total > sending.balance:
                why = f"the message costs {total}, the balance is {sending.balance}"
                raise MessageError(3, why, number_id)
            sending.balance -= total
            balance = sending.balance
        sending.outbox.add(
            Message(
                id=number_id,
                text=text,
                sent_text=sent_text,
                sender=sender,
                parts=parts,
                deliveries=deliveries,
                accepted_at=now,
                send_at=max(send_at, now),
                to_operator=rules.to_operator,
                to_final=rules.to_final,
            )
        )
        return Sent(
            number_id,
            cnt,
            total if cost_mode >= 2 else None,
            balance if cost_mode == 3 else None,
            listed,
        )

    def write(self, value: Any, fmt: int, charset: str) -> bytes:
        if fmt != 3 and isinstance(value, Sent | Cost) and value.phones is not None:
            # the per-number list has a place in fmt 3 only; elsewhere the reply goes without it
            # (spec/requests.md, "Sending", op and err)
            value = msgspec.structs.replace(value, phones=None)
        return super().write(value, fmt, charset)


# -- status.php -------------------------------------------------------------------------------------

_STATUS_FIELDS: dict[int, tuple[str, ...]] = {
    0: ("status", "last_date", "err"),
    1: ("status", "last_timestamp", "err"),
    2: ("status", "last_date", "last_timestamp", "flag", "err"),
    3: ("status", "last_date", "last_timestamp", "flag", "err"),
}
"""The fields of an ``all=0`` answer in each fmt (facts §5.3: fmt 0 and 1 as the page's
examples, fmt 2 and 3 as its templates)."""
_FULL_FIELDS: dict[int, tuple[str, ...]] = {
    0: ("send_date", "phone", "cost", "sender_id", "status_name", "message"),
    1: ("send_timestamp", "phone", "cost", "sender_id", "status_name", "message"),
    2: ("send_date", "send_timestamp", "phone", "cost", "sender_id", "status_name", "message"),
    3: ("send_date", "send_timestamp", "phone", "cost", "sender_id", "status_name", "message"),
}
"""What ``all=1`` adds."""
_GEO_FIELDS = ("country", "operator", "region")
"""What ``all=2`` adds."""


@dataclass(frozen=True)
class StatusAnswer:
    """What ``StatusPage.handle`` returns: the rows, and how to write them."""

    rows: list[dict[str, Any]]
    detail: int
    multi: bool


@dataclass
class StatusPage(_SendingPage):
    """``status.php``: where a message is on its way (``all=0/1/2``), for one id or several; or
    its deletion (``del=1``)."""

    path: str
    sending: Sending
    profile: Profile
    parameters: frozenset[str] = COMMON | {"phone", "id", "all", "del"}
    errors: Mapping[int, str] = field(default_factory=lambda: STATUS_ERRORS)

    def rate(self, pairs: list[Param]) -> tuple[bytes, RateRule]:
        ids = _pair_value(pairs, "id") or b""
        phone = _pair_value(pairs, "phone") or b""
        if b"," in ids or b"," in phone:
            return request_key(self.path.encode(), b"mass"), STATUS_MASS_RULE
        return request_key(self.path.encode(), b"one", ids, phone), STATUS_ONE_RULE

    def handle(self, values: Values, *, strict: bool) -> Any:
        _check_names(values, self.parameters, strict=strict)
        id_text = _text(values, "id", required=True)
        phone_text = _text(values, "phone", required=True)
        assert id_text is not None
        assert phone_text is not None
        detail = int(_choice(values, "all", ("0", "1", "2")))
        delete = _choice(values, "del", ("0", "1")) == "1"
        multi = "," in id_text or "," in phone_text
        ids = [piece.strip() for piece in id_text.split(",")]
        phones = [piece.strip() for piece in phone_text.split(",")]
        if multi:  # a trailing comma asks for the list form of one message (facts §5.1)
            ids = ids[:-1] if ids[-1] == "" else ids
            phones = phones[:-1] if phones[-1] == "" else phones
        if len(ids) != len(phones) or "" in ids or "" in phones:
            raise values["id"][1].error("`phone` and `id` must list as many numbers as ids")
        outbox = self.sending.outbox
        numbers = [normalize_phone(phone) or phone for phone in phones]
        pairs = list(zip(ids, numbers, strict=True))
        if delete:
            found = [outbox.find(message_id, phone) for message_id, phone in pairs]
            if any(entry is None for entry in found):
                raise ServiceError(5, "no such message to delete")
            for entry in found:
                assert entry is not None
                entry[1].deleted = True
            return Ok()
        now = self.sending.now()
        rows = []
        for message_id, phone in pairs:
            entry = outbox.find(message_id, phone)
            if entry is None:
                if not multi:
                    raise ServiceError(3, f"no message {message_id} to {phone}")
                # in a list, an unknown message is a row of status -3 (facts §5.5); its dates
                # are the time of the check (fmt 0 calls last_date "check_time")
                rows.append(
                    {"status": -3, "last_date": server_date(now), "last_timestamp": int(now), "flag": 0,
                     "err": 0, "id": message_id, "phone": phone}
                )  # fmt: skip
                continue
            message, delivery = entry
            status, since = delivery.status(message, now)
            tariff = delivery.tariff
            rows.append(
                {
                    "status": status,
                    "last_date": server_date(since),
                    "last_timestamp": int(since),
                    "flag": 0,
                    "err": delivery.err if status == 20 else 0,
                    "send_date": server_date(message.send_at),
                    "send_timestamp": int(message.send_at),
                    "phone": delivery.phone,
                    "cost": delivery.cost,
                    "sender_id": message.sender,
                    "status_name": STATUS_NAMES.get(status, ""),
                    "message": message.sent_text,
                    "country": tariff.country,
                    "operator": tariff.operator,
                    "region": "",
                    "id": message.id,
                }
            )
        return StatusAnswer(rows, detail, multi)

    def write(self, value: Any, fmt: int, charset: str) -> bytes:
        if not isinstance(value, StatusAnswer):
            return super().write(value, fmt, charset)
        names = list(_STATUS_FIELDS[fmt])
        if value.detail >= 1:
            full = list(_FULL_FIELDS[fmt])
            if value.detail == 2:
                at = full.index("phone") + 1
                full[at:at] = _GEO_FIELDS
            names += full
        if value.multi:
            names += ["id"] if value.detail >= 1 else ["id", "phone"]
        records = []
        for row in value.rows:
            fields = {name: row[name] for name in names if name in row}
            if fmt in (0, 1) and isinstance(fields.get("message"), str):
                # fmt 0 and 1 rows end at a line break: the text's own are written as spaces
                fields["message"] = re.sub(r"\r\n|[\r\n]", " ", fields["message"])
            records.append(Status(**fields))
        if value.multi:
            return encode(records, fmt=fmt, charset=charset, strict=False)
        return encode(records[0], fmt=fmt, charset=charset, strict=False)


# -- balance.php ------------------------------------------------------------------------------------


@dataclass
class BalancePage(_SendingPage):
    """``balance.php``: the account's money; ``cur=1`` adds its currency."""

    path: str
    sending: Sending
    profile: Profile
    parameters: frozenset[str] = COMMON | {"cur"}
    errors: Mapping[int, str] = field(default_factory=lambda: BALANCE_ERRORS)

    def rate(self, pairs: list[Param]) -> tuple[bytes, RateRule]:
        return request_key(self.path.encode()), BALANCE_RULE

    def handle(self, values: Values, *, strict: bool) -> Any:
        _check_names(values, self.parameters, strict=strict)
        currency = _choice(values, "cur", ("0", "1")) == "1"
        with self.sending.lock:
            balance = self.sending.balance
        return Balance(balance, self.sending.currency if currency else None)


# -- senders.php ------------------------------------------------------------------------------------


@dataclass
class SendersPage(_SendingPage):
    """``senders.php``: the account's sender names -- list (``get=1``), add (``add=1``, with a
    comment), delete (``del=1`` by name or id)."""

    path: str
    sending: Sending
    profile: Profile
    parameters: frozenset[str] = COMMON | {"get", "add", "del", "sender", "cmt", "id"}
    errors: Mapping[int, str] = field(default_factory=lambda: SENDERS_ERRORS)

    def rate(self, pairs: list[Param]) -> tuple[bytes, RateRule]:
        if _pair_value(pairs, "add") == b"1":
            return request_key(self.path.encode(), b"add"), SENDERS_ADD_RULE
        return identical_request(self.path, pairs), SENDERS_LIST_RULE

    def handle(self, values: Values, *, strict: bool) -> Any:
        _check_names(values, self.parameters, strict=strict)
        commands = [name for name in ("get", "add", "del") if name in values]
        if len(commands) != 1:
            raise RequestError(
                "one of get=1, add=1, del=1 is needed", parameter=None, pos=0, snippet="", in_body=False
            )
        command = commands[0]
        _choice(values, command, ("1",))
        sending = self.sending
        if command == "get":
            with sending.lock:
                listed = [Sender(name, number) for name, number in sending.senders.items()]
            if not listed:  # as the contacts page answers an empty list (captures 16, 22)
                raise ServiceError(3, "no sender names")
            return listed
        if command == "add":
            name = _text(values, "sender", required=True)
            _text(values, "cmt", required=True)  # no comment, or an empty one: error 1 (captures 04, 06)
            assert name is not None
            if not _SENDER_NAME.fullmatch(name):
                raise values["sender"][1].error(
                    "a sender name is up to 11 Latin letters, digits, spaces and . - _ & ! ' +,"
                    " or up to 15 digits"
                )
            return SenderCreated(sending.register_sender(name))
        name = _text(values, "sender")
        number = _text(values, "id")
        with sending.lock:
            if name is not None and name in sending.senders:
                del sending.senders[name]
                return Ok()
            if number is not None:
                for known, key in sending.senders.items():
                    if str(key) == number:
                        del sending.senders[known]
                        return Ok()
        if name is None and number is None:
            raise _missing("sender")
        raise ServiceError(3, "no such sender name")

    def write(self, value: Any, fmt: int, charset: str) -> bytes:
        if fmt == 3 and isinstance(value, list) and self.profile.name == "2013":
            # the 2013 list carried the name alone (captures 11, 33)
            value = [Sender(item.sender) for item in value]
        return super().write(value, fmt, charset)
