"""Voila served on 127.0.0.1 with a free port, as `course start` serves it."""
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from course.browser import free_port, module_url, serving
from course.notebooks import build_notebooks
from course.serve import profile, voila_command
from course.store import Store

NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><main><h1>Weather</h1></main></html>"


def wait_until(check, timeout: float = 10.0):
    """Poll `check()` until it returns something truthy (the store is read from outside the page)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the store")


def demo_notebook(path: Path, *cells: str, title: str | None = None) -> Path:
    """Write a demo notebook for a browser test: a cell starting with "# " is Markdown, others are code."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if title:
        nb.metadata["title"] = title
    nb.cells = [nbformat.v4.new_markdown_cell(c) if c.startswith("# ") else nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


@contextmanager
def voila_server(notebooks: Path, home: Path, log: Path, pool_size: int = 0):
    """Serve a folder of notebooks as `course start` does; yield the base URL; always stop it."""
    build_notebooks()  # also writes the course's Voila template into build/share/jupyter
    port = free_port()
    argv, env = voila_command(profile("start", pool_size=pool_size, open_browser=False), port, notebooks=notebooks)
    env["STEADY_GROUND_HOME"] = str(home)
    with serving(argv, env, port, log) as url:
        yield url


@pytest.fixture(scope="session")
def server_home(tmp_path_factory) -> Path:
    """The learner data folder of the served course (the kernels write here)."""
    return tmp_path_factory.mktemp("learner-home")


@pytest.fixture(scope="session")
def voila_url(server_home, tmp_path_factory):
    """The course's own notebooks, with a preheated kernel per module."""
    from course.notebooks import NOTEBOOKS

    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with voila_server(NOTEBOOKS, server_home, log, pool_size=1) as url:
        yield url


@pytest.fixture
def learner_store(server_home):
    """The served course's store, as the learner's device holds it."""
    store = Store(server_home / "steady-ground.sqlite3")
    yield store
    store.close()


def keep_offline(page, local: str = "http://127.0.0.1") -> list[str]:
    """Let the page reach only `local`; the quick exit's neutral site is faked. Returns the
    list of addresses it tried to reach elsewhere (each one refused)."""
    from course.safety import load_resources

    neutral = load_resources()["quick_exit"]["url"]
    outside: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith((local, "data:", "blob:")):
            return r.continue_()
        if url.startswith(neutral):
            return r.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)
        outside.append(url)
        return r.abort()

    page.context.route("**/*", route)
    return outside


@pytest.fixture
def offline_page(page):
    """A page that may not reach anything but this machine; the quick-exit site is faked."""
    outside = page.outside_requests = keep_offline(page)
    yield page
    assert not outside, f"the page tried to reach outside this machine: {outside[:5]}"


def open_module(page, base: str, stem: str, timeout: float = 120_000):
    """Open a module app and wait until Voila has run every cell.

    The first pages of a run wait while eleven preheated kernels start at once on a
    two-core machine (a fresh run once needed more than 60 s): the test checks what
    the page does, not how fast it comes; bench/ measures speed.
    """
    page.goto(module_url(base, stem))
    page.wait_for_selector("#rendered_cells", state="visible", timeout=timeout)
    return page


KEY_MS = 60


def type_like_a_person(page, text: str, rolled: bool = False) -> None:
    """Type text key by key, 60 ms apart, pressing Shift for each capital.

    rolled: a fast typist lets go of Shift before the letter (Shift down,
    letter down, Shift up, letter up).
    """
    for ch in text:
        if ch.isupper():
            key = f"Key{ch}"
            page.keyboard.down("Shift")
            page.wait_for_timeout(KEY_MS)
            if rolled:
                page.keyboard.down(key)
                page.wait_for_timeout(KEY_MS // 2)
                page.keyboard.up("Shift")
                page.wait_for_timeout(KEY_MS // 2)
                page.keyboard.up(key)
            else:
                page.keyboard.press(key)
                page.wait_for_timeout(KEY_MS)
                page.keyboard.up("Shift")
        else:
            page.keyboard.press("Space" if ch == " " else ch)
        page.wait_for_timeout(KEY_MS)


def kernel_pids(kernel_id: str | None = None) -> set[int]:
    """The ipykernel processes alive now (only the one serving `kernel_id`, if given)."""
    found = set()
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmdline and (kernel_id is None or kernel_id.encode() in cmdline):
            found.add(int(proc.name))
    return found


def kernel_environments(*marks: bytes) -> dict[int, list[bytes]]:
    """The ipykernel processes alive now whose environment holds every one of ``marks`` (``b"NAME=value"``):
    pid -> that environment, to tell whose kernels they are and what they were given."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if b"ipykernel" not in (proc / "cmdline").read_bytes():
                continue
            environ = (proc / "environ").read_bytes().split(b"\0")
        except (OSError, ValueError):  # gone meanwhile, not ours to read, or not a process
            continue
        if all(mark in environ for mark in marks):
            found[int(proc.name)] = environ
    return found
