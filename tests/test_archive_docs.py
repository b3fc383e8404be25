"""docs/archives.md's console examples are the real output of the real commands, run in the
folder ``tests/test_cli_docs.py`` makes for docs/cli.md.  Skipped without pyarrow and DuckDB (the
.ci/run step of the archive extras installs both)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

from test_cli_docs import examples, make_examples, run_shell

ARCHIVES = Path(__file__).resolve().parent.parent / "docs" / "archives.md"
CASES = examples(ARCHIVES.read_text("utf-8"))


@pytest.fixture(scope="module")
def example_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archives")
    make_examples(folder)
    return folder


def test_the_doc_shows_examples():
    assert [command.split()[:2] for command, _ in CASES] == [
        ["fmtcodec", "archive"], ["fmtcodec", "archive"], ["python", "-c"], ["python", "-c"], ["python", "-c"],
    ]


@pytest.mark.parametrize(("command", "shown"), CASES, ids=[command[:50] for command, _ in CASES])
def test_archives_doc_output_is_real(command, shown, example_folder):
    assert run_shell(command, example_folder, show_exit=True) == shown
