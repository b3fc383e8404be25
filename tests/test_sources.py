"""The published project depends on nothing outside it: every "facts §N" citation resolves to a
section of spec/sources.md, and no absolute path of a development machine appears in any file."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "spec" / "sources.md"
SKIPPED_DIRS = {".git", ".hypothesis", ".mypy_cache", ".pytest_cache", ".ruff_cache", "__pycache__", "build", "dist"}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".json", ".xml", ".cfg", ".ini", ".yml", ".yaml", ".pyx", ""}

# "facts §3.5", "facts §3.5, §14.13", "facts §5.5, §11", and ranges joined by an en dash
_CITATION = re.compile(r"[Ff]acts (§[0-9.]*[0-9](?:(?:, |\u2013)§[0-9.]*[0-9])*)")


def project_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        inside = path.relative_to(ROOT).parts
        if any(part in SKIPPED_DIRS or part.startswith(".venv") for part in inside):
            continue
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            found.append(path)
    return found


def sections() -> set[str]:
    """``3.5`` for a heading ``### §3.5 ...``; ``14.8`` for item ``8.`` under ``### §14``."""
    found = set()
    current = None
    for line in SOURCES.read_text("utf-8").splitlines():
        if heading := re.match(r"### §([0-9.]+) ", line):
            current = heading[1]
            found.add(current)
        elif line.startswith("#"):
            current = None
        elif current == "14" and (item := re.match(r"([0-9]+)\. ", line)):
            found.add(f"14.{item[1]}")
    return found


def citations() -> dict[str, set[str]]:
    cited: dict[str, set[str]] = {}
    for path in project_files():
        text = " ".join(path.read_text("utf-8", errors="replace").split())
        for match in _CITATION.finditer(text):
            for number in re.findall(r"§([0-9.]*[0-9])", match[1]):
                cited.setdefault(number, set()).add(str(path.relative_to(ROOT)))
    return cited


def test_every_facts_citation_resolves_to_spec_sources():
    cited = citations()
    assert {"1.2", "3.3", "3.5", "11", "14.8"} <= set(cited)  # the finder finds them
    missing = {number: sorted(files) for number, files in cited.items() if number not in sections()}
    assert missing == {}


def test_sources_md_has_the_seed_and_the_captures():
    text = SOURCES.read_text("utf-8")
    for heading in ("## Seed: the provider's reply page", "## Facts", "## Captures"):
        assert f"\n{heading}\n" in text
    # the seed's error table: every code the contacts service documents
    for code in (1, 2, 3, 4, 5, 9):
        assert re.search(rf"^\| {code} \| ", text, flags=re.MULTILINE)


_MACHINE_PATH = re.compile(r"(?<![\w.~}])/(?:work|root|home|Users|opt)/")


def test_no_absolute_path_of_a_development_machine():
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in project_files()
        for line in path.read_text("utf-8", errors="replace").splitlines()
        if _MACHINE_PATH.search(line)
    ]
    assert found == []
