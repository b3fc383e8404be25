"""The layout table (``spec/layout.toml``) as Python objects, and the one place wire text becomes
typed values and back.

Every fmt module asks a ``RecordLayout`` for field names, order, types, per-fmt names and the
kind's shape in its fmt; none keeps a field list of its own, and none branches on a reply kind.
The table ships inside the wheel as ``fmtcodec/layout.toml``; in a source checkout it is read
from ``spec/`` directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar

import msgspec

from fmtcodec import records
from fmtcodec._spec import ERROR_MEANINGS, PAGE_ERRORS, Meaning, read_table
from fmtcodec.errors import EncodeError, shown

__all__ = [
    "ERROR_MEANINGS",
    "LAYOUTS",
    "PAGES",
    "PAGE_ERRORS",
    "FieldLayout",
    "FieldValueError",
    "Meaning",
    "RecordLayout",
    "Sentence",
    "format_integer",
    "layout_for",
    "made_once_a_kind",
    "parse_integer",
    "record_layout_for",
    "reply_integer",
    "reply_number",
]

_ONLY_STR = frozenset({str})

_Made = TypeVar("_Made")


def made_once_a_kind(
    kept: dict[int, tuple[Any, _Made]], layout: RecordLayout, make: Callable[[RecordLayout], _Made]
) -> _Made:
    """``make(layout)``, made once a kind and kept in ``kept`` (a fast path's own plans): by the
    identity of the layout's field tuple, checked on use, so that a layout built anew (as tests
    build them) under a kind's name never meets another's plan."""
    fields = layout.fields
    found = kept.get(id(fields))
    if found is not None and found[0] is fields:
        return found[1]
    made = make(layout)
    kept[id(fields)] = (fields, made)
    return made

# Server ids, counts and error codes are non-negative numbers in plain ASCII decimal, without
# leading zeros: int() alone would also take " 5", "05", "5_0" and non-ASCII digits, and msgspec's
# lax mode takes "5.0" and "1e3" -- every one of which would come back as different bytes.
INTEGER = "0|[1-9][0-9]*"
_INTEGER = re.compile(INTEGER)


_COLUMN_CHECKS = {
    "int": re.compile(r"(?:0|[1-9][0-9]*)(?:\n(?:0|[1-9][0-9]*))*"),
    "int?": re.compile(r"(?:0|[1-9][0-9]*)?(?:\n(?:0|[1-9][0-9]*)?)*"),
    "blacklist-type": re.compile(r"[012](?:\n[012])*"),
}
_SIGNED = re.compile("-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_MESSAGE_ID = re.compile("[A-Za-z0-9._-]+")
_MAX_DIGITS = 4300
_BLACKLIST_TYPES = {str(int(member)): member for member in records.BlacklistType}


def parse_integer(name: str, text: str) -> int:
    """The integer written as ``text`` (see ``_INTEGER``), or ``ValueError``."""
    if _INTEGER.fullmatch(text) is None:
        raise ValueError(f"expected an integer for `{name}`, got {shown(text)}")
    if len(text) > _MAX_DIGITS:  # Python's own limit for reading an int from text
        raise ValueError(f"`{name}` has {len(text)} digits; at most {_MAX_DIGITS} are read")
    return int(text)


def format_integer(name: str, value: object) -> str:
    """The wire text of a server id, count or code; ``ValueError`` for anything else."""
    if type(value) is not int and not isinstance(value, records.BlacklistType):
        raise ValueError(f"`{name}` must be an int, got {shown(value)}")
    if value < 0:
        raise ValueError(f"`{name}` must not be negative, got {shown(value)}")
    try:
        text = str(int(value))
    except ValueError:  # more digits than Python prints
        text = ""
    if not text or len(text) > _MAX_DIGITS:  # what the decoders would refuse to read back
        raise ValueError(f"`{name}` has more than {_MAX_DIGITS} digits; at most {_MAX_DIGITS} are read")
    return text


def reply_number(src: Any, name: str, match: re.Match[str]) -> int:
    """The integer of a one-line fmt 0/1 reply, read by the shared rule (``src`` is a Source)."""
    try:
        return parse_integer(name, match[1])
    except ValueError as exc:
        raise src.error(str(exc), match.start(1), f"$.{name}") from None


def reply_integer(name: str, value: object, fmt: int) -> str:
    """``format_integer`` for the id of a ``Created`` or the code of an ``Error``."""
    try:
        return format_integer(name, value)
    except ValueError as exc:
        raise EncodeError(str(exc), fmt=fmt, path=f"$.{name}") from None


class FieldValueError(ValueError):
    """A wire value does not fit its field; ``field`` is its index in wire order."""

    def __init__(self, field: int, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FieldLayout:
    """One field: wire name, Python type tag, fmt 3 spelling, fmt 1 token class, and where fmt 0
    and fmt 2 differ from the wire name (spec/layout.toml says what each tag means)."""

    name: str
    type: str
    json: str
    fmt1: str
    fmt0: str = ""
    """The fmt 0 key (``check_time`` for ``last_date``); the wire name where the table gives none."""
    xml: str = "element"
    """Where fmt 2 writes it: ``element`` (a child), ``attribute`` (of the item) or ``text``."""
    of: str | None = None
    """For a nested list (``list?``): the kind of its items."""

    def __post_init__(self) -> None:
        if not self.fmt0:
            object.__setattr__(self, "fmt0", self.name)
        if self.base not in _BASE_TYPES:
            raise ValueError(f"spec/layout.toml: field `{self.name}` has unknown type {self.type!r}")

    @property
    def optional(self) -> bool:
        """Whether the value may be ``None`` (absent from the reply): its type ends in ``?``."""
        return self.type.endswith("?")

    @property
    def base(self) -> str:
        """The type tag without its ``?``."""
        return self.type.rstrip("?")

    def parse(self, text: str) -> Any:
        """The typed value of the wire text ``text``; ``ValueError`` when it does not fit.

        An empty text of an optional field that is not text is ``None`` (absent)."""
        kind = self.base
        if kind in _TEXT_TYPES:
            return text
        if self.optional and text == "":
            return None
        if kind in ("int", "ts"):
            return parse_integer(self.name, text)
        if kind == "signed":
            if _SIGNED.fullmatch(text) is None or text == "-0":
                raise ValueError(f"expected an integer for `{self.name}`, got {shown(text)}")
            if len(text) > _MAX_DIGITS:
                raise ValueError(f"`{self.name}` has {len(text)} digits; at most {_MAX_DIGITS} are read")
            return int(text)
        if kind == "decimal":
            if _DECIMAL.fullmatch(text) is None:
                raise ValueError(f"expected a decimal amount for `{self.name}`, got {shown(text)}")
            if len(text) > _MAX_DIGITS:
                raise ValueError(f"`{self.name}` has {len(text)} digits; at most {_MAX_DIGITS} are read")
            return Decimal(text)
        if kind == "id":
            if _MESSAGE_ID.fullmatch(text) is None:
                raise ValueError(
                    f"expected a message id (letters, digits, '.', '-', '_') for `{self.name}`,"
                    f" got {shown(text)}"
                )
            return text
        if kind == "blacklist-type":
            number = parse_integer(self.name, text)
            try:
                return records.BlacklistType(number)
            except ValueError:
                raise ValueError(f"blacklist type must be 0, 1 or 2, got {shown(text)}") from None
        raise ValueError(f"`{self.name}` ({self.type}) has no text form")

    def format(self, value: Any) -> str:
        """The wire text of a typed value; ``ValueError`` when the value does not fit the field.

        ``None`` of an optional field is ``""`` (fmt 0/1 leave it empty or out, fmt 2/3 out)."""
        kind = self.base
        if value is None and self.optional:
            return ""
        if kind in _TEXT_TYPES or kind == "id":
            if not isinstance(value, str):
                raise ValueError(f"`{self.name}` must be a str, got {shown(value)}")
            text = str.__str__(value)  # a subclass's own characters, whatever its __str__ says
            if kind == "id" and _MESSAGE_ID.fullmatch(text) is None:
                raise ValueError(
                    f"`{self.name}` must be a message id (letters, digits, '.', '-', '_'), got {shown(value)}"
                )
            return text
        if kind == "blacklist-type" and value not in (0, 1, 2):
            raise ValueError(f"`{self.name}` must be a BlacklistType (0, 1 or 2), got {shown(value)}")
        if kind == "signed":
            if type(value) is not int:
                raise ValueError(f"`{self.name}` must be an int, got {shown(value)}")
            return ("-" if value < 0 else "") + format_integer(self.name, abs(value))
        if kind == "decimal":
            return _format_decimal(self.name, value)
        if kind == "list":
            raise ValueError(f"`{self.name}` is a list, which has no text form")
        return format_integer(self.name, value)


def _format_decimal(name: str, value: object) -> str:
    if type(value) is not Decimal:
        raise ValueError(f"`{name}` must be a decimal.Decimal, got {shown(value)}")
    if not value.is_finite():
        raise ValueError(f"`{name}` must be a finite amount, got {shown(value)}")
    text = format(value, "f")
    if len(text) > _MAX_DIGITS:
        raise ValueError(f"`{name}` has more than {_MAX_DIGITS} digits; at most {_MAX_DIGITS} are read")
    return text


_TEXT_TYPES = frozenset({"str", "date-time"})
_CONTACTS_CLASSES = frozenset(
    {"text", "phones", "phones?", "emails", "emails?", "phone", "email", "number", "number?", "date?"}
)
_BASE_TYPES = frozenset(
    {"str", "date-time", "int", "ts", "signed", "decimal", "id", "blacklist-type", "list"}
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A fmt 0 sentence of spec/layout.toml (``OK - {cnt} SMS, ID - {id}[, COST - {cost}]``):
    ``parts`` is its text cut into literal strings, ``(field,)`` holes and optional groups, each
    an inner ``Sentence``."""

    parts: tuple[str | tuple[str] | Sentence, ...]

    @classmethod
    def parse(cls, template: str) -> Sentence:
        sentence, end = cls._read(template, 0)
        if end != len(template):
            raise ValueError(f"spec/layout.toml: unbalanced ']' in sentence {template!r}")
        return sentence

    @classmethod
    def _read(cls, template: str, at: int) -> tuple[Sentence, int]:
        parts: list[str | tuple[str] | Sentence] = []
        literal = ""
        while at < len(template):
            char = template[at]
            if char == "{":
                end = template.index("}", at)
                if literal:
                    parts.append(literal)
                    literal = ""
                parts.append((template[at + 1 : end],))
                at = end + 1
            elif char == "[":
                if literal:
                    parts.append(literal)
                    literal = ""
                inner, at = cls._read(template, at + 1)
                if template[at : at + 1] != "]":
                    raise ValueError(f"spec/layout.toml: unclosed '[' in sentence {template!r}")
                parts.append(inner)
                at += 1
            elif char == "]":
                break
            else:
                literal += char
                at += 1
        if literal:
            parts.append(literal)
        return cls(tuple(parts)), at

    @property
    def holes(self) -> tuple[str, ...]:
        """The fields the sentence writes, in its order (optional ones included)."""
        found: list[str] = []
        for part in self.parts:
            if isinstance(part, Sentence):
                found.extend(part.holes)
            elif isinstance(part, tuple):
                found.append(part[0])
        return tuple(found)


def _with_article(word: str) -> str:
    return f"{'an' if word[0].lower() in 'aeiou' else 'a'} {word}"


@dataclass(frozen=True)
class RecordLayout:
    """One reply kind of the table: its page, record type, names, fields in wire order and its
    shape in each fmt (spec/layout.toml says what each key means)."""

    kind: str
    record: type[msgspec.Struct]
    names: tuple[str, ...]
    fields: tuple[FieldLayout, ...]
    page: str = "contacts"
    shape: str = "list"
    """``list`` (a list of records), ``record`` (one record) or ``nested`` (only inside another)."""
    fmt0_sentences: tuple[Sentence, ...] = ()
    """fmt 0: the sentences decode accepts, the first the one encode writes; empty for pairs."""
    fmt1_variants: tuple[tuple[int, ...], ...] = ()
    """fmt 1: the row variants as field indexes; encode writes the first that fits the record."""
    xml_root: str = "list"
    xml_item: str = ""
    xml_bare: str | None = None
    service: str = ""
    created_xml: str = ""
    nested: Mapping[str, RecordLayout] = dataclass_field(default_factory=dict)
    """The layouts of the nested lists' items, by field name."""

    @property
    def meanings(self) -> Mapping[int, Meaning]:
        """What each error code means on this kind's page."""
        return PAGE_ERRORS[self.page]

    @cached_property
    def a_kind(self) -> str:
        """The kind with its article, as messages name a record of it ("a contact", "an operator")."""
        return _with_article(self.kind)

    @cached_property
    def a_record(self) -> str:
        """The record type's name with its article ("a Contact", "an OperatorInfo")."""
        return _with_article(self.record.__name__)

    @cached_property
    def field_index(self) -> Mapping[str, int]:
        """Field positions by wire name."""
        return {field.name: index for index, field in enumerate(self.fields)}

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)

    @cached_property
    def typed_fields(self) -> list[tuple[FieldLayout, str, bool]]:
        """Each field with its base type tag and whether it is optional: what the writers of the
        pages' kinds look at for every value."""
        return [(field, field.base, field.optional) for field in self.fields]

    @cached_property
    def all_text(self) -> bool:
        """Every field is ``str``: wire text is the value, no conversion needed."""
        return all(field.type == "str" for field in self.fields)

    @cached_property
    def simple(self) -> bool:
        """Whether the contacts-era fast paths know every field: types ``str``, ``int``, ``int?``
        and ``blacklist-type``, fmt 0 keys and fmt 2 elements named as the field.  A fast path
        declines a kind that is not ``simple`` (the general path reads every kind)."""
        return all(
            (field.type in _COLUMN_CHECKS or field.type == "str")
            and field.fmt1 in _CONTACTS_CLASSES
            and field.fmt0 == field.name
            and field.xml == "element"
            for field in self.fields
        )

    @cached_property
    def json_bare(self) -> tuple[bool, ...]:
        """Per field, whether fmt 3 writes it as a bare JSON number (its ``json`` spelling is
        ``number``) rather than a string.  A text field spelled ``number`` is bare only where its
        text is an integer (``INTEGER``); any other text of it is written as a string."""
        return tuple(field.json == "number" for field in self.fields)

    @cached_property
    def required(self) -> frozenset[str]:
        """Fields the record cannot be built without."""
        return frozenset(
            field.name
            for field in msgspec.structs.fields(self.record)
            if field.required
        )

    def from_texts(self, texts: Sequence[str]) -> Any:
        """The record from the wire texts of all fields, in wire order."""
        if self.all_text:
            return self.record(*texts)
        values = []
        for index, (field, text) in enumerate(zip(self.fields, texts, strict=True)):
            try:
                values.append(field.parse(text))
            except ValueError as exc:
                raise FieldValueError(index, str(exc)) from None
        return self.record(*values)

    def from_columns(self, columns: Sequence[Sequence[str]], *, checked: bool = False) -> list[Any] | None:
        """Records from the wire texts of all rows, one list per field (the fast paths' builder).

        ``None`` when a value does not fit its field: the caller's general path then finds it and
        says where.  Whole columns are checked by one C-level match each, not value by value --
        unless the caller has ``checked`` each value against ``_COLUMN_CHECKS`` already.
        """
        if not self.simple:
            return None  # the general path reads the other types
        typed: list[Any] = []
        for field, column in zip(self.fields, columns, strict=True):
            kind = field.type
            if kind == "str":
                typed.append(column)
                continue
            if not checked:
                joined = "\n".join(column)
                if joined.count("\n") != len(column) - 1 or _COLUMN_CHECKS[kind].fullmatch(joined) is None:
                    return None  # (a line break inside a value would pass the whole-column check)
            try:
                if kind == "int":
                    typed.append(list(map(int, column)))
                elif kind == "int?":
                    typed.append([int(text) if text else None for text in column])
                else:
                    typed.append(list(map(_BLACKLIST_TYPES.__getitem__, column)))
            except (ValueError, KeyError):  # more digits than Python reads
                return None
        return list(map(self.record, *typed))

    def from_mapping(self, found: Mapping[str, str]) -> Any:
        """The record from wire texts keyed by field name; absent fields take their default."""
        values: dict[str, Any] = {}
        for index, field in enumerate(self.fields):
            if field.name in found:
                try:
                    values[field.name] = field.parse(found[field.name])
                except ValueError as exc:
                    raise FieldValueError(index, str(exc)) from None
        missing = self.required.difference(values)
        if missing:
            first = min(self.field_names.index(name) for name in missing)
            raise FieldValueError(first, f"required field `{self.fields[first].name}` is missing")
        return self.record(**values)

    def to_texts(self, record: Any) -> list[str]:
        """The wire texts of a record's fields, in wire order; ``FieldValueError`` for a value
        the record's type does not allow (records are not validated when constructed)."""
        values = list(msgspec.structs.astuple(record))
        if self.all_text and set(map(type, values)) <= _ONLY_STR:
            return values
        texts = []
        for index, (field, value) in enumerate(zip(self.fields, values, strict=True)):
            try:
                texts.append(field.format(value))
            except ValueError as exc:
                raise FieldValueError(index, str(exc)) from None
        return texts

    def text_columns(self, records: Sequence[Any]) -> list[tuple[str, ...]] | None:
        """For the encoders' fast paths: one tuple of texts per field, when every field of this
        kind is text and every value a ``str`` (``None`` otherwise: the general path decides)."""
        if not self.all_text or not records:
            return None
        columns = list(zip(*map(msgspec.structs.astuple, records), strict=True))
        for column in columns:
            if not set(map(type, column)) <= _ONLY_STR:
                return None  # not a str, or a subclass: the general path names the row, or writes
                # the subclass's characters (``FieldLayout.format``), the same rule on every path
        return columns

    def wire_rows(self, records: Sequence[Any], fmt: int) -> list[Sequence[str]]:
        """The wire texts of every record, a row each (``wire_texts``), with nothing checked but
        the values' types: what the server writes when it escapes nothing."""
        columns = self.text_columns(records)
        if columns is not None:
            return list(zip(*columns, strict=True))
        return [self.wire_texts(record, row, fmt) for row, record in enumerate(records)]

    def wire_texts(self, record: Any, row: int, fmt: int) -> list[str]:
        """``to_texts`` for an encoder: a value that does not fit is an ``EncodeError``."""
        try:
            return self.to_texts(record)
        except FieldValueError as exc:
            raise EncodeError(exc.reason, fmt=fmt, path=f"$[{row}].{self.fields[exc.field].name}") from None


def _fields(entry: Mapping[str, Any], table: Mapping[str, Any]) -> list[dict[str, Any]]:
    fields = entry["fields"]
    if isinstance(fields, str):  # the fields of another kind (statuses: those of status)
        fields = table[fields]["fields"]
    return list(fields)


def _build() -> dict[str, RecordLayout]:
    table = read_table()["kinds"]
    layouts: dict[str, RecordLayout] = {}
    pending = dict(table)
    while pending:  # nested kinds first: a kind is built once the kinds of its lists are
        for kind, entry in list(pending.items()):
            fields = tuple(FieldLayout(**field) for field in _fields(entry, table))
            inner = {field.name: field.of for field in fields if field.of is not None}
            if not set(inner.values()) <= set(layouts):
                continue
            index = {field.name: position for position, field in enumerate(fields)}
            fmt0 = entry.get("fmt0", "pairs")
            sentences: tuple[Sentence, ...] = ()
            if fmt0 != "pairs":
                sentences = tuple(map(Sentence.parse, [fmt0["sentence"], *fmt0.get("also", [])]))
            default_variant = [[field.name for field in fields]] if entry.get("shape") != "nested" else []
            variants = entry.get("fmt1", default_variant)
            layouts[kind] = RecordLayout(
                kind=kind,
                record=getattr(records, entry["record"]),
                names=tuple(entry["names"]),
                fields=fields,
                page=entry["page"],
                shape=entry["shape"],
                fmt0_sentences=sentences,
                fmt1_variants=tuple(tuple(index[name] for name in variant) for variant in variants),
                xml_root=entry.get("xml_root", "list"),
                xml_item=entry.get("xml_item", ""),
                xml_bare=entry.get("xml_bare"),
                service=entry.get("service", ""),
                created_xml=entry.get("created_xml", ""),
                nested={name: layouts[of] for name, of in inner.items()},
            )
            del pending[kind]
    return layouts


LAYOUTS = _build()
"""Reply-kind layouts by kind, as ``spec/layout.toml`` gives them (nested kinds included)."""

PAGES: tuple[str, ...] = tuple(PAGE_ERRORS)
"""The pages of the API the table describes (``contacts``, ``send``, ``status``, …)."""

_BY_RECORD = {layout.record: layout for layout in LAYOUTS.values() if layout.shape == "list"}
_ONE_BY_RECORD = {layout.record: layout for layout in LAYOUTS.values() if layout.shape == "record"}


def layout_for(record: type) -> RecordLayout | None:
    """The layout of a list of ``record`` (``list[Contact]``, ``list[Status]``), ``None`` if no
    list kind has that record."""
    return _BY_RECORD.get(record)


def record_layout_for(record: type) -> RecordLayout | None:
    """The layout of one ``record`` as a whole reply (``Sent``, ``Status``, ``Balance``),
    ``None`` if no single-record kind has that record."""
    return _ONE_BY_RECORD.get(record)
