"""A workshop room (issue 9): N people open the session's module at once, use it, close it.

Starts Voila as a facilitator's `course workshop --module m03 --room N` does (the module's
page keeps N preheated kernels, a token is required) and waits until it is at rest. Then:

* Arrival: the room opens the module page at the same moment: N-3 HTTP clients (each its own
  cookie jar, asking for the page address with ?token=, reading the whole body) and 3 headless
  Chromium pages (separate browser contexts, nothing outside this machine reachable), all
  released together. Prints the time until every page was fully served (the HTTP status and the
  whole HTML body in; for Chromium, the document's response finished) and the median time from
  navigation to the first `.sg-widget` visible in the Chromium pages. The three browsers run on
  this machine's cores, beside the server: in a real room each runs on its own device. For scale,
  once everyone has left, one more Chromium page alone on the quiet server is timed the same way.
* Memory: PSS from /proc/<pid>/smaps_rollup summed over the server's processes (Voila and its
  kernels, found by STEADY_GROUND_HOME=<its folder> in their environment), once the pool has
  refilled and the server is at rest again (kernels all there, memory steady, under 10% of one
  core busy). "Per participant" is that total divided by N (the simplest honest figure: it
  includes the refilled pool and the server); the growth over the idle server divided by N is
  printed too.
* Closing: every HTTP client sends what Voila's page sends on `beforeunload` (a
  `navigator.sendBeacon` POST of a FormData with `_xsrf`, the value of the `_xsrf` cookie or ""
  without one, to `<base>voila/api/shutdown/<kernel id>`); the Chromium pages close with
  `page.close(run_before_unload=True)`. Like the course's page.js, an HTTP client whose page
  carries the course's `mountPage({home})` asks the landing page once for the `_xsrf` cookie;
  under plain Voila's template nothing does. "Kernels left" after 60 s: of the kernel ids the
  participants' pages got (the `kernelId` in each page), how many the server still knows
  (`GET <base>api/kernels/<id>` answers 200, not 404). The kernel processes alive minus the
  preheated pool's size are printed as a cross-check.
* Soak (workshop only): ~10 HTTP participants each reload their page or move to another module every
  10-20 s for --soak seconds (the old page's beacon, then the new page, as a browser does), then
  all close; prints memory and kernels over time and whether memory comes back to within 10% of
  the idle level within 90 s.
* Baseline, in the same run: the same arrival, memory and closing against plain Voila with its
  defaults (`python -m voila <notebooks> --token=...`: its own template, no preheated kernels,
  no culling), and the ratios workshop/baseline.

Each server's log is kept in a folder under /tmp, printed at the start and the end. With the
defaults a run takes about 6 minutes on a 2-core machine; others' browser tests wait for it
if run as `flock /tmp/sg-browser.lock .venv/bin/python bench/room.py`.
Usage: .venv/bin/python bench/room.py [--room N] [--module m03] [--soak SECONDS] [--skip-baseline]
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import http.cookiejar
import os
import random
import re
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from idle import processes, pss_mb  # noqa: E402

from course.browser import free_port, launch_options, module_url, serving  # noqa: E402
from course.notebooks import NOTEBOOKS, build_notebooks, page_names  # noqa: E402
from course.serve import profile, voila_command  # noqa: E402
from course.syllabus import load_syllabus  # noqa: E402

TOKEN = "room-bench-" + secrets.token_urlsafe(12)
BROWSERS = 3             # of the room, this many are real Chromium pages
SOAKERS = 10             # participants who reload and move about during the soak
CLOSE_WAIT_S = 60        # after everyone closed, before counting the kernels left
RETURN_WAIT_S = 90       # after the soak, how long memory may take to come back
HTTP_TIMEOUT_S = 900     # a cold page in the baseline can take minutes when the whole room starts at once
WIDGET_TIMEOUT_MS = 900_000
REST_INTERVAL_S = 5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
ASKS_FOR_XSRF = re.compile(r"mountPage\(\s*\{\s*home:")  # the course's page.js: ensureXsrfCookie(home)
CELL_ERROR = "There was an error when executing cell"
WIDGET_OUTPUT = "application/vnd.jupyter.widget-view+json"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) steady-ground-room-bench"
KERNEL_JS = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"


def kernel_count(home: Path) -> int:
    return sum(processes(home).values())


def pss_total(home: Path) -> tuple[float, int]:
    """(PSS in MB summed over the server's processes, kernel processes alive)."""
    procs = processes(home)
    return sum(pss_mb(p) for p in procs), sum(procs.values())


def cpu_seconds(pids) -> dict[int, float]:
    """CPU time (user + system, s) each process has used so far."""
    used = {}
    for pid in pids:
        try:
            fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
            used[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            continue
    return used


def server_mb(home: Path) -> float:
    """PSS of the server's processes that are not kernels (Voila itself)."""
    return sum(pss_mb(p) for p, kernel in processes(home).items() if not kernel)


async def at_rest(home: Path, kernels: int, timeout: float = 900) -> tuple[float, int]:
    """Wait until at least `kernels` kernels run, their number holds, memory stops growing (as
    bench/idle.py's at_rest, with a tolerance that grows with the room: 2 MB or 0.3%) and the
    server's processes together use under 10% of one core (the kernels have executed their pages)."""
    deadline, last, last_k, last_cpu = time.monotonic() + timeout, -1.0, -1, {}
    total, alive = 0.0, 0
    while time.monotonic() < deadline:
        procs = processes(home)
        total, alive, cpu = sum(pss_mb(p) for p in procs), sum(procs.values()), cpu_seconds(procs)
        busy = sum(cpu[p] - last_cpu[p] for p in cpu if p in last_cpu) / REST_INTERVAL_S
        if (alive >= kernels and alive == last_k and abs(total - last) < max(2.0, 0.003 * total)
                and set(cpu) == set(last_cpu) and busy < 0.10):
            return total, alive
        last, last_k, last_cpu = total, alive, cpu
        await asyncio.sleep(REST_INTERVAL_S)
    print(f"  (not at rest after {timeout:.0f} s: {alive} kernels, {total:.0f} MB; measured anyway)")
    return total, alive


@contextmanager
def server(argv: list[str], env: dict, port: int, home: Path, log: Path):
    """serving(), and afterwards no process of this server left: a kernel Voila did not stop is killed by its pid."""
    try:
        with serving(argv, env, port, log) as url:
            yield url
    finally:
        deadline = time.monotonic() + 15
        while processes(home) and time.monotonic() < deadline:
            time.sleep(0.5)
        for pid in processes(home):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


@dataclass
class Visit:
    status: int
    served_at: float     # perf_counter when the whole page was in
    kernel: str | None
    widgets: int         # widget outputs in the page (a complete page has them all)
    error: bool          # Voila reported a cell that failed


class Participant:
    """One person's browser as far as the server can tell, over plain HTTP: its own cookies,
    the page (whole body), the course page's _xsrf request, and the beacon on leaving."""

    def __init__(self, base: str):
        self.base = base
        self.origin = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.url = ""
        self.kernel: str | None = None
        self.kernels: list[str] = []

    def _get(self, url: str) -> tuple[int, bytes]:
        request = urllib.request.Request(url, headers={
            "User-Agent": USER_AGENT, "Accept-Encoding": "gzip",
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
        try:
            with self.opener.open(request, timeout=HTTP_TIMEOUT_S) as response:
                status, body, encoding = response.status, response.read(), response.headers.get("Content-Encoding")
        except urllib.error.HTTPError as exc:
            status, body, encoding = exc.code, exc.read(), exc.headers.get("Content-Encoding")
        except OSError:
            return 0, b""
        return status, gzip.decompress(body) if encoding == "gzip" else body

    def xsrf(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "_xsrf"), "")

    def open(self, url: str) -> Visit:
        status, body = self._get(url)
        served = time.perf_counter()
        text = body.decode("utf-8", "replace")
        found = KERNEL_ID.search(text) if status == 200 else None
        self.url, self.kernel = url, found.group(1) if found else None
        if self.kernel:
            self.kernels.append(self.kernel)
        if ASKS_FOR_XSRF.search(text) and not self.xsrf():
            self._get(self.base)  # what the course's page.js does when the page came without the cookie
        return Visit(status, served, self.kernel, text.count(WIDGET_OUTPUT), CELL_ERROR in text)

    def close(self) -> int | None:
        """Voila's beforeunload: sendBeacon(`${base}voila/api/shutdown/${id}`, FormData{_xsrf}). The HTTP status."""
        if not self.kernel:
            return None
        boundary = "----WebKitFormBoundary" + secrets.token_hex(8)
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="_xsrf"\r\n\r\n{self.xsrf()}\r\n'
                f"--{boundary}--\r\n").encode()
        request = urllib.request.Request(
            f"{self.base}voila/api/shutdown/{self.kernel}", data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": self.origin,
                     "Referer": self.url, "User-Agent": USER_AGENT})
        self.kernel = None
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0


@dataclass
class Room:
    """What one room measured on one server."""
    label: str
    n: int
    pool: int
    steady: int = 0  # warm kernels the page keeps once the room has arrived (course/voila_app.py steady_pool)
    idle_mb: float = 0.0
    idle_kernels: int = 0
    idle_server_mb: float = 0.0
    served: list[float] = field(default_factory=list)
    ok_pages: int = 0
    widget: list[float] = field(default_factory=list)
    room_mb: float = 0.0
    room_kernels: int = 0
    beacons: Counter = field(default_factory=Counter)
    left: int = 0
    left_procs: int = 0
    alone: float = float("nan")
    kernel_ids: list[str] = field(default_factory=list)

    @property
    def all_served(self) -> float:
        return max(self.served) if self.served else float("nan")

    @property
    def first_widget(self) -> float:
        return statistics.median(self.widget) if self.widget else float("nan")

    @property
    def per_person(self) -> float:
        return self.room_mb / self.n


def kernel_known(base: str, kernel: str) -> bool:
    """Does the server still know this kernel? (what Voila's page itself asks: GET api/kernels/<id>)"""
    request = urllib.request.Request(f"{base}api/kernels/{kernel}", headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status == 200
    except urllib.error.HTTPError as exc:
        return exc.code != 404
    except OSError:
        return False


def route_offline(context, base: str, outside: list[str]):
    local = base.rstrip("/")

    async def route(r):
        url = r.request.url
        if url.startswith((local, "data:", "blob:")):
            return await r.continue_()
        outside.append(url)
        return await r.abort()

    return context.route("**/*", route)


async def open_in_chromium(page, url: str) -> tuple[Visit, float | None]:
    """Navigate; (the visit, seconds from navigation to the first .sg-widget visible, or None)."""
    start = time.perf_counter()
    try:
        response = await page.goto(url, wait_until="commit", timeout=HTTP_TIMEOUT_S * 1000)
        await response.finished()
        served, status = time.perf_counter(), response.status
    except Exception as exc:  # a page that never came is a result, not a crash
        print(f"  a Chromium page did not load: {exc}".splitlines()[0])
        return Visit(0, time.perf_counter(), None, 0, False), None
    widget = None
    try:
        await page.locator(".sg-widget").first.wait_for(state="visible", timeout=WIDGET_TIMEOUT_MS)
        widget = time.perf_counter() - start
    except Exception:
        print("  a Chromium page showed no widget in time")
    try:
        kernel = await page.evaluate(KERNEL_JS)
    except Exception:
        kernel = None
    return Visit(status, served, kernel, 0, False), widget


def summary(times: list[float]) -> str:
    return f"slowest {max(times):.2f} s, median {statistics.median(times):.2f} s"


async def run_room(room: Room, browser, base: str, page_url: str, home: Path, pool: ThreadPoolExecutor) -> None:
    """Steps 2-5: the room arrives, memory with it in, everyone closes, kernels left after a minute."""
    loop = asyncio.get_running_loop()
    n_browsers = min(BROWSERS, room.n)
    people = [Participant(base) for _ in range(room.n - n_browsers)]
    contexts, pages, outside = [], [], []
    for _ in range(n_browsers):
        context = await browser.new_context()
        await route_offline(context, base, outside)
        contexts.append(context)
        pages.append(await context.new_page())
    first_url = f"{page_url}?token={TOKEN}"  # the address with the token, as the facilitator's link carries it
    barrier = threading.Barrier(len(people) + 1)

    def arrive(person: Participant) -> Visit:
        barrier.wait()
        return person.open(first_url)

    futures = [loop.run_in_executor(pool, arrive, p) for p in people]
    await loop.run_in_executor(None, barrier.wait)
    t0 = time.perf_counter()
    results = await asyncio.gather(*futures, *(open_in_chromium(page, first_url) for page in pages))
    visits = [r if isinstance(r, Visit) else r[0] for r in results]
    room.widget = [r[1] for r in results[len(people):] if r[1] is not None]
    room.served = [v.served_at - t0 for v in visits]
    statuses = Counter(v.status for v in visits)
    full = max((v.widgets for v in visits[:len(people)]), default=0)
    complete = sum(v.status == 200 and v.widgets == full and not v.error for v in visits[:len(people)])
    room.ok_pages = complete + sum(v.status == 200 for v in visits[len(people):])
    room.kernel_ids = [v.kernel for v in visits if v.kernel]
    print(f"  all {room.n} pages served in {room.all_served:.2f} s ({summary(room.served)}); HTTP statuses "
          f"{dict(statuses)}; {complete}/{len(people)} HTTP pages complete ({full} widget outputs each, no cell "
          f"error); {len(set(room.kernel_ids))} distinct kernels handed out")
    if room.widget:
        print(f"  first .sg-widget visible in Chromium ({n_browsers} pages navigated with the HTTP clients, same "
              f"moment): median {statistics.median(room.widget):.2f} s, runs "
              f"{', '.join(f'{w:.2f}' for w in room.widget)}")
    if outside:
        print(f"  Chromium tried to reach outside this machine (refused): {outside[:3]}")

    room.room_mb, room.room_kernels = await at_rest(home, room.steady + room.n)
    print(f"  room in, at rest: {room.room_mb:.0f} MB PSS (Voila {server_mb(home):.0f} MB), "
          f"{room.room_kernels} kernels (warm pool refilled to {room.steady} + {room.n} participants); "
          f"per participant (total / {room.n}): {room.per_person:.0f} MB; "
          f"growth over idle / {room.n}: {(room.room_mb - room.idle_mb) / room.n:.0f} MB")

    closing = [loop.run_in_executor(pool, p.close) for p in people]
    await asyncio.gather(*(page.close(run_before_unload=True) for page in pages))
    room.beacons = Counter(await asyncio.gather(*closing))
    await asyncio.sleep(CLOSE_WAIT_S)
    alive = await asyncio.gather(*(loop.run_in_executor(pool, kernel_known, base, k) for k in room.kernel_ids))
    room.left = sum(alive)
    room.left_procs = kernel_count(home) - room.steady
    print(f"  everyone closed (HTTP beacons answered {dict(room.beacons)}; Chromium pages closed with "
          f"beforeunload); {CLOSE_WAIT_S} s later: {room.left} of the {len(room.kernel_ids)} participants' kernels "
          f"still alive (GET api/kernels/<id>); kernel processes beyond the pool of {room.steady}: {room.left_procs}")
    for context in contexts:
        await context.close()

    # For scale: the same page for one person alone, on the server quiet again (a pool kernel, or a cold one).
    context = await browser.new_context()
    await route_offline(context, base, outside)
    page = await context.new_page()
    _, alone = await open_in_chromium(page, first_url)
    room.alone = alone if alone is not None else float("nan")
    await page.close(run_before_unload=True)
    await asyncio.sleep(2)  # the beacon goes out before its context does
    await context.close()
    print(f"  then one person alone on the quiet server: first .sg-widget visible in {room.alone:.2f} s")


async def soak(base: str, home: Path, pool: ThreadPoolExecutor, page_url: str, others: list[str], seconds: float,
               idle_mb: float, idle_server: float, pool_size: int) -> tuple[bool, float]:
    """Step 6: participants reload or move every 10-20 s; then all close; does memory come back?"""
    loop = asyncio.get_running_loop()
    rng = random.Random(9)
    people = [Participant(base) for _ in range(SOAKERS)]
    loads: list[float] = []
    beacons: Counter = Counter()
    errors = Counter()

    async def visit(person: Participant, url: str) -> None:
        start = time.perf_counter()
        v = await loop.run_in_executor(pool, person.open, url)
        loads.append(v.served_at - start)
        if v.status != 200 or v.error:
            errors[v.status if v.status != 200 else "cell error"] += 1

    async def someone(person: Participant, end: float) -> None:
        await visit(person, f"{page_url}?token={TOKEN}")
        while True:
            await asyncio.sleep(rng.uniform(10, 20))
            if time.monotonic() >= end:
                return
            url = person.url if rng.random() < 0.5 else rng.choice(others)
            beacons[await loop.run_in_executor(pool, person.close)] += 1
            await visit(person, url)

    start = time.monotonic()
    end = start + seconds
    tasks = [asyncio.ensure_future(someone(p, end)) for p in people]
    print(f"  soak: {len(people)} participants reload or move to another module every 10-20 s for {seconds:.0f} s")
    while not all(t.done() for t in tasks):
        await asyncio.wait(tasks, timeout=15)
        total, kernels = pss_total(home)
        recent = f"median {statistics.median(loads):.2f} s, slowest {max(loads):.2f} s" if loads else "none yet"
        print(f"    t={time.monotonic() - start:5.0f} s  {total:6.0f} MB PSS  {kernels:3d} kernels  "
              f"page loads {len(loads)} ({recent})")
    for t in tasks:
        t.result()  # an exception in a participant is a bug here: show it
    beacons.update(await asyncio.gather(*(loop.run_in_executor(pool, p.close) for p in people)))
    print(f"    everyone closed; beacons answered {dict(beacons)}; failed page loads {dict(errors) or 0}")
    closed = time.monotonic()
    while True:
        total, kernels = pss_total(home)
        back = abs(total / idle_mb - 1) <= 0.10 and kernels == pool_size
        waited = time.monotonic() - closed
        if back or waited >= RETURN_WAIT_S:
            break
        await asyncio.sleep(5)
    print(f"    {waited:3.0f} s after closing: {total:.0f} MB PSS ({total / idle_mb - 1:+.0%} vs idle "
          f"{idle_mb:.0f} MB), {kernels} kernels (pool {pool_size}): "
          f"{'back' if back else 'NOT back'} within 10% of idle; Voila itself {server_mb(home):.0f} MB "
          f"(idle {idle_server:.0f} MB)")
    return back, total


def log_findings(log: Path) -> str:
    """Lines in a Voila log worth a look: errors, tracebacks, dying kernels, refused beacons, other
    4xx/5xx answers (not the bench's own 404s for kernels already gone)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    found = Counter()
    for line in text.splitlines():
        answer = re.match(r"\s*([45]\d\d) (\w+) (\S+) \(.*\) [\d.]+ms$", line)
        if "Traceback" in line:
            found["tracebacks"] += 1
        elif "] ERROR |" in line or "[E " in line:
            found["ERROR lines"] += 1
        elif re.search(r"restarting kernel|[Kk]ernel \S+ died|dead kernel", line):
            found["kernels died or restarted"] += 1
        elif answer and answer[1] == "403" and "/voila/api/shutdown/" in answer[3]:
            found["beacons refused (403)"] += 1
        elif answer and not (answer[1] == "404" and answer[3].startswith("/api/kernels/")):
            found[f"{answer[1]} {answer[2]} {re.sub(r'[0-9a-f-]{36}', '<id>', answer[3])}"] += 1
    return ", ".join(f"{k}: {v}" for k, v in found.items()) or "nothing alarming"


async def workshop(args, stem: str, others: list[str], logs: Path, pool: ThreadPoolExecutor, browser) -> Room:
    room = Room("workshop", args.room, args.room)
    with tempfile.TemporaryDirectory(prefix="sg-room-home-") as folder:
        home, port = Path(folder), free_port()
        prof = profile("workshop", host="127.0.0.1", pool_size=args.room, open_browser=False, warm=(stem,))
        argv, env = voila_command(prof, port, token=TOKEN)
        steady = [a.split("=", 1)[1] for a in argv if a.startswith("--SteadyVoila.steady_pool=")]
        room.steady = int(steady[0]) if steady else args.room
        env["STEADY_GROUND_HOME"] = str(home)
        print(f"workshop (course workshop --module {args.module} --room {args.room}), log {logs / 'workshop.log'}")
        with server(argv, env, port, home, logs / "workshop.log") as base:
            started = time.monotonic()
            room.idle_mb, room.idle_kernels = await at_rest(home, args.room)
            room.idle_server_mb = server_mb(home)
            print(f"  idle, at rest after {time.monotonic() - started:.0f} s: {room.idle_mb:.0f} MB PSS "
                  f"(Voila {room.idle_server_mb:.0f} MB), {room.idle_kernels} kernels")
            page_url = module_url(base, stem)
            await run_room(room, browser, base, page_url, home, pool)
            if args.soak > 0:
                # The steady state the soak must come back to: the page's smaller warm pool, refilled.
                steady_mb, _ = await at_rest(home, room.steady)
                print(f"  before the soak, at rest: {steady_mb:.0f} MB PSS, {room.steady} warm kernels")
                await soak(base, home, pool, page_url, [module_url(base, o) for o in others], args.soak,
                           steady_mb, server_mb(home), room.steady)
    print(f"  Voila log: {logs / 'workshop.log'}: {log_findings(logs / 'workshop.log')}")
    return room


async def baseline(args, stem: str, logs: Path, pool: ThreadPoolExecutor, browser) -> Room:
    room = Room("plain Voila", args.room, 0)
    with tempfile.TemporaryDirectory(prefix="sg-room-home-") as folder:
        home, port = Path(folder), free_port()
        # The course's environment (its template path, workshop mode for the kernels), none of its Voila settings.
        _, env = voila_command(profile("workshop", host="127.0.0.1", pool_size=0, open_browser=False), port)
        env["STEADY_GROUND_HOME"] = str(home)
        env.pop("JUPYTER_CONFIG_PATH", None)
        argv = [sys.executable, "-m", "voila", str(NOTEBOOKS), f"--port={port}", "--no-browser",
                "--Voila.ip=127.0.0.1", f"--token={TOKEN}"]
        print(f"baseline (plain Voila, its defaults), log {logs / 'baseline.log'}")
        with server(argv, env, port, home, logs / "baseline.log") as base:
            room.idle_mb, room.idle_kernels = await at_rest(home, 0)
            room.idle_server_mb = server_mb(home)
            print(f"  idle, at rest: {room.idle_mb:.0f} MB PSS (Voila {room.idle_server_mb:.0f} MB), "
                  f"{room.idle_kernels} kernels")
            await run_room(room, browser, base, module_url(base, stem), home, pool)
    print(f"  Voila log: {logs / 'baseline.log'}: {log_findings(logs / 'baseline.log')}")
    return room


def ratio(new: float, base: float) -> str:
    return f"{new / base:.2f}" if base else "n/a"


def table(new: Room, base: Room | None) -> None:
    rows = [
        (f"all {new.n} pages served (s)", lambda r: r.all_served, "{:.2f}"),
        ("median page served (s)", lambda r: statistics.median(r.served), "{:.2f}"),
        (f"first widget, median of {min(BROWSERS, new.n)} Chromium (s)", lambda r: r.first_widget, "{:.2f}"),
        ("first widget, one page alone after (s)", lambda r: r.alone, "{:.2f}"),
        ("pages complete (HTTP + Chromium)", lambda r: r.ok_pages, "{:d}"),
        ("PSS idle (MB)", lambda r: r.idle_mb, "{:.0f}"),
        ("PSS with the room in (MB)", lambda r: r.room_mb, "{:.0f}"),
        ("PSS per participant = total/N (MB)", lambda r: r.per_person, "{:.0f}"),
        ("growth over idle / N (MB)", lambda r: (r.room_mb - r.idle_mb) / r.n, "{:.0f}"),
        ("kernels left 60 s after closing", lambda r: r.left, "{:d}"),
    ]
    print()
    print(f"{'room of ' + str(new.n):40s} {'workshop':>10s} {'plain Voila':>12s} {'new/base':>9s}")
    for name, get, fmt in rows:
        b = get(base) if base else None
        print(f"{name:40s} {fmt.format(get(new)):>10s} {fmt.format(b) if base else '-':>12s} "
              f"{ratio(get(new), b) if base else '-':>9s}")


def session_page(module: str) -> tuple[str, list[str]]:
    """The served page stem for `m03` (or a stem given as is) and the other pages."""
    syllabus = load_syllabus()
    names = page_names(syllabus)
    by_id = {m.id: names[m.stem] for m in syllabus.ready()}
    stem = by_id.get(module, module)
    if stem not in names.values():
        raise SystemExit(f"--module must be one of {', '.join(by_id)} (or a page stem); got {module!r}")
    return stem, [s for s in names.values() if s != stem]


async def main_async(args) -> None:
    stem, others = session_page(args.module)
    build_notebooks()
    logs = Path(tempfile.mkdtemp(prefix="sg-room-logs-"))
    print(f"room of {args.room} on {stem}; soak {args.soak:.0f} s; logs in {logs}")
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.room + 8) as pool:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch_options())
            try:
                new = await workshop(args, stem, others, logs, pool, browser)
                base = None if args.skip_baseline else await baseline(args, stem, logs, pool, browser)
            finally:
                await browser.close()
    table(new, base)
    print(f"\nPSS per participant: the server's whole PSS with the room in (Voila, the participants' kernels and "
          f"the refilled pool) / N. Kernels left: participants' kernel ids the server still knows {CLOSE_WAIT_S} s "
          f"after they closed. Run took {(time.monotonic() - started) / 60:.1f} min; logs in {logs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--room", type=int, default=30, help="people in the room (default 30)")
    parser.add_argument("--module", default="m03", help="the session's module (default m03)")
    parser.add_argument("--soak", type=float, default=120, help="seconds of reloading and moving about (default 120)")
    parser.add_argument("--skip-baseline", action="store_true", help="only the workshop (a quick try)")
    args = parser.parse_args()
    if args.room < 1:
        parser.error("--room must be 1 or more")
    # The bench's own process never touches a learner's real notes.
    os.environ.setdefault("STEADY_GROUND_HOME", tempfile.mkdtemp(prefix="sg-room-self-"))

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    try:
        asyncio.run(main_async(args))
    except KeyboardInterrupt:
        print("interrupted: the servers and the browser are stopped", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
