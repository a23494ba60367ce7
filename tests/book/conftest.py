"""The static book, built once per test run, and served on 127.0.0.1 like any static host."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from course.book import build_book
from course.browser import free_port


@pytest.fixture(scope="session")
def book_home(tmp_path_factory) -> Path:
    """STEADY_GROUND_HOME during the build: a learner folder the build must leave untouched."""
    return tmp_path_factory.mktemp("book-learner-home")


BUILD_SECONDS = pytest.StashKey[float]()


def pytest_terminal_summary(terminalreporter, config):
    if BUILD_SECONDS in config.stash:
        terminalreporter.write_line(f"static book: strict build took {config.stash[BUILD_SECONDS]:.1f} s")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory, book_home, pytestconfig):
    """(html folder, seconds) of one strict build of the real course (warnings are errors)."""
    before = os.environ.get("STEADY_GROUND_HOME")
    os.environ["STEADY_GROUND_HOME"] = str(book_home)
    try:
        started = time.perf_counter()
        html = build_book(strict=True, out=tmp_path_factory.mktemp("book"))
        seconds = time.perf_counter() - started
    finally:
        if before is None:
            os.environ.pop("STEADY_GROUND_HOME", None)
        else:
            os.environ["STEADY_GROUND_HOME"] = before
    pytestconfig.stash[BUILD_SECONDS] = seconds
    return html, seconds


@pytest.fixture(scope="session")
def book_html(built_book) -> Path:
    return built_book[0]


@pytest.fixture(scope="session")
def book_url(book_html, tmp_path_factory):
    """The built book served by `python -m http.server` on 127.0.0.1 (ES modules need http, not file://)."""
    port = free_port()
    log = tmp_path_factory.mktemp("book-server") / "http.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(book_html)],
            stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "intro.html", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"http.server did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def watched_page(page, book_url):
    """A browser page plus every request that left 127.0.0.1 and every uncaught page error.

    blob: and data: URLs never leave the page (anywidget imports each widget's
    code from a blob: URL).
    """
    host = book_url.rstrip("/")
    watched = SimpleNamespace(page=page, outside=[], errors=[])

    def on_request(request):
        if not request.url.startswith((host + "/", "blob:", "data:")):
            watched.outside.append(request.url)

    page.on("request", on_request)
    page.on("pageerror", lambda exc: watched.errors.append(str(exc)))
    return watched
