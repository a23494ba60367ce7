"""A warm kernel that waited long in its pool is not culled under the page it was just given to.

A workshop server is often started well before the room arrives; `course start` may sit open over lunch. A
preheated kernel is never culled while it waits, but its idle time ran from when its notebook finished. Given
to a page after waiting longer than the idle cull, the next cull check, in the seconds before the page's
scripts connect, shut it down: the page said "widget model not found" and never showed its widgets. A
workshop soak under a full CI run lost a participant's page this way.

Here the idle cull is shortened from an hour to CULL_S seconds (checked every second), the warm kernel waits
longer than that, and the page's widget scripts come in DELAY_S seconds late, as on a slow phone or a busy
laptop. The page must still show its widgets with no console error, and keep its kernel.
"""
from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.browser import free_port, module_url, serving
from course.notebooks import build_notebooks
from course.serve import profile, voila_command
from tests.apps.conftest import keep_offline, wait_until
from tests.apps.test_kernels import kernels

pytestmark = pytest.mark.browser
PAGE = "03-calming-the-body"
CULL_S = 8
DELAY_S = 2.5
CULL_FLAG = "--MappingKernelManager.cull_idle_timeout="
INTERVAL_FLAG = "--MappingKernelManager.cull_interval="
KERNEL_JS = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"


def kernel_ids(home) -> set[str]:
    """The ids of this server's kernels alive now (from their processes' connection files)."""
    return {m.group(1).decode() for pid in kernels(home)
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


def test_a_kernel_that_waited_in_the_pool_past_the_idle_cull_still_serves_its_page(browser, tmp_path):
    build_notebooks()
    home, port = tmp_path / "home", free_port()
    home.mkdir()
    prof = profile("start", host="127.0.0.1", pool_size=1, open_browser=False, warm=(PAGE,))
    argv, env = voila_command(prof, port, serve_config=tmp_path / "serve")
    argv = [f"{CULL_FLAG}{CULL_S}" if a.startswith(CULL_FLAG) else f"{INTERVAL_FLAG}1" if a.startswith(INTERVAL_FLAG)
            else a for a in argv]
    env["STEADY_GROUND_HOME"] = str(home)
    with serving(argv, env, port, tmp_path / "voila.log") as base:
        # The warm kernel has run its notebook and gone quiet; it waits longer than the idle cull.
        (warm,) = wait_until(lambda: kernel_ids(home), timeout=120)
        wait_until(lambda: (kernel_model(base, warm) or {}).get("execution_state") == "idle", timeout=120)
        time.sleep(CULL_S + 3)
        assert kernel_ids(home) == {warm}, "the pool's kernel was culled while waiting"

        context = browser.new_context()
        try:
            page = context.new_page()
            keep_offline(page)
            errors = []
            page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            def late(route):
                time.sleep(DELAY_S)
                route.continue_()

            page.route(re.compile(r"widgets-manager8/static/.*\.js"), late)
            page.goto(module_url(base, PAGE))
            expect(page.locator(".sg-widget").first).to_be_visible(timeout=60_000)
            given = page.evaluate(KERNEL_JS)
            assert given == warm, "the page did not get the warm kernel"
            time.sleep(2)  # two more cull checks
            assert kernel_model(base, given) is not None and given in kernel_ids(home), "the page's kernel was culled"
            assert not [e for e in errors if "widget model not found" in e or "Kernel" in e], errors
            assert page.get_by_text("There was an error when executing cell").count() == 0
        finally:
            context.close()
