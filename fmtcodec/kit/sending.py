"""Sending on the fake service: message parts, tariffs, the account, the outbox, and the rules
that decide what a send does (spec/requests.md, "Sending").

``message_parts`` counts the SMS parts of a text as a phone receives it; ``Tariffs`` prices one
part by the number's country or operator prefix; ``Outbox`` keeps every message the service
accepted, with each recipient's status moving on the service's clock (queued, handed to the
operator, delivered or undeliverable) -- the fixture, the Python API and ``GET /_fake/outbox``
read it. ``SendingRules`` holds what a test configures: stop words, invalid and undeliverable
numbers, whether sender names must be registered, and how fast statuses move.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = [
    "DEFAULT_TARIFFS",
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "STATUS_NAMES",
    "Delivery",
    "Message",
    "Outbox",
    "SendingRules",
    "Tariff",
    "Tariffs",
    "message_parts",
    "normalize_phone",
    "parse_send_time",
    "transliterate",
]

# -- parts (3GPP TS 23.038 alphabet, TS 23.040 concatenation) -----------------------------------

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""The GSM 7-bit default alphabet (TS 23.038 §6.2.1): one septet each."""
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
"""The default alphabet's extension table (TS 23.038 §6.2.1.1): an escape septet and the
character's own, two septets each."""

GSM7_SINGLE, GSM7_PART = 160, 153
"""Septets in one message alone; in each part of a concatenated one (the user data header takes
the room of 7 septets, TS 23.040 §9.2.3.24.1)."""
UCS2_SINGLE, UCS2_PART = 70, 67
"""UCS-2 (16-bit) units in one message alone; in each part of a concatenated one."""


def message_parts(text: str) -> int:
    """How many SMS a phone receives for ``text``: GSM-7 when every character is in the default
    alphabet or its extension (extension characters count two septets, and an escape pair is
    never split between parts), UCS-2 otherwise (a character outside the Basic Multilingual
    Plane takes two units, never split). An empty text is one (empty) SMS."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        sizes = [2 if char in GSM7_EXTENSION else 1 for char in text]
        single, part = GSM7_SINGLE, GSM7_PART
    else:
        sizes = [2 if ord(char) > 0xFFFF else 1 for char in text]
        single, part = UCS2_SINGLE, UCS2_PART
    if sum(sizes) <= single:
        return 1
    parts, used = 1, 0
    for size in sizes:
        if used + size > part:
            parts, used = parts + 1, 0
        used += size
    return parts


_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "ts",
            "ch",
            "sh",
            "sch",
            "'",
            "y",
            "'",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def transliterate(text: str) -> str:
    """Cyrillic letters in Latin ones (``translit=1``): the text then fits GSM-7 and its parts are
    160 characters long. **Assumption**: a plain Russian transliteration; the provider's exact
    table is not published in any source we have."""
    out = []
    for char in text:
        latin = _TRANSLIT.get(char.lower())
        if latin is None:
            out.append(char)
        else:
            out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


# -- numbers and tariffs ------------------------------------------------------------------------

_PHONE_DECOR = re.compile(r"[\s()\-]")
_PHONE = re.compile(r"[0-9]{10,15}")


def normalize_phone(text: str) -> str | None:
    """A number as the service writes it (digits, no ``+``), or ``None`` when ``text`` is no phone
    number: spaces, brackets and dashes are dropped, a leading ``+`` too, a Russian ``8`` trunk
    prefix of an 11-digit number becomes ``7``; then 10 to 15 digits (E.164's 15 at most)."""
    number = _PHONE_DECOR.sub("", text)
    number = number.removeprefix("+")
    if not _PHONE.fullmatch(number):
        return None
    if len(number) == 11 and number.startswith("8"):
        number = "7" + number[1:]
    return number


@dataclass(frozen=True)
class Tariff:
    """The price of one SMS part to numbers starting with ``prefix``, and what the service says
    about them (``country``, ``operator``, ``mccmnc``; status ``all=2``, ``op=1``)."""

    prefix: str
    price: Decimal
    country: str = ""
    operator: str = ""
    mccmnc: str = ""


DEFAULT_TARIFFS = (
    Tariff("7", Decimal("3.50"), "Россия", "", "25000"),
    Tariff("7999", Decimal("3.20"), "Россия", "Тестовый оператор", "25099"),
    Tariff("77", Decimal("6.00"), "Казахстан", "", "40100"),
    Tariff("375", Decimal("5.00"), "Беларусь", "", "25700"),
    Tariff("380", Decimal("4.50"), "Украина", "", "25500"),
)
"""**Assumption**: round prices of the right order for a Russian account; a test that cares sets
its own table."""
DEFAULT_PRICE = Tariff("", Decimal("8.00"))
"""Numbers no prefix matches."""


class Tariffs:
    """Prices by prefix: the longest matching prefix wins, ``default`` when none matches."""

    def __init__(self, entries: Iterable[Tariff] = DEFAULT_TARIFFS, default: Tariff = DEFAULT_PRICE) -> None:
        self.entries = sorted(entries, key=lambda entry: -len(entry.prefix))
        self.default = default

    def for_phone(self, phone: str) -> Tariff:
        return next((entry for entry in self.entries if phone.startswith(entry.prefix)), self.default)


# -- time -----------------------------------------------------------------------------------------

SERVER_ZONE = datetime.timezone(datetime.timedelta(hours=3))
"""The provider's clock (Moscow time) in which dates are written and ``time`` is read.
**Assumption**: the pages name no zone; the provider is in Moscow."""

_SEND_TIME_FORMATS = ("%d%m%y%H%M", "%d.%m.%y %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S")
_HOURS = re.compile(r"([0-9]{1,2})-([0-9]{1,2})")


def parse_send_time(text: str, now: float) -> float | None:
    """When a message with ``time=text`` is to go, as a Unix time; ``None`` when the text is no
    time the page takes (error 5). ``0`` or empty: now; ``0<unix time>``; ``+<minutes>``;
    ``DDMMYYhhmm`` or ``DD.MM.YY hh:mm`` (also ``DD.MM.YYYY hh:mm[:ss]``) in the server's clock;
    ``h1-h2``: now when the server's hour is within the range, else at the next ``h1:00``."""
    text = text.strip()
    if text in ("", "0"):
        return now
    if text.startswith("0") and text.isdigit() and len(text) != 10:  # ten digits: DDMMYYhhmm
        return float(int(text))
    if text.startswith("+") and text[1:].isdigit():
        return now + 60 * int(text[1:])
    hours = _HOURS.fullmatch(text)
    if hours:
        first, last = int(hours[1]), int(hours[2])
        if not (0 <= first <= 23 and 0 <= last <= 24 and first < last):
            return None
        local = datetime.datetime.fromtimestamp(now, SERVER_ZONE)
        if first <= local.hour < last:
            return now
        start = local.replace(hour=first, minute=0, second=0, microsecond=0)
        if start <= local:
            start += datetime.timedelta(days=1)
        return start.timestamp()
    for pattern in _SEND_TIME_FORMATS:
        try:
            moment = datetime.datetime.strptime(text, pattern).replace(tzinfo=SERVER_ZONE)
        except ValueError:
            continue
        return moment.timestamp()
    return None


def server_date(unix: float) -> str:
    """``DD.MM.YYYY hh:mm:ss`` in the server's clock."""
    return datetime.datetime.fromtimestamp(int(unix), SERVER_ZONE).strftime("%d.%m.%Y %H:%M:%S")


# -- statuses ---------------------------------------------------------------------------------------

STATUS_NAMES = {
    -3: "Сообщение не найдено",
    -1: "Ожидает отправки",
    0: "Передано оператору",
    1: "Доставлено",
    20: "Невозможно доставить",
    22: "Неверный номер",
}
"""``status_name`` as the service writes it (facts §5.3b: Russian text in the reply charset)."""


@dataclass
class SendingRules:
    """What decides a send's fate; change them on ``Service.sending`` (or the fixture's
    ``smsc_server.sending``) before the request.

    ``stop_words``: a message holding one (any letter case) is denied, error 6.
    ``registered_senders_only``: a ``sender`` not on the senders page is denied, error 6 (off by
    default: clients that always send a name work). ``invalid_numbers``: numbers answered as no
    phone, error 7, beside what is not a number at all. ``undeliverable``: numbers the message
    cannot go to, error 8. ``failing``: numbers accepted whose delivery fails, by the ``err``
    code their status gets (status 20). ``to_operator`` / ``to_final``: seconds from the send
    time to status 0 (handed to the operator) and to the final status (1 or 20).
    """

    stop_words: list[str] = field(default_factory=list)
    registered_senders_only: bool = False
    invalid_numbers: set[str] = field(default_factory=set)
    undeliverable: set[str] = field(default_factory=set)
    failing: dict[str, int] = field(default_factory=dict)
    to_operator: float = 1.0
    to_final: float = 5.0
    default_sender: str = "SMSC.RU"


@dataclass
class Delivery:
    """One recipient of a message: its number, part cost and the fate of its delivery."""

    phone: str
    cost: Decimal
    tariff: Tariff
    err: int = 0
    """The ``err`` code of a failed delivery (0: delivered)."""
    deleted: bool = False

    def status(self, message: Message, now: float) -> tuple[int, float]:
        """(status, when it was reached) at ``now``."""
        start = message.send_at
        if now < start + message.to_operator:
            return -1, message.accepted_at
        if now < start + message.to_final:
            return 0, start + message.to_operator
        return (20 if self.err else 1), start + message.to_final


@dataclass
class Message:
    """One accepted message: what the client asked for and what the service made of it."""

    id: str
    text: str
    """The text as the client sent it."""
    sent_text: str
    """The text the phones receive (after ``translit``)."""
    sender: str
    parts: int
    deliveries: list[Delivery]
    accepted_at: float
    send_at: float
    to_operator: float
    to_final: float

    @property
    def phones(self) -> list[str]:
        return [delivery.phone for delivery in self.deliveries]

    @property
    def cost(self) -> Decimal:
        return sum((delivery.cost for delivery in self.deliveries), Decimal("0.00"))

    @property
    def cnt(self) -> int:
        return self.parts * len(self.deliveries)

    def as_json(self, now: float) -> dict[str, Any]:
        """The outbox entry as ``GET /_fake/outbox`` lists it."""
        recipients = []
        for delivery in self.deliveries:
            status, since = delivery.status(self, now)
            recipients.append(
                {
                    "phone": delivery.phone,
                    "cost": str(delivery.cost),
                    "status": status,
                    "err": delivery.err if status == 20 else 0,
                    "status_since": server_date(since),
                    "deleted": delivery.deleted,
                }
            )
        return {
            "id": self.id,
            "phones": self.phones,
            "text": self.text,
            "sent_text": self.sent_text,
            "sender": self.sender,
            "parts": self.parts,
            "cnt": self.cnt,
            "cost": str(self.cost),
            "accepted": server_date(self.accepted_at),
            "send_time": server_date(self.send_at),
            "recipients": recipients,
        }


class Outbox:
    """Every message the service accepted, oldest first; thread-safe.

    One-line assertions: ``assert outbox.texts("79991234567") == ["Your code: 1234"]``;
    ``outbox.last.phones``; ``outbox.clear()`` between tests.
    """

    def __init__(self) -> None:
        self._messages: list[Message] = []
        self._by_id: dict[str, list[Message]] = {}
        self._lock = threading.Lock()

    def add(self, message: Message) -> None:
        with self._lock:
            self._messages.append(message)
            self._by_id.setdefault(message.id, []).append(message)

    @property
    def messages(self) -> list[Message]:
        with self._lock:
            return list(self._messages)

    def __len__(self) -> int:
        with self._lock:
            return len(self._messages)

    @property
    def last(self) -> Message:
        """The latest message; ``LookupError`` when none was sent."""
        with self._lock:
            if not self._messages:
                raise LookupError("the outbox is empty: nothing was sent")
            return self._messages[-1]

    def to(self, phone: str) -> list[Message]:
        """The messages sent to ``phone`` (written with or without ``+``, spaces, dashes)."""
        number = normalize_phone(phone) or phone
        return [message for message in self.messages if number in message.phones]

    def texts(self, phone: str | None = None) -> list[str]:
        """The texts sent (to ``phone``), oldest first, as the client sent them."""
        messages = self.messages if phone is None else self.to(phone)
        return [message.text for message in messages]

    def find(self, id: str, phone: str | None = None) -> tuple[Message, Delivery] | None:
        """The latest message with ``id`` (ids need not be unique, and the status page answers
        for the last one, facts §4.5) and its delivery to ``phone`` (the first when ``None``)."""
        with self._lock:
            for message in reversed(self._by_id.get(id, ())):
                for delivery in message.deliveries:
                    if not delivery.deleted and (phone is None or delivery.phone == phone):
                        return message, delivery
        return None

    def clear(self) -> None:
        """Forget every message."""
        with self._lock:
            self._messages.clear()
            self._by_id.clear()

    def as_json(self, now: float) -> list[dict[str, Any]]:
        return [message.as_json(now) for message in self.messages]


def stop_word(text: str, words: Iterable[str]) -> str | None:
    """The first of ``words`` that ``text`` holds, letter case aside."""
    folded = text.casefold()
    return next((word for word in words if word and word.casefold() in folded), None)


def split_phones(text: str) -> list[str]:
    """The numbers of ``phones``: comma- or semicolon-joined, empty pieces skipped."""
    return [piece.strip() for piece in re.split(r"[,;]", text) if piece.strip()]


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
