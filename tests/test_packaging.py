"""What pyproject.toml promises the published project: one place for the version, and an sdist
that holds what the README links (docs/, LICENSE)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import fmtcodec

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_the_version_is_written_once_in_the_package():
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "fmtcodec.__version__"}
    written = re.findall(r'^__version__ = "([^"]+)"$', (ROOT / "fmtcodec" / "__init__.py").read_text("utf-8"), re.M)
    assert written == [fmtcodec.__version__]


def sdist_includes() -> set[str]:
    """The top-level names MANIFEST.in puts into the sdist (``graft``/``include`` lines)."""
    included = {"fmtcodec", "pyproject.toml"}  # the packages and the project file always go in
    for line in (ROOT / "MANIFEST.in").read_text("utf-8").splitlines():
        verb, *names = line.split()
        if verb in ("graft", "include"):
            included.update(name.split("/")[0] for name in names)
    return included


def test_the_wheel_holds_every_subpackage():
    """A plain ``pip install .`` (the README's first command) needs fmtcodec.cli and fmtcodec.kit."""
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["fmtcodec", "fmtcodec.*"]


def test_the_sdist_holds_what_the_readme_links():
    included = sdist_includes()
    linked = set(re.findall(r"\]\(((?!https?:)[^)#]+)", (ROOT / "README.md").read_text("utf-8")))
    assert linked  # spec/formats.md, docs/cli.md ...
    for target in linked:
        assert (ROOT / target).exists(), target
        assert target.split("/")[0] in included, target
    assert {"LICENSE", "docs", "README.md"} <= set(included)


def test_the_license_is_the_mit_license_pyproject_names():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License\n")
