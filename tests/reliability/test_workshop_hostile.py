"""The workshop server, tried by someone hostile in the room (issue 12).

One real `course workshop` (the command itself, on 127.0.0.1, a token required) serves the course.

* Without the token, or with a wrong one, no address gives out the course: pages, kernels, the
  notebooks' files, their contents API, the room's API, and a real kernel's own addresses.
* With the token, a module page holds no notebook source: no line of its code cells.
* An execute request sent over the page's own kernel channel, as the page would send it (its
  cookies, its kernel id), in either wire protocol and on either channel, gets no reply and runs
  nothing, while the same channel answers a kernel_info_request.
* What a participant types (a journal entry with a unique marker, typed in a browser and saved)
  is not kept on the facilitator's machine, as the README and DESIGN say ("nothing a participant
  types is kept on the server"): while the session runs and after the workshop stops, the marker is
  in no file of the data folder, the working tree (build/ included), Jupyter's runtime folder,
  Voila's connection folder, the server's log, or any file written meanwhile under /tmp, /var/tmp,
  /dev/shm or the home folder. Only the browser's own profile is left out: that is the
  participant's device. After the stop, no kernel process and no connection folder remain.

Already covered elsewhere, not repeated here: another participant's browser refused on every
address of A's kernel (tests/apps/test_room.py), the facilitator's page with the token but not its
key (test_room.py), and the execute request from a real page in the browser (test_room.py
test_a_participant_cannot_run_code_even_on_their_own_kernel, which checks the file is not written).
"""
from __future__ import annotations

import gzip
import html
import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import websocket
from playwright.sync_api import expect

from course import ROOT
from course.browser import free_port, module_url, wait_for
from course.notebooks import NOTEBOOKS
from tests.apps.conftest import keep_offline, wait_until
from tests.apps.test_kernels import kernels

pytestmark = pytest.mark.browser

TOKEN = "hostile-room-" + secrets.token_urlsafe(12)
KEY = "facilitator-key-" + secrets.token_urlsafe(12)
CALMING = "03-calming-the-body"
FIRST_SIGNS = re.compile("first signs that you are leaving your window")
COURSE_TEXT = ("Calming the body", "window of tolerance", "Resonance breathing")
NOTEBOOK_JSON = ('"cell_type"', '"nbformat"', '"kernelspec"')
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a refusal that redirects to the login page is looked at, not followed


class Client:
    """A browser as the server sees it over HTTP: its own cookies, redirects not followed."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, url: str, method: str = "GET", headers: dict | None = None) -> tuple[int, dict, str]:
        req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None,
                                     headers={"Accept-Encoding": "gzip", **(headers or {})})
        try:
            with self.opener.open(req, timeout=120) as response:
                status, head, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            status, head, body = exc.code, exc.headers, exc.read()
        if head.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return status, dict(head), body.decode("utf-8", "replace")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


class Workshop:
    """`course workshop` running as a facilitator starts it; stop() is Ctrl+C's SIGTERM."""

    def __init__(self, home: Path, log: Path):
        self.home, self.log, self.port = home, log, free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        argv = [sys.executable, "-m", "course.cli", "workshop", "--host", "127.0.0.1", f"--port={self.port}",
                f"--token={TOKEN}", f"--facilitator-key={KEY}", "--pool-size=0"]
        env = {**os.environ, "STEADY_GROUND_HOME": str(home)}
        self.started = time.time()
        with log.open("w") as out:
            self.proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        wait_for(self.base + "login", self.proc, log)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _room(tmp_path_factory):
    room = Workshop(tmp_path_factory.mktemp("hostile-home"), tmp_path_factory.mktemp("hostile-log") / "workshop.log")
    try:
        yield room
    finally:
        room.stop()


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """One workshop for the tests that only try things on it."""
    yield from _room(tmp_path_factory)


@pytest.fixture
def own_workshop(tmp_path_factory):
    """A workshop of its own, for the test that stops it (tests may run in any order)."""
    yield from _room(tmp_path_factory)


def participant(base: str) -> tuple[Client, str, str]:
    """Logged in with the token, with the module page open: (client, the page's HTML, its kernel id)."""
    client = Client()
    status, _, _ = client.request(f"{base}?token={TOKEN}")
    assert status in (200, 302)
    status, _, page = client.request(module_url(base, CALMING))
    assert status == 200, status
    found = KERNEL_ID.search(page)
    assert found, "the page names no kernel"
    return client, page, found.group(1)


def assert_gives_nothing(status: int, head: dict, body: str, what: str) -> None:
    """A refusal: 401/403/404 or a redirect to the login page, and nothing of the course in the answer."""
    if status in (301, 302, 303, 307):
        assert head.get("Location", "").split("?")[0].endswith("/login"), f"{what}: redirected to {head}"
    else:
        assert status in (401, 403, 404, 405), f"{what}: answered {status}"
    for text in (*COURSE_TEXT, *NOTEBOOK_JSON):
        assert text not in body, f"{what}: the answer holds {text!r}"


NOTEBOOK = f"{CALMING}.ipynb"
ADDRESSES = [
    "", "voila/tree", f"voila/tree/{NOTEBOOK}", f"voila/render/{NOTEBOOK}", "voila/render/08-repair.ipynb",
    "api/kernels", "api/sessions", "api/contents", f"api/contents/{NOTEBOOK}", f"api/contents/{NOTEBOOK}?content=1",
    NOTEBOOK, f"files/{NOTEBOOK}", f"voila/files/{NOTEBOOK}", f"notebooks/{NOTEBOOK}", f"nbconvert/html/{NOTEBOOK}",
    f"voila/static/..%2F..%2F{NOTEBOOK}", "voila/templates/", "voila/templates/steadyground",
    f"voila/templates/steadyground/static/..%2F..%2F..%2F..%2Fnotebooks%2F{NOTEBOOK}",
    f"voila/templates/steadyground/static/..%2F..%2F{NOTEBOOK}",
    "steady/room", "steady/facilitator", "steady/facilitator/api/state",
]


def test_without_the_token_or_with_a_wrong_one_nothing_is_given_out(workshop):
    base = workshop.base
    _, _, kernel = participant(base)  # a live kernel, so its own addresses are tried too
    own = [f"api/kernels/{kernel}", f"voila/query/{kernel}", f"api/kernels/{kernel}/channels"]
    wrong = "wrong-" + secrets.token_urlsafe(16)
    tried = 0
    for address in ADDRESSES + own:
        sep = "&" if "?" in address else "?"
        for suffix, headers in (("", {}), (f"{sep}token={wrong}", {}), ("", {"Authorization": f"token {wrong}"}),
                                (f"{sep}token={TOKEN[:-1]}", {})):
            status, head, body = Client().request(base + address + suffix, headers=headers)
            assert_gives_nothing(status, head, body, f"GET /{address}{suffix} {headers}")
            tried += 1
    for address in (f"voila/api/shutdown/{kernel}", "steady/facilitator/api/end", "steady/pulse/abc"):
        status, head, body = Client().request(base + address, method="POST")
        assert_gives_nothing(status, head, body, f"POST /{address}")
    for headers in ({}, {"Cookie": f"sg_seat=x; _xsrf=y; username-127-0-0-1-{workshop.port}=forged"}):
        with pytest.raises(websocket.WebSocketBadStatusException):
            websocket.create_connection(f"ws://127.0.0.1:{workshop.port}/api/kernels/{kernel}/channels",
                                        timeout=10, header=[f"{k}: {v}" for k, v in headers.items()])
    assert tried == 4 * (len(ADDRESSES) + len(own))
    # The template's own scripts stay open to anyone, as in every Voila (they hold no course text).
    status, _, script = Client().request(base + "voila/templates/steadyground/static/page.js")
    assert status == 200 and "mountSafetyBar" in script
    # The kernel is still there for its own page: the refusals above did not stop it.
    assert kernels(workshop.home)


def code_lines(stem: str) -> list[str]:
    """Distinctive lines of the generated notebook's code cells (what strip_sources must keep out)."""
    notebook = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))
    lines = {line.strip() for cell in notebook["cells"] if cell["cell_type"] == "code"
             for line in "".join(cell["source"]).splitlines()}
    return sorted(line for line in lines if len(line) >= 12)


def test_with_the_token_the_page_holds_no_notebook_source(workshop):
    client, page, _ = participant(workshop.base)
    assert "Calming the body" in page and "window of tolerance" in page  # the page itself is there
    lines = code_lines(CALMING)
    assert any(line.startswith("from widgets import") for line in lines) and len(lines) >= 8
    shown = html.unescape(page)
    leaked = [line for line in lines if line in page or line in shown]
    assert not leaked, f"the page holds notebook source: {leaked[:3]}"
    for text in NOTEBOOK_JSON:
        assert text not in page
    for address in (f"voila/files/{NOTEBOOK}", f"api/contents/{NOTEBOOK}", f"files/{NOTEBOOK}", NOTEBOOK,
                    f"voila/tree/{NOTEBOOK}"):
        status, head, body = client.request(workshop.base + address)
        if status == 302 and not head["Location"].split("?")[0].endswith("/login"):  # where it leads, refused
            status, head, body = client.request(workshop.base + head["Location"].lstrip("/"))
        assert_gives_nothing(status, head, body, f"with the token, GET /{address}")


def _message(msg_type: str, content: dict) -> dict:
    msg_id = uuid.uuid4().hex
    return {"header": {"msg_id": msg_id, "msg_type": msg_type, "username": "", "session": msg_id,
                       "date": "", "version": "5.3"}, "parent_header": {}, "metadata": {}, "content": content}


def _send(ws, channel: str, msg: dict, v1: bool) -> None:
    if v1:
        from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

        parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
        ws.send_binary(serialize_msg_to_ws_v1(parts, channel))
    else:
        ws.send(json.dumps({**msg, "channel": channel, "buffers": []}))


def _replies(ws, seconds: float, v1: bool, until=None) -> list[dict]:
    """The messages the kernel sends back within `seconds`, or until one satisfies `until`."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    got, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        ws.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            break
        if v1 and isinstance(frame, bytes):
            channel, parts = deserialize_msg_from_ws_v1(frame)
            frame = {"channel": channel, "header": json.loads(parts[0]), "parent_header": json.loads(parts[1]),
                     "content": json.loads(parts[3])}
        got.append(frame if isinstance(frame, dict) else json.loads(frame))
        if until and until(got[-1]):
            break
    return got


@pytest.fixture(scope="module")
def seated(workshop) -> tuple[Client, str]:
    """A participant with the module page open: their cookies and their page's kernel id."""
    client, _, kernel = participant(workshop.base)
    return client, kernel


@pytest.mark.parametrize(("protocol", "channel"), [("json", "shell"), ("json", "control"), ("v1", "shell")])
def test_an_execute_request_on_the_pages_own_kernel_gets_no_reply_and_runs_nothing(workshop, seated, tmp_path,
                                                                                   protocol, channel):
    client, kernel = seated
    v1 = protocol == "v1"
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{workshop.port}/api/kernels/{kernel}/channels?session_id={uuid.uuid4()}", timeout=30,
        cookie=client.cookie_header(), subprotocols=["v1.kernel.websocket.jupyter.org"] if v1 else None)
    try:
        hello = _message("kernel_info_request", {})
        _send(ws, "shell", hello, v1)
        answers = _replies(ws, 30, v1, until=lambda m: m["header"]["msg_type"] == "kernel_info_reply")
        assert answers and answers[-1]["header"]["msg_type"] == "kernel_info_reply", "the channel is not open"

        proof = tmp_path / f"ran-{protocol}-{channel}.txt"
        code = f"open({str(proof)!r}, 'w').write('ran')"
        run = _message("execute_request", {"code": code, "silent": False, "store_history": False,
                                           "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        refused_before = workshop.log.read_text().count(REFUSED)
        _send(ws, channel, run, v1)
        answers = _replies(ws, 3, v1)
    finally:
        ws.close()
    to_it = [m for m in answers if m.get("parent_header", {}).get("msg_id") == run["header"]["msg_id"]]
    assert not to_it, f"the kernel answered the execute request: {[m['header']['msg_type'] for m in to_it]}"
    assert not proof.exists(), "a participant's page ran code on the server"
    # this request's own refusal: the module's workshop log already holds the earlier variants'
    assert wait_until(lambda: workshop.log.read_text().count(REFUSED) > refused_before, timeout=10)


REFUSED = 'Received message of type "execute_request", which is not allowed'


def browser_profiles() -> list[Path]:
    """The user-data folders of the Chromium this test process started: the participant's device."""
    mine, found = os.getpid(), []
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
            pid = int(proc.name)
        except (OSError, ValueError):
            continue
        folder = next((a.split(b"=", 1)[1] for a in args if a.startswith(b"--user-data-dir=")), None)
        if folder is None:
            continue
        while pid > 1:  # is it a descendant of this test process?
            try:
                pid = int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                break
            if pid == mine:
                found.append(Path(folder.decode()))
                break
    return found


def written_since(start: float, folders: list[Path], skip: list[Path]) -> list[Path]:
    """Files under `folders` changed since `start` (epoch seconds), outside `skip`."""
    existing = [str(f) for f in folders if f.exists()]
    out = subprocess.run(["find", *existing, "-xdev", "-type", "f", "-newermt", f"@{start:.0f}"],
                         capture_output=True, text=True).stdout
    skipped = [str(s) for s in skip]
    return [Path(line) for line in out.splitlines() if line and not line.startswith(tuple(skipped))]


def holding(marker: str, files: list[Path]) -> list[Path]:
    needles = (marker.encode("utf-8"), marker.encode("utf-16-le"))
    found = []
    for path in files:
        try:
            if path.stat().st_size > 200_000_000:
                continue
            data = path.read_bytes()
        except OSError:  # gone meanwhile (a socket, a lock, a temporary file)
            continue
        if any(n in data for n in needles):
            found.append(path)
    return found


def searched(workshop) -> list[Path]:
    """Every file the marker could have reached, on the facilitator's machine."""
    from jupyter_core.paths import jupyter_runtime_dir

    home = Path.home()
    whole = [p for p in workshop.home.rglob("*") if p.is_file()]  # the data folder: all of it
    whole += [workshop.log]
    recent = written_since(workshop.started - 2, [ROOT, Path(jupyter_runtime_dir()), Path("/tmp"), Path("/var/tmp"),
                                                  Path("/dev/shm"), home], skip=browser_profiles())
    return whole + recent


def test_what_a_participant_types_is_kept_nowhere_on_the_server_and_nothing_is_left_after_the_stop(
        own_workshop, browser):
    workshop = own_workshop
    marker = f"MARKER-{uuid.uuid4()}"
    base = workshop.base
    context = browser.new_context()
    page = context.new_page()
    outside = keep_offline(page)
    page.goto(f"{base}?token={TOKEN}")
    page.goto(module_url(base, CALMING))
    journal = page.locator(".sg-journal")
    box = journal.get_by_role("textbox", name=FIRST_SIGNS)
    box.wait_for(timeout=120_000)
    box.click()
    box.press_sequentially(f"Tight jaw {marker}", delay=15)
    expect(journal.get_by_role("status")).to_have_text(re.compile("Saved"), timeout=30_000)
    box.fill("")  # a second save: the first text is replaced in the session's store
    box.press_sequentially(f"Shoulders {marker} again", delay=15)
    expect(journal.get_by_role("status")).to_have_text(re.compile("Saved"), timeout=30_000)

    files = searched(workshop)
    assert len(files) > 1
    found = holding(marker, files)
    assert not found, f"what a participant typed is on the server's disk: {found[:5]}"
    assert not [p for p in workshop.home.rglob("*") if p.is_file()], "the workshop wrote into the data folder"

    assert not outside, f"the page tried to reach outside this machine: {outside[:3]}"
    context.close()
    workshop.stop()
    assert workshop.proc.returncode == 0
    assert "nothing they type is kept on this machine" in workshop.log.read_text()
    assert not kernels(workshop.home), "a kernel process outlived the workshop"
    connections = re.search(r"Storing connection files in (\S+?)\.?$", workshop.log.read_text(), re.M)
    assert connections, "the log does not say where the kernels' connection files were"
    assert not Path(connections.group(1)).exists(), "the server left its connection folder behind"
    found = holding(marker, searched(workshop))
    assert not found, f"what a participant typed is on disk after the workshop stopped: {found[:5]}"
