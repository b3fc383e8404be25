"""Build of the optional compiled core (``fmtcodec._speedups``); everything else is in pyproject.toml.

The extension is a speed-up only.  When Cython is missing, ``FMTCODEC_PURE`` is set at build time,
or the C compiler fails, the build says so once and installs the pure-Python package, which
behaves identically (PyYAML's and msgpack's pattern).  A wheel built that way holds Python files
only and is tagged ``py3-none-any`` (not ``cp3XX-cp3XX-<platform>``, which would claim a binary
for one CPython).  ``layout.toml`` is copied from ``spec/`` into the package, so the wheel
carries the one table every fmt module reads.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1 (pyproject.toml's build requires >= 77): wheel's own
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent


_SAID: list[str] = []


def _say_pure(reason: str) -> None:
    """Say once that the pure package is installed, and why."""
    if not _SAID:
        _SAID.append(reason)
        sys.stderr.write(
            f"WARNING: fmtcodec is installed without its compiled core ({reason});"
            " it works the same, only slower.\n"
        )


class OptionalBuildExt(build_ext):
    """``build_ext`` whose failure installs the pure package instead of failing the install."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, no Python headers, a platform without build tools
            _say_pure(f"the C extension did not build: {exc}")

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            _say_pure(f"the C extension did not build: {exc}")


class BuildPyWithLayout(build_py):
    """``build_py`` that also ships ``spec/layout.toml`` as ``fmtcodec/layout.toml``."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads spec/ in the checkout
            target = Path(self.build_lib) / "fmtcodec" / "layout.toml"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(HERE / "spec" / "layout.toml", target)


class PureWheelWhenNotCompiled(bdist_wheel):  # type: ignore[misc,valid-type]
    """``bdist_wheel`` that tags the wheel ``py3-none-any`` when the extension did not build.

    The wheel's kind is decided from the declared extensions before anything is compiled; here
    the build runs first, and a failed compile makes the wheel what it then is: pure Python.
    """

    def run(self) -> None:
        if not self.skip_build:
            self.reinitialize_command("build_ext").inplace = False  # as bdist_wheel sets it
            self.run_command("build")
        if _SAID:
            self.root_is_pure = True
        super().run()


def _extensions() -> list[Extension]:
    if os.environ.get("FMTCODEC_PURE", "") not in ("", "0"):
        _say_pure("FMTCODEC_PURE is set")
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        _say_pure("Cython is not available at build time")
        return []
    source = "fmtcodec/_speedups.pyx"
    return cythonize([Extension("fmtcodec._speedups", [source])], quiet=True)  # type: ignore[no-any-return]


setup(
    ext_modules=_extensions(),
    cmdclass={
        "build_ext": OptionalBuildExt,
        "build_py": BuildPyWithLayout,
        "bdist_wheel": PureWheelWhenNotCompiled,
    },
)
