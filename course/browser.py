"""Running the course on this machine and opening it in Chromium: for the browser tests and bench/.

The course itself never uses this module. Tests (tests/apps, tests/book) and
benchmarks (bench/) share it, so bench/ never imports from tests/.
"""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
PLAYWRIGHT_CHROMIUM_ENV = "STEADY_GROUND_PLAYWRIGHT_CHROMIUM"
"""Set (to anything) to launch Playwright's own Chromium even where Debian's is installed."""
# Without these flags Chromium tries to reach Google's services at start, which
# this machine's closed network refuses many times over.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
]


def launch_options(options: dict | None = None) -> dict:
    """Playwright's ``chromium.launch`` options: ours added to ``options``; Debian's chromium when it is there."""
    launch = {**(options or {}), "args": CHROMIUM_ARGS}
    if DEBIAN_CHROMIUM.exists() and not os.environ.get(PLAYWRIGHT_CHROMIUM_ENV):
        launch["executable_path"] = str(DEBIAN_CHROMIUM)
    return launch


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90, context=None) -> None:
    """Wait until ``url`` answers 200; RuntimeError, with the end of ``log``, if ``proc`` stops or time runs out.

    ``context``: an ``ssl.SSLContext`` that trusts the server's certificate, for https."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"The server exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5, context=context) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"The server did not answer at {url}:\n{log.read_text()[-3000:]}")


@contextmanager
def serving(argv: list[str], env: dict, port: int, log: Path) -> Iterator[str]:
    """Run a server command until it answers on 127.0.0.1:port; yield its URL; always stop it."""
    with log.open("w") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def module_url(base: str, stem: str) -> str:
    """The Voila address of a module's app, e.g. ``module_url(url, "03-calming-the-body")``."""
    return f"{base}voila/render/{stem}.ipynb"


__all__ = ["CHROMIUM_ARGS", "DEBIAN_CHROMIUM", "free_port", "launch_options", "module_url", "serving", "wait_for"]
