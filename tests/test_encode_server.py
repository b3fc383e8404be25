"""Encoding as the server writes: ``encode(..., strict=False)`` for fmt 0/1 rows that do not read
back (spec/formats.md, Encoding), and the fmt 3 spelling of a text field written as a number."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fmtcodec import json as json_codec
from fmtcodec.layout import LAYOUTS
from fmtcodec.records import Contact

# -- fmt 3: a text field spelled as a JSON number ---------------------------------------------------


def _group_as_number():
    layout = LAYOUTS["contact"]
    fields = tuple(replace(f, json="number") if f.name == "group" else f for f in layout.fields)
    return replace(layout, fields=fields)


GROUP_AS_NUMBER = _group_as_number()


def _object(phone, group, name="A"):
    return (
        f'{{\n"phone": "{phone}",\n"name": "{name}",\n"group": {group},\n"first_name": "",\n"last_name": "",\n'
        f'"middle_name": "",\n"birthday": "",\n"id": "",\n"comments": "",\n"tags": "",\n"phone_other": ""\n}}'
    )


def test_layout_says_which_fields_json_writes_bare():
    assert GROUP_AS_NUMBER.json_bare == (False, False, True, *[False] * 8)
    assert LAYOUTS["contact"].json_bare == (False,) * 11
    assert LAYOUTS["group"].json_bare == (True, False, True, False)  # id, name, number, cnt


def test_number_spelled_text_field_is_bare_on_the_fast_path():
    records = [Contact(phone="1", name="A", group="5921"), Contact(phone="2", name="A", group="0")]
    assert json_codec._fast_objects(records, GROUP_AS_NUMBER) is not None  # the fast path takes it
    assert json_codec.encode_records(records, GROUP_AS_NUMBER, "utf-8") == (
        "[" + _object(1, 5921) + ",\n" + _object(2, 0) + "]"
    )


@pytest.mark.parametrize(
    "records",
    [
        # a quote sends the fast path to the general one
        [Contact(phone="1", name='"', group="5921")],
        # a value that is not an integer (two ids, none, a leading zero) is quoted in its row only
        [Contact(phone="1", name="A", group="5921"), Contact(phone="2", name="A", group="5921,5922")],
        # a subclass of str: the general path too
        [Contact(phone="1", name=type("S", (str,), {})("A"), group="5921")],
    ],
)
def test_number_spelled_text_field_is_bare_on_the_general_path(records):
    assert json_codec._fast_objects(records, GROUP_AS_NUMBER) is None
    written = json_codec.encode_records(records, GROUP_AS_NUMBER, "utf-8")
    assert '"group": 5921,\n' in written
    if len(records) == 2:
        assert written == "[" + _object(1, 5921) + ",\n" + _object(2, '"5921,5922"') + "]"


@pytest.mark.parametrize(("group", "spelled"), [("", '""'), ("05", '"05"'), ("1,2", '"1,2"'), ("7", "7")])
def test_number_spelled_text_field_quotes_what_is_not_an_integer(group, spelled):
    written = json_codec.encode_records([Contact(phone="1", name="A", group=group)], GROUP_AS_NUMBER, "utf-8")
    assert written == "[" + _object(1, spelled) + "]"
