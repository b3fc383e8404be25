"""Mutation testing of fmtcodec's core with mutmut, in one command.

    .venv/bin/pip install -e '.[mutation]'
    .venv/bin/python tools/mutation.py                     # the documented run: 1 in 2, 2 workers
    .venv/bin/python tools/mutation.py --sample 8 --jobs 1 text values   # a quick look at two modules

What it does (docs/development.md says why):

1. ``mutmut run`` with a name that matches no mutant: mutmut copies the package to ``mutants/``,
   writes every mutant of the modules listed in ``[tool.mutmut] only_mutate`` and records which
   tests reach which function.  mutmut then stops with "nothing matches", which is expected.
2. The sample: every mutant whose name's CRC-32 is divisible by ``--sample`` (1 = all).  The name
   holds the module, function and mutant number, so the same code gives the same sample on every
   machine and every run, and each module is sampled at the same rate.
3. One ``mutmut run`` on the sample of every module (``--jobs`` workers), each mutant
   against the tests that reach its function, under the ``mutation`` Hypothesis profile (10 examples a property, derandomized, without
   shrinking).
4. The score per module from mutmut's result files (``score()``): killed (a test failed, or the
   mutant ran into the time limit), by the run or by a test written since (``--recheck``), over
   the checked mutants not listed as equivalent in ``mutation/equivalent.txt``.  Survivors listed
   in ``mutation/survivors.txt`` (accepted, each with why no test is written) still count against
   the score but are no longer "not yet judged".  The survivors not yet judged are printed; ``mutmut show NAME`` shows one.  ``--report-only --markdown`` prints the
   table docs/development.md shows.
5. ``--recheck NAME... [--tests PATH...]``: after writing a test that kills a survivor, judge it
   again (``recheck``); a survivor a recheck kills counts as killed in the score.
6. ``--timeouts``: judge mutmut's timeouts again under a limit of CPU time rather than wall-clock
   time (``rejudge_timeouts``); the verdict replaces mutmut's in the score.

The result table is also written to ``mutants/score.json``.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import datetime
import functools
import hashlib
import importlib.metadata
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import time
import tomllib
import zlib
from collections.abc import Collection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["text", "values", "json", "xml", "layout", "charset", "api", "stream", "errors"]
KILLED = {1, 3, 36, 37, 24, -24, 152, 255, -9}  # mutmut: killed, pytest internal error, timeouts, type check,
# and SIGKILL (-9, mutmut's "segfault"): its workers send it a second past the CPU limit, the kernel when a
# mutant eats the memory (an endless join) -- a timeout either way, judged again by --timeouts
TESTS_OF_MUTANT = "FMTCODEC_TESTS_OF_MUTANT"  # read by tests/conftest.py (see select())
RECHECK_SECONDS = 900  # a recheck still running then is stopped and left unjudged
STATUS = {0: "survived", 33: "no tests", 5: "no tests", None: "not checked"}


def sampled(name: str, every: int) -> bool:
    return zlib.crc32(name.encode("utf-8")) % every == 0


def mutant_names(module: str) -> list[str]:
    return sorted(_read_meta(ROOT / "mutants" / "fmtcodec" / f"{module}.py.meta")["exit_code_by_key"])


def exit_codes(module: str) -> dict[str, int | None]:
    codes: dict[str, int | None] = _read_meta(ROOT / "mutants" / "fmtcodec" / f"{module}.py.meta")["exit_code_by_key"]
    return codes


def unjudged(module: str, names: list[str]) -> list[str]:
    """Those of ``names`` without a verdict; a mutant no test reached ("no tests") loses its
    result first, so that mutmut judges it again: tests written since (or the trace of a changed
    suite, see ``select()``) may reach it now."""
    meta = ROOT / "mutants" / "fmtcodec" / f"{module}.py.meta"
    data = json.loads(meta.read_text("utf-8"))
    codes: dict[str, int | None] = data["exit_code_by_key"]
    again = [name for name in names if codes[name] is not None and STATUS.get(codes[name]) == "no tests"]
    if again:
        codes.update(dict.fromkeys(again, None))
        meta.write_text(json.dumps(data, indent=4), "utf-8")
    return [name for name in names if codes[name] is None]


@dataclasses.dataclass(frozen=True)
class ModuleScore:
    """One module's row of the score (docs/development.md, "Scores").

    A mutant is *checked* once mutmut gave it a verdict.  A timeout judged again by ``--timeouts``
    counts by that verdict.  A *survivor* (exit 0, or no test reached it) is then either listed in
    ``mutation/equivalent.txt`` (no input can tell it from the original), killed by a test written
    since (``--recheck`` gave exit 1), accepted (listed in ``mutation/survivors.txt`` with why no
    test is written: it still counts against the score), or not yet judged: it counts against the
    score too."""

    mutants: int
    checked: int
    killed_by_run: int
    survived: int
    equivalent: int
    killed_after: int
    accepted: int
    unjudged: list[str]

    @property
    def non_equivalent_score(self) -> float | None:
        """Killed (by the run or after) over the checked mutants not listed as equivalent, in %."""
        judged = self.checked - self.equivalent
        return 100 * (self.killed_by_run + self.killed_after) / judged if judged else None


def score(module: str, sample: int = 1, *, codes: dict[str, int | None] | None = None,
          again: dict[str, int] | None = None, known: Collection[str] | None = None,
          kept: Collection[str] | None = None) -> ModuleScore:
    """``module``'s row, from mutmut's verdicts (``codes``), the rechecks (``again``), the
    equivalents (``known``) and the accepted survivors (``kept``); each read from ``mutants/`` and
    ``mutation/`` when not given."""
    codes = exit_codes(module) if codes is None else codes
    again = rechecked() if again is None else again
    known = equivalents() if known is None else known
    kept = accepted() if kept is None else kept
    verdicts = {name: again.get(name, code) if code in TIMEOUTS else code
                for name, code in codes.items() if sampled(name, sample)}
    checked = {name: code for name, code in verdicts.items() if code is not None}
    survivors = sorted(name for name, code in checked.items() if code not in KILLED)
    equivalent = [name for name in survivors if name in known]
    after = [name for name in survivors if name not in known and again.get(name) in KILLED]
    left = [name for name in survivors if name not in known and name not in after]
    return ModuleScore(
        mutants=len(verdicts), checked=len(checked), killed_by_run=len(checked) - len(survivors),
        survived=len(survivors), equivalent=len(equivalent), killed_after=len(after),
        accepted=sum(name in kept for name in left), unjudged=[name for name in left if name not in kept],
    )


SCORE_COLUMNS = ("module", "mutants", "checked", "killed by the run", "survived", "equivalent",
                 "killed after (new tests)", "accepted survivors", "survivors not yet judged",
                 "non-equivalent score (checked)")


def markdown(scores: dict[str, ModuleScore]) -> str:
    """The score table as docs/development.md shows it: a row a module, then the sum."""
    def row(name: str, score: ModuleScore) -> list[str]:
        percent = score.non_equivalent_score
        return [name, str(score.mutants), str(score.checked), str(score.killed_by_run), str(score.survived),
                str(score.equivalent), str(score.killed_after), str(score.accepted), str(len(score.unjudged)),
                "-" if percent is None else f"{percent:.1f}%"]

    rows = [row(name, score) for name, score in scores.items()]
    def total(field: str) -> int:
        return sum(getattr(score, field) for score in scores.values())

    everything = ModuleScore(
        mutants=total("mutants"), checked=total("checked"), killed_by_run=total("killed_by_run"),
        survived=total("survived"), equivalent=total("equivalent"), killed_after=total("killed_after"),
        accepted=total("accepted"), unjudged=[name for score in scores.values() for name in score.unjudged],
    )
    last = row("all", everything)
    last[0] = "**all**" if everything.checked == everything.mutants else "**all checked so far**"
    last[-1] = f"**{last[-1]}**"
    lines = ["| " + " | ".join(SCORE_COLUMNS) + " |", "|---|" + "---:|" * (len(SCORE_COLUMNS) - 1)]
    lines += ["| " + " | ".join(cells) + " |" for cells in [*rows, last]]
    return "\n".join(lines)


def rechecked() -> dict[str, int]:
    """Survivors judged again by ``--recheck`` after a test was written to kill them: name -> pytest's
    exit code (1: a test failed, the mutant is killed; 0: it still survives)."""
    found = ROOT / "mutants" / "rechecked.json"
    return json.loads(found.read_text("utf-8")) if found.exists() else {}


def save_verdict(name: str, code: int) -> None:
    """Put down one mutant's verdict in ``mutants/rechecked.json``, a mutant at a time and the file
    read again first: another recheck may be writing beside this one."""
    results = {**rechecked(), name: code}
    (ROOT / "mutants" / "rechecked.json").write_text(json.dumps(results, indent=1, sort_keys=True))


def recheck(names: list[str], tests: list[str], profile: str = "mutation") -> int:
    """Judge survivors again against the checkout's tests, as mutmut judges a mutant: pytest in
    ``mutants/`` with ``MUTANT_UNDER_TEST`` naming the mutant, so its trampoline runs the mutated
    function.  The checkout's changed test files are copied into ``mutants/tests`` first (the point
    is to run tests written after the run began); ``tests`` narrows the run to some of them (a failure
    there is a failure of the whole suite).  Results go to ``mutants/rechecked.json``, which the
    score reads beside mutmut's own results.  ``profile`` is the Hypothesis profile (``dev``: the
    30 examples a property the run drew before its last part, see docs/development.md)."""
    copy = ROOT / "mutants" / "tests"
    for test in (ROOT / "tests").rglob("*.py"):  # file by file: a run may be reading the others
        into = copy / test.relative_to(ROOT / "tests")
        if not into.exists() or into.read_bytes() != test.read_bytes():
            into.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(test, into)
    for name in names:
        env = {**environment(PURE), "MUTANT_UNDER_TEST": name, "HYPOTHESIS_PROFILE": profile}
        env.pop(TESTS_OF_MUTANT)  # the tests written since the trace judge it too
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *(tests or ["tests"])],
                cwd=ROOT / "mutants", env=env, capture_output=True, text=True, check=False,
                timeout=RECHECK_SECONDS,
            )
        except subprocess.TimeoutExpired:  # a mutant that loops; on a busy machine, maybe a slow one
            print(f"{name}: not judged, still running after {RECHECK_SECONDS} s", flush=True)
            continue
        if done.returncode not in (0, 1, 3):  # 2, 4, 5: the run went wrong (interrupted, usage, no test)
            print(f"{name}: not judged, pytest exit {done.returncode}: {_last_line(done)}", flush=True)
            continue
        save_verdict(name, done.returncode)
        print(f"{name}: {'survived' if done.returncode == 0 else 'killed'}", flush=True)
    return 0


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    """What pytest said last, to tell why a run gave no verdict."""
    lines = (done.stderr.strip() or done.stdout.strip()).splitlines()
    return lines[-1][:200] if lines else "(no output)"


# The verdicts outlive mutants/: a run takes more than a session of the machine, and mutants/ lives
# only as long as the machine does (one was lost with 8 120 verdicts in it).  ``record_verdicts()``
# adds every verdict of mutants/ to ``mutation/verdicts.json``, which is committed; a run resumed
# with ``--keep`` on a new machine gets them back (``restore_verdicts()``) for every function whose
# source is the one they were given for (mutmut's hash of it), and judges only the rest.  Verdicts
# hold only under the settings they were given with: mutmut's version (it numbers the mutants),
# ``[tool.mutmut]`` (the tests, the time limits) and the path (compiled core or pure Python).
VERDICTS = Path("mutation") / "verdicts.json"


def settings() -> dict[str, str]:
    """What a verdict depends on besides the function's source (see VERDICTS)."""
    table = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    table_hash = hashlib.sha256(json.dumps(table, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    return {"mutmut": importlib.metadata.version("mutmut"), "tool.mutmut": table_hash,
            "path": "pure" if PURE else "compiled"}


def _recorded() -> dict[str, Any] | None:
    """``mutation/verdicts.json`` when it was recorded under the present settings."""
    kept = ROOT / VERDICTS
    if not kept.exists():
        return None
    recorded: dict[str, Any] = json.loads(kept.read_text("utf-8"))
    return recorded if recorded.get("settings") == settings() else None


def record_verdicts() -> Path:
    """Add every verdict of ``mutants/`` (mutmut's and the rechecks', by function with the
    function's hash) to ``mutation/verdicts.json``; returns its path.  A function recorded with
    the same hash keeps its other verdicts (a run of a sample, or on a new machine, judges only
    some mutants); one whose hash changed keeps only the new ones; a module without results in
    ``mutants/`` keeps its record.  Verdicts recorded under other settings are dropped."""
    recorded = _recorded() or {"functions": {}}
    again = rechecked()
    functions: dict[str, dict[str, dict[str, Any]]] = {}
    for module in MODULES:
        meta = ROOT / "mutants" / "fmtcodec" / f"{module}.py.meta"
        before: dict[str, dict[str, Any]] = recorded["functions"].get(module, {})
        if not meta.exists():
            if before:
                functions[module] = before
            continue
        data = _read_meta(meta)
        hashes: dict[str, str] = data["hash_by_function_name"]
        by_function: dict[str, dict[str, Any]] = {}
        for function, digest in hashes.items():
            kept = before.get(function)
            if kept is not None and kept["hash"] == digest:
                by_function[function] = {"hash": digest, "verdicts": dict(kept["verdicts"]),
                                         "rechecked": dict(kept.get("rechecked", {}))}
        for name, code in data["exit_code_by_key"].items():
            function, number = _function_and_number(name)
            if function not in hashes:
                continue
            entry = by_function.setdefault(function, {"hash": hashes[function], "verdicts": {}, "rechecked": {}})
            if code is not None:
                entry["verdicts"][number] = code
            if name in again:
                entry["rechecked"][number] = again[name]
        functions[module] = {
            function: {"hash": entry["hash"], "verdicts": _by_number(entry["verdicts"]),
                       **({"rechecked": _by_number(entry["rechecked"])} if entry["rechecked"] else {})}
            for function, entry in sorted(by_function.items()) if entry["verdicts"] or entry["rechecked"]
        }
    into = ROOT / VERDICTS
    into.write_text(json.dumps({"settings": settings(), "functions": functions}, indent=1) + "\n", "utf-8")
    return into


def restore_verdicts() -> int:
    """Give the mutants of ``mutants/`` that have no verdict the one ``mutation/verdicts.json`` holds
    for them, where their function's hash is the recorded one (a changed function is judged again),
    the rechecks included; nothing when it was recorded under other settings (``settings()``).
    Returns how many verdicts were restored."""
    recorded = _recorded()
    if recorded is None:
        return 0
    restored = 0
    again: dict[str, int] = {}
    for module, by_function in recorded["functions"].items():
        meta = ROOT / "mutants" / "fmtcodec" / f"{module}.py.meta"
        if not meta.exists():
            continue
        data = _read_meta(meta)
        hashes: dict[str, str] = data["hash_by_function_name"]
        codes: dict[str, int | None] = data["exit_code_by_key"]
        for name, code in codes.items():
            function, number = _function_and_number(name)
            entry = by_function.get(function)
            if entry is None or entry["hash"] != hashes.get(function):
                continue
            if number in entry.get("rechecked", {}):
                again[name] = entry["rechecked"][number]
            if code is None and number in entry["verdicts"]:
                codes[name] = entry["verdicts"][number]
                restored += 1
        meta.write_text(json.dumps(data, indent=4), "utf-8")
    if again:
        (ROOT / "mutants" / "rechecked.json").write_text(
            json.dumps({**again, **rechecked()}, indent=1, sort_keys=True))
    return restored


def _by_number(verdicts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(verdicts.items(), key=lambda item: int(item[0])))


def _read_meta(meta: Path) -> dict[str, Any]:
    """One of mutmut's ``.meta`` files; mutmut rewrites them in place while it runs, so a read that
    meets one half written tries again."""
    attempts = 0
    while True:
        try:
            data: dict[str, Any] = json.loads(meta.read_text("utf-8"))
            return data
        except json.JSONDecodeError:
            attempts += 1
            if attempts == 50:
                raise
            time.sleep(0.1)


def _function_and_number(name: str) -> tuple[str, str]:
    """``fmtcodec.text.x_split__mutmut_12`` -> (``x_split``, ``12``): the function as mutmut's
    hashes name it (methods as ``xǁClassǁmethod``), and the mutant's number."""
    function, _, number = name.rpartition(".")[2].rpartition("__mutmut_")
    return function, number


# mutmut's "timeout" is a verdict on the machine's load as much as on the mutant: its workers stop a
# mutant after a wall-clock time of half the CPU-time limit they set (the time the function's tests
# took in mutmut's clean run, plus a constant, times a factor), so a survivor slowed down by a busy
# machine is counted as killed.  ``rejudge_timeouts()`` runs each one again, alone, against the
# tests that run its statement, under a limit on CPU time (which the load does not change) of
# LOOP_FACTOR times what those tests took plus LOOP_SECONDS: a survivor finishes well within it
# (pytest's exit 0), a mutant a test kills fails (1), and one that loops reaches the limit and
# stays a timeout (-24, SIGXCPU).
TIMEOUTS = {36, 24, -24, 152, 255, -9}
LOOP_FACTOR = 4
LOOP_SECONDS = 60
# A mutant that makes a test wait without using the CPU (opening a FIFO a hostile DTD names, for
# one) never reaches the CPU limit: past this many times that limit in wall-clock time it is
# stopped, and counted as one that loops (the suite would never end) if it used less than a
# BLOCKED_FACTOR-th of the limit's CPU time -- else it was only slow on a busy machine: no verdict.
BLOCKED_FACTOR = 3


def cpu_limit(tests: list[str], durations: dict[str, float]) -> int:
    """CPU seconds a re-judged timeout may take: a survivor's tests take about what they took in
    mutmut's clean run (``durations``, by test id; a test not timed there counts as one second)."""
    return math.ceil(LOOP_FACTOR * sum(durations.get(test, 1.0) for test in tests) + LOOP_SECONDS)


def rejudge_timeouts(modules: list[str]) -> int:
    """Judge every timeout of ``modules`` again (see TIMEOUTS); the verdicts go to
    ``mutants/rechecked.json`` and replace mutmut's in the score.  A mutant judged so before is
    left as it is."""
    stats = json.loads((ROOT / "mutants" / "mutmut-stats.json").read_text("utf-8"))
    durations: dict[str, float] = stats["duration_by_test"]
    reaching: dict[str, list[str]] = stats["tests_by_mangled_function_name"]
    folder = ROOT / "mutants" / "tests-of-timeout"  # not SELECTED: a run may be reading that one
    before = rechecked()
    timeouts = {module: sorted(name for name, code in exit_codes(module).items()
                               if code in TIMEOUTS and name not in before) for module in modules}
    select(timeouts, ROOT / "mutants" / "lines-by-test.json", folder)
    for name in (name for names in timeouts.values() for name in names):
        listed = folder / name  # a test id a line: a parametrized one may hold spaces
        tests = (listed.read_text("utf-8").splitlines() if listed.exists()
                 else sorted(reaching.get(name.rsplit("__mutmut_", 1)[0], [])))
        if not tests:
            print(f"{name}: no test reaches it now; left as it is", flush=True)
            continue
        limit = cpu_limit(tests, durations)
        env = {**environment(PURE), "MUTANT_UNDER_TEST": name, TESTS_OF_MUTANT: str(folder)}
        used = _children_cpu()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", *pytest_arguments(), *tests],
                cwd=ROOT / "mutants", env=env, capture_output=True, text=True, check=False,
                preexec_fn=functools.partial(resource.setrlimit, resource.RLIMIT_CPU, (limit, limit + 1)),
                timeout=BLOCKED_FACTOR * limit,
            )
        except subprocess.TimeoutExpired:  # stopped (and waited for): its CPU time is the children's now
            spent = _children_cpu() - used
            if spent < limit / BLOCKED_FACTOR:  # it waited without using the CPU: blocked (a FIFO opened)
                save_verdict(name, -24)
                print(f"{name}: blocked ({spent:.0f} s of CPU in {BLOCKED_FACTOR * limit} s)", flush=True)
            else:  # only slow: the machine is busy -- a survivor may look so, so no verdict
                print(f"{name}: not judged, still running after {BLOCKED_FACTOR * limit} s"
                      f" ({spent:.0f} s of CPU)", flush=True)
            continue
        # -9: the kernel's SIGKILL, when the mutant ate the memory (an endless join) -- or when other
        # jobs did and the kernel chose this one: check such a verdict by reading the mutant
        verdict = {0: "survived", 1: "killed", 3: "killed (pytest's internal error, e.g. endless recursion)",
                   -24: f"loops (over {limit} s of CPU)", -9: "killed by SIGKILL (the kernel: out of memory)"}
        if done.returncode not in verdict:  # 2, 4, 5: the run went wrong (interrupted, usage, no test)
            print(f"{name}: not judged, pytest exit {done.returncode}: {_last_line(done)}", flush=True)
            continue
        save_verdict(name, done.returncode)
        print(f"{name}: {verdict[done.returncode]}", flush=True)
    return 0


def _children_cpu() -> float:
    """CPU seconds used so far by the ended children this process waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pytest_arguments() -> list[str]:
    """The options ``[tool.mutmut]`` gives pytest when it judges a mutant."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    return list(settings.get("pytest_add_cli_args", []))


# Which tests may judge a mutant.  mutmut gives each mutant every test that called its function; a
# test that never ran the mutated statement behaves the same with the mutant (the code it ran up to
# there is unchanged, and the examples are derandomized), so it cannot kill it, only spend the time
# of a survivor.  ``select()`` narrows each mutant's tests to those that ran one of the lines of the
# statement it changes, recorded once per run by ``trace()``; ``tests/conftest.py`` deselects the
# others while mutmut judges the mutant.  Where the change is not inside one statement of the body
# (the signature, a change of the line count), the mutant keeps mutmut's list.

TRACE = """
import json, sys
import coverage, pytest
cov = coverage.Coverage(data_file=None, include=[sys.argv[1] + "/*.py"])
progress = open(sys.argv[3], "w", encoding="utf-8", buffering=1)  # a line a test, as it starts
class PerTest:  # every line a test's setup, call or teardown runs is put down to that test
    def pytest_runtest_setup(self, item):
        progress.write(item.nodeid + "\\n")
        cov.switch_context(item.nodeid)
cov.start()
code = pytest.main(sys.argv[4:], plugins=[PerTest()])
cov.stop()
data = cov.get_data()
found = {f: {n: sorted(c for c in cs if c) for n, cs in data.contexts_by_lineno(f).items()}
         for f in data.measured_files()}
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(found, out)
sys.exit(code)
"""
SELECTED = "tests-of-mutant"  # under mutants/: a file per mutant naming the tests that judge it


# The trace takes 5-10 minutes of CPU; a test that loops (a hang the trace's examples found, as
# a 10-example profile once did in json's direct path) would hold the whole run without a word.
TRACE_CPU_SECONDS = 3600


def trace(cpu_seconds: int = TRACE_CPU_SECONDS) -> Path:
    """Run the tests once in ``mutants/`` without a mutant, recording which test ran which line of
    the core (``mutants/lines-by-test.json``: file -> line -> test ids).  ``mutants/trace.log``
    names each test as it starts; past ``cpu_seconds`` of CPU the trace is stopped and the run
    with it, naming the test that was running."""
    into = ROOT / "mutants" / "lines-by-test.json"
    progress = ROOT / "mutants" / "trace.log"
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    args = ["--rootdir=.", "--tb=native", "-q", "-p", "no:randomly",
            *settings.get("pytest_add_cli_args_test_selection", ["tests"]),
            *settings.get("pytest_add_cli_args", [])]
    env = {**environment(PURE), "MUTANT_UNDER_TEST": ""}  # no mutant: nothing deselected, and the
    # caches emptied before each test as in the mutants' runs (tests/conftest.py)
    into.unlink(missing_ok=True)  # never a stale trace for this suite's
    done = subprocess.run(
        [sys.executable, "-c", TRACE, str(ROOT / "mutants" / "fmtcodec"), str(into), str(progress), *args],
        cwd=ROOT / "mutants", env=env, stdout=subprocess.DEVNULL, check=False,
        preexec_fn=functools.partial(resource.setrlimit, resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1)),
    )
    if not into.exists():
        started = progress.read_text("utf-8").splitlines() if progress.exists() else []
        where = f"in {started[-1]}" if started else "before its first test"
        raise SystemExit(f"the trace stopped {where} (exit {done.returncode}; the limit is {cpu_seconds} s "
                         f"of CPU): a test that loops? mutants/trace.log lists the tests it ran")
    return into


def function_nodes(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {node.name: node for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def statement_lines(function: ast.FunctionDef | ast.AsyncFunctionDef, line: int) -> set[int] | None:
    """The lines of the innermost statement of ``function``'s body holding ``line``, without the
    statements nested in it (a test runs one of them exactly when it runs the statement: for a
    compound one, its header, ``else:`` and ``except ...:`` lines); None outside the body."""
    holding = [node for statement in function.body for node in ast.walk(statement)
               if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno)]
    if not holding:
        return None
    innermost = min(holding, key=lambda node: (node.end_lineno or node.lineno) - node.lineno)
    lines = set(range(innermost.lineno, (innermost.end_lineno or innermost.lineno) + 1))
    for node in ast.walk(innermost):
        if node is not innermost and isinstance(node, ast.stmt):
            lines -= set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines | {line}


def mutated_lines(source: str, names: list[str]) -> dict[str, set[int] | None]:
    """For each mutant of one module (``mutants/fmtcodec/<module>.py``, where mutmut writes every
    mutant of a function beside its original as ``<function>__mutmut_<n>``): the lines of the
    original function whose statements the mutant changes, or None where that is not clear."""
    lines = source.splitlines()
    functions = function_nodes(ast.parse(source))
    found: dict[str, set[int] | None] = {}
    for name in names:
        local = name.split(".")[-1]
        mutant = functions.get(local)
        original = functions.get(local.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
        found[name] = None
        if mutant is None or original is None or mutant.end_lineno is None or original.end_lineno is None:
            continue
        before = lines[original.lineno - 1:original.end_lineno]
        after = lines[mutant.lineno - 1:mutant.end_lineno]
        if len(before) != len(after) or before[0].replace(original.name, mutant.name) != after[0]:
            continue
        changed = [original.lineno + i for i, (a, b) in enumerate(zip(before, after, strict=True))
                   if i and a != b]
        spans = [statement_lines(original, line) for line in changed]
        if changed and all(span is not None for span in spans):
            found[name] = set().union(*(span for span in spans if span is not None))
    return found


def widen(traced: Path) -> None:
    """Add to mutmut's list of the tests that reach each function (``mutants/mutmut-stats.json``,
    recorded by mutmut when the suite's test ids last changed) every test the trace saw run a line
    of it: a function that fills a cache is reached by every test that needs the cache now that the
    caches are emptied before each test, which a list recorded before that does not know."""
    by_line = json.loads(traced.read_text("utf-8"))
    stats_path = ROOT / "mutants" / "mutmut-stats.json"
    if not stats_path.exists():
        return  # mutmut records its own on its first run, with the caches emptied already
    stats = json.loads(stats_path.read_text("utf-8"))
    reaching: dict[str, list[str]] = stats["tests_by_mangled_function_name"]
    for module in MODULES:
        path = ROOT / "mutants" / "fmtcodec" / f"{module}.py"
        ran = by_line.get(str(path), {})
        for name, node in function_nodes(ast.parse(path.read_text("utf-8"))).items():
            if not name.endswith("__mutmut_orig") or node.end_lineno is None:
                continue
            function = f"fmtcodec.{module}.{name.removesuffix('__mutmut_orig')}"
            tests = {test for line in range(node.lineno, node.end_lineno + 1) for test in ran.get(str(line), [])}
            if tests - set(reaching.get(function, [])):
                reaching[function] = sorted(tests.union(reaching.get(function, [])))
    stats_path.write_text(json.dumps(stats), "utf-8")


def select(names_by_module: dict[str, list[str]], traced: Path, folder: Path | None = None) -> int:
    """Write ``mutants/tests-of-mutant/<mutant>`` (or ``folder/<mutant>``, kept as it is): the
    tests that ran a line the mutant changes.  Returns how many mutants got a narrower list than
    mutmut's."""
    by_line = json.loads(traced.read_text("utf-8"))
    if folder is None:
        folder = ROOT / "mutants" / SELECTED
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(exist_ok=True)
    narrowed = 0
    for module, names in names_by_module.items():
        path = ROOT / "mutants" / "fmtcodec" / f"{module}.py"
        ran = by_line.get(str(path), {})
        for name, lines in mutated_lines(path.read_text("utf-8"), names).items():
            if lines is None:
                continue
            tests = sorted({test for line in lines for test in ran.get(str(line), [])})
            (folder / name).write_text("".join(f"{test}\n" for test in tests), "utf-8")
            narrowed += 1
    return narrowed


def _judged(listing: str) -> dict[str, str]:
    """A list of judged survivors in ``mutation/``: a mutant's name a line, a space, why."""
    listed = ROOT / "mutation" / listing
    found = {}
    for line in listed.read_text("utf-8").splitlines() if listed.exists() else []:
        if line.strip() and not line.startswith("#"):
            name, _, why = line.partition(" ")
            found[name] = why.strip()
    return found


def equivalents() -> dict[str, str]:
    """The survivors no input can tell from the original, with why (``mutation/equivalent.txt``)."""
    return _judged("equivalent.txt")


def accepted() -> dict[str, str]:
    """The survivors a test could tell from the original but none is written for, with why
    (``mutation/survivors.txt``); they count against the score."""
    return _judged("survivors.txt")


def environment(pure: bool) -> dict[str, str]:
    """The environment of the tests that judge the mutants.

    By default the compiled core answers where it is built: ``FMTCODEC_EXPECT_COMPILED=1`` makes
    ``tests/test_compiled.py`` fail if it is not active, and :func:`check_compiled` refuses to start
    without it.  ``pure`` runs the pure-Python path instead (``FMTCODEC_PURE=1``), where the
    compiled core's Python wrappers return at once and their mutants cannot be judged.
    """
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation", TESTS_OF_MUTANT: str(ROOT / "mutants" / SELECTED)}
    env.pop("CI", None)
    env.pop("FMTCODEC_PURE", None)
    env.pop("FMTCODEC_EXPECT_COMPILED", None)
    if pure:
        env["FMTCODEC_PURE"] = "1"
    else:
        env["FMTCODEC_EXPECT_COMPILED"] = "1"
    return env


def check_compiled() -> str:
    """Make sure the copy in ``mutants/`` runs the compiled core, and say which file it loads.

    mutmut copies every file under ``source_paths``, the built extension
    (``fmtcodec/_speedups.*.so``) included, so a checkout built with ``pip install -e .`` gives a
    copy that loads it.  A copy without one, or with another build than the checkout's (a run
    resumed with ``--keep`` after the ``.pyx`` changed), gets the checkout's extension copied in;
    without any, the run stops: build it first.
    """
    built = sorted((ROOT / "fmtcodec").glob("_speedups.*.so")) + sorted(
        (ROOT / "fmtcodec").glob("_speedups.*.pyd"))
    copy = ROOT / "mutants" / "fmtcodec"
    for extension in built:  # a copy from before the .pyx changed would judge the old core
        into = copy / extension.name
        if not into.exists() or into.read_bytes() != extension.read_bytes():
            shutil.copy2(extension, into)
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import fmtcodec, fmtcodec._core as c; "
        "assert fmtcodec.__file__.startswith(sys.argv[1]), fmtcodec.__file__; "
        "assert c.CORE is not None, 'the compiled core does not import from mutants/'; "
        "print(c.CORE.__file__)"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(ROOT / "mutants")], cwd=ROOT / "mutants",
                          env=environment(pure=False), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the compiled core is not active in mutants/ (build it with "
                         f"`pip install -e .`, or pass --pure):\n{done.stderr}")
    return done.stdout.strip()


PURE = False  # set from --pure in main()


def mutmut(*args: str) -> int:
    """Run mutmut; its progress output goes to ``mutants/mutmut.log``."""
    command = [sys.executable, "-m", "mutmut", *args]
    env = environment(PURE)
    (ROOT / "mutants").mkdir(exist_ok=True)
    with (ROOT / "mutants" / "mutmut.log").open("a", encoding="utf-8") as log:
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    return done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules", nargs="*", metavar="MODULE", help=f"some of {', '.join(MODULES)} (default: all)"
    )
    parser.add_argument("--sample", type=int, default=2, help="run 1 mutant in SAMPLE (1: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutmut workers (default 2)")
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ and its results (resume a run)")
    parser.add_argument("--report-only", action="store_true", help="only print the score of the last run")
    parser.add_argument("--markdown", action="store_true",
                        help="with --report-only: print only the score table, as docs/development.md has it")
    parser.add_argument("--recheck", nargs="+", metavar="MUTANT", default=[],
                        help="judge these survivors again against the checkout's tests (see recheck())")
    parser.add_argument("--tests", nargs="+", default=[], metavar="PATH",
                        help="with --recheck: run only these tests (paths or node ids under tests/)")
    parser.add_argument("--profile", default="mutation",
                        help="with --recheck: the Hypothesis profile (default: mutation, 10 examples; "
                             "dev: 30)")
    parser.add_argument("--timeouts", action="store_true",
                        help="judge mutmut's timeouts again under a CPU-time limit (see rejudge_timeouts())")
    parser.add_argument("--every-test", action="store_true",
                        help="judge each mutant by every test that calls its function (mutmut's own "
                             "choice), not only those that run the changed statement")
    parser.add_argument("--record", action="store_true",
                        help=f"write the verdicts so far to {VERDICTS} (commit it: --keep resumes from it "
                             "on another machine); a run, a recheck and --timeouts write it when they end")
    parser.add_argument("--pure", action="store_true",
                        help="test on the pure-Python path (default: the compiled core, which must be built)")
    args = parser.parse_args()
    global PURE
    PURE = args.pure
    unknown = set(args.modules) - set(MODULES)
    if unknown:
        parser.error(f"not a core module: {', '.join(sorted(unknown))}")
    args.modules = args.modules or MODULES

    if args.record:
        print(f"verdicts written to {record_verdicts().relative_to(ROOT)}")
        return 0
    if args.recheck:
        recheck(args.recheck, args.tests, args.profile)
        record_verdicts()
        return 0
    if args.timeouts:
        rejudge_timeouts(args.modules)
        record_verdicts()
        return 0

    started = datetime.datetime.now(datetime.UTC)
    if not args.report_only:
        if not args.keep:
            shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        mutmut("run", "--max-children", str(args.jobs), "fmtcodec.__generate_only__")  # step 1
        if args.keep:
            print(f"{restore_verdicts()} verdicts restored from {VERDICTS}", flush=True)
        if not args.pure:
            print(f"compiled core in mutants/: {check_compiled()}", flush=True)
        names = []
        names_by_module: dict[str, list[str]] = {}
        shutil.rmtree(ROOT / "mutants" / SELECTED, ignore_errors=True)
        for module in args.modules:
            chosen = [name for name in mutant_names(module) if sampled(name, args.sample)]
            if args.keep:  # resume: what the last run did not reach, or reached with no test
                chosen = unjudged(module, chosen)
            print(f"{module}: {len(chosen)} mutants", flush=True)
            names += chosen
            names_by_module[module] = chosen
        # One mutmut run for every module: each run starts by running every test the named mutants'
        # functions reach once without a mutant (minutes for the core), so a run per module would
        # pay that up to nine times.  The whole core unsampled is every mutant mutmut has not
        # judged, which a run without names does (and nine thousand names would be a long command).
        everything = args.sample == 1 and set(args.modules) == set(MODULES)
        if names and not args.every_test:
            traced = trace()
            widen(traced)
            narrowed = select(names_by_module, traced)
            print(f"{narrowed} of {len(names)} mutants judged by the tests that run their statement",
                  flush=True)
        if names:
            mutmut("run", "--max-children", str(args.jobs), *([] if everything else names))
        record_verdicts()

    scores = {module: score(module, args.sample) for module in args.modules}
    if args.markdown:
        print(markdown(scores))
        return 0
    print(markdown(scores))
    print("\nsurvivors not yet judged (mutmut show NAME; judge each, see docs/development.md):")
    for row in scores.values():
        for name in row.unjudged:
            print("  ", name)
    (ROOT / "mutants").mkdir(exist_ok=True)
    (ROOT / "mutants" / "score.json").write_text(json.dumps(
        {"date": started.isoformat(timespec="seconds"), "sample": args.sample, "jobs": args.jobs,
         "command": " ".join(sys.argv), "path": "pure" if args.pure else "compiled",
         "modules": {module: dataclasses.asdict(row) for module, row in scores.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
