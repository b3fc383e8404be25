"""Tests for what the unsampled mutation run of ``fmtcodec/api.py`` left unchecked, grouped by class.

Each class's docstring names the mutants it kills.  ``api.py`` is the table of fmt modules: most of
what it decides is which module or which writer answers, so where a mutant only sends a reply to a
slower writer that gives the same bytes, the test replaces the writers that must not be asked with
one that fails it (as ``test_survivors_json.py`` does for the fmt 3 paths).
"""

from __future__ import annotations

from typing import Any

import pytest

import fmtcodec
from fmtcodec import Contact, Error, text, values, xml
from fmtcodec import json as fmt_json

needs_core = pytest.mark.skipif(not fmtcodec.COMPILED, reason="the compiled core is not built here")


def refuse(monkeypatch: pytest.MonkeyPatch, owner: Any, *names: str) -> None:
    """``owner``'s functions ``names`` replaced by one that fails the test when asked."""

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a slower writer was asked")

    for name in names:
        monkeypatch.setattr(owner, name, refused)


CONTACTS = [Contact(phone="79991234567", name="Анна", group="5922"), Contact(phone="7", name="b")]
EMPTY = ', first_name = , last_name = , middle_name = , birthday = , id = , comments = , tags = , phone_other = '
EMPTY_JSON = (
    ',\n"first_name": "",\n"last_name": "",\n"middle_name": "",\n"birthday": "",\n"id": "",\n"comments": "",\n'
    '"tags": "",\n"phone_other": ""\n}'
)

UTF8_WRITTEN = {  # the two contacts in UTF-8, in fmt 0, 1 and 3
    0: ("phone = 79991234567, name = Анна, group = 5922" + EMPTY + "\nphone = 7, name = b, group = " + EMPTY)
    .encode(),
    1: "79991234567,Анна,5922,,,,,,,,\n7,b,,,,,,,,,".encode(),
    3: (
        '[{\n"phone": "79991234567",\n"name": "Анна",\n"group": "5922"' + EMPTY_JSON
        + ',\n{\n"phone": "7",\n"name": "b",\n"group": ""' + EMPTY_JSON + "]"
    ).encode(),
}


class TestUtf8ListsWrittenByTheCore:
    """A list reply in UTF-8 is written by the compiled core straight into its bytes in fmt 0, 1
    and 3 (the fmt module's writer, which makes a ``str`` to encode afterwards, is never asked);
    fmt 2, which the core does not write, by the xml module; without the core by each fmt module.

    Kills ``fmtcodec.api.x__compiled_utf8__mutmut_1`` (the core taken for absent), ``_2``,
    ``_3``, ``_7``, ``_9`` (no writer: every fmt's module asked), ``_4`` (no writer for fmt 0),
    ``_5`` (none for fmt 1) and ``_6`` (none for fmt 3)."""

    @needs_core
    @pytest.mark.parametrize(("fmt", "module"), [(0, text), (1, values), (3, fmt_json)])
    def test_fmts_0_1_3_by_the_core(self, monkeypatch: pytest.MonkeyPatch, fmt: int, module: Any):
        refuse(monkeypatch, module, "encode_records")
        assert fmtcodec.encode(CONTACTS, fmt=fmt) == UTF8_WRITTEN[fmt]
        assert fmtcodec.encode(tuple(CONTACTS), fmt=fmt, charset="UTF8") == UTF8_WRITTEN[fmt]

    @pytest.mark.parametrize("fmt", [0, 1, 3])
    def test_each_fmt_module_without_the_core(self, fmt: int):
        with fmtcodec._core.pure():
            assert fmtcodec.encode(CONTACTS, fmt=fmt) == UTF8_WRITTEN[fmt]

    def test_fmt_2_by_the_xml_module(self, monkeypatch: pytest.MonkeyPatch):
        asked = []
        writer = xml.encode_records

        def counted(*args: Any, **kwargs: Any) -> str:
            asked.append(args[2])
            return writer(*args, **kwargs)

        monkeypatch.setattr(xml, "encode_records", counted)
        written = fmtcodec.encode(CONTACTS, fmt=2)
        assert written.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<list>\n<contact>\n<phone>79991234567</phone>\n')
        assert "<name>Анна</name>".encode() in written
        assert asked == ["utf-8"]


class _Loud(str):
    """A str subclass whose ``str()`` lies: its own characters are what must be written."""

    def __str__(self) -> str:
        return "LOUD"


class TestErrorOfAStrSubclassKeepsItsId:
    """An error reply whose message is a ``str`` subclass is written as its own characters and
    keeps everything else it carries: the code and the id of the message a send error names.

    Kills ``fmtcodec.api.x_encode__mutmut_22`` (the id dropped when the message is made a plain
    ``str``) and ``_25`` (the id left out there)."""

    @pytest.mark.parametrize(
        ("fmt", "written"),
        [
            (0, b"ERROR = 6 (denied), ID - a.7"),
            (2, b'<?xml version="1.0" encoding="utf-8"?>\n<result>\n<error>denied</error>\n'
                b"<error_code>6</error_code>\n<id>a.7</id>\n</result>"),
            (3, b'{\n"error": "denied",\n"error_code": 6,\n"id": "a.7"\n}'),
        ],
    )
    def test_code_and_id_kept(self, fmt: int, written: bytes):
        payload = fmtcodec.encode(Error(error_code=6, error=_Loud("denied"), id="a.7"), fmt=fmt)
        assert payload == written
        assert fmtcodec.decode(payload, Error, fmt=fmt) == Error(error_code=6, error="denied", id="a.7")
