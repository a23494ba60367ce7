"""Time from opening module 3 to its first interactive widget, cold vs preheated.

Starts Voila twice as `course start` does: once with no preheated kernel
(baseline: the server runs the notebook on request) and once with a pool of
one. Prints the median of N page loads for each and their ratio, all measured
in this run. Usage: .venv/bin/python bench/first_widget.py [N]
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from course.browser import free_port, launch_options, module_url, serving  # noqa: E402
from course.notebooks import build_notebooks  # noqa: E402
from course.serve import profile, voila_command  # noqa: E402

MODULE = "03-calming-the-body"


def serve(pool_size: int, home: str, log: Path):
    """Voila as `course start` runs it, with `pool_size` preheated kernels; a context yielding its URL."""
    port = free_port()
    argv, env = voila_command(profile("start", pool_size=pool_size, open_browser=False), port)
    env["STEADY_GROUND_HOME"] = home
    return serving(argv, env, port, log)


def time_loads(browser, url: str, n: int, settle: float) -> list[float]:
    times = []
    for _ in range(n):
        time.sleep(settle)  # let the pool refill between loads, as between learners
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(module_url(url, MODULE))
        page.locator(".sg-pacer button").first.wait_for(state="visible", timeout=120_000)
        times.append(time.perf_counter() - start)
        page.close()
    return times


def main(n: int = 5) -> None:
    build_notebooks()
    with tempfile.TemporaryDirectory() as home, sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options())
        results = {}
        for label, pool in (("cold (no preheated kernel)", 0), ("preheated (pool of 1)", 1)):
            with serve(pool, home, Path(home) / f"voila-{pool}.log") as url:
                time_loads(browser, url, 1, 0)  # warm the OS file cache and browser; not counted
                results[label] = time_loads(browser, url, n, settle=8.0 if pool else 1.0)
        browser.close()
    for label, times in results.items():
        print(f"{label:28s} median {statistics.median(times):5.2f} s  runs: {', '.join(f'{t:.2f}' for t in times)}")
    cold, warm = (statistics.median(t) for t in results.values())
    print(f"ratio preheated/cold: {warm / cold:.2f} (lower is better)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
