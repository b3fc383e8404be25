"""Shared test setup: the Hypothesis profiles, and what the mutation run needs of the tests (the
core's caches emptied before each test, each mutant's tests chosen; docs/development.md).

Four profiles are registered:

``dev``
    30 examples a property, the default on a workstation.  Derandomized: the examples are drawn
    from a seed fixed per test, so a run's verdict depends on the code alone, never on luck
    (issue 12: a mutant that survived one run and died the next).  No deadline and no
    ``too_slow`` health check: on a loaded machine both fail for reasons that are not the code's.
``ci``
    100 examples a property, derandomized as ``dev`` is (CI's verdict must be reproducible on a
    workstation), no deadline (shared CI runners are noisy).  The default when the environment has
    ``CI=true`` (GitHub Actions, GitLab CI and most others set it).
``thorough``
    5000 examples a property, randomized, no deadline, ``print_blob=True`` so a failure prints the
    ``@reproduce_failure`` blob to replay it: the deep run before a release, where new examples
    are the point.
``mutation``
    10 examples a property, derandomized, without the shrink and explain phases: the profile of
    the mutation run (docs/development.md), where a failing example is a verdict and a smaller one
    adds nothing, and where a surviving mutant runs every property that reaches it.

``HYPOTHESIS_PROFILE`` picks one explicitly and wins over ``CI``::

    HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest -q tests/test_properties.py
    CI=true .venv/bin/python -m pytest -q --hypothesis-show-statistics
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

_LOAD_DEPENDENT = [HealthCheck.too_slow]

settings.register_profile(
    "dev", max_examples=30, derandomize=True, deadline=None, suppress_health_check=_LOAD_DEPENDENT
)
settings.register_profile(
    "ci", max_examples=100, derandomize=True, deadline=None, suppress_health_check=_LOAD_DEPENDENT
)
settings.register_profile("thorough", max_examples=5000, deadline=None, print_blob=True)
# The mutation run (tools/mutation.py): ``dev`` without shrinking, and fewer examples.  A mutant is
# killed by the first failing example; shrinking it to a smaller one changes nothing of that verdict
# but can take minutes a mutant.  A survivor runs every property that reaches the statement it
# changes, and the properties were 94% of what the last 4 274 mutants' tests cost: 10 examples
# instead of 30 make that a third (docs/development.md, "Which tests judge a mutant").
settings.register_profile(
    "mutation",
    settings.get_profile("dev"),
    max_examples=10,
    phases=[phase for phase in Phase if phase not in (Phase.shrink, Phase.explain)],
)


def _default_profile() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").lower() == "true" else "dev"


settings.load_profile(_default_profile())


_TESTS_OF_MUTANT = os.environ.get("FMTCODEC_TESTS_OF_MUTANT")

# Under the mutation run (tools/mutation.py sets FMTCODEC_TESTS_OF_MUTANT): a test file copied into
# mutants/tests as test_check_*.py, to try a new test on mutants while the run goes on, is not part
# of the suite the run judges with (it would change the suite's test ids, which makes mutmut time
# every test again, and fail its clean run where it tests a fix the copy does not have).
collect_ignore_glob = ["test_check_*.py"] if _TESTS_OF_MUTANT else []

# The core's caches of what it makes once a kind or a charset and keeps (splitters, plans, typed
# decoders, tables), by module; tests/test_sources.py checks that every module-level cache of the
# core is listed.
CORE_CACHES = {
    "text": ("_SPLITTERS", "_PAIRS", "_PAIR_SPLITTERS", "_SENTENCES"),
    "values": ("_SPLITTERS", "_VARIANTS", "_ROW_PLANS"),
    "json": ("_TYPED", "_TABLES", "_LENIENT", "_LAX", "_PAGE_FIELDS", "_PAGE_PLANS", "_DIRECT"),
    "xml": ("_RECORD_PATTERNS", "_ITEM_PLANS"),
}

# The core's classes whose ``functools.cached_property`` values are kept on their instances: the
# layouts of the table (``layout.LAYOUTS``) keep what they work out once (the kind with its
# article, the field index, ...); tests/test_sources.py checks that every class of the core with a
# cached property is listed.
CACHED_PROPERTIES = {"layout": ("RecordLayout",)}


if _TESTS_OF_MUTANT:

    @pytest.fixture(autouse=True)
    def _fresh_core_caches() -> None:
        """The mutation run: every test starts with the core's caches empty, as it would alone in
        a new process, so a mutant in the code that fills them runs in every test that needs what
        they keep, not only in the first one (mutmut forks each mutant's tests from a process
        that has already filled them with the original code's)."""
        import functools
        import importlib

        for module, names in CORE_CACHES.items():
            found = importlib.import_module(f"fmtcodec.{module}")
            for name in names:
                getattr(found, name).clear()
        instances = importlib.import_module("fmtcodec.layout").LAYOUTS.values()  # every one the core keeps
        for module, classes in CACHED_PROPERTIES.items():
            found = importlib.import_module(f"fmtcodec.{module}")
            for name in classes:
                kind = getattr(found, name)
                kept = [key for key, value in vars(kind).items() if isinstance(value, functools.cached_property)]
                for instance in instances:
                    if isinstance(instance, kind):
                        for key in kept:
                            instance.__dict__.pop(key, None)

    def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
        """The mutation run (``tools/mutation.py``): judge the mutant mutmut names in
        ``MUTANT_UNDER_TEST`` only by the tests that ran the statement it changes, listed in a file
        named after it; a mutant without that file keeps every test mutmut gave it."""
        listed = Path(_TESTS_OF_MUTANT or "", os.environ.get("MUTANT_UNDER_TEST") or ".")
        if not listed.is_file():
            return
        chosen = set(listed.read_text("utf-8").splitlines())
        config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in chosen])
        items[:] = [item for item in items if item.nodeid in chosen]
