"""The fake service's pages: what one page reads, how it counts toward error 9, what it does and
how it writes its answer -- everything else (auth, fmt, charset, faults, the size limit, the IP
block, the rate limiter itself) is the shared front in ``service.py``.

A page is any object with the ``Page`` members; the service keeps them by path
(``Service.pages``), so serving one more page is one more entry there. The contacts pages
(``phones.php``, ``mails.php``) are ``ContactsPage``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from fmtcodec import json as json_codec
from fmtcodec.api import encode
from fmtcodec.charset import encode_text
from fmtcodec.kit.commands import ServiceName
from fmtcodec.kit.query import Param, read_command, vocabulary
from fmtcodec.kit.ratelimit import CONTACTS_RULE, RateRule, request_key
from fmtcodec.kit.store import ERROR_TEXTS, Store
from fmtcodec.layout import LAYOUTS, RecordLayout
from fmtcodec.records import Contact, MailContact, Ok

__all__ = ["DEFAULT_PROFILE", "PROFILES", "ContactsPage", "Page", "Profile", "identical_request"]

Values = dict[str, tuple[str, Param]]
"""Decoded parameters by name: (text, the pair as sent)."""


@dataclass(frozen=True)
class Profile:
    """How the service writes what the sources disagree on (facts §14.1, §14.5, §14.13)."""

    name: str
    bare_ok: bool
    """fmt 3 change/delete answered by the two bytes ``OK`` (captures 15, 21, 27, 29)."""
    group_cnt: bool
    """group lists carry ``cnt`` (seed; never in the 2013 captures 25, 46)."""
    group_number: bool
    """fmt 3 contact ``group`` a bare number (seed ``"group": <group>``; capture 28 quotes it)."""
    ucfirst_groups: bool
    """group names stored with the first ASCII letter upper-cased (captures 12-14 vs 25)."""


PROFILES = {
    "2013": Profile("2013", bare_ok=True, group_cnt=False, group_number=False, ucfirst_groups=True),
    "doc": Profile("doc", bare_ok=False, group_cnt=True, group_number=True, ucfirst_groups=False),
}
"""``2013``: as the server captured in May 2013 answered; ``doc``: as the seed page documents."""

DEFAULT_PROFILE = "2013"
"""The only profile backed by real server bytes; later clients still expect its bare ``OK``
(facts §3.3, rmdm/node-smsc). spec/requests.md, "Profiles", gives the whole reasoning."""


class Page(Protocol):
    """One page of the service (``/sys/NAME.php``)."""

    @property
    def parameters(self) -> frozenset[str]:
        """Every parameter name the page reads (with ``login``, ``psw``, ``apikey``, ``fmt``,
        ``charset``); others are ignored unless the service is strict."""
        ...

    @property
    def errors(self) -> Mapping[int, str]:
        """The text written after each error code this page answers, 1, 2, 4 and 9 included."""
        ...

    def rate(self, pairs: list[Param]) -> tuple[bytes, RateRule] | None:
        """Which requests count together toward error 9 (a ``request_key``), and the page's
        threshold; ``None``: this request is never limited."""
        ...

    def handle(self, values: Values, *, strict: bool) -> Any:
        """Carry out the request: the value to answer, ``RequestError`` for error 1 or
        ``ServiceError`` for another code. ``strict``: refuse parameters the request does not
        take."""
        ...

    def write(self, value: Any, fmt: int, charset: str) -> bytes:
        """The reply body for what ``handle`` returned; ``EncodeError`` when it cannot be written."""
        ...


def identical_request(path: str, pairs: list[Param]) -> bytes:
    """The key of "identical requests" (seed, code 9): the same page and the same parameters with
    the same values, in any order."""
    ordered = sorted((pair.name.encode("latin-1", "replace"), pair.raw) for pair in pairs)
    return request_key(path.encode("latin-1", "replace"), *(part for pair in ordered for part in pair))


def _group_as_number(kind: str) -> RecordLayout:
    """The layout of ``kind`` with ``group`` spelled as a JSON number: the fmt 3 encoder writes
    it bare where it is one id (the seed's ``"group": <group>``) and quoted otherwise."""
    layout = LAYOUTS[kind]
    fields = tuple(replace(f, json="number") if f.name == "group" else f for f in layout.fields)
    return replace(layout, fields=fields)


_GROUP_AS_NUMBER = {kind: _group_as_number(kind) for kind in ("contact", "mail_contact")}


@dataclass
class ContactsPage:
    """``phones.php`` or ``mails.php``: the contacts, groups and blacklist of ``store``."""

    path: str
    service: ServiceName
    store: Store
    profile: Profile
    parameters: frozenset[str] = field(init=False)
    errors: Mapping[int, str] = field(default_factory=lambda: ERROR_TEXTS)

    def __post_init__(self) -> None:
        self.parameters = vocabulary(self.service)

    def rate(self, pairs: list[Param]) -> tuple[bytes, RateRule]:
        return identical_request(self.path, pairs), CONTACTS_RULE

    def handle(self, values: Values, *, strict: bool) -> Any:
        command = read_command(values, self.service, strict=strict)
        return self.store.book(self.service).execute(command, with_cnt=self.profile.group_cnt)

    def write(self, value: Any, fmt: int, charset: str) -> bytes:
        if fmt == 3 and isinstance(value, Ok) and self.profile.bare_ok:
            return encode(Ok(), fmt=0, charset=charset)  # the two bytes OK (captures 15, 21, 27, 29)
        if (
            fmt == 3
            and self.profile.group_number
            and isinstance(value, list)
            and value
            and isinstance(value[0], Contact | MailContact)
        ):
            # fmt 3 contacts with ``group`` bare where it is one id (the seed's "group": <group>)
            kind = "mail_contact" if isinstance(value[0], MailContact) else "contact"
            return encode_text(
                json_codec.encode_records(value, _GROUP_AS_NUMBER[kind], "utf-8"), charset, fmt
            )
        # fmt 0/1 rows as the provider writes them, nothing escaped, even where they do not read
        # back (a contact in two groups in fmt 1): spec/formats.md, "As the server writes".
        return encode(value, fmt=fmt, charset=charset, strict=False)
