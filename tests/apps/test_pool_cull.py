"""A warm kernel that waited long in its pool is not culled under the page it was just given to.

A workshop server is often started well before the room arrives; `course start` may sit open over lunch. A
preheated kernel is never culled while it waits, but its idle time ran from when its notebook finished. Given
to a page after waiting longer than the idle cull, the next cull check, in the seconds before the page's
scripts connect, shut it down: the page said "widget model not found" and never showed its widgets. A
workshop soak under a full CI run lost a participant's page this way.

Here the idle cull is shortened from an hour to CULL_S seconds (checked every second) and the warm kernel waits
longer than that. Then the page is asked for, as a browser does, and its scripts are slow to connect: for
AFTER_S seconds nothing more comes. The kernel named in the page must still be there, as the page's own check
(page.js, `api/kernels/<id>`) asks; without the fix it is gone at the first cull check and the page says it
went to sleep. (A browser test of the same, with the widget scripts held back 2.5 s and the cull at 8 s, failed
under a full test run even with the fix: loading the scripts took longer than the cull on a busy machine.)
"""
from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

from course.browser import free_port, module_url, serving
from course.notebooks import build_notebooks
from course.serve import profile, voila_command
from tests.apps.conftest import kernel_environments, wait_until

PAGE = "03-calming-the-body"
CULL_S = 6
AFTER_S = 2.5
KERNEL_IN_PAGE = re.compile(r'"kernelId": "([0-9a-f-]{36})"')


def kernel_ids(home) -> set[str]:
    """The ids of this server's kernels alive now (from their processes' connection files)."""
    return {m.group(1).decode() for pid in kernel_environments(f"STEADY_GROUND_HOME={home}".encode())
            for m in [re.search(rb"kernel-([0-9a-f-]{36})", Path(f"/proc/{pid}/cmdline").read_bytes())] if m}


def kernel_model(base: str, kernel_id: str) -> dict | None:
    """The server's answer about one kernel (what page.js asks every 30 s), or None when it has none."""
    try:
        with urllib.request.urlopen(f"{base}api/kernels/{kernel_id}", timeout=10) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def state(base: str, kernel_id: str) -> str:
    """The kernel's execution state; "" while the server cannot say yet (a kernel still starting: 500)."""
    try:
        return (kernel_model(base, kernel_id) or {}).get("execution_state", "")
    except urllib.error.HTTPError:
        return ""


def test_a_kernel_that_waited_in_the_pool_past_the_idle_cull_is_kept_for_the_page_it_was_given_to(tmp_path):
    build_notebooks()
    home, port = tmp_path / "home", free_port()
    home.mkdir()
    prof = replace(profile("start", host="127.0.0.1", pool_size=1, open_browser=False, warm=(PAGE,)),
                   cull_idle_s=CULL_S, cull_interval_s=1)
    argv, env = voila_command(prof, port, serve_config=tmp_path / "serve")
    env["STEADY_GROUND_HOME"] = str(home)
    with serving(argv, env, port, tmp_path / "voila.log") as base:
        # The warm kernel has run its notebook and gone quiet; it waits longer than the idle cull.
        (warm,) = wait_until(lambda: kernel_ids(home), timeout=120)
        wait_until(lambda: state(base, warm) == "idle", timeout=120)
        time.sleep(CULL_S + 2)
        assert kernel_ids(home) == {warm}, "the pool's kernel was culled while waiting"

        with urllib.request.urlopen(module_url(base, PAGE), timeout=120) as answer:
            page = answer.read().decode()
        given = KERNEL_IN_PAGE.search(page)
        assert given and given.group(1) == warm, "the page did not get the warm kernel"
        time.sleep(AFTER_S)  # the page's scripts are still loading: two cull checks pass
        assert kernel_model(base, warm) is not None, "the page's kernel was culled before its scripts connected"
        assert warm in kernel_ids(home)
