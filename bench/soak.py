"""A workshop soak (issue 12): N participants reload and move between module pages for a while.

Serves the course as `course workshop --module m03 --room POOL` does (a token, the session page's
warm pool, kernels bound to their browser) and waits until it is at rest. Then:

* Warm-up: one person opens each page of the soak once and closes it, so Voila has compiled its
  templates and filled its caches; the server comes back to rest. That is the idle level: PSS
  from /proc/<pid>/smaps_rollup summed over the server's processes (Voila and its kernels, found
  by STEADY_GROUND_HOME=<its folder> in their environment, bench/idle.py's way), and its kernels.
* Soak: N Chromium participants (each its own browser context: its own cookies and seat) open the
  session's page with the token, then, each after a pause of a few seconds, reload it or move to
  another page, at most --at-once of them navigating at the same moment (a room on one laptop's
  two cores). Every page must come in (HTTP 200), show its widgets, and raise no page error, no
  console error, no failed cell and no HTTP error from the server; each one that does not is counted.
* Leaving: half the participants close their tab (Voila's page sends its shutdown beacon), the
  other half just vanish (a phone put away: no beacon; the idle cull must free their kernels).
  The workshop culls after 20 quiet minutes; the soak shortens that to --cull seconds so it can
  wait for it.
* After: once the kernels are back to the idle count and memory is at rest (or --settle seconds
  have passed): PSS, and kernels left beyond the idle count. Then the server stops, and any of
  its processes still alive 15 s later is counted (and killed).

Prints the pages served, the errors, the kernels left, and PSS idle -> peak -> after, with the ratio
after/idle (the baseline is the same server's idle level, measured in the same run).
Usage: flock /tmp/sg-browser.lock .venv/bin/python bench/soak.py [--participants 10] [--minutes 10]
tests/reliability/test_soak.py runs the same soak, short, and asserts on it.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import signal
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.idle import processes, pss_mb  # noqa: E402
from course.browser import free_port, launch_options, module_url, serving  # noqa: E402
from course.notebooks import build_notebooks, page_names  # noqa: E402
from course.serve import profile, voila_command  # noqa: E402
from course.syllabus import load_syllabus  # noqa: E402

TOKEN = "soak-" + secrets.token_urlsafe(12)
CELL_ERROR = "There was an error when executing cell"
KERNEL_JS = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
PAGE_TIMEOUT_MS = 120_000
REST_INTERVAL_S = 2.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Soak:
    """What one soak measured."""
    participants: int
    seconds: float
    idle_mb: float = 0.0
    idle_kernels: int = 0
    peak_mb: float = 0.0
    peak_kernels: int = 0
    after_mb: float = 0.0
    after_kernels: int = 0
    voila_idle_mb: float = 0.0  # of those, Voila's own process (not its kernels)
    voila_after_mb: float = 0.0
    settled_s: float = 0.0
    left_after_stop: int = 0
    pages: int = 0          # page loads that came in whole (HTTP 200, widgets shown, no error)
    requests: int = 0       # requests the server answered (documents, scripts, API calls)
    errors: Counter = field(default_factory=Counter)
    raced: int = 0          # a leaving page's kernel check, answered 404 after its own beacon (see Person); page.js
                            # stops checking once a page is being left, so tests/reliability/test_soak.py wants 0
    outside: list[str] = field(default_factory=list)

    @property
    def kernels_left(self) -> int:
        return self.after_kernels - self.idle_kernels

    @property
    def ratio(self) -> float:
        return self.after_mb / self.idle_mb if self.idle_mb else float("nan")


def voila_mb(home: Path) -> float:
    """PSS of the server's processes that are not kernels (Voila itself)."""
    return sum(pss_mb(p) for p, kernel in processes(home).items() if not kernel)


def pss_total(home: Path) -> tuple[float, int]:
    """(PSS in MB summed over the server's processes, kernel processes alive)."""
    procs = processes(home)
    return sum(pss_mb(p) for p in procs), sum(procs.values())


def cpu_seconds(pids) -> float:
    used = 0.0
    for pid in pids:
        try:
            fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
            used += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            continue
    return used


async def at_rest(home: Path, kernels: int, timeout: float) -> tuple[float, int, float]:
    """Wait until exactly `kernels` kernels run, memory holds (2 MB or 0.5%) and the server uses under
    10% of a core. (PSS MB, kernels, seconds waited); measured anyway when `timeout` runs out."""
    start = time.monotonic()
    last, last_k, last_cpu, last_pids = -1.0, -1, 0.0, set()
    total, alive = 0.0, 0
    while True:
        procs = processes(home)
        total, alive, cpu = sum(pss_mb(p) for p in procs), sum(procs.values()), cpu_seconds(procs)
        busy = (cpu - last_cpu) / REST_INTERVAL_S
        if (alive == kernels and alive == last_k and set(procs) == last_pids
                and abs(total - last) < max(2.0, 0.005 * total) and busy < 0.10):
            return total, alive, time.monotonic() - start
        if time.monotonic() - start >= timeout:
            return total, alive, time.monotonic() - start
        last, last_k, last_cpu, last_pids = total, alive, cpu, set(procs)
        await asyncio.sleep(REST_INTERVAL_S)


class Person:
    """One participant: a browser context of their own and its page, watched for every kind of error."""

    def __init__(self, context, base: str, soak: Soak, name: str):
        self.context, self.base, self.soak, self.name = context, base, soak, name
        self.page = None
        self.url = ""
        self.kernel = ""      # the open page's kernel id
        self.leaving = ""     # while navigating away: the kernel id of the page being left

    def _error(self, kind: str, detail: str = "") -> None:
        self.soak.errors[kind] += 1
        if self.soak.errors[kind] <= 3:  # the first few, to see what went wrong; no page text is logged
            print(f"    {self.name}: {kind} {detail[:160]}".rstrip(), flush=True)

    async def start(self) -> None:
        local = self.base.rstrip("/")

        async def route(r):
            url = r.request.url
            if url.startswith((local, "data:", "blob:")):
                return await r.continue_()
            self.soak.outside.append(url)
            return await r.abort()

        await self.context.route("**/*", route)
        self.page = await self.context.new_page()
        self.page.on("pageerror", lambda exc: self._error("page error", str(exc)))
        self.page.on("console", self._console)
        self.page.on("response", self._answered)

    def _own_last_check(self, url: str) -> bool:
        """The page being left asked whether its kernel is alive (page.js watchKernel, every 30 s) just
        after its own beforeunload had Voila shut that kernel down: a 404 nobody sees (that document is
        going away). Counted apart, not as an error; only for that exact address, only while leaving."""
        return bool(self.leaving) and url == f"{self.base}api/kernels/{self.leaving}"

    def _answered(self, response) -> None:
        if not response.url.startswith(self.base):
            return
        self.soak.requests += 1
        if response.status == 404 and self._own_last_check(response.url):
            self.soak.raced += 1
        elif response.status >= 400:
            self._error(f"HTTP {response.status}", re.sub(r"[0-9a-f-]{36}", "<id>", response.url))

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        if self._own_last_check(msg.location.get("url", "")) and "404" in msg.text:
            return  # the browser's own line for the same 404
        self._error("console error", msg.text)

    async def arrive(self, landing: str) -> None:
        """The link the facilitator shared: the token, then the list of modules."""
        try:
            response = await self.page.goto(landing, timeout=PAGE_TIMEOUT_MS)
            if response is None or response.status != 200:
                self._error("landing page not served", str(response and response.status))
        except Exception as exc:
            self._error("landing page did not load", str(exc).splitlines()[0])

    async def visit(self, url: str | None) -> None:
        """Open `url` (None: reload), then check the page came in whole."""
        self.leaving = self.kernel
        try:
            if url is None:
                response = await self.page.reload(timeout=PAGE_TIMEOUT_MS)
            else:
                response = await self.page.goto(url, timeout=PAGE_TIMEOUT_MS)
                self.url = url
            await asyncio.sleep(0.5)  # a response to the old document may still be on its way
            self.leaving = ""
            if response is None or response.status != 200:
                self._error("page not served", str(response and response.status))
                return
            await self.page.locator("#rendered_cells").wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
            await self.page.locator(".sg-widget").first.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
            if await self.page.get_by_text(CELL_ERROR).count():
                self._error("failed cell")
                return
            self.kernel = await self.page.evaluate(KERNEL_JS)
            self.soak.pages += 1
        except Exception as exc:  # a page that never came is a finding, not a crash of the soak
            self._error("page did not render", str(exc).splitlines()[0])

    async def says_kernel_gone(self) -> None:
        """The notice a page shows when its kernel is gone ("This page went to sleep"): never, in a soak."""
        if await self.page.locator("#sg-kernel-gone").count():
            self._error("page said its kernel was gone")

    async def leave(self, beacon: bool) -> None:
        if beacon:
            await self.page.close(run_before_unload=True)  # Voila's page sends its shutdown beacon
            await asyncio.sleep(1)  # the beacon goes out before the browser context does
        await self.context.close()  # without a beacon: the page just vanishes


def session_pages(module: str, others: int) -> tuple[str, list[str]]:
    """The session module's page stem and `others` other module pages."""
    syllabus = load_syllabus()
    names = page_names(syllabus)
    ready = syllabus.ready()
    by_id = {m.id: names[m.stem] for m in ready}
    stem = by_id[module]
    rest = [names[m.stem] for m in ready if names[m.stem] != stem and m.id != ready[0].id]
    return stem, rest[:others]


async def run(participants: int = 10, seconds: float = 600, pool: int = 1, module: str = "m03",
              cull: int = 20, at_once: int = 2, settle: float = 120, pause: tuple[float, float] = (4, 12),
              cull_off: bool = False, log: Path | None = None, quiet: bool = False) -> Soak:
    """One soak on a fresh workshop server; see the module's docstring. `cull_off`: the server culls no
    idle kernel (a break, to show the kernels-left check fails without the cull)."""
    say = (lambda *_a, **_k: None) if quiet else print
    soak = Soak(participants, seconds)
    stem, others = session_pages(module, 2)
    build_notebooks()
    rng = random.Random(12)
    with tempfile.TemporaryDirectory(prefix="sg-soak-home-") as folder:
        home, port = Path(folder), free_port()
        log = log or Path(tempfile.mkdtemp(prefix="sg-soak-log-")) / "voila.log"
        prof = replace(profile("workshop", host="127.0.0.1", pool_size=pool, open_browser=False, warm=(stem,),
                               module=module), cull_idle_s=0 if cull_off else cull, cull_interval_s=max(2, cull // 4))
        argv, env = voila_command(prof, port, token=TOKEN)
        env["STEADY_GROUND_HOME"] = str(home)
        say(f"soak: {participants} participants for {seconds:.0f} s on {stem} (pool {pool}) and {', '.join(others)}; "
            f"idle cull after {'never' if cull_off else f'{cull} s'}; log {log}", flush=True)
        try:
            with serving(argv, env, port, log) as base:
                await soak_on(soak, base, home, stem, others, pool, at_once, settle, pause, rng, say)
        finally:
            deadline = time.monotonic() + 15
            while processes(home) and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            left = processes(home)
            soak.left_after_stop = len(left)
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
    say(report(soak), flush=True)
    return soak


async def soak_on(soak: Soak, base: str, home: Path, stem: str, others: list[str], pool: int, at_once: int,
                  settle: float, pause: tuple[float, float], rng: random.Random, say) -> None:
    landing = f"{base}?token={TOKEN}"
    pages = [module_url(base, s) for s in (stem, *others)]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**launch_options())
        try:
            soak.idle_mb, soak.idle_kernels, took = await at_rest(home, pool, timeout=180)
            say(f"  server at rest after {took:.0f} s: {soak.idle_mb:.0f} MB PSS, {soak.idle_kernels} kernels")
            first = Person(await browser.new_context(), base, Soak(0, 0), "warm-up")
            await first.start()
            await first.arrive(landing)
            for url in pages:
                await first.visit(url)
            await first.leave(beacon=True)
            soak.idle_mb, soak.idle_kernels, took = await at_rest(home, pool, timeout=60)
            soak.voila_idle_mb = voila_mb(home)
            say(f"  idle after a warm-up visit of each page: {soak.idle_mb:.0f} MB PSS (Voila {soak.voila_idle_mb:.0f} "
                f"MB), {soak.idle_kernels} kernels")

            people = [Person(await browser.new_context(), base, soak, f"participant {i + 1}")
                      for i in range(soak.participants)]
            gate = asyncio.Semaphore(at_once)
            end = time.monotonic() + soak.seconds

            async def someone(person: Person) -> None:
                await person.start()
                async with gate:
                    await person.arrive(landing)
                    await person.visit(pages[0])
                while True:
                    await asyncio.sleep(min(rng.uniform(*pause), max(0.0, end - time.monotonic())))
                    async with gate:
                        if time.monotonic() >= end:
                            return
                        await person.visit(None if rng.random() < 0.5 else rng.choice(pages))

            async def watch() -> None:
                while True:
                    total, kernels = pss_total(home)
                    soak.peak_mb, soak.peak_kernels = max(soak.peak_mb, total), max(soak.peak_kernels, kernels)
                    await asyncio.sleep(REST_INTERVAL_S)

            started = time.monotonic()
            watcher = asyncio.ensure_future(watch())
            tasks = [asyncio.ensure_future(someone(p)) for p in people]
            while not all(t.done() for t in tasks):
                await asyncio.wait(tasks, timeout=15)
                total, kernels = pss_total(home)
                say(f"    t={time.monotonic() - started:4.0f} s  {total:6.0f} MB PSS  {kernels:3d} kernels  "
                    f"{soak.pages} pages in, {sum(soak.errors.values())} errors", flush=True)
            for t in tasks:
                t.result()  # an exception in the soak itself is a bug here: show it
            for person in people:
                await person.says_kernel_gone()
            await asyncio.gather(*(p.leave(beacon=i % 2 == 0) for i, p in enumerate(people)))
            watcher.cancel()
            soak.after_mb, soak.after_kernels, soak.settled_s = await at_rest(home, soak.idle_kernels, timeout=settle)
            soak.voila_after_mb = voila_mb(home)
            say(f"  everyone left (half closed their tab, half vanished); {soak.settled_s:.0f} s later: "
                f"{soak.after_mb:.0f} MB PSS, {soak.after_kernels} kernels", flush=True)
        finally:
            await browser.close()


def report(soak: Soak) -> str:
    errors = ", ".join(f"{k}: {v}" for k, v in soak.errors.items()) or "none"
    return (f"\n{soak.participants} participants, {soak.seconds:.0f} s\n"
            f"  pages in whole          {soak.pages}\n"
            f"  requests answered       {soak.requests}\n"
            f"  errors                  {errors}\n"
            f"  leaving pages' last kernel check (404, unseen)  {soak.raced}\n"
            f"  requests off-machine    {len(soak.outside)}\n"
            f"  kernels idle / peak     {soak.idle_kernels} / {soak.peak_kernels}\n"
            f"  kernels left            {soak.kernels_left} after {soak.settled_s:.0f} s; "
            f"{soak.left_after_stop} processes after the stop\n"
            f"  PSS idle -> peak -> after  {soak.idle_mb:.0f} -> {soak.peak_mb:.0f} -> {soak.after_mb:.0f} MB "
            f"(Voila itself {soak.voila_idle_mb:.0f} -> {soak.voila_after_mb:.0f} MB)\n"
            f"  ratio after/idle        {soak.ratio:.2f} (1.00 is back to idle; lower is better)")


def run_in_thread(**kwargs) -> Soak:
    """run() from code that may already have an event loop (pytest-playwright's sync API)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run(**kwargs)).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=10, help="people reloading and moving (default 10)")
    parser.add_argument("--minutes", type=float, default=10, help="how long they go on (default 10)")
    parser.add_argument("--pool", type=int, default=1, help="warm kernels of the session page (default 1)")
    parser.add_argument("--module", default="m03", help="the session's module (default m03)")
    parser.add_argument("--cull", type=int, default=20, help="idle cull in seconds, for those who vanish (default 20)")
    parser.add_argument("--at-once", type=int, default=2, help="participants navigating at the same moment (2)")
    parser.add_argument("--settle", type=float, default=120, help="seconds to wait for the server to come back")
    args = parser.parse_args()
    os.environ.setdefault("STEADY_GROUND_HOME", tempfile.mkdtemp(prefix="sg-soak-self-"))

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    try:
        asyncio.run(run(args.participants, args.minutes * 60, args.pool, args.module, args.cull, args.at_once,
                        args.settle))
    except KeyboardInterrupt:
        print("interrupted: the server and the browser are stopped", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
