"""The archive extras stay optional: ``import fmtcodec`` loads none of them, and the archive
command without pyarrow says what to install.  Runs without the extras installed."""

from __future__ import annotations

import subprocess
import sys

EXTRAS = ("pyarrow", "dask", "pandas", "duckdb", "fmtcodec.columnar", "fmtcodec.archive")


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)


def test_import_fmtcodec_loads_no_extra():
    code = f"import fmtcodec, fmtcodec.cli, sys; print([name for name in {EXTRAS!r} if name in sys.modules])"
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"


def test_fmtcodec_help_lists_archive_without_loading_it():
    code = (
        "import sys; from fmtcodec.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print([name for name in {EXTRAS!r} if name in sys.modules])"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert "  archive   Decode a folder of replies into a Parquet/Arrow/CSV table.\n" in result.stdout
    assert result.stdout.endswith("[]\n")


def test_archive_without_pyarrow_names_the_extra():
    code = "import sys; sys.modules['pyarrow'] = None; from fmtcodec.cli import main; main(['archive', '--type', 'groups', '--to', 'x.parquet', '.'])"
    result = _run(code)
    assert result.returncode == 1
    assert result.stderr == "fmtcodec: archive needs pyarrow: pip install 'fmtcodec[arrow]'\n"
    assert result.stdout == ""
