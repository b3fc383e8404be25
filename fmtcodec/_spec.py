"""``spec/layout.toml`` as shipped (``fmtcodec/layout.toml`` in the wheel), read once, and the one
part of it the records need: what each error code means for the contacts service.

This module imports nothing from fmtcodec, so the layers read: ``_spec`` -> ``records`` ->
``layout`` -> the fmt modules -> ``api`` -> ``stream`` and ``cli``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["ERROR_MEANINGS", "Meaning", "read_table"]


@cache
def read_table() -> dict[str, Any]:
    """The layout table: the packaged copy, else (in a source checkout) ``spec/layout.toml``."""
    packaged = resources.files("fmtcodec").joinpath("layout.toml")
    if packaged.is_file():
        return tomllib.loads(packaged.read_text(encoding="utf-8"))
    in_checkout = Path(__file__).resolve().parent.parent / "spec" / "layout.toml"
    return tomllib.loads(in_checkout.read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Meaning:
    """What an error code means for the contacts service (spec/sources.md, seed error table)."""

    en: str
    ru: str


ERROR_MEANINGS: dict[int, Meaning] = {
    int(code): Meaning(**text) for code, text in read_table()["errors"].items()
}
"""Error meanings by code, as ``spec/layout.toml`` gives them."""
