"""Lets the benchmarks import the seeded corpus next to them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
