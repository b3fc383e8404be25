"""A request as the client sends it: the query string of a GET or the form body of a POST.

Writing: ``name=value`` pairs joined by ``&``, each value percent-encoded (space as ``+``) in the
request's ``charset`` -- windows-1251 when none is given, as the provider reads it (facts §11,
"default windows-1251"; facts §11 "values with special characters must be urlencoded").

Reading refuses, with a ``RequestError`` (a ``DecodeError``) naming the parameter and its byte
offset, whatever the service answers with error 1: a missing or malformed parameter, a value
holding a line break, no command or two commands, a ``fmt`` other than 0-3, a charset other than
the provider's three, and bytes the charset cannot decode. Unknown parameters are ignored and a
repeated one counts by its last value, as the provider's PHP pages read them; ``strict=True``
refuses both (spec/requests.md, "Reading").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, unquote_plus, unquote_to_bytes

import msgspec

from fmtcodec.charset import DEFAULT_CHARSET, charset_label, normalize_charset
from fmtcodec.errors import DecodeError, EncodeError
from fmtcodec.kit.commands import COMMANDS, MAIL_NAMES, Command, MoveGroup, Request, ServiceName
from fmtcodec.layout import parse_integer

__all__ = [
    "COMMON",
    "SECRETS",
    "Param",
    "RequestError",
    "RequestWriteError",
    "decode_params",
    "mask_credentials",
    "read_command",
    "read_request",
    "reply_format",
    "split_pairs",
    "vocabulary",
    "write_query",
]

COMMON = ("login", "psw", "apikey", "fmt", "charset")
"""Parameters every command takes (facts §2.3: auth, ``fmt``, ``charset``)."""

_SNIPPET = 24
SECRETS = frozenset({"psw", "apikey"})
"""Parameters whose values a log or report never shows."""


def mask_credentials(text: str) -> str:
    """``text`` (a URL, a request target or a query string) with the values of ``psw`` and
    ``apikey`` masked, however the name is spelled: percent-encoded (``%70sw``, ``ps%77``), with
    ``+`` or spaces around it (PHP drops leading spaces from a name), or in another letter case.

    Text with a ``?``, or starting with ``/`` or a scheme, is a URL: only what follows the first
    ``?`` is masked. Other text is a query string."""
    head, query = "", text
    if "?" in text and (text.startswith("/") or "://" in text.partition("?")[0]):
        head, _, query = text.partition("?")
        head += "?"
    pieces = query.split("&")
    for index, piece in enumerate(pieces):
        name, equals, _ = piece.partition("=")
        if equals and unquote_plus(name, encoding="latin-1").strip().lower() in SECRETS:
            pieces[index] = f"{name}=***"
    return head + "&".join(pieces)


class RequestError(DecodeError):
    """A request the service answers with error 1; ``parameter`` names the culprit (``None``
    when no parameter is to blame, e.g. no command at all) and ``pos`` is its byte offset in the
    query string, or in the form body when ``in_body``."""

    def __init__(self, reason: str, *, parameter: str | None, pos: int, snippet: str, in_body: bool) -> None:
        self.parameter = parameter
        self.in_body = in_body
        super().__init__(reason, fmt=None, pos=pos, line=1, column=pos + 1, path=parameter, snippet=snippet)

    def __str__(self) -> str:
        at = f" at parameter `{self.parameter}`," if self.parameter else ""
        where = "form body" if self.in_body else "query string"
        return f"request: {self.reason} -{at} byte {self.pos} of the {where}, near {self.snippet!r}"


class RequestWriteError(EncodeError):
    """A command value that the request's charset cannot carry."""

    def __init__(self, reason: str, *, parameter: str) -> None:
        self.reason = reason
        self.fmt = -1
        self.path = parameter
        ValueError.__init__(self, f"request: parameter `{parameter}` cannot be written: {reason}")


@dataclass(frozen=True, slots=True)
class Param:
    """One ``name=value`` pair: the name, the percent-decoded value bytes, the pair as sent, and
    where it starts in the query string or form body."""

    name: str
    raw: bytes
    wire: bytes
    pos: int
    in_body: bool

    def error(self, reason: str, *, at_value: bool = True, parameter: str | None = None) -> RequestError:
        """A ``RequestError`` at the value (or at the name) of this pair."""
        offset = self.wire.find(b"=") + 1 if at_value and b"=" in self.wire else 0
        return RequestError(
            reason,
            parameter=parameter or self.name,
            pos=self.pos + offset,
            snippet=self.wire[offset : offset + _SNIPPET].decode("latin-1"),
            in_body=self.in_body,
        )


def split_pairs(data: bytes | str, *, in_body: bool = False) -> list[Param]:
    """The pairs of a query string or form body, in order; names and values percent-decoded
    (``+`` is a space). A piece without ``=`` is a parameter with an empty value, as PHP reads it."""
    raw = data.encode("latin-1", "replace") if isinstance(data, str) else bytes(data)
    pairs = []
    pos = 0
    for piece in raw.split(b"&"):
        if piece:
            name, _, value = piece.partition(b"=")
            decoded_name = unquote_to_bytes(name.replace(b"+", b" ")).decode("latin-1")
            raw_value = unquote_to_bytes(value.replace(b"+", b" "))
            pairs.append(Param(decoded_name, raw_value, piece, pos, in_body))
        pos += len(piece) + 1
    return pairs


def reply_format(pairs: list[Param]) -> tuple[int, str]:
    """The fmt and charset to answer in, read leniently so that even an error 1 about them
    is written as asked where possible: a bad ``fmt`` answers in fmt 0, a bad charset in
    windows-1251 (the provider's defaults, facts §1.1, §11)."""
    fmt, charset = 0, DEFAULT_CHARSET
    for pair in pairs:
        if pair.name == "fmt" and pair.raw in (b"0", b"1", b"2", b"3"):
            fmt = int(pair.raw)
        elif pair.name == "charset":
            try:
                charset = normalize_charset(pair.raw.decode("ascii"))
            except (UnicodeDecodeError, ValueError):
                charset = DEFAULT_CHARSET
    return fmt, charset


def decode_params(
    pairs: list[Param], *, strict: bool = False, known: Collection[str] | None = None
) -> dict[str, tuple[str, Param]]:
    """Every parameter by name, its value decoded in the request's charset.

    A repeated name counts by its last value, as PHP reads ``$_REQUEST``; ``strict`` refuses it
    (a client that sends one twice has a bug worth seeing). ``known``, when given, is the page's
    vocabulary: other names are dropped before decoding, so that bytes in a parameter the page
    never reads cannot make it refuse the request. An unknown charset and a value the charset
    cannot decode are refused.
    """
    seen: dict[str, Param] = {}
    for pair in pairs:
        if known is not None and pair.name not in known and pair.name not in COMMON:
            continue
        if strict and pair.name in seen:
            raise pair.error(f"parameter `{pair.name}` is given twice", at_value=False)
        seen.pop(pair.name, None)  # the last one counts, at its own place in the order
        seen[pair.name] = pair
    codec = DEFAULT_CHARSET
    if "charset" in seen:
        given = seen["charset"]
        try:
            codec = normalize_charset(given.raw.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            raise given.error(
                f"unsupported charset {given.raw.decode('latin-1')!r}: utf-8, windows-1251 or koi8-r"
            ) from None
    values = {}
    for name, pair in seen.items():
        try:
            values[name] = (pair.raw.decode(codec), pair)
        except UnicodeDecodeError as exc:
            raise pair.error(
                f"byte 0x{pair.raw[exc.start]:02X} of `{name}` is not valid {charset_label(codec)}"
            ) from None
    return values


def _wire_names(kind: type[Command], service: ServiceName) -> dict[str, str]:
    """Wire name -> attribute, for the command's own parameters on ``service``."""
    names = {}
    for field in msgspec.structs.fields(kind):
        if field.name == "service" or (kind is MoveGroup and field.name == "move_group"):
            continue
        wire = MAIL_NAMES.get(field.name, field.name) if service == "mails" else field.name
        names[wire] = field.name
    return names


def _flag(values: dict[str, tuple[str, Param]]) -> tuple[str, str, Param]:
    flags = [name for name in values if name in COMMANDS]
    if not flags:
        raise RequestError(
            "no command: one of " + ", ".join(f"{name}=1" for name in COMMANDS) + " is needed",
            parameter=None,
            pos=0,
            snippet="",
            in_body=False,
        )
    if len(flags) > 1:
        raise values[flags[1]][1].error(
            f"two commands in one request: `{flags[0]}` and `{flags[1]}`", at_value=False
        )
    name = flags[0]
    text, pair = values[name]
    allowed = ("1", "2", "3") if name == "move_group" else ("1",)
    if text not in allowed:
        raise pair.error(f"`{name}` must be {'1, 2 or 3' if name == 'move_group' else '1'}, got {text!r}")
    return name, text, pair


def vocabulary(service: ServiceName) -> frozenset[str]:
    """Every parameter name a contacts page reads: the common ones, the command flags and each
    command's own parameters."""
    names = set(COMMON) | set(COMMANDS)
    for kind in COMMANDS.values():
        names.update(_wire_names(kind, service))
    return frozenset(names)


def read_command(
    values: dict[str, tuple[str, Param]], service: ServiceName, *, strict: bool = False
) -> Command:
    """The command the decoded parameters ask for; ``RequestError`` for anything error 1 covers.
    A parameter the command does not take is ignored, or refused when ``strict``."""
    flag, flag_value, flag_pair = _flag(values)
    _check_fmt(values)
    kind = COMMANDS[flag]
    wire = _wire_names(kind, service)
    fields = {field.name: field for field in msgspec.structs.fields(kind)}
    arguments: dict[str, Any] = {"service": service}
    if kind is MoveGroup:
        arguments["move_group"] = int(flag_value)
    for name, (text, pair) in values.items():
        if name == flag or name in COMMON:
            continue
        attribute = wire.get(name)
        if attribute is None:
            if strict:
                raise pair.error(f"unknown parameter `{name}` for `{flag}`", at_value=False)
            continue
        arguments[attribute] = _typed(fields[attribute], text, pair)
    for attribute, field in fields.items():
        if field.required and attribute not in arguments:
            missing = next(name for name, known in wire.items() if known == attribute)
            raise flag_pair.error(f"`{flag}` needs parameter `{missing}`", at_value=False, parameter=missing)
    return kind(**arguments)


def _check_fmt(values: dict[str, tuple[str, Param]]) -> None:
    if "fmt" in values:
        text, pair = values["fmt"]
        if text not in ("0", "1", "2", "3"):
            raise pair.error(f"`fmt` must be 0, 1, 2 or 3, got {text!r}")


def _typed(field: msgspec.structs.FieldInfo, text: str, pair: Param) -> Any:
    if field.type is str or field.type == (str | None):
        if "\n" in text or "\r" in text:
            # fmt 0 and 1 lists have no escape: a stored line break would start a record of its
            # own in every later list (spec/requests.md, "The fake service", rule 14).
            at = min(index for index in (text.find("\n"), text.find("\r")) if index >= 0)
            raise pair.error(f"`{pair.name}` holds a line break (CR or LF) at character {at}")
        return text
    try:
        return parse_integer(pair.name, text)
    except ValueError as exc:
        raise pair.error(str(exc)) from None


def read_request(
    query: bytes | str, *, body: bytes = b"", service: ServiceName = "phones", strict: bool = False
) -> Request:
    """The request a query string (and a POST form body) carries, read as the service reads it
    (``strict``: as ``fmtcodec serve --strict`` reads it)."""
    pairs = split_pairs(query) + split_pairs(body, in_body=True)
    values = decode_params(pairs, strict=strict, known=None if strict else vocabulary(service))
    command = read_command(values, service, strict=strict)
    fmt = int(values["fmt"][0]) if "fmt" in values else None
    return Request(
        command=command,
        login=_text(values, "login"),
        psw=_text(values, "psw"),
        apikey=_text(values, "apikey"),
        fmt=fmt,
        charset=_text(values, "charset"),
    )


def _text(values: dict[str, tuple[str, Param]], name: str) -> str | None:
    found = values.get(name)
    return None if found is None else found[0]


def write_query(request: Request) -> str:
    """The query string (or form body, as ASCII bytes) a client sends for ``request``.

    ``RequestWriteError`` when the charset cannot carry a value; ``ValueError`` for a ``fmt``
    other than 0-3 or a charset other than the provider's three.
    """
    command = request.command
    codec = DEFAULT_CHARSET if request.charset is None else normalize_charset(request.charset)
    if request.fmt is not None and (type(request.fmt) is not int or request.fmt not in (0, 1, 2, 3)):
        raise ValueError(f"fmt must be 0, 1, 2 or 3, got {request.fmt!r}")
    flag = next(name for name, kind in COMMANDS.items() if kind is type(command))
    pairs: list[tuple[str, object]] = [
        (flag, command.move_group if isinstance(command, MoveGroup) else 1),
        ("login", request.login),
        ("psw", request.psw),
        ("apikey", request.apikey),
    ]
    for wire, attribute in _wire_names(type(command), command.service).items():
        pairs.append((wire, getattr(command, attribute)))
    pairs += [("fmt", request.fmt), ("charset", request.charset)]
    return "&".join(f"{name}={_quote(name, value, codec)}" for name, value in pairs if value is not None)


def _quote(name: str, value: object, codec: str) -> str:
    if type(value) is int:
        return str(value)
    if not isinstance(value, str):
        raise RequestWriteError(f"expected a str, got {value!r}", parameter=name)
    try:
        return quote_plus(value, safe="", encoding=codec, errors="strict")
    except UnicodeEncodeError as exc:
        char = value[exc.start]
        raise RequestWriteError(
            f"character {char!r} (U+{ord(char):04X}) at character {exc.start}"
            f" is not in {charset_label(codec)}",
            parameter=name,
        ) from None
