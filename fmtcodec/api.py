"""``decode``, ``encode`` and ``detect_fmt``: the table of fmt modules and the reply kinds.

Each fmt module (``text`` 0, ``values`` 1, ``xml`` 2, ``json`` 3) has the same functions,
described by ``FmtModule``; ``CODECS`` maps the ``fmt`` number to its module, and nothing here
branches on the fmt otherwise.  Nothing here branches on a reply kind either: a kind is a list
kind (``decode_records``) or a single-record kind (``decode_record``) of the layout table, or one
of the three replies every page shares (``Ok``, ``Error``) or the contacts page's ``Created``.
"""

from __future__ import annotations

import re
import typing
from builtins import type as builtin_type
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar, overload

from fmtcodec import json, text, values, xml
from fmtcodec.charset import Source, charset_label, encode_text, normalize_charset
from fmtcodec.errors import ApiError, DecodeError, EncodeError, shown
from fmtcodec.layout import LAYOUTS, RecordLayout, layout_for, record_layout_for
from fmtcodec.records import Created, CreatedElement, Error, Ok

__all__ = ["CODECS", "REPLY_TYPES", "FmtModule", "decode", "detect_fmt", "encode"]

T = TypeVar("T")
Payload = bytes | bytearray | memoryview | str


class FmtModule(Protocol):
    """The interface every fmt module has."""

    FMT: int

    def declared_charset(self, data: bytes) -> str | None: ...
    def decode_error(self, src: Source) -> Error | None: ...
    def decode_ok(self, src: Source) -> Ok: ...
    def decode_created(self, src: Source) -> Created: ...
    def decode_records(self, src: Source, layout: RecordLayout) -> list[Any]: ...
    def decode_record(self, src: Source, layout: RecordLayout) -> Any: ...
    def encode_records(
        self, records: Sequence[Any], layout: RecordLayout, charset: str, *, strict: bool = True
    ) -> str: ...
    def encode_record(
        self, value: Any, layout: RecordLayout, charset: str, *, strict: bool = True
    ) -> str: ...
    def encode_created(self, value: Created, charset: str) -> str: ...
    def encode_ok(self, charset: str) -> str: ...
    def encode_error(self, value: Error, charset: str) -> str: ...


CODECS: dict[int, FmtModule] = {0: text, 1: values, 2: xml, 3: json}
"""The fmt modules by the ``fmt`` number of the API."""

def _reply_type(layout: RecordLayout) -> Any:
    return list[layout.record] if layout.shape == "list" else layout.record  # type: ignore[name-defined]


REPLY_TYPES: dict[str, Any] = {
    **{name: _reply_type(layout) for layout in LAYOUTS.values() for name in layout.names},
    "created": Created,
    "ok": Ok,
    "error": Error,
}
"""Reply kinds by name (``contacts``, ``send``, ``statuses`` … ``error``): the type ``decode``
takes for each.  The names are the CLI's ``--type`` and the ``type`` of a ``spec/vectors``
manifest."""

REPLY_PAGES: dict[str, str] = {
    **{name: layout.page for layout in LAYOUTS.values() for name in layout.names},
    "created": "contacts",
}
"""The page each named reply kind belongs to (``ok`` and ``error`` belong to every page)."""

_TYPE_NAMES = "list[Contact], list[Status], Sent, Status, Balance, …, Created, Ok or Error"

# fmt 0 rows and replies start with a lower-case key or ERROR/ID followed by " = ".
_KEY_VALUE = re.compile(rb"[A-Za-z_]+ = ")
_UTF8_BOM = b"\xef\xbb\xbf"
_HEAD = 256  # bytes looked at after the leading whitespace
_SPACE_RUN = re.compile(rb"[ \t\n\r\x0b\x0c]*")
_TEXT_SPACE_RUN = re.compile("[ \t\n\r\x0b\x0c]*")
# Where a fmt 1 reply can start like another fmt: a mail-contact row starts with its e-mail list,
# and an e-mail token may start with "[", "{" or "<" (spec/formats.md, Detection).
_FMT1_LOOKALIKES = (2, 3)


def detect_fmt(data: Payload, type: Any = None) -> int:
    """The fmt a reply is written in, told from its first characters.

    ``<`` is fmt 2, ``{`` or ``[`` fmt 3, ``key = `` fmt 0, anything else fmt 1, after a UTF-8 BOM
    and leading ASCII whitespace of any length.  A reply that reads the same in several fmts (an
    empty body, a bare ``OK``) is reported as fmt 0, which reads it.  With ``type`` (as for
    ``decode``), a reply that reads validly as that type in two fmts with different results is a
    ``DecodeError`` naming both, as ``decode`` with ``fmt=None`` raises it.
    """
    fmt = _fmt_of_head(data)
    if type is not None:
        return _detected(data, type, None)[0]  # raises on a collision (or any other error)
    return fmt


def _fmt_of_head(data: Payload) -> int:
    if isinstance(data, str):
        start = _TEXT_SPACE_RUN.match(data, 1 if data.startswith("\ufeff") else 0).end()  # type: ignore[union-attr]
        head = data[start : start + _HEAD].encode("utf-8", "surrogatepass")
    else:
        start = _SPACE_RUN.match(data, 3 if data[:3] == _UTF8_BOM else 0).end()  # type: ignore[union-attr]
        head = bytes(data[start : start + _HEAD])
    if head.startswith(b"<"):
        return 2
    if head.startswith((b"{", b"[")):
        return 3
    if not head or head.rstrip() == b"OK" or _KEY_VALUE.match(head):
        return 0
    return 1


def may_read_as_fmt1(fmt: int, layout: RecordLayout | None) -> bool:  # also used by iter_decode
    """Whether a list reply detected as ``fmt`` could also be a fmt 1 list of ``layout``."""
    return fmt in _FMT1_LOOKALIKES and layout is not None and layout.fields[0].fmt1.startswith("email")


def _lookalike(fmt: int, type: Any) -> int | None:
    """The other fmt a reply whose head says ``fmt`` could be written in, for ``type``.

    fmt 1 mail-contact rows can start like fmt 2 or 3 (see ``may_read_as_fmt1``); and a reply of
    one record in fmt 0 or fmt 1 may have no ``key = `` to tell them apart (a balance ``15.00`` is
    both; a send reply ``OK - 1 SMS, ID - 7`` is fmt 0 without a key).
    """
    if may_read_as_fmt1(fmt, records_layout(type)):
        return 1
    if fmt in (0, 1) and isinstance(type, builtin_type) and record_layout_for(type) is not None:
        return 1 - fmt
    return None


def _detected(data: Payload, type: Any, charset: str | None) -> tuple[int, Any]:
    """The fmt of a reply of ``type`` and what it decodes to: the head's fmt, unless the reply
    reads only in its lookalike fmt; a reply that reads in both with different results is a
    ``DecodeError`` naming both (spec/formats.md, Detection)."""
    fmt = _fmt_of_head(data)
    other = _lookalike(fmt, type)
    if other is None:
        return fmt, decode(data, type, fmt=fmt, charset=charset)
    try:
        result = decode(data, type, fmt=fmt, charset=charset)
    except DecodeError as first:
        try:
            return other, decode(data, type, fmt=other, charset=charset)
        except (DecodeError, ApiError):
            raise first from None
    try:
        second = decode(data, type, fmt=other, charset=charset)
    except (DecodeError, ApiError):
        return fmt, result
    if second != result:
        src = Source.from_payload(data if isinstance(data, str) else bytes(data), charset, None)
        raise src.error(
            f"the reply reads as fmt {fmt} and as fmt {other} with different records; pass fmt= to choose",
            0,
            "$",
        )
    return fmt, result


def fmt_module(fmt: int) -> FmtModule:
    """The module of ``fmt``; ``ValueError`` for anything but 0..3."""
    if type(fmt) is not int or fmt not in CODECS:  # not True, not 1.0
        raise ValueError(f"fmt must be 0, 1, 2 or 3, got {shown(fmt)}")
    return CODECS[fmt]


def records_layout(kind: Any) -> RecordLayout | None:
    """The layout of ``list[Record]``; ``None`` for any other type."""
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        return layout_for(item)
    return None


@overload
def decode(
    data: Payload, type: type[T], *, fmt: int | None = None, charset: str | None = None
) -> T: ...
@overload
def decode(
    data: Payload, type: Any, *, fmt: int | None = None, charset: str | None = None
) -> Any: ...
def decode(
    data: Payload, type: Any, *, fmt: int | None = None, charset: str | None = None
) -> Any:
    """Decode a reply of any page of the API; what it returns is what ``type`` names::

        decode(data, Sent) -> Sent                              send.php (cost=0, 2, 3)
        decode(data, Cost) -> Cost                              send.php, cost=1
        decode(data, Status) -> Status                          status.php, one message
        decode(data, list[Status]) -> list[Status]              status.php, several ids
        decode(data, Balance) -> Balance                        balance.php
        decode(data, list[Sender]) -> list[Sender]              senders.php, get=1
        decode(data, SenderCreated) -> SenderCreated            senders.php, add=1
        decode(data, JobCreated) -> JobCreated                  jobs.php, add=1
        decode(data, list[HistoryMessage]) -> list[HistoryMessage]   get.php, get_messages=1
        decode(data, OperatorInfo) -> OperatorInfo              info.php, get_operator=1
        decode(data, list[Template]) -> list[Template]          templates.php, get=1
        decode(data, TemplateCreated) -> TemplateCreated        templates.php, add=1
        decode(data, list[Contact]) -> list[Contact]
        decode(data, list[MailContact]) -> list[MailContact]
        decode(data, list[Group]) -> list[Group]
        decode(data, list[BlacklistEntry]) -> list[BlacklistEntry]
        decode(data, list[MailBlacklistEntry]) -> list[MailBlacklistEntry]
        decode(data, Created) -> Created                        phones.php, mails.php
        decode(data, Ok) -> Ok                                  every page's change, delete
        decode(data, Error) -> Error                            every page's error reply

    (``fmtcodec.REPLY_TYPES`` has them by name, spec/pages.md page by page.)

    ``data`` is the reply's ``bytes`` (or ``bytearray``/``memoryview``), or a ``str`` already
    decoded.  ``fmt`` is 0, 1, 2 or 3; ``None`` detects it (``detect_fmt``).  ``charset`` is
    ``"utf-8"``, ``"windows-1251"`` or ``"koi8-r"`` (aliases such as ``"cp1251"`` too); take it
    from the HTTP header: it wins over any guess.  ``None`` follows the XML prolog for fmt 2, else
    reads UTF-8 when the bytes are valid UTF-8, else windows-1251.

    Raises:
        ApiError: the server answered with an error reply where something else was asked for;
            it says what the code means on the page of ``type``.
        DecodeError: the payload is not a valid reply of that kind (fmt, byte offset, line,
            column and record path in the message).
        TypeError: misuse -- ``type`` is none of the eight above.
        ValueError: misuse -- ``fmt`` is not 0..3, or ``charset`` is not one of the three.

    The misuse errors are Python's own ``TypeError``/``ValueError``, not ``FmtcodecError``s.
    """
    layout = records_layout(type)
    one = record_layout_for(type) if layout is None and isinstance(type, builtin_type) else None
    if layout is None and one is None and type not in (Created, Ok, Error):
        listed = layout_for(type) if isinstance(type, builtin_type) else None
        hint = f" (a {type.__name__} reply is a list: list[{type.__name__}])" if listed else ""
        raise TypeError(
            f"type must be a reply kind of fmtcodec.REPLY_TYPES ({_TYPE_NAMES}); got {shown(type)}{hint}"
        )
    if charset is not None:
        normalize_charset(charset)  # checked whatever the payload: a str payload ignores it
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if fmt is None:
        fmt = _fmt_of_head(data)
        if _lookalike(fmt, type) is not None:
            return _detected(data, type, charset)[1]
    codec = fmt_module(fmt)
    if charset is None and isinstance(data, bytes):
        charset = codec.declared_charset(data)
    src = Source.from_payload(data, charset, fmt)
    error = text.plain_error(src) or codec.decode_error(src)  # plain text in any fmt (spec, Errors)
    if type is Error:
        if error is None:
            raise src.error("expected an error reply", 0, "$")
        return error
    if error is not None:
        raise server_error(error, fmt, (layout or one or LAYOUTS["contact"]).page)
    if type is Ok:
        return codec.decode_ok(src)
    if type is Created:
        return codec.decode_created(src)
    if one is not None:
        return codec.decode_record(src, one)
    assert layout is not None
    return codec.decode_records(src, layout)


def server_error(error: Error, fmt: int, page: str = "contacts") -> ApiError:
    """The ``ApiError`` for an error reply found where a reply kind of ``page`` was asked for:
    it carries what the code means on that page."""
    meaning = error.meaning_on(page)
    return ApiError(
        error.error_code,
        error.error,
        fmt=fmt,
        meaning=meaning.en if meaning else None,
        meaning_ru=meaning.ru if meaning else None,
        page=page,
        id=error.id,
    )


def encode(value: Any, *, fmt: int, charset: str = "utf-8", strict: bool = True) -> bytes:
    """The reply the server would send for ``value`` in ``fmt``, in ``charset``, as ``bytes``.

    ``value`` is a list (or tuple) of records of one kind (``Contact``, ``MailContact``,
    ``Group``, ``BlacklistEntry``, ``MailBlacklistEntry``), or one ``Created``, ``Ok`` or
    ``Error``.  ``fmt`` is 0, 1, 2 or 3; ``charset`` is ``"utf-8"``, ``"windows-1251"`` or
    ``"koi8-r"`` (aliases too).

    ``strict`` (default ``True``) refuses what ``decode`` would not give back.  ``strict=False``
    writes a list in fmt 0 or 1 as the server does, values joined as the layout says with nothing
    escaped, even where the rows would not read back (a contact in two groups in fmt 1, the next
    field's marker in fmt 0); fmt 2 and 3 escape every value, so it changes nothing there.  Values
    of the wrong type, a line break in a value (it would change the number of records), and
    characters ``charset`` cannot carry are refused either way.

    Raises:
        EncodeError: ``fmt`` or ``charset`` cannot carry the value so that ``decode`` gives it
            back (spec/formats.md says the rule of each fmt), or, with ``strict=False``, cannot
            write it at all.
        TypeError: misuse -- ``value`` is none of the above, or a list mixes kinds, or ``strict``
            is not a bool.
        ValueError: misuse -- ``fmt`` is not 0..3, or ``charset`` is not one of the three.

    The misuse errors are Python's own ``TypeError``/``ValueError``, not ``FmtcodecError``s.
    """
    codec = fmt_module(fmt)
    label = charset_label(charset)
    if type(strict) is not bool:
        raise TypeError(f"strict must be True or False, got {shown(strict)}")
    _check_reply(value, fmt)
    # a str subclass is written as its own characters, on every path (spec/formats.md, Errors)
    if isinstance(value, Error) and type(value.error) is not str:
        value = Error(error_code=value.error_code, error=str.__str__(value.error), id=value.id)
    if isinstance(value, Created) and value.element is not None and type(value.element) is not str:
        value = Created(id=value.id, element=str.__str__(value.element))  # type: ignore[arg-type]
    if isinstance(value, Created):
        reply = codec.encode_created(value, label)
    elif isinstance(value, Ok):
        reply = codec.encode_ok(label)
    elif isinstance(value, Error):
        reply = codec.encode_error(value, label)
    elif isinstance(value, list | tuple):
        reply = codec.encode_records(value, _layout_of_items(value), label, strict=strict)
    elif (one := record_layout_for(type(value))) is not None:
        reply = codec.encode_record(value, one, label, strict=strict)
    else:
        raise TypeError(
            f"cannot encode {type(value).__name__}: expected a reply kind of fmtcodec.REPLY_TYPES"
            f" ({_TYPE_NAMES})"
        )
    return encode_text(reply, charset, fmt)


def _check_reply(value: Any, fmt: int) -> None:
    """What the fmt modules take for granted about a Created or an Error (msgspec does not
    check types when a record is constructed)."""
    if isinstance(value, Created) and value.element not in (None, *typing.get_args(CreatedElement)):
        raise EncodeError(
            f"`element` must be 'phone', 'group', 'mail' or None, got {shown(value.element)}",
            fmt=fmt,
            path="$.element",
        )
    if isinstance(value, Error) and not isinstance(value.error, str):
        raise EncodeError(f"`error` must be a str, got {shown(value.error)}", fmt=fmt, path="$.error")
    if isinstance(value, Error) and value.id is not None:
        try:
            LAYOUTS["sent"].fields[0].format(value.id)  # the id of a send error: a message id
        except ValueError as exc:
            raise EncodeError(str(exc), fmt=fmt, path="$.id") from None


def _layout_of_items(items: Sequence[Any]) -> RecordLayout:
    if not items:
        return LAYOUTS["contact"]  # an empty list reads the same for every kind
    kind = type(items[0])
    layout = layout_for(kind)
    if layout is None:
        raise TypeError(f"cannot encode a list of {kind.__name__}: no list reply has that record")
    for row, item in enumerate(items if len(set(map(type, items))) > 1 else ()):  # one C-level pass
        if type(item) is not kind:
            raise TypeError(
                f"a reply lists one kind of record: item {row} is {type(item).__name__},"
                f" item 0 is {kind.__name__}"
            )
    return layout

