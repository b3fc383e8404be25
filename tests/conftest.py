"""Shared test setup: the Hypothesis profiles.

Three profiles are registered:

``dev``
    30 examples a property, the default on a workstation: the whole suite stays quick.
``ci``
    200 examples a property, no deadline (shared CI runners are noisy), and ``print_blob=True``
    so a failure prints the ``@reproduce_failure`` blob to replay it locally.  The default when
    the environment has ``CI=true`` (GitHub Actions, GitLab CI and most others set it).
``thorough``
    5000 examples a property, no deadline, for a long run before a release.

``HYPOTHESIS_PROFILE`` picks one explicitly and wins over ``CI``::

    HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest -q tests/test_properties.py
    CI=true .venv/bin/python -m pytest -q --hypothesis-show-statistics
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", max_examples=30)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=5000, deadline=None)


def _default_profile() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").lower() == "true" else "dev"


settings.load_profile(_default_profile())
