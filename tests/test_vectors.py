"""The golden vectors of spec/vectors/ (format: spec/vectors/README.md).

Each ``NAME.expect.json`` manifest says how its payload ``NAME.<ext>`` must decode, and whether
``encode`` must give the payload back and ``detect_fmt`` must find its fmt.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest

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

VECTORS = Path(__file__).resolve().parent.parent / "spec" / "vectors"
TYPES: dict[str, Any] = {
    "contacts": list[Contact],
    "mail-contacts": list[MailContact],
    "groups": list[Group],
    "blacklist": list[BlacklistEntry],
    "mail-blacklist": list[MailBlacklistEntry],
    "send": fmtcodec.Sent,
    "cost": fmtcodec.Cost,
    "status": fmtcodec.Status,
    "statuses": list[fmtcodec.Status],
    "balance": fmtcodec.Balance,
    "senders": list[fmtcodec.Sender],
    "sender-created": fmtcodec.SenderCreated,
    "job-created": fmtcodec.JobCreated,
    "history": list[fmtcodec.HistoryMessage],
    "operator": fmtcodec.OperatorInfo,
    "templates": list[fmtcodec.Template],
    "template-created": fmtcodec.TemplateCreated,
    "created": Created,
    "ok": Ok,
    "error": Error,
}
EXT = {0: "txt", 1: "txt", 2: "xml", 3: "json"}
OUTCOMES = ("expect", "api_error", "decode_error")
ERROR_CLASSES = {"DecodeError": DecodeError, "AmbiguousRecordError": AmbiguousRecordError}


def _load() -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(VECTORS.glob("*.expect.json")):
        name = path.name.removesuffix(".expect.json")
        found[name] = json.loads(path.read_text(encoding="utf-8"))
    return found


MANIFESTS = _load()


def _payload(name: str, manifest: dict[str, Any]) -> bytes:
    return (VECTORS / f"{name}.{EXT[manifest['fmt']]}").read_bytes()


def test_manifest_type_names_are_the_api_names():
    assert TYPES == fmtcodec.api.REPLY_TYPES


def test_corpus_is_there() -> None:
    assert len(MANIFESTS) >= 100


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_manifest_is_well_formed(name: str) -> None:
    manifest = MANIFESTS[name]
    assert manifest["type"] in TYPES
    assert manifest["fmt"] in EXT
    assert manifest["charset"] in (None, "utf-8", "windows-1251", "koi8-r")
    assert isinstance(manifest["canonical"], bool)
    assert isinstance(manifest["detect"], bool)
    assert isinstance(manifest["note"], str)
    assert manifest["note"]
    assert "\n" not in manifest["note"]
    assert [key for key in OUTCOMES if key in manifest] in ([key] for key in OUTCOMES)
    assert not (manifest["canonical"] and "expect" not in manifest)
    assert (VECTORS / f"{name}.{EXT[manifest['fmt']]}").is_file()


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_vector(name: str) -> None:
    manifest = MANIFESTS[name]
    payload = _payload(name, manifest)
    fmt = manifest["fmt"]
    charset = manifest["charset"]
    kind = TYPES[manifest["type"]]

    if "api_error" in manifest:
        with pytest.raises(ApiError) as api_error:
            fmtcodec.decode(payload, kind, fmt=fmt, charset=charset)
        assert api_error.value.code == manifest["api_error"]["code"]
        assert api_error.value.message == manifest["api_error"]["message"]
    elif "decode_error" in manifest:
        want = manifest["decode_error"]
        with pytest.raises(DecodeError) as decode_error:
            fmtcodec.decode(payload, kind, fmt=fmt, charset=charset)
        exc = decode_error.value
        assert type(exc) is ERROR_CLASSES[want["class"]]
        got = {"pos": exc.pos, "line": exc.line, "column": exc.column, "path": exc.path}
        assert got == {key: want[key] for key in got}
        assert str(exc) == want["message"]
    else:
        value = fmtcodec.decode(payload, kind, fmt=fmt, charset=charset)
        assert msgspec.json.decode(msgspec.json.encode(value)) == manifest["expect"]  # JSON's own view
        if manifest["canonical"]:
            assert fmtcodec.encode(value, fmt=fmt, charset=charset or "utf-8") == payload

    if manifest["detect"]:
        assert fmtcodec.detect_fmt(payload) == fmt


def test_every_type_and_fmt_has_a_canonical_vector() -> None:
    have = {(m["type"], m["fmt"]) for m in MANIFESTS.values() if m["canonical"]}
    missing = {(kind, fmt) for kind in TYPES for fmt in EXT} - have
    assert not missing, sorted(missing)


def test_the_error_kinds_are_covered() -> None:
    kinds = {m["decode_error"]["class"] for m in MANIFESTS.values() if "decode_error" in m}
    assert kinds == set(ERROR_CLASSES)
    assert any("api_error" in m for m in MANIFESTS.values())


def test_real_replies_are_included() -> None:
    real = {name: m for name, m in MANIFESTS.items() if name.startswith("real-")}
    assert {m["type"] for m in real.values()} >= {"groups", "contacts", "created", "ok", "error"}


def test_the_vector_folder_holds_only_vectors() -> None:
    # What a folder walker (``fmtcodec validate spec/vectors``) reads is replies and their
    # manifests: the generator lives in tools/, not among its output.
    expected = {"README.md"}
    for name, manifest in MANIFESTS.items():
        expected |= {f"{name}.expect.json", f"{name}.{EXT[manifest['fmt']]}"}
    assert sorted(path.name for path in VECTORS.iterdir()) == sorted(expected)


GENERATOR = VECTORS.parent.parent / "tools" / "make_vectors.py"
CAPTURES = VECTORS.parent / "captures"


@pytest.mark.skipif(not GENERATOR.is_file(), reason="the vector generator is in the repository only")
def test_the_generator_writes_the_committed_vectors_from_the_committed_captures(tmp_path: Path) -> None:
    # Run from an unrelated folder: its inputs (spec/captures/) and its output are found from the
    # script's own place, so a fresh clone regenerates exactly what is committed.
    out = tmp_path / "vectors"
    done = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.endswith(f"{len(MANIFESTS)} vectors, 0 problems\n"), done.stderr[-2000:]
    written = {path.name: path.read_bytes() for path in out.iterdir()}
    committed = {path.name: path.read_bytes() for path in VECTORS.iterdir() if path.name != "README.md"}
    assert sorted(written) == sorted(committed)
    assert [name for name in sorted(written) if written[name] != committed[name]] == []


def test_the_real_vectors_are_the_captured_bodies() -> None:
    # spec/captures/ holds the raw HTTP replies the real-* vectors were cut from
    index = (CAPTURES / "INDEX.md").read_text(encoding="utf-8")
    real = sorted(name for name in MANIFESTS if name.startswith("real-") and not name.endswith("-as-contacts"))
    assert real
    for name in real:
        stem = name.removeprefix("real-")
        assert f"| {stem}.http |" in index, stem
        body = (CAPTURES / f"{stem}.http").read_bytes().split(b"\n\n", 1)[1]
        assert _payload(name, MANIFESTS[name]) == body, name


@pytest.mark.parametrize("name", sorted(name for name, m in MANIFESTS.items() if "expect" in m and isinstance(m["expect"], list)))
def test_iter_decode_agrees_with_decode_on_every_list_vector(name: str) -> None:
    manifest = MANIFESTS[name]
    payload = _payload(name, manifest)
    kind = TYPES[manifest["type"]]
    whole = fmtcodec.decode(payload, kind, fmt=manifest["fmt"], charset=manifest["charset"])
    for size in (1, 7, 65536):
        chunks = [payload[at : at + size] for at in range(0, len(payload), size)]
        streamed = fmtcodec.iter_decode(chunks, kind, fmt=manifest["fmt"], charset=manifest["charset"], chunk_size=size)
        assert list(streamed) == whole, size
