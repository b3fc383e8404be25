"""The published project depends on nothing outside it: every "facts §N" citation resolves to a
section of spec/sources.md, and no absolute path of a development machine appears in any file."""

from __future__ import annotations

import ast
import re
import tomllib
from collections import Counter
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


# --------------------------------------------------------------------------------------------
# Statements of the docs that depend on the code or on the machine, kept true (issue 15, item 13)

USER_DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "spec").rglob("*.md"))]
# what is true on one machine or one install only: "this machine", a server's version string
_MACHINE_BOUND = re.compile(r"\bthis (?:[\w-]+ )?(?:machine|VM|computer)\b|\b(?:Werkzeug|Python)/[0-9]+\.[0-9]+")


def test_docs_say_nothing_that_is_true_on_one_machine_only():
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in USER_DOCS
        if path.parent.name != "captures"  # the real replies, headers as the server sent them
        for line in path.read_text("utf-8").splitlines()
        if _MACHINE_BOUND.search(line)
    ]
    assert found == []


DEVELOPMENT = ROOT / "docs" / "development.md"
MUTMUT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
_MUTANT = re.compile(r"`(?:fmtcodec\.)?([a-z_]+)\.(x_[A-Za-z0-9_]+?|xǁ\w+ǁ\w+?)__mutmut_[0-9]+`")


def _functions(module: str) -> set[str]:
    """``x_name`` for each function and ``xǁClassǁmethod`` for each method, as mutmut names them."""
    tree = ast.parse((ROOT / "fmtcodec" / f"{module}.py").read_text("utf-8"))
    found = {f"x_{node.name}" for node in tree.body if isinstance(node, ast.FunctionDef)}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            found |= {f"xǁ{node.name}ǁ{item.name}" for item in node.body if isinstance(item, ast.FunctionDef)}
    return found


def test_every_mutant_the_development_doc_names_is_in_mutated_code():
    mutated = {Path(path).stem for path in MUTMUT["only_mutate"]}
    named = _MUTANT.findall(DEVELOPMENT.read_text("utf-8"))
    assert len(named) >= 20  # the survivor tables are read
    outside = sorted({module for module, _ in named} - mutated)
    assert outside == []
    gone = sorted({f"{module}.{function}" for module, function in named if function not in _functions(module)})
    assert gone == []


def test_every_judged_survivor_is_a_mutant_of_mutated_code_with_a_reason_and_judged_once():
    """mutation/equivalent.txt and mutation/survivors.txt name mutants as mutmut does
    (``fmtcodec.<module>.<function>__mutmut_<n>``), each with why; a name whose module is no longer
    mutated or whose function is gone is stale, and a survivor is either equivalent or accepted."""
    mutated = {Path(path).stem for path in MUTMUT["only_mutate"]}
    pattern = re.compile(r"fmtcodec\.([a-z_]+)\.(x_[A-Za-z0-9_]+?|xǁ\w+ǁ\w+?)__mutmut_[0-9]+")
    names: dict[str, list[str]] = {}
    for listing in ("equivalent.txt", "survivors.txt"):
        text = (ROOT / "mutation" / listing).read_text("utf-8")
        entries = [line.partition(" ") for line in text.splitlines() if line.strip() and not line.startswith("#")]
        assert [name for name, _, why in entries if not pattern.fullmatch(name) or not why.strip()] == [], listing
        found = [pattern.fullmatch(name).groups() for name, _, _ in entries]  # type: ignore[union-attr]
        assert sorted({module for module, _ in found} - mutated) == [], listing
        assert sorted({f"{m}.{f}" for m, f in found if f not in _functions(m)}) == [], listing
        names[listing] = [name for name, _, _ in entries]
    assert len(names["equivalent.txt"]) > 100
    listed = Counter(names["equivalent.txt"] + names["survivors.txt"])  # in both lists, or twice in one
    assert sorted(name for name, times in listed.items() if times > 1) == []


def test_the_development_doc_names_the_mutated_modules_and_the_tests_the_run_leaves_out():
    text = " ".join(DEVELOPMENT.read_text("utf-8").split())
    scope = text[text.index("* **Mutated**:") : text.index("* **Tests run against mutants**")]
    shown = re.findall(r"`(\w+)`", scope[: scope.index("(`[tool.mutmut] only_mutate`")])
    assert shown == [Path(path).stem for path in MUTMUT["only_mutate"]]
    runner = (ROOT / "tools" / "mutation.py").read_text("utf-8")
    assert f"MODULES = {shown!r}".replace("'", '"') in runner
    left_out = text[text.index("* **Tests run against mutants**") : text.index("* **Sampling**")]
    ignored = [arg.split("=", 1)[1] for arg in MUTMUT["pytest_add_cli_args_test_selection"] if arg.startswith("--ignore")]
    args = MUTMUT["pytest_add_cli_args"]
    deselected = [args[i + 1].split("::")[1] for i, arg in enumerate(args) if arg == "--deselect"]
    files = left_out[left_out.index("the archives — ") : left_out.index(" — and these")]
    assert re.findall(r"`(tests/test_[\w*]+\.py)`", files) == ignored
    assert re.findall(r"`(test_\w+)`", left_out[left_out.index(" — and these") :]) == deselected
    assert f"these {['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][len(deselected)]} tests" in left_out


def test_the_mutation_run_empties_every_cache_of_the_core():
    """tests/conftest.py empties the core's caches before each test of the mutation run; a cache
    added to the core (a module-level ``NAME: dict[...] = {}``) and not listed there would let
    mutants in the code that fills it go unjudged (docs/development.md)."""
    from conftest import CORE_CACHES

    found = {}
    for path in MUTMUT["only_mutate"]:
        tree = ast.parse((ROOT / path).read_text("utf-8"))
        names = tuple(
            node.target.id if isinstance(node, ast.AnnAssign) else node.targets[0].id
            for node in tree.body
            if isinstance(node, ast.AnnAssign | ast.Assign)
            and isinstance(node.value, ast.Dict) and not node.value.keys
            and isinstance(node.target if isinstance(node, ast.AnnAssign) else node.targets[0], ast.Name)
        )
        if names:
            found[Path(path).stem] = names
    assert found == CORE_CACHES


def test_the_mutation_run_empties_every_cached_property_of_the_core():
    """The same for values a class of the core keeps on its instances (``@cached_property``):
    worked out in the process mutmut forks from, they would hide the mutants of the code that works
    them out (the article of a kind's name was so).  tests/conftest.py lists each such class."""
    from conftest import CACHED_PROPERTIES

    found = {}
    for path in MUTMUT["only_mutate"]:
        tree = ast.parse((ROOT / path).read_text("utf-8"))
        classes = tuple(
            node.name for node in tree.body if isinstance(node, ast.ClassDef)
            and any(isinstance(item, ast.FunctionDef) and any(ast.unparse(d).endswith("cached_property")
                                                               for d in item.decorator_list)
                    for item in node.body)
        )
        if classes:
            found[Path(path).stem] = classes
    assert found == CACHED_PROPERTIES
    # the conftest finds the instances in layout.LAYOUTS: a class kept elsewhere needs it taught where
    assert set(CACHED_PROPERTIES) <= {"layout"}


_HEALTH_CHECKS = re.compile(r"suppress_health_check=(\[[^\]]*\]|[A-Za-z_.()]+)")


def test_no_property_lets_the_machines_load_fail_it():
    # The profiles (tests/conftest.py) turn off the two checks a busy machine fails -- the deadline
    # and HealthCheck.too_slow -- and a property's own settings inherit that, except a
    # ``suppress_health_check`` list, which replaces the profile's: it must name too_slow again.
    # (A fmt-strategies test drawn in a subprocess failed a newcomer's run on a loaded machine so.)
    lists = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name == "test_sources.py":
            continue  # (this search's own pattern)
        for found in _HEALTH_CHECKS.finditer(path.read_text("utf-8")):
            lists.append(found[1])
            where = f"{path.name}: suppress_health_check={found[1]}"
            assert "too_slow" in found[1] or found[1] in ("_LOAD_DEPENDENT", "list(HealthCheck)"), where
    assert len(lists) >= 10  # the search finds them (in scripts run in a subprocess too)
    scripts = (ROOT / "tests" / "test_strategies.py").read_text("utf-8")
    assert "deadline=None, suppress_health_check=[HealthCheck.too_slow]" in scripts
