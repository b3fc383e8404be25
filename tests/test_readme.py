"""The README's examples are real: its ``>>>`` lines run as doctests, and its Hypothesis example
passes on its first run in an empty folder (a newcomer's situation: no ``.hypothesis/``, ``CI``
unset)."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text("utf-8"), flags=re.MULTILINE | re.DOTALL)


def test_readme_examples_pass_as_doctests():
    # The same check as ``python -m doctest README.md``.
    results = doctest.testfile(str(README), module_relative=False, encoding="utf-8")
    assert results.failed == 0
    assert results.attempted == README.read_text("utf-8").count("\n>>> ")


# What the example calls ``my_client``: a client that reads fmt 1 with fmtcodec itself.
STAND_IN_CLIENT = '''

class my_client:
    @staticmethod
    def parse_contacts(payload):
        return fmtcodec.decode(payload, list[fmtcodec.Contact], fmt=1)
'''


def assert_example_passes_alone(folder, example: str, env: dict[str, str] | None = None) -> None:
    """``example`` run by pytest in a subprocess, in ``folder`` and nowhere else: one test, passed."""
    (folder / "test_example.py").write_text(example, "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"^1 passed in ", result.stdout, flags=re.MULTILINE), result.stdout[-3000:]


def test_readme_hypothesis_example_passes_its_first_run_in_an_empty_folder(tmp_path):
    (example,) = [block for block in python_blocks() if "@given" in block]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CI", "HYPOTHESIS"))}
    assert_example_passes_alone(tmp_path, example + STAND_IN_CLIENT, env)


def test_readme_smsc_server_example_passes_through_the_installed_plugin(tmp_path):
    """The fixture comes from the ``pytest11`` entry point, as in a user's own suite."""
    (example,) = [block for block in python_blocks() if "smsc_server" in block]
    assert_example_passes_alone(tmp_path, example)


def test_ci_ends_with_the_readme_test_command_in_a_fresh_clone():
    run = (ROOT / ".ci" / "run").read_text("utf-8").rstrip("\n").splitlines()
    readme_commands = re.findall(r"^```sh\n(.*?)^```", README.read_text("utf-8"), flags=re.MULTILINE | re.DOTALL)[0]
    assert run[-1] in readme_commands.splitlines()
    assert "pytest" in run[-1]
    # ... run the way a newcomer runs it: a fresh clone, CI unset, no .hypothesis/
    newcomer = "\n".join(run[run.index('git clone -q "$repo" "$newcomer"'):])
    assert 'cd "$newcomer"' in newcomer
    assert "unset CI HYPOTHESIS_PROFILE" in newcomer
    assert "test ! -e .hypothesis" in newcomer
