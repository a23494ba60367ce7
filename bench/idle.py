"""Memory of `course start` at rest: every page preheated (the old default) vs only the warm pages.

Starts Voila twice as `course start` does, with one preheated kernel per
page: the baseline keeps one for each of the course's pages; the new default
keeps them only for Start here and the module the learner is likely to open
next. Each run waits until the server is at rest (its kernels started and
executed), then sums PSS over every process of the server (Voila and its
kernels, found by their learner folder). Prints both, the kernels alive, the
ratio, and how long the warm page takes to show its first widget in each.
Usage: .venv/bin/python bench/idle.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from course.browser import free_port, launch_options, module_url, serving  # noqa: E402
from course.notebooks import build_notebooks  # noqa: E402
from course.serve import profile, voila_command  # noqa: E402

WARM = ("00-start-here", "01-naming-the-wound")


def processes(home: Path) -> dict[int, bool]:
    """The server's processes (pid -> is a kernel), found by the learner folder in their environment."""
    mark = f"STEADY_GROUND_HOME={home}".encode()
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if mark in (proc / "environ").read_bytes().split(b"\0"):
                found[int(proc.name)] = b"ipykernel" in (proc / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
    return found


def pss_mb(pid: int) -> float:
    try:
        for line in (Path("/proc") / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def at_rest(home: Path, kernels: int, timeout: float = 300) -> dict[int, bool]:
    """Wait until `kernels` kernels run and memory stops growing (their notebooks have executed)."""
    deadline, last = time.monotonic() + timeout, -1.0
    while time.monotonic() < deadline:
        procs = processes(home)
        total = sum(pss_mb(p) for p in procs)
        if sum(procs.values()) >= kernels and abs(total - last) < 2:
            return procs
        last = total
        time.sleep(5)
    raise RuntimeError(f"the server did not come to rest with {kernels} kernels in {timeout:.0f} s")


def first_widget(url: str, stem: str) -> float:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options())
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(module_url(url, stem))
        page.locator(".sg-widget").first.wait_for(state="visible", timeout=120_000)
        took = time.perf_counter() - start
        browser.close()
    return took


def measure(label: str, warm: tuple[str, ...], pages: int) -> tuple[float, int, float]:
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        port = free_port()
        argv, env = voila_command(profile("start", pool_size=1, open_browser=False, warm=warm), port)
        env["STEADY_GROUND_HOME"] = str(home)
        with serving(argv, env, port, home / "voila.log") as url:
            procs = at_rest(home, len(warm) or pages)
            total = sum(pss_mb(p) for p in procs)
            kernels = sum(procs.values())
            took = first_widget(url, WARM[0])
    print(f"{label:34s} {total:7.0f} MB PSS, {kernels:2d} kernels; Start here's first widget {took:4.1f} s")
    return total, kernels, took


def main() -> None:
    pages = len(build_notebooks())
    base, _, _ = measure("every page preheated (baseline)", (), pages)
    new, _, _ = measure("warm pages only (new default)", WARM, pages)
    print(f"ratio warm-only/baseline memory: {new / base:.2f} (lower is better)")


if __name__ == "__main__":
    main()
