"""Single replies (Created, Ok, Error) at their edges in every fmt, and the layout table as read
from spec/layout.toml: exact messages, places and values."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import fmtcodec
from fmtcodec import ApiError, Contact, Created, DecodeError, EncodeError, Error, Group, Ok, _spec
from fmtcodec import layout as fmt_layout

FMTS = (0, 1, 2, 3)


def failure(action) -> tuple[object, ...]:
    with pytest.raises((DecodeError, EncodeError)) as caught:
        action()
    error = caught.value
    return (type(error).__name__, str(error), getattr(error, "pos", None), error.path)


class TestJsonReplies:
    """Kills json ``decode_created``/``decode_ok`` mutants that report at another place or
    without the path, ``decode_error`` mutants that look past trailing instead of leading
    whitespace or default a missing message to something else, and ``encode_error``/
    ``_json_string`` mutants that name another field or lose the character."""

    def test_created_and_ok_refused_at_the_start(self):
        assert failure(lambda: fmtcodec.decode(b'{"x": 1}', Created, fmt=3)) == (
            "DecodeError", "fmt 3: expected {\"id\": <id>} - at $, byte 0 (line 1, column 1), near '{\"x\": 1}'", 0, "$"
        )
        assert failure(lambda: fmtcodec.decode(b'{"result": "NO"}', Ok, fmt=3)) == (
            "DecodeError",
            "fmt 3: expected OK or {\"result\": \"OK\"} - at $, byte 0 (line 1, column 1), near '{\"result\": \"NO\"}'",
            0,
            "$",
        )

    @pytest.mark.parametrize("payload", [b'{"error_code": 3}', b'  \n {"error_code": 3}', b'{"error_code": 3}\n  '])
    def test_error_without_a_message(self, payload):
        assert fmtcodec.decode(payload, Error, fmt=3) == Error(error_code=3, error="")
        with pytest.raises(ApiError) as caught:
            fmtcodec.decode(payload, list[Group], fmt=3)
        assert (caught.value.code, caught.value.message) == (3, "")

    @pytest.mark.parametrize(
        ("payload", "outcome"),
        [
            (b'{"error_code": "3"}', Error(error_code=3)),
            (b'{"error_code": 3, "error": "x"}', Error(error_code=3, error="x")),
            (b'{"error_code": null}', ("expected an integer for `error_code`, got 'None'", 15, "$.error_code")),
            (b'{"error_code": 3.0}', ("expected an integer for `error_code`, got '3.0'", 15, "$.error_code")),
            (b'{"error_code": "03"}', ("expected an integer for `error_code`, got '03'", 15, "$.error_code")),
            (b'{"id": "7"}', Created(id=7)),
            (b'{"id": true}', ("expected an integer for `id`, got 'True'", 7, "$.id")),
        ],
    )
    def test_numbers_of_single_replies(self, payload, outcome):
        kind = Created if b'"id"' in payload else Error
        if isinstance(outcome, tuple):
            with pytest.raises(DecodeError) as caught:
                fmtcodec.decode(payload, kind, fmt=3)
            assert (caught.value.reason, caught.value.pos, caught.value.path) == outcome
        else:
            assert fmtcodec.decode(payload, kind, fmt=3) == outcome

    @pytest.mark.parametrize(
        "payload",
        [
            b'[{"id":5,"name":"a"},{"id":6,"name":"b","number":"x"}]',
            b'[ {"id" : 5 , "name" : "a"} , {"cnt" : "1" , "id" : 6 , "number" : "x"} ]',
            b'[\n{\n"id": 5,\n"name": "a,b"\n},\n{\n"name": "}", "id": 6,\n"number": "x"\n}\n]',
            b'[{"id":5,"name":"a"},\r\n\t{"name":"[1,{}]","id":6,"number":"x"}]',
        ],
        ids=["compact", "spaced", "seed-layout", "tabs-and-brackets"],
    )
    def test_a_value_is_located_however_the_json_is_spaced(self, payload):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(payload, list[Group], fmt=3)
        at = payload.index(b'"x"')
        assert (caught.value.reason, caught.value.pos, caught.value.path) == (
            "expected an integer for `number`, got 'x'", at, "$[1].number"
        )
        assert caught.value.line == payload.count(b"\n", 0, at) + 1

    @pytest.mark.parametrize(("payload", "at"), [(b"[1]", 1), (b'[{"id": 5, "name": "a"}, "x"]', 25)])
    def test_an_item_that_is_no_object(self, payload, at):
        with pytest.raises(DecodeError) as caught:
            fmtcodec.decode(payload, list[Group], fmt=3)
        assert (caught.value.reason, caught.value.pos, caught.value.path) == (
            "expected an object for a group", at, f"$[{payload.count(b'{')}]"
        )

    @pytest.mark.parametrize("fmt", FMTS)
    def test_negative_error_code(self, fmt):
        assert failure(lambda: fmtcodec.encode(Error(error_code=-1), fmt=fmt)) == (
            "EncodeError",
            f"fmt {fmt} cannot carry the value at $.error_code: `error_code` must not be negative, got -1",
            None,
            "$.error_code",
        )

    def test_lone_surrogates(self):
        assert failure(lambda: fmtcodec.encode([Contact(phone="7", name="a\ud800")], fmt=3))[1] == (
            "fmt 3 cannot carry the value at $[0].name: character U+D800 is a lone surrogate, which no charset can write"
        )
        assert failure(lambda: fmtcodec.encode(Error(error_code=1, error="\udfff"), fmt=3))[1] == (
            "fmt 3 cannot carry the value at $.error: character U+DFFF is a lone surrogate, which no charset can write"
        )


class TestLayoutTable:
    """``layout._build`` and ``_spec.read_table`` run once, at import (the latter cached), before
    any mutant is switched on: calling them again is what lets a mutant of either (a key
    misspelled, a field dropped) be seen."""

    def test_build_gives_the_table_in_use(self):
        assert fmt_layout._build() == fmt_layout.LAYOUTS

    def test_read_table_is_spec_layout_toml(self):
        spec = Path(__file__).resolve().parent.parent / "spec" / "layout.toml"
        assert _spec.read_table.__wrapped__() == tomllib.loads(spec.read_text("utf-8"))

    def test_the_table_says_what_the_spec_says(self):
        group = fmt_layout.LAYOUTS["group"]
        assert (group.kind, group.record, group.service, group.xml_item, group.created_xml, group.names) == (
            "group", Group, "phones.php", "group", "group", ("groups",)
        )
        assert [(f.name, f.type, f.json, f.fmt1) for f in group.fields] == [
            ("id", "int", "number", "number"),
            ("name", "str", "string", "text"),
            ("number", "int?", "number", "number?"),
            ("cnt", "int?", "string", "number?"),
        ]
        assert fmt_layout.ERROR_MEANINGS[3] == fmt_layout.Meaning(en="No records found.", ru="Записи не найдены.")
        assert fmt_layout.layout_for(Contact) is fmt_layout.LAYOUTS["contact"]
        assert fmt_layout.layout_for(Created) is None


def where(action) -> tuple[object, ...]:
    with pytest.raises(DecodeError) as caught:
        action()
    error = caught.value
    return (error.reason, error.pos, error.line, error.column, error.path, error.snippet)


class TestXmlPlaces:
    """Kills xml ``declared_charset`` mutants that lose the line or the lenient snippet,
    ``decode_created``/``decode_ok`` mutants that drop the path or the element, ``_Document._index``
    mutants that stop at a line break at index 0, ``_Document.where`` mutants that count the
    earlier elements of a line wrongly, and ``encode_created`` mutants that lose the path."""

    def test_refused_prolog_charset(self):
        refused = "the XML prolog declares 'latin-1'; the provider answers in utf-8, windows-1251 or koi8-r"
        payload = b'<?xml version="1.0" encoding="latin-1"?><list/>'
        assert where(lambda: fmtcodec.decode(payload, list[Group])) == (refused, 30, 1, 31, None, 'latin-1"?><list/>')
        payload = '<?xml version="1.0" encoding="latin-1"?>Дж'.encode()
        assert where(lambda: fmtcodec.decode(payload, list[Group])) == (
            refused, 30, 1, 31, None, 'latin-1"?>\ufffd\ufffd\ufffd\ufffd'
        )

    def test_created_and_ok(self):
        assert where(lambda: fmtcodec.decode(b"<group>\n<id>1</id>\n<id>2</id>\n</group>", Created, fmt=2)) == (
            "expected exactly one <id> in <group>", 0, 1, 1, "$", "<group>\n<id>1</id>\n<id>2"
        )
        assert where(lambda: fmtcodec.decode(b"<group>\n<id>x</id>\n</group>", Created, fmt=2)) == (
            "expected an integer for `id`, got 'x'", 8, 2, 1, "$.id", "<id>x</id>\n</group>"
        )
        assert where(lambda: fmtcodec.decode(b"<result>NO</result>", Ok, fmt=2)) == (
            "expected <result>OK</result>", 0, 1, 1, "$", "<result>NO</result>"
        )
        with pytest.raises(EncodeError) as caught:
            fmtcodec.encode(Created(id=1), fmt=2)
        assert (caught.value.reason, caught.value.path) == (
            "fmt 2 wraps the id in <phone> (contact, blacklist entry), <group> or <mail>: set Created.element",
            "$.element",
        )

    @pytest.mark.parametrize(
        "payload",
        [
            b"\n<list>\n<group><id>1</id><name>a</name></group>\n<group><id>x</id><name>b</name></group>\n</list>",
            b"<list><group><id>1</id><name>a</name></group><group><id>2</id><name>a</name></group>"
            b"<group><id>x</id><name>b</name></group></list>",
            b"<list>\n<group><id>1</id><name>a</name></group><group><id>x</id><name>b</name></group>\n</list>",
        ],
        ids=["leading-newline", "three-on-one-line", "second-on-a-line"],
    )
    def test_the_element_in_error_among_others_of_its_tag(self, payload):
        error = where(lambda: fmtcodec.decode(payload, list[Group], fmt=2))
        at = payload.index(b"<id>x")
        line_start = payload.rfind(b"\n", 0, at) + 1
        assert error[:5] == ("expected an integer for `id`, got 'x'", at, payload.count(b"\n", 0, at) + 1, at - line_start + 1, error[4])
        assert error[4] == ("$[2].id" if payload.count(b"<group>") == 3 else "$[1].id")

    @pytest.mark.parametrize(
        ("payload", "outcome"),
        [
            (b"<result>\n<error_code>3</error_code>\n</result>", Error(error_code=3, error="")),
            (b"<result>\n<error_code>1</error_code>\n<x/>\n</result>", ("unexpected <x> in an error reply", 36, "$")),
            (b"<result>\n<error_code>x</error_code>\n</result>", ("expected an integer for `error_code`, got 'x'", 9, "$.error_code")),
            (
                b"<result>\n<error_code>3</error_code>\n<error_code>4</error_code>\n</result>",
                ("unexpected <error_code> in an error reply", 36, "$"),
            ),
        ],
    )
    def test_error_replies(self, payload, outcome):
        """Kills xml ``decode_error`` mutants that lose the element, the path or the empty default."""
        if isinstance(outcome, Error):
            assert fmtcodec.decode(payload, Error, fmt=2) == outcome
        else:
            error = where(lambda: fmtcodec.decode(payload, Error, fmt=2))
            assert (error[0], error[1], error[4]) == outcome
