"""``spec/layout.toml`` as shipped (``fmtcodec/layout.toml`` in the wheel), read once, and the one
part of it the records need: what each error code means on each page.

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

__all__ = ["ERROR_MEANINGS", "PAGE_ERRORS", "VALUE_MEANINGS", "Meaning", "read_table"]


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
    """What an error code means on one page of the API (spec/layout.toml, ``[pages.*.errors]``)."""

    en: str
    ru: str


PAGE_ERRORS: dict[str, dict[int, Meaning]] = {
    page: {int(code): Meaning(**text) for code, text in entry["errors"].items()}
    for page, entry in read_table()["pages"].items()
}
"""Error meanings by page, then by code: the same code means different things on different pages
(contacts 3 "no records found", send 3 "not enough money")."""

ERROR_MEANINGS: dict[int, Meaning] = PAGE_ERRORS["contacts"]
"""Error meanings of the contacts page (``phones.php``, ``mails.php``), the seed page."""

VALUE_MEANINGS: dict[str, dict[int, str]] = {
    name: {int(value): text for value, text in entry.items()}
    for name, entry in read_table()["values"].items()
}
"""The known values of the open value sets (``status``, ``err``) and what each means."""
