"""A short workshop soak (issue 12): the room keeps reloading and moving; the server comes back to idle.

bench/soak.py runs it (the longer run is the benchmark): a workshop server for module 3 with one warm
kernel, ten participants in Chromium (each their own browser context) reloading and moving between
three module pages, at most two navigating at once, for size(60 s, 600 s) (the quick size keeps the
whole test, server start and settling included, within its two minutes on two cores). Then half close
their tab and half vanish without a word (a phone put away), as a room leaves.

What a room would notice, asserted:
* every page came in whole: no HTTP error, no page or console error, no failed cell, no request off
  this machine, and no page ever said its kernel was gone;
* after everyone left, the server's kernels are back to its idle count (the vanished participants'
  kernels freed by the idle cull, shortened from 20 minutes to 20 s so the test can wait for it;
  shorter, a busy machine's still-loading page lost its kernel to the cull);
* its memory (PSS summed over Voila and its kernels) is back within MARGIN_MB of the idle level
  measured after a warm-up visit of each page. 60 MB: a Voila process that has served a few thousand
  requests keeps some of what it allocated (about 35 MB after 10 participants x 90 s here; the
  kernels come back to the same size); a leaked kernel is caught by the kernel count;
* after the stop, no process of the server is left.
"""
from __future__ import annotations

import pytest

from bench.soak import report, run_in_thread
from tests.reliability.conftest import size

pytestmark = pytest.mark.browser

PARTICIPANTS = 10
SECONDS = size(60, 600)
MARGIN_MB = 60


def test_a_room_reloading_and_moving_leaves_no_error_no_kernel_and_no_memory_behind(tmp_path):
    soak = run_in_thread(participants=PARTICIPANTS, seconds=SECONDS, pool=1, module="m03", cull=20, at_once=2,
                         settle=90, log=tmp_path / "voila.log", quiet=True)
    summary = report(soak)
    print(summary)  # shown with -s, and in the log of a failing run
    # The soak did real work: as many whole pages as participants at least. Run first in make test, beside the
    # suite's heaviest start (the shared server's eleven warm kernels, the book's build), 10 participants got
    # 15 whole pages and 1,640 answers in 60 s; on a quiet machine about twice as many.
    assert soak.pages >= PARTICIPANTS, f"too few pages came in: {summary}"
    assert not soak.errors, f"the room saw errors: {summary}"
    assert not soak.raced, f"a page being left still checked its kernel (page.js watchKernel): {summary}"
    assert not soak.outside, f"a page tried to reach outside this machine: {soak.outside[:3]}"
    assert soak.peak_kernels > soak.idle_kernels + PARTICIPANTS // 2, f"the room never had its kernels: {summary}"
    assert soak.kernels_left == 0, f"kernels outlived the participants who left: {summary}"
    assert soak.after_mb <= soak.idle_mb + MARGIN_MB, f"memory did not come back to idle: {summary}"
    assert soak.left_after_stop == 0, f"processes outlived the server: {summary}"
