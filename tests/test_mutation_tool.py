"""tools/mutation.py's choice of the tests that judge a mutant (docs/development.md, "Which tests
judge a mutant"): the statement a mutant changes, found by comparing it with the original, and the
deselection tests/conftest.py makes while mutmut runs.  Skipped where the repository's tools/ is not
at hand (an sdist, the copy mutmut makes of the package)."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "mutation.py"

pytestmark = pytest.mark.skipif(not TOOL.is_file(), reason="needs the repository's tools/mutation.py")


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_tool", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


# Line numbers below are those of this text (line 1 is "def x_f__mutmut_orig").
ORIGINAL = textwrap.dedent("""\
    def x_f__mutmut_orig(a, b=1):
        total = a + b
        if total > 3 and (
            a < b
        ):
            total -= 1
        else:
            total += 1
        try:
            found = call(
                total,
                a,
            )
        except (ValueError, KeyError):
            found = None
        return found
""")


def _function(source: str) -> ast.FunctionDef:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


@pytest.mark.parametrize(
    ("line", "lines"),
    [
        (2, {2}),  # a simple statement
        (3, {3, 4, 5, 7}),  # a condition over lines: the header and its else, not the branches
        (4, {3, 4, 5, 7}),
        (6, {6}),  # a statement inside a branch
        (11, {10, 11, 12, 13}),  # a call over lines: any of its lines
        (14, {9, 14}),  # an except clause: try's own lines, not the statements inside
        (16, {16}),
        (1, None),  # the signature is not in the body: mutmut's list stands
    ],
)
def test_a_changed_line_is_judged_by_the_lines_of_its_statement(tool: ModuleType, line: int, lines: set[int] | None) -> None:
    assert tool.statement_lines(_function(ORIGINAL), line) == lines


def _mutant(number: int, old: str, new: str) -> str:
    assert old in ORIGINAL
    return ORIGINAL.replace("x_f__mutmut_orig", f"x_f__mutmut_{number}").replace(old, new)


def test_mutants_are_compared_with_the_original_line_by_line(tool: ModuleType) -> None:
    source = "\n".join([
        ORIGINAL,
        _mutant(1, "total > 3", "total >= 3"),
        _mutant(2, "total -= 1", "total = 1"),
        _mutant(3, "b=1", "b=2"),  # the signature
        _mutant(4, "found = call(\n            total,\n            a,\n        )", "found = None"),  # fewer lines
        _mutant(5, "(ValueError, KeyError)", "(ValueError, None)"),
    ])
    names = [f"fmtcodec.m.x_f__mutmut_{n}" for n in range(1, 6)] + ["fmtcodec.m.x_g__mutmut_1"]
    assert tool.mutated_lines(source, names) == {  # lines of the original, which runs in the trace
        "fmtcodec.m.x_f__mutmut_1": {3, 4, 5, 7},
        "fmtcodec.m.x_f__mutmut_2": {6},
        "fmtcodec.m.x_f__mutmut_3": None,
        "fmtcodec.m.x_f__mutmut_4": None,
        "fmtcodec.m.x_f__mutmut_5": {9, 14},
        "fmtcodec.m.x_g__mutmut_1": None,  # no such function
    }


def test_the_conftest_keeps_only_the_tests_listed_for_the_mutant_under_test(tmp_path: Path) -> None:
    here = "tests/test_mutation_tool.py"
    kept = f"{here}::test_mutants_are_compared_with_the_original_line_by_line"
    (tmp_path / "fmtcodec.m.x_f__mutmut_1").write_text(kept + "\n", "utf-8")

    def collected(mutant: str) -> list[str]:
        env = {**os.environ, "FMTCODEC_TESTS_OF_MUTANT": str(tmp_path), "MUTANT_UNDER_TEST": mutant}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", here],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )
        return [line for line in done.stdout.splitlines() if line.startswith(here)]

    assert collected("fmtcodec.m.x_f__mutmut_1") == [kept]
    # a mutant without a list keeps every test mutmut gave it, as a run without a mutant does
    every = collected("")
    assert kept in every
    assert len(every) == len(set(every)) > 10
    assert collected("fmtcodec.m.x_f__mutmut_2") == every


def test_a_timeout_is_judged_again_with_four_times_its_tests_cpu_time_and_a_minute(tool: ModuleType) -> None:
    """mutmut's timeouts are judged again under a CPU-time limit (``--timeouts``): four times what
    the mutant's tests took in mutmut's clean run, plus 60 s; a test mutmut did not time counts as
    one second.  A survivor slowed down by the machine's load finishes within it; a loop does not."""
    assert tool.cpu_limit(["a", "b"], {"a": 2.5, "b": 10.0}) == 110
    assert tool.cpu_limit(["a", "untimed"], {"a": 2.5, "b": 10.0}) == 74
    assert tool.cpu_limit(["a"], {"a": 0.1}) == 61  # rounded up: never below what the tests need
    assert sorted(tool.TIMEOUTS) == [-24, -9, 24, 36, 152, 255]
    assert tool.TIMEOUTS < tool.KILLED


# -- the score ----------------------------------------------------------------------------------------

# mutmut's verdicts by mutant: 1 killed, 0 survived, 33 no test reached it, -24 and 36 timeouts,
# None not checked yet.
CODES = {
    "m.x_f__mutmut_1": 1, "m.x_f__mutmut_2": 0, "m.x_f__mutmut_3": 0, "m.x_f__mutmut_4": 0,
    "m.x_f__mutmut_5": 33, "m.x_f__mutmut_6": -24, "m.x_f__mutmut_7": 36, "m.x_f__mutmut_8": None,
}


def test_the_score_counts_timeouts_by_their_new_verdict_and_survivors_by_how_they_were_judged(tool: ModuleType) -> None:
    again = {"m.x_f__mutmut_3": 1, "m.x_f__mutmut_7": 0, "m.x_f__mutmut_1": 0}
    row = tool.score("m", codes=CODES, again=again, known={"m.x_f__mutmut_2": "why"}, kept={"m.x_f__mutmut_5"})
    assert row == tool.ModuleScore(
        mutants=8, checked=7, killed_by_run=2, survived=5, equivalent=1, killed_after=1, accepted=1,
        unjudged=["m.x_f__mutmut_4", "m.x_f__mutmut_7"],
    )  # 1 stays killed (a recheck only re-judges survivors and timeouts), 7 timed out but survives
    assert row.non_equivalent_score == 50.0  # (2 + 1) of the 6 checked and not equivalent: 5 counts against it
    assert tool.score("m", codes={"m.x_f__mutmut_2": 0}, again={}, known={"m.x_f__mutmut_2": ""},
                      kept=()).non_equivalent_score is None
    # an accepted survivor a later test kills counts as killed, one listed as equivalent as that
    both = tool.score("m", codes={"m.x_f__mutmut_1": 0, "m.x_f__mutmut_2": 0}, again={"m.x_f__mutmut_1": 1},
                      known={"m.x_f__mutmut_2": ""}, kept={"m.x_f__mutmut_1", "m.x_f__mutmut_2"})
    assert (both.killed_after, both.equivalent, both.accepted, both.unjudged) == (1, 1, 0, [])


def test_a_mutant_killed_by_sigkill_counts_as_a_timeout(tool: ModuleType) -> None:
    # mutmut's workers send SIGKILL a second past the CPU limit, the kernel when a mutant eats the
    # memory (an endless b"".join): killed, then judged again like any timeout
    codes = {"m.x_f__mutmut_1": -9, "m.x_f__mutmut_2": -9}
    row = tool.score("m", codes=codes, again={"m.x_f__mutmut_2": 0}, known={}, kept=())
    assert row == tool.ModuleScore(mutants=2, checked=2, killed_by_run=1, survived=1, equivalent=0,
                                   killed_after=0, accepted=0, unjudged=["m.x_f__mutmut_2"])


def test_the_score_of_a_sample_counts_the_sampled_mutants_only(tool: ModuleType) -> None:
    sampled = [name for name in CODES if tool.sampled(name, 2)]
    assert 0 < len(sampled) < len(CODES)
    assert tool.score("m", 2, codes=CODES, again={}, known={}, kept=()).mutants == len(sampled)


def test_the_score_table_is_the_one_the_docs_show(tool: ModuleType) -> None:
    again = {"m.x_f__mutmut_3": 1}
    scores = {"a": tool.score("m", codes=CODES, again=again, known={"m.x_f__mutmut_2": "why"}, kept={"m.x_f__mutmut_4"}),
              "b": tool.score("m", codes={"m.x_g__mutmut_1": 1}, again={}, known={}, kept=())}
    assert tool.markdown(scores).splitlines() == [
        "| module | mutants | checked | killed by the run | survived | equivalent | killed after (new tests)"
        " | accepted survivors | survivors not yet judged | non-equivalent score (checked) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| a | 8 | 7 | 3 | 4 | 1 | 1 | 1 | 1 | 66.7% |",
        "| b | 1 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 100.0% |",
        "| **all checked so far** | 9 | 8 | 4 | 4 | 1 | 1 | 1 | 1 | **71.4%** |",
    ]
    done = {"b": scores["b"]}
    assert tool.markdown(done).splitlines()[-1] == "| **all** | 1 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | **100.0%** |"
    table = (ROOT / "docs" / "development.md").read_text("utf-8")
    assert tool.markdown(scores).splitlines()[0] in table.splitlines()  # the docs' header is this one


# -- the trace ----------------------------------------------------------------------------------------


def _suite(root: Path, test: str) -> None:
    """A repository in ``root`` as the tool sees one: its pyproject, the package copy in mutants/
    and one test file there.  The trace needs coverage.py (the ``mutation`` extra)."""
    pytest.importorskip("coverage", reason="the trace needs coverage.py: pip install -e '.[mutation]'")
    (root / "pyproject.toml").write_text('[tool.mutmut]\npytest_add_cli_args_test_selection = ["tests"]\n')
    (root / "mutants" / "fmtcodec").mkdir(parents=True)
    (root / "mutants" / "fmtcodec" / "core.py").write_text("def twice(x):\n    return 2 * x\n")
    (root / "mutants" / "tests").mkdir()
    (root / "mutants" / "tests" / "test_core.py").write_text(textwrap.dedent(test))


def test_the_trace_records_which_test_ran_which_line(tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _suite(tmp_path, """\
        import sys
        sys.path.insert(0, "fmtcodec")
        import core
        def test_twice():
            assert core.twice(2) == 4
        def test_nothing():
            pass
    """)
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    traced = tool.trace(cpu_seconds=120)
    lines = json.loads(traced.read_text("utf-8"))
    assert lines == {str(tmp_path / "mutants" / "fmtcodec" / "core.py"): {"1": [], "2": ["tests/test_core.py::test_twice"]}}
    assert (tmp_path / "mutants" / "trace.log").read_text("utf-8").splitlines() == [
        "tests/test_core.py::test_twice", "tests/test_core.py::test_nothing"]


def test_a_trace_that_loops_stops_the_run_naming_the_test(tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _suite(tmp_path, """\
        def test_fine():
            pass
        def test_loops():
            while True:
                pass
    """)
    (tmp_path / "mutants" / "lines-by-test.json").write_text("{}")  # a stale trace is not kept
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    with pytest.raises(SystemExit) as stopped:
        tool.trace(cpu_seconds=3)
    assert str(stopped.value) == (
        "the trace stopped in tests/test_core.py::test_loops (exit -24; the limit is 3 s of CPU): a test that"
        " loops? mutants/trace.log lists the tests it ran")
    assert not (tmp_path / "mutants" / "lines-by-test.json").exists()


# -- the verdicts kept in the repository ----------------------------------------------------------------

SETTINGS = {"mutmut": "3.8.1", "tool.mutmut": "0123456789abcdef", "path": "compiled"}


@pytest.fixture
def repository(tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository as the tool sees one, its settings fixed (see ``settings()``)."""
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    monkeypatch.setattr(tool, "MODULES", ["text", "xml", "json"])
    monkeypatch.setattr(tool, "settings", lambda: dict(SETTINGS))
    (tmp_path / "mutation").mkdir()
    return tmp_path


def _meta(root: Path, module: str, hashes: dict[str, str], codes: dict[str, int | None]) -> Path:
    """mutmut's result file for one module, as it writes one into mutants/."""
    path = root / "mutants" / "fmtcodec" / f"{module}.py.meta"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"exit_code_by_key": codes, "hash_by_function_name": hashes,
                                "type_check_error_by_key": {}, "durations_by_key": {},
                                "estimated_durations_by_key": {}}, indent=4))
    return path


def test_verdicts_outlive_the_mutants_folder_for_the_functions_whose_source_is_unchanged(
        tool: ModuleType, repository: Path) -> None:
    _meta(repository, "text", {"x_split": "s1", "xǁRowǁcut": "c1", "x_join": "j1"}, {
        "fmtcodec.text.x_split__mutmut_1": 1, "fmtcodec.text.x_split__mutmut_2": 0,
        "fmtcodec.text.xǁRowǁcut__mutmut_1": 36, "fmtcodec.text.xǁRowǁcut__mutmut_2": None,
        "fmtcodec.text.x_join__mutmut_1": 0,
    })
    (repository / "mutants" / "rechecked.json").write_text(json.dumps(
        {"fmtcodec.text.x_split__mutmut_2": 1, "fmtcodec.text.x_join__mutmut_1": 1}))
    written = tool.record_verdicts()
    assert written == repository / "mutation" / "verdicts.json"
    assert json.loads(written.read_text("utf-8")) == {
        "settings": SETTINGS,
        "functions": {"text": {
            "x_join": {"hash": "j1", "verdicts": {"1": 0}, "rechecked": {"1": 1}},
            "x_split": {"hash": "s1", "verdicts": {"1": 1, "2": 0}, "rechecked": {"2": 1}},
            "xǁRowǁcut": {"hash": "c1", "verdicts": {"1": 36}},  # a mutant not checked yet is left out
        }},  # a module mutmut has not written yet (xml) has no entry
    }

    # A new machine: mutants/ made again, x_join changed since, one mutant more in x_split.
    (repository / "mutants" / "rechecked.json").unlink()
    meta = _meta(repository, "text", {"x_split": "s1", "xǁRowǁcut": "c1", "x_join": "j2"}, {
        "fmtcodec.text.x_split__mutmut_1": None, "fmtcodec.text.x_split__mutmut_2": None,
        "fmtcodec.text.x_split__mutmut_3": None, "fmtcodec.text.xǁRowǁcut__mutmut_1": None,
        "fmtcodec.text.xǁRowǁcut__mutmut_2": None, "fmtcodec.text.x_join__mutmut_1": None,
    })
    assert tool.restore_verdicts() == 3
    data = json.loads(meta.read_text("utf-8"))
    assert data["exit_code_by_key"] == {
        "fmtcodec.text.x_split__mutmut_1": 1, "fmtcodec.text.x_split__mutmut_2": 0,
        "fmtcodec.text.x_split__mutmut_3": None, "fmtcodec.text.xǁRowǁcut__mutmut_1": 36,
        "fmtcodec.text.xǁRowǁcut__mutmut_2": None, "fmtcodec.text.x_join__mutmut_1": None,
    }
    assert data["hash_by_function_name"] == {"x_split": "s1", "xǁRowǁcut": "c1", "x_join": "j2"}
    assert data["estimated_durations_by_key"] == {}  # mutmut's other keys as they were
    assert tool.rechecked() == {"fmtcodec.text.x_split__mutmut_2": 1}  # x_join's recheck judged its old source
    assert tool.score("text", known={}, kept=()) == tool.ModuleScore(
        mutants=6, checked=3, killed_by_run=2, survived=1, equivalent=0, killed_after=1, accepted=0, unjudged=[])


def test_recording_adds_to_the_verdicts_kept(tool: ModuleType, repository: Path) -> None:
    (repository / "mutation" / "verdicts.json").write_text(json.dumps({"settings": SETTINGS, "functions": {
        "text": {"x_f": {"hash": "f1", "verdicts": {"1": 1, "2": 0, "3": 1}, "rechecked": {"2": 1}},
                 "x_g": {"hash": "g1", "verdicts": {"1": 1}},
                 "x_gone": {"hash": "o1", "verdicts": {"1": 1}}},
        "xml": {"x_h": {"hash": "h1", "verdicts": {"1": 0}}},
    }}))
    # A sample judged on a new machine: x_f unchanged (its mutant 2 judged again), x_g changed,
    # x_gone no longer in the module, xml not run at all.
    _meta(repository, "text", {"x_f": "f1", "x_g": "g2"}, {
        "fmtcodec.text.x_f__mutmut_1": None, "fmtcodec.text.x_f__mutmut_2": 1, "fmtcodec.text.x_f__mutmut_3": None,
        "fmtcodec.text.x_g__mutmut_1": None, "fmtcodec.text.x_g__mutmut_2": 0,
    })
    assert json.loads(tool.record_verdicts().read_text("utf-8"))["functions"] == {
        "text": {"x_f": {"hash": "f1", "verdicts": {"1": 1, "2": 1, "3": 1}, "rechecked": {"2": 1}},
                 "x_g": {"hash": "g2", "verdicts": {"2": 0}}},
        "xml": {"x_h": {"hash": "h1", "verdicts": {"1": 0}}},
    }


def test_verdicts_given_under_other_settings_are_neither_restored_nor_kept(
        tool: ModuleType, repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = {**SETTINGS, "tool.mutmut": "fedcba9876543210"}  # e.g. another timeout or other tests
    (repository / "mutation" / "verdicts.json").write_text(json.dumps({"settings": other, "functions": {
        "json": {"x_f": {"hash": "h", "verdicts": {"1": 0, "2": 0}}}}}))
    meta = _meta(repository, "json", {"x_f": "h"}, {"fmtcodec.json.x_f__mutmut_1": 1, "fmtcodec.json.x_f__mutmut_2": None})
    assert tool.restore_verdicts() == 0
    assert json.loads(meta.read_text("utf-8"))["exit_code_by_key"] == {
        "fmtcodec.json.x_f__mutmut_1": 1, "fmtcodec.json.x_f__mutmut_2": None}
    assert json.loads(tool.record_verdicts().read_text("utf-8")) == {
        "settings": SETTINGS, "functions": {"json": {"x_f": {"hash": "h", "verdicts": {"1": 1}}}}}


def test_the_settings_name_mutmut_its_table_and_the_path(tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("mutmut", reason="the settings name mutmut's version: pip install -e '.[mutation]'")
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.mutmut]\ntimeout_multiplier = 3.0\n')
    compiled = tool.settings()
    assert compiled["path"] == "compiled"
    assert compiled["mutmut"] == importlib.metadata.version("mutmut")
    monkeypatch.setattr(tool, "PURE", True)
    assert tool.settings() == {**compiled, "path": "pure"}
    (tmp_path / "pyproject.toml").write_text('[tool.mutmut]\ntimeout_multiplier = 15.0\n')
    assert tool.settings()["tool.mutmut"] != compiled["tool.mutmut"]


def test_restoring_keeps_a_verdict_mutmut_gave_since(tool: ModuleType, repository: Path) -> None:
    (repository / "mutation" / "verdicts.json").write_text(json.dumps({"settings": SETTINGS, "functions": {
        "json": {"x_f": {"hash": "h", "verdicts": {"1": 0, "2": 0}}}}}))
    meta = _meta(repository, "json", {"x_f": "h"}, {"fmtcodec.json.x_f__mutmut_1": 1, "fmtcodec.json.x_f__mutmut_2": None})
    assert tool.restore_verdicts() == 1
    assert json.loads(meta.read_text("utf-8"))["exit_code_by_key"] == {
        "fmtcodec.json.x_f__mutmut_1": 1, "fmtcodec.json.x_f__mutmut_2": 0}
    assert not (repository / "mutants" / "rechecked.json").exists()


def test_without_recorded_verdicts_nothing_is_restored(tool: ModuleType, repository: Path) -> None:
    meta = _meta(repository, "json", {"x_f": "h"}, {"fmtcodec.json.x_f__mutmut_1": None})
    assert tool.restore_verdicts() == 0
    assert json.loads(meta.read_text("utf-8"))["exit_code_by_key"] == {"fmtcodec.json.x_f__mutmut_1": None}


def test_a_result_file_met_half_written_is_read_again(tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "text.py.meta"
    reads = []
    def read_text(self: Path, encoding: str) -> str:
        reads.append(self)
        return '{"exit_code_by_key": {' if len(reads) < 3 else '{"exit_code_by_key": {}}'
    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.setattr(tool.time, "sleep", lambda seconds: None)
    assert tool._read_meta(path) == {"exit_code_by_key": {}}
    assert reads == [path, path, path]


def test_a_timeout_is_judged_by_its_tests_ids_and_a_failed_pytest_run_gives_no_verdict(
        tool: ModuleType, repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a parametrized test's id may hold spaces ("[Status = 1, err = 0-record1]"): the tests of a
    # mutant are read a line an id; and pytest's exits 2, 4, 5 (interrupted, usage error, no test)
    # say nothing about the mutant -- no verdict is kept, so the next --timeouts judges it again
    ids = ["tests/test_a.py::test_one[Status = 1, err = 0-record1]", "tests/test_a.py::test_two"]
    (repository / "pyproject.toml").write_text('[tool.mutmut]\npytest_add_cli_args = ["-p", "no:randomly"]\n')
    (repository / "mutants").mkdir()
    (repository / "mutants" / "mutmut-stats.json").write_text(json.dumps(
        {"duration_by_test": {ids[0]: 2.0, ids[1]: 0.5}, "tests_by_mangled_function_name": {}}))
    names = [f"fmtcodec.text.x_f__mutmut_{number}" for number in (1, 2, 3, 4)]
    monkeypatch.setattr(tool, "exit_codes", lambda module: dict.fromkeys(names, 36) if module == "text" else {})

    def listed(names_by_module: dict[str, list[str]], traced: Path, folder: Path) -> int:
        folder.mkdir()
        for name in names_by_module["text"]:
            (folder / name).write_text("".join(f"{test}\n" for test in ids), "utf-8")
        return len(names_by_module["text"])

    monkeypatch.setattr(tool, "select", listed)
    runs: list[list[str]] = []
    exits = iter([4, 1, 0, -9])  # -9: the kernel's SIGKILL when a mutant eats the memory (a kill)

    def run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        runs.append(command)
        return subprocess.CompletedProcess(command, next(exits), "", "ERROR: usage")

    monkeypatch.setattr(tool.subprocess, "run", run)
    tool.rejudge_timeouts(["text", "xml"])
    assert [command[-4:] for command in runs] == [["-p", "no:randomly", *ids]] * 4
    assert tool.rechecked() == {names[1]: 1, names[2]: 0, names[3]: -9}


def test_a_timeout_that_waits_without_using_the_cpu_is_stopped_and_counted_as_a_loop(
        tool: ModuleType, repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (a mutant that lets libxml2 open the FIFO a test's hostile DTD names blocks there: the CPU
    # limit never comes)
    (repository / "pyproject.toml").write_text("[tool.mutmut]\n")
    (repository / "mutants").mkdir()
    (repository / "mutants" / "mutmut-stats.json").write_text(json.dumps(
        {"duration_by_test": {"tests/test_a.py::test_one": 10.0}, "tests_by_mangled_function_name": {}}))
    name = "fmtcodec.xml.x_f__mutmut_1"
    monkeypatch.setattr(tool, "exit_codes", lambda module: {name: 36} if module == "xml" else {})

    def listed(names_by_module: dict[str, list[str]], traced: Path, folder: Path) -> int:
        folder.mkdir(exist_ok=True)
        (folder / name).write_text("tests/test_a.py::test_one\n", "utf-8")
        return 1

    monkeypatch.setattr(tool, "select", listed)
    waited: list[float] = []

    def run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        waited.append(options["timeout"])
        raise subprocess.TimeoutExpired(command, options["timeout"])

    monkeypatch.setattr(tool.subprocess, "run", run)
    clock = iter([5.0, 6.0])  # the children's CPU seconds before and after: one second used
    monkeypatch.setattr(tool, "_children_cpu", lambda: next(clock))
    tool.rejudge_timeouts(["xml"])
    assert waited == [3 * (4 * 10 + 60)]  # three times the CPU limit
    assert tool.rechecked() == {name: -24}
    assert tool.score("xml", codes={name: 36}, known={}, kept=()).killed_by_run == 1
    # one that used the CPU all along was only slow (a busy machine): no verdict, judged next time
    (repository / "mutants" / "rechecked.json").unlink()
    clock = iter([5.0, 5.0 + 40 + 1])  # more than a third of the 100 s limit
    monkeypatch.setattr(tool, "_children_cpu", lambda: next(clock))
    tool.rejudge_timeouts(["xml"])
    assert tool.rechecked() == {}
