"""The whole API on one table: the fmt modules stay generic, and the table agrees with itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import fmtcodec
from fmtcodec.api import REPLY_PAGES, REPLY_TYPES
from fmtcodec.layout import LAYOUTS, PAGES, Sentence

PACKAGE = Path(fmtcodec.__file__).resolve().parent
FMT_MODULES = ("text.py", "values.py", "xml.py", "json.py", "stream.py")
# What a fmt module would have to write to branch on a kind (or a field) of a page other than
# contacts: its kind, page or record name, or one of its fields' wire names.
OTHER_PAGES = [layout for layout in LAYOUTS.values() if layout.page != "contacts"]
CONTACTS_FIELDS = {field.name for layout in LAYOUTS.values() if layout.page == "contacts" for field in layout.fields}
KIND_NAMES = (
    {layout.kind for layout in OTHER_PAGES}
    | {layout.page for layout in OTHER_PAGES}
    | {layout.record.__name__ for layout in OTHER_PAGES}
    | {field.fmt0 for layout in OTHER_PAGES for field in layout.fields}
    | {field.name for layout in OTHER_PAGES for field in layout.fields}
) - CONTACTS_FIELDS - {"error", "id"} - {field.fmt1.rstrip("?") for layout in LAYOUTS.values() for field in layout.fields}
# (the fmt 1 token classes are shared vocabulary: `phones` is a class as well as Sent's field)


@pytest.mark.parametrize("module", FMT_MODULES)
def test_fmt_modules_name_no_reply_kind(module):
    """docs/adding-a-reply-kind.md: a kind is data; no fmt module names one in its code (its
    string constants and the names it imports from the records)."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fmtcodec.records")
        for alias in node.names
    }
    assert sorted(strings & KIND_NAMES) == []
    assert imported <= {"Created", "CreatedElement", "Error", "Ok", "BlacklistType"}


def test_every_page_has_kinds_and_every_kind_a_page():
    assert PAGES == ("contacts", "send", "status", "balance", "senders", "jobs", "history", "operator", "templates")
    assert {layout.page for layout in LAYOUTS.values()} == set(PAGES)


def test_reply_kinds_by_name():
    assert {name: getattr(kind, "__name__", str(kind)) for name, kind in REPLY_TYPES.items()} == {
        "contacts": "list", "mail-contacts": "list", "groups": "list", "blacklist": "list",
        "mail-blacklist": "list", "send": "Sent", "cost": "Cost", "status": "Status", "statuses": "list",
        "balance": "Balance", "senders": "list", "sender-created": "SenderCreated",
        "job-created": "JobCreated", "history": "list", "operator": "OperatorInfo", "templates": "list",
        "template-created": "TemplateCreated", "created": "Created", "ok": "Ok", "error": "Error",
    }
    assert REPLY_TYPES["statuses"] == list[fmtcodec.Status]
    assert REPLY_TYPES["history"] == list[fmtcodec.HistoryMessage]
    assert REPLY_PAGES["send"] == "send"
    assert REPLY_PAGES["cost"] == "send"
    assert REPLY_PAGES["statuses"] == "status"
    assert REPLY_PAGES["created"] == "contacts"


def test_variants_name_fields_of_the_kind_and_leave_out_only_optional_ones():
    for layout in LAYOUTS.values():
        for variant in layout.fmt1_variants:
            assert len(set(variant)) == len(variant), layout.kind
            left_out = set(range(len(layout.fields))) - set(variant)
            assert all(layout.fields[index].optional for index in left_out), layout.kind


def test_sentences_name_fields_of_the_kind():
    for layout in LAYOUTS.values():
        for sentence in layout.fmt0_sentences:
            assert set(sentence.holes) <= set(layout.field_names), layout.kind


def test_a_sentence_reads_its_optional_groups():
    sentence = Sentence.parse("OK - {cnt} SMS, ID - {id}[, COST - {cost}[, BALANCE - {balance}]]")
    assert sentence.holes == ("cnt", "id", "cost", "balance")
    assert sentence.parts[:4] == ("OK - ", ("cnt",), " SMS, ID - ", ("id",))
    inner = sentence.parts[4]
    assert isinstance(inner, Sentence)
    assert inner.parts[:2] == (", COST - ", ("cost",))


@pytest.mark.parametrize("template", ["a[b", "a]b", "{x"])
def test_a_malformed_sentence_is_refused(template):
    with pytest.raises(ValueError):  # noqa: PT011 -- three different messages, the table's author reads them
        Sentence.parse(template)


def test_the_same_code_means_different_things_on_different_pages():
    error = fmtcodec.Error(error_code=3, error="x")
    assert error.meaning_on("contacts").en == "No records found."
    assert error.meaning_on("send").en == "Not enough money on the client's account."
    assert error.meaning_on("senders").en == "Sender name not found."
    assert error.meaning_on("balance") is None
    assert error.meaning == "No records found."  # the contacts page, as before
    with pytest.raises(KeyError):
        error.meaning_on("nope")


def test_field_values_by_type():
    from decimal import Decimal

    cost = LAYOUTS["sent"].fields[2]
    assert cost.parse("15.00") == Decimal("15.00")
    assert str(cost.parse("15.00")) == "15.00"
    assert cost.format(Decimal("15.00")) == "15.00"
    assert cost.format(Decimal("1E+1")) == "10"
    assert cost.parse("") is None
    for bad in ("1.", ".5", "01.5", "1e3", "1,5", "+1", " 1", "NaN"):
        with pytest.raises(ValueError, match=f"expected a decimal amount for `cost`, got '{re.escape(bad)}'"):
            cost.parse(bad)
    for bad in (1.5, 1, "1.5", Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(ValueError, match="`cost` must be a"):
            cost.format(bad)
    status = LAYOUTS["status"].fields[0]
    assert status.parse("-3") == -3
    assert status.format(-3) == "-3"
    for bad in ("-0", "--3", "03", "3.0", ""):
        with pytest.raises(ValueError, match="expected an integer for `status`"):
            status.parse(bad)
    message_id = LAYOUTS["sent"].fields[0]
    assert message_id.parse("order-17.a_B") == "order-17.a_B"
    with pytest.raises(ValueError, match="expected a message id"):
        message_id.parse("a b")
    with pytest.raises(ValueError, match="must be a message id"):
        message_id.format("a,b")
