"""Differential properties: every fast path gives what the general path gives.

For every record kind, fmt and charset, a reply is written by the encoder, then fuzzed with the
fragments that push a fast path off its track (commas, markers, CR, blank lines, leading zeros,
bare JSON numbers, entities...).  The same bytes are then decoded three ways:

* ``fmtcodec.decode`` as users call it (the compiled core when it is active),
* the same with the compiled core switched off (the pure-Python fast paths),
* the fmt module's general path alone (``_general_records``), with nothing fast in front of it,

and the three outcomes -- the records, or the error's type and whole message -- must be equal.
The encoders likewise: compiled, pure fast and general give the same bytes or the same refusal
(in UTF-8 the compiled core writes the bytes themselves, in windows-1251 a str).
On a machine without the compiled core the first two are the same run; CI runs the suite with the
core built and again with ``FMTCODEC_PURE=1``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any
from unittest import mock

import msgspec
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

import fmtcodec
from fmtcodec import _core
from fmtcodec import strategies as fs
from fmtcodec.api import CODECS, server_error
from fmtcodec.charset import Source
from fmtcodec.errors import EncodeError, FmtcodecError
from fmtcodec.layout import LAYOUTS, layout_for

KINDS = [layout.record for layout in LAYOUTS.values() if layout.page == "contacts"]
CHARSETS = ("utf-8", "cp1251")
# What moves a reply off a fast path's track, for every fmt: separators, keys and markers,
# line ends, numbers that are not plain, markup, JSON spellings, non-ASCII letters.
FRAGMENTS = [
    ",", ", ", ",,", "\n", "\n\n", "\r", "\r\n", " ", "0", "05", "7", "-1", "99999999999999999999",
    "12.03.1990", "+7 (911) 222-33-51", "a@b.c", "ä@b.c", "@", ";", "\t",
    "phone = ", ", name = ", ", group = ", ", phone_other = ", ", type = ", " = ", "id = ",
    "<", ">", "&amp;", "&lt;", "&#13;", "&x;", "</name>\n<name>", "<![CDATA[x]]>", "<!-- c -->",
    '"', "\\", '"group": 5', '"group": -0', '"group": 1.5', '"group": true', '"group": null',
    '"cnt": "7"', '"number": 07', '"id": 3', "}", "{", "]", "Ж", "€", "\u2028", "\x00",
    # what msgspec's lax mode reads as a number though the layout's rule does not (fmt 3)
    '"cnt": "5.0"', '"id": "1e3"', '"number": "null"', '"cnt": -0', '"cnt": 5.0', "\\u0063", " :", ",,,",
]


def _outcome(run: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("records", run())
    except FmtcodecError as exc:
        return ("error", f"{type(exc).__name__}: {exc}")


def _general(payload: bytes, kind: type, fmt: int, charset: str) -> Any:
    """``fmtcodec.decode`` with every fast path taken out: the fmt module's general path."""
    codec = CODECS[fmt]
    src = Source.from_payload(payload, charset, fmt)
    error = codec.decode_error(src)
    if error is not None:
        raise server_error(error, fmt)
    layout = layout_for(kind)
    assert layout is not None
    return codec._general_records(src, layout)  # type: ignore[attr-defined]


@st.composite
def _replies(draw: st.DrawFn, kind: type) -> tuple[bytes, int, str]:
    records = draw(fs.records(kind, max_size=6), label="records")
    fmt = draw(st.sampled_from([0, 1, 2, 3]), label="fmt")
    charset = draw(st.sampled_from(CHARSETS), label="charset")
    try:
        text = fmtcodec.encode(records, fmt=fmt, charset="utf-8").decode("utf-8")
    except EncodeError:
        text = ""
    edits = draw(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["insert", "delete"]),
                                    st.sampled_from(FRAGMENTS)), max_size=3), label="edits")
    for at, how, fragment in edits:
        at %= len(text) + 1
        text = text[:at] + fragment + text[at:] if how == "insert" else text[:at] + text[at + len(fragment) :]
    try:
        payload = text.encode(charset, "surrogatepass")
    except UnicodeEncodeError:
        charset = "utf-8"  # a character windows-1251 cannot hold: the reply is UTF-8 then
        payload = text.encode(charset, "surrogatepass")
    event(f"fmt {fmt}, {len(edits)} edits")
    return payload, fmt, charset


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@settings(deadline=None)  # three decodes an example, on a shared machine
@given(data=st.data())
def test_fast_paths_give_what_the_general_path_gives(kind, data):
    payload, fmt, charset = data.draw(_replies(kind), label="reply")
    note(f"payload={payload!r}")

    def as_users_call() -> Any:
        return fmtcodec.decode(payload, list[kind], fmt=fmt, charset=charset)

    used = _outcome(as_users_call)
    with _core.pure():
        pure = _outcome(as_users_call)
    general = _outcome(lambda: _general(payload, kind, fmt, charset))
    event(f"fmt {fmt}: {used[0]}")
    assert pure == general, "pure fast path vs general path"
    assert used == pure, "compiled core vs pure path"


# Whole lists, where the fast paths do most of the work (column checks, odd rows placed by shape):
# the compiled and the pure path must both give the records back.
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_long_lists_agree(kind, data):
    value = data.draw(fs.records(kind, min_size=8, max_size=30), label="records")
    fmt = data.draw(st.sampled_from([0, 1, 2, 3]), label="fmt")
    charset = data.draw(st.sampled_from(CHARSETS), label="charset")
    try:
        payload = fmtcodec.encode(value, fmt=fmt, charset=charset)
    except EncodeError:
        return
    used = _outcome(lambda: fmtcodec.decode(payload, list[kind], fmt=fmt, charset=charset))
    with _core.pure():
        pure = _outcome(lambda: fmtcodec.decode(payload, list[kind], fmt=fmt, charset=charset))
    assert used == pure == ("records", value)


# and what only a writer meets: a lone surrogate (no UTF-8 for it), escapes msgspec spells
# \u00XX, characters of every width of str
_ENCODER_FRAGMENTS = [*FRAGMENTS, "\ud800", "\x1f", "\x08", "\x7f", "\U0001f600", "ÿ"]

_ENCODER_FAST_PATHS = [
    (fmtcodec.text, "_compiled_lines"),
    (fmtcodec.text, "_fast_lines"),
    (fmtcodec.values, "_compiled_lines"),
    (fmtcodec.values, "_fast_lines"),
    (fmtcodec.xml, "_fast_elements"),
    (fmtcodec.json, "_compiled_objects"),
    (fmtcodec.json, "_fast_objects"),
]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@settings(deadline=None)
@given(data=st.data())
def test_fast_encoders_give_what_the_general_encoder_gives(kind, data):
    value = data.draw(fs.records(kind, max_size=6), label="records")
    if value:  # a text value made unusual: a separator, a marker, a line break...
        row = data.draw(st.integers(0, len(value) - 1), label="row")
        texts = [f.name for f in msgspec.structs.fields(kind) if f.type is str]
        name = data.draw(st.sampled_from(texts), label="field")
        fragment = data.draw(st.sampled_from(_ENCODER_FRAGMENTS), label="fragment")
        value[row] = msgspec.structs.replace(value[row], **{name: getattr(value[row], name) + fragment})
    charset = data.draw(st.sampled_from(CHARSETS), label="charset")
    for fmt in (0, 1, 2, 3):
        used = _outcome(lambda fmt=fmt: fmtcodec.encode(value, fmt=fmt, charset=charset))
        with _core.pure():
            pure = _outcome(lambda fmt=fmt: fmtcodec.encode(value, fmt=fmt, charset=charset))
        with contextlib.ExitStack() as stack:
            for module, name in _ENCODER_FAST_PATHS:
                stack.enter_context(mock.patch.object(module, name, return_value=None))
            general = _outcome(lambda fmt=fmt: fmtcodec.encode(value, fmt=fmt, charset=charset))
        event(f"fmt {fmt}: {used[0]}")
        assert pure == general, f"fmt {fmt}: pure fast encoder vs general encoder"
        assert used == pure, f"fmt {fmt}: compiled encoder vs pure"
