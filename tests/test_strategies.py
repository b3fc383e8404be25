"""The contract of ``fmtcodec.strategies`` itself, apart from what its values are used to test.

A user's first run: Hypothesis builds some tables the first time they are needed in a folder and
caches them in ``.hypothesis/``.  The table of which characters a codec can encode takes over a
second (1.3 s on a 2-core machine), and a strategy that needs it inside a draw trips the
``too_slow`` health check of the first run.  The strategies must never need it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_strategies_never_build_the_codec_table(tmp_path):
    # Run in a fresh process in an empty folder, where nothing is cached yet; the table's
    # builder is replaced by one that fails, and every strategy is drawn from in every fmt.
    script = textwrap.dedent(
        """
        from hypothesis import HealthCheck, given, settings
        from hypothesis.internal import charmap

        def refuse(codec):
            raise AssertionError(f"the {codec} codec table was built")

        assert callable(charmap.intervals_from_codec)  # still where Hypothesis builds it
        charmap.intervals_from_codec = refuse

        from fmtcodec import strategies as fs

        for for_fmt in (None, 0, 1, 2, 3):
            # (no deadline nor speed check: on a loaded machine both fail for reasons not the code's)
            @settings(max_examples=25, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
            @given(fs.replies(for_fmt=for_fmt), fs.free_text(for_fmt=for_fmt))
            def draw(reply, text):
                pass

            draw()
        print("drawn")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == "drawn\n"
