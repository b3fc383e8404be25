"""Misuse of the API (a wrong argument from the calling code, not bad data) raises Python's own
``TypeError``/``ValueError`` -- never a ``FmtcodecError`` -- with the messages the README lists.
A ``DecodeError`` is also a ``ValueError``, so each case asserts the exact class."""

from __future__ import annotations

import io
import pydoc
import re
from pathlib import Path
from typing import get_args

import pytest

import fmtcodec
from fmtcodec import Contact, Group, Ok
from fmtcodec.api import REPLY_TYPES

README = Path(__file__).resolve().parent.parent / "README.md"

MISUSE = [
    (lambda: fmtcodec.decode(b"OK", int), TypeError,
     "type must be a reply kind of fmtcodec.REPLY_TYPES (list[Contact], list[Status], Sent, Status,"
     " Balance, …, Created, Ok or Error); got <class 'int'>"),
    (lambda: fmtcodec.decode(b"OK", Ok, fmt=7), ValueError, "fmt must be 0, 1, 2 or 3, got 7"),
    (lambda: fmtcodec.decode(b"OK", Ok, charset="nope"), ValueError,
     "unsupported charset 'nope': the provider answers in utf-8, windows-1251 or koi8-r"),
    (lambda: fmtcodec.encode(5, fmt=0), TypeError,
     "cannot encode int: expected a reply kind of fmtcodec.REPLY_TYPES (list[Contact], list[Status],"
     " Sent, Status, Balance, …, Created, Ok or Error)"),
    (lambda: fmtcodec.encode([Contact(phone="1"), Group(id=1, name="")], fmt=0), TypeError,
     "a reply lists one kind of record: item 1 is Group, item 0 is Contact"),
    (lambda: fmtcodec.encode(Ok(), fmt=7), ValueError, "fmt must be 0, 1, 2 or 3, got 7"),
    (lambda: fmtcodec.encode(Ok(), fmt=0, charset="nope"), ValueError,
     "unsupported charset 'nope': the provider answers in utf-8, windows-1251 or koi8-r"),
    (lambda: list(fmtcodec.iter_decode(io.StringIO("x"), list[Contact])), TypeError,
     "iter_decode reads bytes, got a chunk of str"),
    (lambda: list(fmtcodec.iter_decode(b"OK", list[Contact])), TypeError,
     "iter_decode reads a binary file or an iterable of chunks; one payload: decode"),
    (lambda: list(fmtcodec.iter_decode(io.BytesIO(b"OK"), Ok)), TypeError,
     "iter_decode decodes list replies (list[Contact] ...), not <class 'fmtcodec.records.common.Ok'>"),
    (lambda: list(fmtcodec.iter_decode(io.BytesIO(b""), list[Contact], chunk_size=0)), ValueError,
     "chunk_size must be at least 1, got 0"),
]


@pytest.mark.parametrize(("call", "error", "message"), MISUSE, ids=[message[:40] for _, _, message in MISUSE])
def test_misuse_raises_the_builtin_error(call, error, message):
    with pytest.raises(error) as raised:
        call()
    assert type(raised.value) is error
    assert not isinstance(raised.value, fmtcodec.FmtcodecError)
    assert str(raised.value) == message


def test_the_readme_lists_each_kind_of_misuse():
    text = " ".join(README.read_text("utf-8").split())
    for shown in ("`decode(data, int)`", "`fmt=7`", "`charset=\"nope\"`", "a text-mode file to `iter_decode`",
                  "`chunk_size=0`", "`encode(5, fmt=0)`"):
        assert shown in text


def _name(kind) -> str:
    args = get_args(kind)
    return f"list[{args[0].__name__}]" if args else kind.__name__


def test_help_of_decode_shows_every_accepted_type_and_what_it_returns():
    shown = pydoc.render_doc(fmtcodec.decode, renderer=pydoc.plaintext)
    for kind in REPLY_TYPES.values():
        assert f"decode(data, {_name(kind)}) -> {_name(kind)}" in shown
    for error in ("ApiError", "DecodeError", "TypeError", "ValueError"):
        assert re.search(rf"^\s+{error}: ", shown, flags=re.MULTILINE), error


def test_help_of_iter_decode_shows_every_list_type_and_what_it_yields():
    shown = pydoc.render_doc(fmtcodec.iter_decode, renderer=pydoc.plaintext)
    for kind in REPLY_TYPES.values():
        if get_args(kind):
            assert f"iter_decode(source, {_name(kind)}) -> Iterator[{get_args(kind)[0].__name__}]" in shown


def test_version_is_the_installed_distribution_version():
    from importlib.metadata import version

    assert fmtcodec.__version__ == version("fmtcodec")
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", fmtcodec.__version__)
