"""The course on JupyterHub (issue 13): N people log in and open module 3 at once; what one machine needs.

Starts the local hub (course.hub_local: deploy/jupyterhub/jupyterhub_config.py, the file operators use, with a
shared password on 127.0.0.1 and the real configurable-http-proxy), then:

* Baseline, in the same run: one person alone logs in (an HTTP client: the hub's login form, then every
  redirect, their course server starting, the OAuth hand-over) and opens module 3; the time until the page is
  fully served, and the PSS their server adds.
* Arrival: N people (default 10) do the same at the same moment, each with their own cookie jar. Prints the
  time until every module-3 page was fully served, and the ratio to the baseline.
* Memory: PSS from /proc/<pid>/smaps_rollup summed over the hub's process tree (the hub, the proxy, the idle
  culler, every course server and its kernels), once all are at rest (memory steady, under 10% of one core
  busy). The hub's own overhead is the tree before anyone logs in; per person is (total - overhead) / people,
  with the ratio of the N-people figure to the baseline's one person.
* A sizing line for operators: per 100 people, memory and the CPU that starting them took.

A page's HTML arriving means its kernel ran the module's cells (Voila renders them before it answers), so the
time includes the kernel's start. Usage: .venv/bin/python bench/hub.py [--people N] [--warm]
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.idle import pss_mb  # noqa: E402
from bench.soak import cpu_seconds  # noqa: E402
from course.browser import free_port  # noqa: E402
from course.hub_local import descendants, local_hub  # noqa: E402

MODULE = "voila/render/03-calming-the-body.ipynb"
XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


def tree(hub) -> set[int]:
    return descendants(hub.proc.pid) | {hub.proc.pid}


def at_rest(hub, timeout: float = 600) -> float:
    """Wait until the hub's tree holds steady (2 MB or 0.3%) and uses under 10% of one core; its PSS."""
    deadline, last = time.monotonic() + timeout, -1.0
    while time.monotonic() < deadline:
        pids = tree(hub)
        before = cpu_seconds(pids)
        time.sleep(5)
        busy = (cpu_seconds(pids) - before) / 5
        total = sum(pss_mb(p) for p in tree(hub))
        if abs(total - last) < max(2, total * 0.003) and busy < 0.10:
            return total
        last = total
    raise RuntimeError(f"the hub did not come to rest in {timeout:.0f} s")


def visit(hub, name: str) -> float:
    """Log in as ``name`` and open module 3, as a browser's HTTP does; seconds until the page is all in."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    start = time.perf_counter()
    with opener.open(hub.url + "hub/login", timeout=60) as response:
        form = response.read().decode()
    found = XSRF.search(form)
    data = {"username": name, "password": hub.password, **({"_xsrf": found.group(1)} if found else {})}
    with opener.open(hub.url + "hub/login", data=urllib.parse.urlencode(data).encode(), timeout=300) as response:
        response.read()
    deadline = time.monotonic() + 300
    while True:  # the spawn page polls until the server is up; then the course's address works
        try:
            with opener.open(f"{hub.url}user/{name}/{MODULE}", timeout=300) as response:
                body = response.read()
                if response.status == 200 and b"rendered_cells" in body and f"/user/{name}/".encode() in body:
                    return time.perf_counter() - start
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name}'s module 3 did not open in 300 s")
        time.sleep(0.5)


def arrive(hub, names: list[str]) -> list[float]:
    took: dict[str, float] = {}
    errors: list[str] = []
    gate = threading.Barrier(len(names))

    def one(name: str) -> None:
        gate.wait()
        try:
            took[name] = visit(hub, name)
        except Exception as exc:  # reported below, with the others' figures
            errors.append(f"{name}: {exc}")

    threads = [threading.Thread(target=one, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("; ".join(errors))
    return [took[name] for name in names]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--warm", action="store_true", help="STEADY_GROUND_HUB_WARM=1: two pages kept ready")
    args = parser.parse_args()
    os.environ["STEADY_GROUND_HUB_WARM"] = "1" if args.warm else "0"
    print(f"{args.people} people; pages kept ready: {'two per person' if args.warm else 'none'}", flush=True)
    with tempfile.TemporaryDirectory() as folder, local_hub(Path(folder), free_port()) as hub:
        print(f"hub log: {hub.log}", flush=True)
        idle = at_rest(hub)
        print(f"Hub overhead (hub, proxy, idle culler), at rest: {idle:.0f} MB PSS", flush=True)

        cpu0 = cpu_seconds(tree(hub))
        alone = arrive(hub, ["solo"])[0]
        one = at_rest(hub) - idle
        print(f"Baseline, one person alone: module 3 served {alone:.1f} s after the login; "
              f"their server {one:.0f} MB PSS", flush=True)

        cpu1 = cpu_seconds(tree(hub))
        names = [f"person{i:02d}" for i in range(args.people)]
        start = time.perf_counter()
        times = arrive(hub, names)
        everyone = time.perf_counter() - start
        cpu_start = cpu_seconds(tree(hub)) - cpu1
        total = at_rest(hub)
        per = (total - idle - one) / args.people
        print(f"{args.people} people at once: all served in {everyone:.1f} s (first {min(times):.1f} s, median "
              f"{sorted(times)[len(times) // 2]:.1f} s); ratio to one alone {everyone / alone:.2f}", flush=True)
        print(f"Memory at rest: {total:.0f} MB PSS in all; per person {per:.0f} MB "
              f"(ratio to one alone {per / one:.2f}); hub overhead {idle:.0f} MB", flush=True)
        print(f"CPU to start {args.people} people: {cpu_start:.0f} s of one core ({cpu_start / args.people:.1f} s "
              f"each); the solo start took {cpu1 - cpu0:.1f} s", flush=True)
        print(f"Sizing per 100 people with a server running: {per * 100 / 1024:.1f} GiB for their servers "
              f"+ {idle:.0f} MB for the hub; starting 100 at once takes about "
              f"{cpu_start / args.people * 100 / 60:.0f} core-minutes.", flush=True)
        left = hub.stop()
        print(f"Processes left after the hub stopped: {len(left)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
