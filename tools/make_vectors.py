"""Regenerate the golden vectors in spec/vectors/.

    .venv/bin/python tools/make_vectors.py [--captures DIR] [--out DIR]

Every vector is written here as its payload and what it is meant to show; the expected value or
error is taken from fmtcodec and was checked by hand before it was frozen (see the notes).  A
vector declared ``canonical`` or ``detect`` is checked against ``encode``/``detect_fmt`` here, and
the script fails instead of writing a manifest that says something the library does not do.

Real replies are copied from the captures in ``--captures`` (default: spec/captures/ of this
repository, whatever the working directory): every reply to ``/sys/phones.php`` listed in its
INDEX.md, body byte for byte, charset from ``Content-Type`` (spec/sources.md, Captures).  The
vectors are written to ``--out`` (default: spec/vectors/ of this repository);
tests/test_vectors.py regenerates them into a temporary folder and checks that they are the
files committed in spec/vectors/.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import msgspec

import fmtcodec
from fmtcodec import (
    AmbiguousRecordError,
    ApiError,
    BlacklistEntry,
    Contact,
    Created,
    DecodeError,
    Error,
    Group,
    MailBlacklistEntry,
    MailContact,
    Ok,
)
from fmtcodec.api import REPLY_TYPES

REPOSITORY = Path(__file__).resolve().parent.parent
OUT = REPOSITORY / "spec" / "vectors"
REAL = REPOSITORY / "spec" / "captures"

TYPES: dict[str, Any] = REPLY_TYPES
EXT = {0: "txt", 1: "txt", 2: "xml", 3: "json"}

VECTORS: dict[str, dict[str, Any]] = {}


def vec(
    name: str,
    type_: str,
    fmt: int,
    payload: bytes | str,
    note: str,
    *,
    charset: str | None = "utf-8",
    canonical: bool = False,
    detect: bool = True,
    outcome: str = "expect",
) -> None:
    """Declare a vector; ``outcome`` is what decoding must give: expect, api_error or decode_error."""
    assert name not in VECTORS, name
    if isinstance(payload, str):
        payload = payload.encode(charset or "utf-8")
    VECTORS[name] = {
        "payload": payload,
        "type": type_,
        "fmt": fmt,
        "charset": charset,
        "canonical": canonical,
        "detect": detect,
        "note": note,
        "outcome": outcome,
    }


def enc(name: str, type_: str, fmt: int, value: Any, note: str, *, charset: str = "utf-8") -> None:
    """A canonical vector: the payload is what ``encode`` writes for ``value``."""
    payload = fmtcodec.encode(value, fmt=fmt, charset=charset)
    vec(name, type_, fmt, payload, note, charset=charset, canonical=True)


# --------------------------------------------------------------------------- real replies

_ROW = re.compile(r"^\| (\d\d-[^ |]+)\.http \|")


def real_replies() -> bool:
    """Copy the real replies; ``False`` (and the real-* vectors left as they are) without REAL."""
    if not (REAL / "INDEX.md").is_file():
        print(f"{REAL}/INDEX.md not found: the real-* vectors are kept as they are", file=sys.stderr)
        return False
    for line in (REAL / "INDEX.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match is None or "/sys/phones.php" not in line:
            continue
        stem = match[1]
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        kind = cells[-1]
        raw = (REAL / f"{stem}.http").read_bytes()
        head, body = raw.split(b"\n\n", 1)
        ctype = re.search(rb"(?im)^content-type:.*charset=([A-Za-z0-9_-]+)", head)
        assert ctype is not None, stem
        charset = ctype[1].decode("ascii").lower()
        number, slug = stem.split("-", 1)
        source = f"real smsc.ru reply {stem}.http (May 2013, node-smsc rescache), fmt=3 charset={charset}"
        type_ = {
            "group list": "groups",
            "contact list": "contacts",
            "created id": "created",
            "OK": "ok",
        }.get(kind, "error" if kind.startswith("error") else None)
        assert type_ is not None, (stem, kind)
        what = {
            "groups": "group list; groups without a mailing number have no `number` key, no `cnt` at all",
            "contacts": "contact list; every value a quoted string, `group` included",
            "created": "id of the new group or contact",
            "ok": 'bare `OK` with fmt=3 (not the documented {"result": "OK"})',
            "error": "error reply",
        }[type_]
        name = f"real-{number}-{slug}"
        detect = type_ != "ok"  # a bare OK reads as fmt 0
        vec(name, type_, 3, body, f"{what}; {source}", charset=charset, detect=detect)
        if type_ != "ok":
            decoded = fmtcodec.decode(body, TYPES[type_], fmt=3, charset=charset)
            VECTORS[name]["canonical"] = fmtcodec.encode(decoded, fmt=3, charset=charset) == body
        if number == "16":
            vec(
                f"{name}-as-contacts",
                "contacts",
                3,
                body,
                f"an error reply where a contact list was asked for raises ApiError; {source}",
                charset=charset,
                outcome="api_error",
            )
    return True


# --------------------------------------------------------------------------- canonical records

IVANOV = Contact(
    phone="79161234567",
    name="Иванов Иван, менеджер",
    group="5922",
    first_name="Иван",
    last_name="Иванов",
    middle_name="Петрович",
    birthday="15.04.1985",
    id="client-17",
    comments="VIP, звонить после 18:00",
    tags="vip",
    phone_other="+79031112233,+79035556677",
)
ROMASHKA = Contact(phone="74951234567", name="ООО «Ромашка»")
PETROVA = Contact(
    phone="+7 (926) 987-65-43",
    name="Петрова Анна",
    group="5924",
    first_name="Анна",
    last_name="Петрова",
    middle_name="Сергеевна",
    birthday="01.12.1990",
    id="42",
    comments="бухгалтерия",
    tags="b2b",
    phone_other="",
)
CONTACTS = [IVANOV, ROMASHKA, PETROVA]
# fmt 1 cannot carry commas in two neighbouring free-text fields (comments, tags): the row would
# split in several ways, so the encoder refuses it; its rows keep the comma in `name` only.
CONTACTS_FMT1 = [msgspec.structs.replace(IVANOV, comments="VIP: звонить после 18:00"), ROMASHKA, PETROVA]

MAIL_IVANOV = MailContact(
    mail="ivanov@example.ru",
    name="Иванов Иван, менеджер",
    group="5922",
    first_name="Иван",
    last_name="Иванов",
    middle_name="Петрович",
    birthday="15.04.1985",
    id="client-17",
    comments="VIP, писать на рабочий",
    tags="vip",
    mail_other="ivan@example.com,i.ivanov@example.org",
)
MAIL_CONTACTS = [MAIL_IVANOV, MailContact(mail="info@romashka.example", name="ООО «Ромашка»")]
MAIL_CONTACTS_FMT1 = [msgspec.structs.replace(MAIL_IVANOV, comments="VIP"), MAIL_CONTACTS[1]]

GROUPS = [
    Group(id=5924, name="Клиенты, Москва", number=1234, cnt=17),
    Group(id=5922, name="Новая группа"),
    Group(id=5930, name="Рассылка", number=None, cnt=0),
]
BLACKLIST = [
    BlacklistEntry(id=101, phone="79161234567", type=fmtcodec.BlacklistType.ALL, comment="спам, реклама"),
    BlacklistEntry(id=102, phone="+7 (495) 123-45-67", type=fmtcodec.BlacklistType.MASS, comment=""),
    BlacklistEntry(id=103, phone="79031112233", type=fmtcodec.BlacklistType.SINGLE, comment="по просьбе"),
]
MAIL_BLACKLIST = [
    MailBlacklistEntry(
        id=201, email="spam@example.com", type=fmtcodec.BlacklistType.ALL, comment="спам, реклама"
    ),
    MailBlacklistEntry(id=202, email="news@example.org", type=fmtcodec.BlacklistType.MASS),
    MailBlacklistEntry(
        id=203, email="a.b@example.net", type=fmtcodec.BlacklistType.SINGLE, comment="по просьбе"
    ),
]


def record_lists(fmt: int) -> list[tuple[str, list[Any], str]]:
    contacts = CONTACTS_FMT1 if fmt == 1 else CONTACTS
    mail_contacts = MAIL_CONTACTS_FMT1 if fmt == 1 else MAIL_CONTACTS
    where = "name" if fmt == 1 else "name/comments"
    return [
        ("contacts", contacts, f"contacts: Cyrillic, commas in {where}, empty fields, phone list"),
        ("mail-contacts", mail_contacts, "mail contacts: mail/mail_other replace phone/phone_other"),
        ("groups", GROUPS, "groups with and without number/cnt, a comma in a name, cnt 0"),
        ("blacklist", BLACKLIST, "blacklist types 0/1/2, a comma in a comment, an empty comment"),
        ("mail-blacklist", MAIL_BLACKLIST, "e-mail blacklist (email replaces phone), types 0/1/2"),
    ]


def canonical() -> None:
    for fmt in range(4):
        tag = f"fmt{fmt}"
        for type_, records, note in record_lists(fmt):
            enc(f"canon-{type_}-{tag}", type_, fmt, records, f"canonical fmt {fmt} {note}")
        created = Created(id=5113988, element="phone" if fmt == 2 else None)
        enc(f"canon-created-{tag}", "created", fmt, created, f"canonical fmt {fmt} id of a new contact")
        enc(f"canon-ok-{tag}", "ok", fmt, Ok(), f"canonical fmt {fmt} OK")
        error = Error(error_code=3, error="" if fmt == 1 else "record not found")
        note = "0,-N: fmt 1 errors carry no description" if fmt == 1 else "server error with description"
        enc(f"canon-error-{tag}", "error", fmt, error, f"canonical fmt {fmt} {note}")
    enc(
        "canon-created-group-fmt2",
        "created",
        2,
        Created(id=5924, element="group"),
        "canonical fmt 2 id of a new group: wrapped in <group>",
    )
    enc(
        "canon-error-ru-fmt0",
        "error",
        0,
        Error(error_code=1, error="Ошибка в параметрах (phone)"),
        "canonical fmt 0 error whose description holds parentheses; it runs to the last ')'",
    )
    enc(
        "canon-error-code9-fmt3",
        "error",
        3,
        Error(error_code=9, error="duplicate request, wait a minute"),
        "canonical fmt 3 error 9 (too many identical requests)",
    )
    # One row each in the other charsets; the XML prolog names the charset.
    for fmt in range(4):
        enc(
            f"canon-contacts-cp1251-fmt{fmt}",
            "contacts",
            fmt,
            (CONTACTS_FMT1 if fmt == 1 else CONTACTS)[:1],
            f"canonical fmt {fmt} contact in windows-1251 (the provider's default charset)",
            charset="windows-1251",
        )
    enc(
        "canon-groups-koi8r-fmt2",
        "groups",
        2,
        GROUPS[:2],
        "canonical fmt 2 group list in koi8-r, declared in the prolog",
        charset="koi8-r",
    )
    enc("canon-empty-contacts-fmt0", "contacts", 0, [], "empty list in fmt 0: empty body")
    enc("canon-empty-contacts-fmt2", "contacts", 2, [], "empty list in fmt 2: <list> with nothing in it")
    enc("canon-empty-contacts-fmt3", "contacts", 3, [], "empty list in fmt 3: []")
    VECTORS["canon-ok-fmt1"]["detect"] = False  # a bare OK reads as fmt 0


# --------------------------------------------------------------------------- quirks (decode only)


def quirks() -> None:
    q = vec
    # JSON numbers quoted and unquoted
    q(
        "json-contact-group-bare-number",
        "contacts",
        3,
        '[{\n"phone": "79161234567",\n"name": "Иван",\n"group": 5\n}]',
        "fmt 3 contact with a bare number for `group` (the seed template writes it unquoted) and"
        " the other keys left out",
    )
    q(
        "json-groups-quoted-numbers",
        "groups",
        3,
        '[{\n"id": "5924",\n"name": "My group",\n"number": "1234",\n"cnt": "17"\n}]',
        'fmt 3 group with every number quoted (`"id": "5924"`)',
    )
    q(
        "json-groups-seed-template",
        "groups",
        3,
        '[{\n"id": 5924,\n"name": "Клиенты",\n"number": 1234,\n"cnt": "17"\n}]',
        "fmt 3 group as the seed template spells it: id/number bare, cnt quoted",
    )
    q(
        "json-blacklist-quoted-type",
        "blacklist",
        3,
        '[{"id": "101", "phone": "79161234567", "type": "2", "comment": ""}]',
        "fmt 3 blacklist entry with quoted id and type, all on one line",
    )
    # OK spellings
    q("ok-result-object-fmt3", "ok", 3, '{"result": "OK"}', 'fmt 3 {"result": "OK"} on one line')
    q("ok-bare-fmt2", "ok", 2, "OK", "bare OK accepted with fmt 2", detect=False)
    q("ok-result-noprolog-fmt2", "ok", 2, "<result>OK</result>", "fmt 2 <result>OK</result> without prolog")
    q("ok-crlf-fmt0", "ok", 0, "OK\r\n", "fmt 0 OK followed by CRLF")
    # JSON layout
    q(
        "json-contacts-one-line",
        "contacts",
        3,
        '[{"phone":"79161234567","name":"Иванов Иван","group":"5922","first_name":"Иван",'
        '"last_name":"Иванов","middle_name":"","birthday":"15.04.1985","id":"","comments":"",'
        '"tags":"","phone_other":""},{"phone":"79269876543","name":"Петрова"}]',
        "fmt 3 contact list all on one line, no spaces; the 2nd object gives only phone and name",
    )
    q(
        "json-groups-indented",
        "groups",
        3,
        '[\n  {\n    "id": 5924,\n    "name": "Клиенты, Москва",\n    "number": 1234,\n    "cnt": 17\n  },\n'
        '  {\n    "id": 5922,\n    "name": "Новая группа"\n  }\n]\n',
        "fmt 3 group list pretty-printed with indentation and a trailing newline",
    )
    q(
        "json-contacts-escapes",
        "contacts",
        3,
        '[{"phone": "79161234567", "name": "\\u0418\\u0432\\u0430\\u043d '
        '\\"\\u0418\\u0432\\u0430\\u043d\\u044b\\u0447\\"",'
        ' "comments": "a\\/b\\\\c"}]',
        "fmt 3 strings with \\u escapes, an escaped quote, \\/ and \\\\ (PHP json_encode style)",
    )
    q("json-created-quoted-id", "created", 3, '{"id": "5924"}', 'fmt 3 created id quoted: {"id": "5924"}')
    q(
        "json-error-quoted-code",
        "error",
        3,
        '{"error": "record not found", "error_code": "3"}',
        "fmt 3 error with the code quoted",
    )
    # XML variants
    q(
        "xml-contacts-noprolog",
        "contacts",
        2,
        "<list>\n<contact>\n<phone>79161234567</phone>\n<name>Иванов Иван</name>\n<group>5922</group>\n"
        "</contact>\n</list>",
        "fmt 2 contact list without XML prolog (UTF-8 sniffed); fields not given take ''",
        charset=None,
    )
    q(
        "xml-contacts-cp1251-prolog",
        "contacts",
        2,
        '<?xml version="1.0" encoding="windows-1251"?>\n<list>\n<contact>\n<phone>79161234567</phone>\n'
        "<name>Иванов Иван</name>\n<first_name>Иван</first_name>\n<comments>звонить, после 18</comments>\n"
        "</contact>\n</list>".encode("cp1251"),
        'fmt 2 with encoding="windows-1251" prolog and cp1251 bytes; charset null, the prolog is followed',
        charset=None,
    )
    q(
        "xml-contacts-empty-elements",
        "contacts",
        2,
        '<?xml version="1.0" encoding="utf-8"?>\n<list>\n<contact>\n<phone>79161234567</phone>\n'
        "<name>Иван</name>\n<group/>\n<first_name></first_name>\n<last_name />\n<middle_name/>\n"
        "<birthday/>\n<id/>\n<comments/>\n<tags/>\n<phone_other/>\n</contact>\n</list>",
        "fmt 2 empty values as <x/>, <x /> and <x></x>",
    )
    q(
        "xml-contacts-entities-cdata",
        "contacts",
        2,
        '<?xml version="1.0" encoding="utf-8"?>\n<list>\n<contact>\n<phone>79161234567</phone>\n'
        "<name>&#1055;&#1077;&#1090;&#1088; &amp; Co &lt;ООО&gt;</name>\n"
        "<comments><![CDATA[a < b & c, <b>жирный</b>]]></comments>\n"
        "<tags>&quot;vip&quot; &apos;x&apos; &#x41;</tags>\n</contact>\n</list>",
        "fmt 2 entities (&amp; &lt; &gt; &quot; &apos;), character references (&#1055; &#x41;) and CDATA",
    )
    q(
        "xml-groups-indented",
        "groups",
        2,
        '<?xml version="1.0" encoding="utf-8"?>\n<list>\n  <group>\n    <id>5924</id>\n'
        "    <name>Клиенты, Москва</name>\n    <number>1234</number>\n    <cnt>17</cnt>\n  </group>\n"
        "  <group>\n\t<id>5922</id>\n\t<name> Новая группа </name>\n  </group>\n</list>\n",
        "fmt 2 indentation between elements is ignored, but spaces inside <name> are kept; second"
        " group has no <number>/<cnt>",
    )
    q(
        "xml-groups-one-line",
        "groups",
        2,
        "<list><group><id>5922</id><name>Новая группа</name></group></list>",
        "fmt 2 group list on one line without prolog, number/cnt missing",
        charset=None,
    )
    q(
        "xml-blacklist-comment-prolog",
        "blacklist",
        2,
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- blacklist -->\n<list>\n<record>\n<id>101</id>\n'
        "<phone>79161234567</phone>\n<type>1</type>\n<comment>спам</comment>\n</record>\n</list>",
        "fmt 2 XML comment between the prolog and <list> is ignored",
    )
    q(
        "xml-created-group-indented",
        "created",
        2,
        "<group>\n  <id>5924</id>\n</group>\n",
        "fmt 2 created group id without prolog, indented, trailing newline; element comes back as 'group'",
    )
    q(
        "xml-error-cp1251",
        "error",
        2,
        '<?xml version="1.0" encoding="windows-1251"?>\n<result>\n<error>Записи не найдены</error>\n'
        "<error_code>3</error_code>\n</result>".encode("cp1251"),
        "fmt 2 error in windows-1251 with a Russian description, charset from the prolog",
        charset=None,
    )
    # empty lists
    q(
        "empty-contacts-fmt1",
        "contacts",
        1,
        "",
        "fmt 1 empty list: empty body (detects as fmt 0)",
        detect=False,
    )
    q("empty-groups-fmt0-newline", "groups", 0, "\n", "fmt 0 empty group list: a lone newline")
    q(
        "empty-blacklist-fmt2-selfclosing",
        "blacklist",
        2,
        "<list/>",
        "fmt 2 empty list as <list/>",
        charset=None,
    )
    q("empty-mail-contacts-fmt3", "mail-contacts", 3, "[]", "fmt 3 empty mail contact list")
    q("empty-groups-fmt3-spaces", "groups", 3, "[ ]\n", "fmt 3 empty list with whitespace")
    # groups missing number/cnt in fmt 0/1
    q(
        "groups-no-number-fmt0",
        "groups",
        0,
        "id = 5922, name = Новая группа, number = , cnt =\nid = 5924, name = Клиенты, number = 1234, cnt = ",
        "fmt 0 groups with empty number/cnt (None); the first line's trailing space after 'cnt =' trimmed",
    )
    q(
        "groups-no-number-fmt1",
        "groups",
        1,
        "5922,Новая группа,,\n5924,Клиенты, Москва,1234,",
        "fmt 1 groups with empty number/cnt; a comma inside the second name",
    )
    # CRLF
    q(
        "contacts-crlf-fmt0",
        "contacts",
        0,
        "phone = 79161234567, name = Иван, group = 5922, first_name = Иван, last_name = Иванов,"
        " middle_name = , birthday = , id = , comments = , tags = , phone_other = \r\n"
        "phone = 79269876543, name = Анна, group = , first_name = , last_name = , middle_name = ,"
        " birthday = 01.12.1990, id = 42, comments = , tags = , phone_other = 74951234567\r\n",
        "fmt 0 rows ending in CRLF (CR is not part of the last value)",
    )
    q(
        "groups-crlf-fmt1",
        "groups",
        1,
        "5924,Клиенты,1234,17\r\n5922,Новая группа,,\r\n",
        "fmt 1 rows ending in CRLF",
    )
    # charsets
    cp_row0 = (
        "phone = 79161234567, name = Иванов Иван, group = 5922, first_name = Иван, last_name = Иванов,"
        " middle_name = Петрович, birthday = 15.04.1985, id = 17, comments = звонить вечером, tags = vip,"
        " phone_other = "
    )
    cp_row1 = "79161234567,Иванов Иван,5922,Иван,Иванов,Петрович,15.04.1985,17,звонить вечером,vip,"
    q(
        "contacts-cp1251-detected-fmt0",
        "contacts",
        0,
        cp_row0.encode("cp1251"),
        "fmt 0 contact in windows-1251 with charset null: not valid UTF-8, so read as windows-1251",
        charset=None,
    )
    q(
        "contacts-cp1251-detected-fmt1",
        "contacts",
        1,
        cp_row1.encode("cp1251"),
        "fmt 1 contact in windows-1251 with charset null: auto-detected",
        charset=None,
    )
    q(
        "contacts-cp1251-explicit-fmt1",
        "contacts",
        1,
        cp_row1.encode("cp1251"),
        "fmt 1 contact in windows-1251, charset given",
        charset="windows-1251",
    )
    q(
        "contacts-koi8r-fmt0",
        "contacts",
        0,
        cp_row0.encode("koi8-r"),
        "fmt 0 contact in koi8-r, charset given (koi8-r cannot be told from windows-1251 by sniffing)",
        charset="koi8-r",
    )
    q(
        "contacts-koi8r-fmt3",
        "contacts",
        3,
        '[{"phone": "79161234567", "name": "Иванов Иван", "comments": "звонить вечером"}]'.encode("koi8-r"),
        "fmt 3 contact in koi8-r, charset given",
        charset="koi8-r",
    )
    q(
        "contacts-utf8-bom-fmt3",
        "contacts",
        3,
        b"\xef\xbb\xbf" + '[{"phone": "79161234567", "name": "Иван"}]'.encode(),
        "fmt 3 with a UTF-8 byte order mark, charset null",
        charset=None,
    )
    # commas
    q(
        "contacts-commas-fmt0",
        "contacts",
        0,
        "phone = 79161234567, 79031112233, name = Иванов, Иван, group = 5922, first_name = Иван,"
        " last_name = Иванов, middle_name = , birthday = , id = a,b, comments = звонить, но не рано,"
        " tags = vip, moscow, phone_other = +79031112233, +79035556677",
        "fmt 0 commas (and ', ') inside phone, name, id, comments, tags and phone_other",
    )
    q(
        "contacts-comma-name-fmt1",
        "contacts",
        1,
        "79161234567,ООО «Ромашка», отдел продаж,5922,Иван,Иванов,Петрович,15.04.1985,17,звонить,vip,"
        "+79031112233,+79035556677,8 (495) 123-45-67",
        "fmt 1 contact: comma in name, three numbers in phone_other",
    )
    q(
        "contacts-phone-list-fmt1",
        "contacts",
        1,
        "79161234567,79031112233,Иван,,,,,,,,,",
        "fmt 1 contact with two phone numbers in `phone` and every other field empty but name",
    )
    q(
        "blacklist-comma-comment-fmt1",
        "blacklist",
        1,
        "101,79161234567,0,спам, реклама, звонки ночью\n102,+7 (495) 123-45-67,1,",
        "fmt 1 blacklist: commas in the last field (comment), formatted phone",
    )
    q(
        "mail-contacts-fmt0-commas",
        "mail-contacts",
        0,
        "mail = ivanov@example.ru, name = Иванов, Иван, group = , first_name = , last_name = ,"
        " middle_name = , birthday = , id = , comments = , tags = , mail_other = a@example.com,b@example.com",
        "fmt 0 mail contact: comma in name, two addresses in mail_other",
    )
    # API error where records were asked for (fmt 0/1/2)
    q(
        "api-error-groups-fmt0",
        "groups",
        0,
        "ERROR = 2 (authorise error)",
        "fmt 0 error reply where a group list was asked for raises ApiError",
        outcome="api_error",
    )
    q(
        "api-error-blacklist-fmt1",
        "blacklist",
        1,
        "0,-9",
        "fmt 1 error 0,-9 where a blacklist was asked for raises ApiError with an empty message",
        outcome="api_error",
    )
    q(
        "api-error-created-fmt2",
        "created",
        2,
        "<result>\n<error>save error</error>\n<error_code>5</error_code>\n</result>",
        "fmt 2 error reply where a new id was expected raises ApiError",
        outcome="api_error",
        charset=None,
    )
    q(
        "api-error-ok-fmt3",
        "ok",
        3,
        '{\n"error": "record not found",\n"error_code": 3\n}',
        "fmt 3 error reply where OK was expected raises ApiError",
        outcome="api_error",
    )
    q(
        "api-error-plain-text-fmt3",
        "contacts",
        3,
        "ERROR = 9 (duplicate request, wait a minute)\n",
        "plain-text error reply to a fmt=3 request raises ApiError in every fmt (issue 8, other clients)",
        outcome="api_error",
        detect=False,
    )
    q(
        "api-error-plain-text-fmt2",
        "groups",
        2,
        "ERROR = 2 (authorise error)",
        "plain-text error reply to a fmt=2 request raises ApiError in every fmt (issue 8, other clients)",
        outcome="api_error",
        detect=False,
    )


# --------------------------------------------------------------------------- errors


def errors() -> None:
    e = vec
    bad = "decode_error"
    e(
        "err-ambiguous-contact-fmt1",
        "contacts",
        1,
        "79161234567,Иван,5922,Иван,Иванов,Петрович,15.04.1985,17,VIP, звонить вечером,vip,",
        "fmt 1 row whose commas can be placed in 3 ways among id/comments/tags: AmbiguousRecordError",
        outcome=bad,
    )
    e(
        "err-unsplittable-contact-fmt1",
        "contacts",
        1,
        "79161234567,Иван,5922,Иван,Иванов,Петрович,15.04.1985,17,,,\nИван Иванов,79161234567,,,,,,,,,",
        "fmt 1 second row does not split (no phone-like first value): DecodeError at the row start",
        outcome=bad,
    )
    e(
        "err-missing-marker-groups-fmt0",
        "groups",
        0,
        "id = 5924, name = Клиенты, number = 1234, cnt = 17\nid = 5922, name = Новая группа",
        "fmt 0 second row lacks ', number = ': error at the `name` value it should follow",
        outcome=bad,
    )
    e(
        "err-bad-head-contacts-fmt0",
        "contacts",
        0,
        "name = Иван, phone = 79161234567",
        "fmt 0 row not starting with 'phone = '",
        outcome=bad,
    )
    e(
        "err-group-id-fmt0",
        "groups",
        0,
        "id = 5924, name = Клиенты, number = , cnt = \nid = 59x2, name = Новая, number = , cnt = ",
        "fmt 0 invalid integer in a group id: path $[1].id, pos at the value",
        outcome=bad,
    )
    e(
        "err-group-id-fmt2",
        "groups",
        2,
        '<?xml version="1.0" encoding="utf-8"?>\n<list>\n<group>\n<id>5924</id>\n<name>Клиенты</name>\n'
        "</group>\n<group>\n<id>59x2</id>\n<name>Новая</name>\n</group>\n</list>",
        "fmt 2 invalid integer in a group id: path $[1].id, pos at the <id> start tag",
        outcome=bad,
    )
    e(
        "err-group-id-fmt3",
        "groups",
        3,
        '[{\n"id": 5924,\n"name": "Клиенты"\n},\n{\n"id": "59x2",\n"name": "Новая"\n}]',
        "fmt 3 invalid integer in a group id: path $[1].id, pos at the value",
        outcome=bad,
    )
    e(
        "err-blacklist-type-fmt3",
        "blacklist",
        3,
        '[{"id": 101, "phone": "79161234567", "type": 7, "comment": "спам"}]',
        "fmt 3 blacklist type outside 0/1/2",
        outcome=bad,
    )
    e(
        "err-group-float-fmt3",
        "groups",
        3,
        '[{"id": 5924.0, "name": "Клиенты"}]',
        "fmt 3 a float where an integer id is expected",
        outcome=bad,
    )
    e(
        "err-missing-required-fmt3",
        "contacts",
        3,
        '[{"name": "Иван"}]',
        "fmt 3 contact without the required `phone`",
        outcome=bad,
    )
    e(
        "err-malformed-json",
        "groups",
        3,
        '[{\n"id": 5924,\n"name": "Клиенты"\n}\n{\n"id": 5922\n}]',
        "fmt 3 malformed JSON: missing comma between objects",
        outcome=bad,
    )
    e(
        "err-malformed-xml",
        "contacts",
        2,
        '<?xml version="1.0" encoding="utf-8"?>\n<list>\n<contact>\n<phone>79161234567</phone>\n'
        "<name>Иван</nam>\n</contact>\n</list>",
        "fmt 2 malformed XML: mismatched end tag",
        outcome=bad,
    )
    e(
        "err-xml-doctype",
        "contacts",
        2,
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
        "<list>\n<contact>\n<phone>&lol3;</phone>\n</contact>\n</list>",
        "fmt 2 document type declaration (billion laughs) is refused before parsing",
        outcome=bad,
        charset=None,
    )
    e(
        "err-xml-doctype-behind-comment",
        "groups",
        2,
        '<!-- 1 < 2 --><!DOCTYPE list [<!ENTITY e "x">]><list>&e;</list>',
        "fmt 2 DOCTYPE after a comment holding '<' is refused too (decided by libxml2, not a text scan)",
        outcome=bad,
        charset=None,
    )
    e(
        "err-xml-declaration-attribute",
        "groups",
        2,
        '<?xml version="1.0" xencoding="koi8-r"?>\n<list>\n</list>',
        "fmt 2 malformed XML declaration (XML 1.0 section 2.8) is refused, its 'encoding' never used",
        outcome=bad,
        charset=None,
    )
    e(
        "err-xml-nbsp-between-elements",
        "groups",
        2,
        "<list>\n<group>\n<id>1</id>\u00a0\n</group>\n</list>",
        "fmt 2 U+00A0 between elements is text, not XML whitespace: refused, not dropped",
        outcome=bad,
        charset=None,
    )
    e(
        "err-undecodable-utf8",
        "contacts",
        0,
        "phone = 79161234567, name = Иван, group = , first_name = , last_name = , middle_name = ,"
        " birthday = , id = , comments = , tags = , phone_other = ".encode("cp1251"),
        "fmt 0 windows-1251 bytes with explicit charset utf-8: first bad byte reported",
        outcome=bad,
    )
    e(
        "err-unknown-field-json",
        "contacts",
        3,
        '[{\n"phone": "79161234567",\n"name": "Иван",\n"email": "ivan@example.ru"\n}]',
        "fmt 3 unknown key in a contact",
        outcome=bad,
    )
    e(
        "err-unknown-field-xml",
        "groups",
        2,
        "<list>\n<group>\n<id>5924</id>\n<name>Клиенты</name>\n<size>17</size>\n</group>\n</list>",
        "fmt 2 unknown element in a group",
        outcome=bad,
        charset=None,
    )
    e(
        "err-xml-wrong-item",
        "blacklist",
        2,
        "<list>\n<group>\n<id>5924</id>\n</group>\n</list>",
        "fmt 2 <group> item where blacklist <record> items are expected",
        outcome=bad,
        charset=None,
    )
    e(
        "err-expected-error",
        "error",
        3,
        '{\n"id": 5924\n}',
        "decoding a non-error reply as type error is a DecodeError at $",
        outcome=bad,
    )
    e(
        "err-created-fmt0",
        "created",
        0,
        "ID = 12a",
        "fmt 0 created id that is not a number",
        outcome=bad,
    )


# --------------------------------------------------------------------------- writing


def outcome_of(spec: dict[str, Any]) -> dict[str, Any]:
    kind = TYPES[spec["type"]]
    try:
        value = fmtcodec.decode(spec["payload"], kind, fmt=spec["fmt"], charset=spec["charset"])
    except ApiError as exc:
        return {"api_error": {"code": exc.code, "message": exc.message}}
    except DecodeError as exc:
        cls = "AmbiguousRecordError" if isinstance(exc, AmbiguousRecordError) else "DecodeError"
        return {
            "decode_error": {
                "class": cls,
                "pos": exc.pos,
                "line": exc.line,
                "column": exc.column,
                "path": exc.path,
                "message": str(exc),
            }
        }
    return {"expect": msgspec.to_builtins(value)}


def check(name: str, spec: dict[str, Any], result: dict[str, Any]) -> list[str]:
    problems = []
    if spec["outcome"] not in result:
        problems.append(f"{name}: wanted {spec['outcome']}, got {result}")
    payload, fmt = spec["payload"], spec["fmt"]
    if spec["canonical"]:
        decoded = fmtcodec.decode(payload, TYPES[spec["type"]], fmt=fmt, charset=spec["charset"])
        again = fmtcodec.encode(decoded, fmt=fmt, charset=spec["charset"] or "utf-8")
        if again != payload:
            problems.append(f"{name}: not canonical: {again!r} != {payload!r}")
    if spec["detect"] and fmtcodec.detect_fmt(payload) != fmt:
        problems.append(f"{name}: detect_fmt gives {fmtcodec.detect_fmt(payload)}, not {fmt}")
    return problems


def main() -> int:
    global OUT, REAL
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=Path, default=REAL, help="folder of .http captures and INDEX.md")
    parser.add_argument("--out", type=Path, default=OUT, help="folder the vectors are written to")
    args = parser.parse_args()
    OUT, REAL = args.out, args.captures
    OUT.mkdir(parents=True, exist_ok=True)
    copied = real_replies()
    canonical()
    quirks()
    errors()
    problems = []
    for old in OUT.iterdir():
        if old.suffix in (".txt", ".xml", ".json") and (copied or not old.name.startswith("real-")):
            old.unlink()
    for name, spec in VECTORS.items():
        result = outcome_of(spec)
        problems += check(name, spec, result)
        manifest = {key: spec[key] for key in ("type", "fmt", "charset", "canonical", "detect", "note")}
        manifest.update(result)
        (OUT / f"{name}.{EXT[spec['fmt']]}").write_bytes(spec["payload"])
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (OUT / f"{name}.expect.json").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_page_vectors  # the other pages' vectors, expectations written by hand

    written, found = make_page_vectors.write(OUT, REAL)
    problems += found
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(VECTORS) + written} vectors, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
