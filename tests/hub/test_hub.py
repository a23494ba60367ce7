"""The course on JupyterHub (issue 13): deploy/jupyterhub/jupyterhub_config.py, the file operators use, run as
`make hub` runs it (STEADY_GROUND_HUB_LOCAL=1: a shared password, 127.0.0.1 only) with the real proxy.

Three people log in from their own browsers at the same time. Each lands on the course's home page and
opens module 3 with its breathing pacer. What Alice writes in her journal is in her data folder and not in
Bea's. Bea cannot open Alice's course, nor can Cam, a hub admin. Alice's own page cannot run code on her
kernel. Fay, in the hub's facilitators group, runs sessions in the hub's room (course.hub_room) that Alice and
Bea join; no one outside the group gets its facilitator page. Stopping the hub leaves no process behind: no
proxy, culler, course server, room or kernel.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from course.browser import free_port
from course.facilitator import NOT_A_FACILITATOR
from course.hub_local import local_hub
from course.store import Store
from tests.apps.conftest import keep_offline, kernel_environments, kernel_pids, type_like_a_person, wait_until
from tests.apps.test_room import EXECUTE, kernel_id

pytestmark = pytest.mark.browser

PEOPLE = ("alice", "bea", "cam")
ADMIN = "cam"
FACILITATOR = "fay"
ROOM = "services/room/"
FACILITATOR_PAGE = ROOM + "steady/facilitator"
FIRST_SIGNS = re.compile("first signs that you are leaving your window")
OWN_FETCH = """(asked) => {
  const [url, method = "GET"] = Array.isArray(asked) ? asked : [asked];
  const xsrf = document.cookie.match(/(?:^|;\\s*)_xsrf=([^;]*)/);
  const headers = xsrf ? {"X-XSRFToken": decodeURIComponent(xsrf[1])} : {};
  return fetch(url, method === "GET" ? {headers} : {method, headers, body: "{}"}).then((r) => r.status);
}"""
"""A request as the page's own scripts make it (with the _xsrf token the hub's login wants), answered by status:
evaluate(OWN_FETCH, url) reads, evaluate(OWN_FETCH, [url, "POST"]) posts."""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    room = {"STEADY_GROUND_HUB_ROOM": "m03", "STEADY_GROUND_HUB_ROOM_SIZE": "1",
            "STEADY_GROUND_HUB_ROOM_PORT": str(free_port()), "STEADY_GROUND_HUB_FACILITATORS": FACILITATOR}
    with local_hub(folder, free_port(), admins=(ADMIN,), room=room) as running:
        yield running


def log_in(page, hub, name: str, then: str = "") -> None:
    """The hub's login form, as a person fills it in; `then`: where the hub sends them afterwards."""
    page.goto(hub.url + "hub/login" + (f"?next={quote('/' + then)}" if then else ""))
    page.get_by_label("Username").click()
    type_like_a_person(page, name)
    page.get_by_label("Password").click()
    page.keyboard.type(hub.password)  # a password manager's paste: no key that needs Shift here
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture(scope="module")
def people(hub, browser):
    """Each person in their own browser, logged in at the same moment: their course starts meanwhile."""
    pages = {}
    for name in PEOPLE:
        context = browser.new_context()
        page = context.new_page()
        outside = keep_offline(page)
        log_in(page, hub, name)
        pages[name] = (page, outside)
    yield pages
    for page, outside in pages.values():
        page.context.close()
        assert not outside, f"a page tried to reach outside this machine: {outside[:5]}"


def journal_texts(folder) -> list[str]:
    path = folder / "steady-ground.sqlite3"
    if not path.exists():
        return []
    store = Store(path)
    try:
        return [entry["text"] for entry in store.journal_entries()]
    finally:
        store.close()


def test_each_person_lands_on_the_course_and_reaches_the_breathing_pacer(hub, people):
    for name, (page, _outside) in people.items():
        page.wait_for_url(re.compile(rf"/user/{name}/"), timeout=180_000)
        expect(page.get_by_role("heading", name="Steady Ground", level=1)).to_be_visible(timeout=120_000)
        expect(page.get_by_text("kept on the server of the group that runs this course")).to_be_visible()
        expect(page.get_by_role("button", name="Leave now")).to_be_visible()
    for page, _outside in people.values():
        page.get_by_role("link", name=re.compile("Calming the body")).click()
    for name, (page, _outside) in people.items():
        expect(page.locator(".sg-pacer").first).to_be_visible(timeout=120_000)
        assert page.url.startswith(f"{hub.url}user/{name}/voila/render/")
        pacer = page.locator(".sg-pacer").first
        pacer.get_by_role("button", name="Start").click()
        expect(pacer.locator(".sg-pacer-cue")).to_have_text(re.compile("Breathe in"), timeout=10_000)
        pacer.get_by_role("button", name="Stop").click()
        page.evaluate("window.sgCheckKernel()")  # as when the tab comes back into view
        page.wait_for_timeout(1_000)
        expect(page.locator("#sg-kernel-gone")).to_have_count(0)  # the hub's login lets the page's own check in
    hub.watch()


def test_a_journal_entry_is_kept_in_its_writers_folder_only(hub, people):
    page = people["alice"][0]
    text = "Alice Was Here. Shoulders Up, Jaw Tight"
    box = page.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS)
    box.click()
    type_like_a_person(page, text)
    expect(page.locator(".sg-journal").get_by_role("status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"),
                                                                           timeout=30_000)
    assert wait_until(lambda: text in journal_texts(hub.user_home("alice")), timeout=15)
    for other in ("bea", "cam"):
        assert text not in journal_texts(hub.user_home(other))
        folder = hub.user_home(other)
        for path in folder.rglob("*") if folder.exists() else ():
            if path.is_file():
                assert text.encode() not in path.read_bytes(), f"Alice's words are in {path}"
    with sqlite3.connect(hub.user_home("alice") / "steady-ground.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("name", ["bea", ADMIN])
def test_no_one_else_opens_a_persons_course_not_even_a_hub_admin(hub, people, name):
    page = people[name][0]
    alice = people["alice"][0]
    kernel = kernel_id(alice)
    for address in ("user/alice/", "user/alice/voila/render/03-calming-the-body.ipynb",
                    f"user/alice/api/kernels/{kernel}"):
        response = page.goto(hub.url + address)
        if response and response.status == 200 and "/hub/api/oauth2/authorize" in page.url:
            # The hub lets an admin in, after asking them to confirm; they do. The course then refuses.
            with page.expect_navigation() as landed:
                page.get_by_role("button", name=re.compile("Authorize")).click()
            response = landed.value
        assert response is not None and response.status == 403, f"{name} got {response and response.status} " \
                                                                 f"for {address} ({page.url})"
        expect(page.locator(".sg-journal")).to_have_count(0)
        assert "Alice Was Here" not in page.content()
    page.goto(hub.url + f"user/{name}/")  # their own course still opens; from it, they try Alice's kernel
    expect(page.get_by_role("heading", name="Steady Ground", level=1)).to_be_visible(timeout=60_000)
    refused = page.evaluate(EXECUTE, [f"{hub.url}user/alice/api/kernels/{kernel}/channels", "1"])
    assert refused == "refused", f"{name} opened Alice's kernel channel"
    stop = page.evaluate("(url) => fetch(url, {method: 'POST', redirect: 'manual'})"
                         ".then((r) => r.type === 'opaqueredirect' ? 'sent to log in' : r.status)",
                         f"{hub.url}user/alice/voila/api/shutdown/{kernel}")
    assert stop in (403, "sent to log in"), f"{name} could ask to stop Alice's kernel: {stop}"
    page.wait_for_timeout(1_500)  # a shutdown waits 0.5 s for the page's last message
    assert alice.evaluate(OWN_FETCH, f"{hub.url}user/alice/api/kernels/{kernel}") == 200, "Alice's kernel is gone"


def test_a_persons_own_page_cannot_run_code(hub, people):
    page = people["alice"][0]
    proof = hub.user_home("alice").parent / "ran.txt"
    code = f"open({str(proof)!r}, 'w').write('ran')"
    assert page.evaluate(EXECUTE, [f"{hub.url}user/alice/api/kernels/{kernel_id(page)}/channels", code]) == "sent"
    assert not proof.exists(), "a page ran code on the server"
    log = hub.log.read_text(errors="replace")
    assert 'Received message of type "execute_request", which is not allowed' in log  # it arrived, and was refused
    kernel = kernel_id(page)
    pids = kernel_pids(kernel)
    assert pids, "Alice's kernel process was not found"
    environ = (Path("/proc") / str(min(pids)) / "environ").read_bytes().split(b"\0")
    assert not [v for v in environ if v.startswith((b"JUPYTERHUB_API_TOKEN=", b"JPY_API_TOKEN="))], \
        "the kernel holds the hub token that acts as Alice"
    assert b"JUPYTERHUB_USER=alice" in environ  # it is her kernel: the check above looked at the right one
    for address in ("user/alice/lab", "user/alice/tree", "user/alice/terminals/1", "user/alice/api/contents"):
        response = page.goto(hub.url + address)
        assert response is not None and response.status == 404, f"{address}: {response and response.status}"


def test_a_facilitator_runs_sessions_in_the_hubs_room_and_no_one_else_can(hub, people, browser):
    """The hub's room (course.hub_room): Fay, in the facilitators group, opens its facilitator page straight
    from the hub's login; Alice and Bea, logged in to the hub, join the session on module 3. Neither they nor
    Cam, a hub admin outside the group, get the facilitator's page or its API. Fay ends the session, everyone's
    page stops, and she starts the next one, which Alice joins again. The room's log names nobody."""
    context = browser.new_context()
    try:
        fay = context.new_page()
        outside = keep_offline(fay)
        log_in(fay, hub, FACILITATOR, then=FACILITATOR_PAGE)
        fay.wait_for_url(hub.url + FACILITATOR_PAGE, timeout=120_000)
        expect(fay.locator("#fa-title")).to_have_text("Module 3: Calming the body", timeout=60_000)
        expect(fay.locator("#fa-room")).to_have_text("0 people connected")

        for name in ("alice", "bea"):
            page = people[name][0]
            page.goto(hub.url + ROOM)
            expect(page.get_by_role("heading", name="Steady Ground", level=1)).to_be_visible(timeout=60_000)
            expect(page.get_by_text("what you write is kept in your open page only")).to_be_visible()
            page.get_by_role("link", name=re.compile("Calming the body")).click()
            expect(page.locator(".sg-pacer").first).to_be_visible(timeout=120_000)
            assert page.url.startswith(f"{hub.url}{ROOM}voila/render/")
        expect(fay.locator("#fa-room")).to_have_text("2 people connected", timeout=20_000)

        for name in ("alice", ADMIN):  # a participant, and a hub admin who is not in the group
            tab = people[name][0].context.new_page()
            response = tab.goto(hub.url + FACILITATOR_PAGE)
            assert response is not None and response.status == 403, f"{name}: {response and response.status}"
            expect(tab.get_by_text(NOT_A_FACILITATOR)).to_be_visible()
            expect(tab.get_by_role("button", name="Leave now")).to_be_visible()  # the course's page: help, a way out
            expect(tab.get_by_role("link", name="Back to the course")).to_have_attribute("href", "/" + ROOM)
            expect(tab.locator("#fa-title")).to_have_count(0)
            ended = tab.evaluate(OWN_FETCH, [hub.url + FACILITATOR_PAGE + "/api/end", "POST"])
            assert ended == 403, f"{name} could end the session: {ended}"
            assert tab.evaluate(OWN_FETCH, hub.url + FACILITATOR_PAGE + "/api/state") == 403
            tab.close()

        # Fay's page cookie in Alice's browser (a shared device): without the hub's scope behind it, nothing opens.
        alice = people["alice"][0]
        alice.context.add_cookies([c for c in context.cookies() if c["name"] == "sg_facilitator"])
        assert alice.evaluate(OWN_FETCH, hub.url + FACILITATOR_PAGE + "/api/state") == 403, "a cookie alone was enough"
        alice.context.clear_cookies(name="sg_facilitator")
        assert fay.evaluate(OWN_FETCH, hub.url + FACILITATOR_PAGE + "/api/state") == 200  # Fay still has it

        kernels = kernel_environments(b"STEADY_GROUND_WORKSHOP=1", b"JUPYTERHUB_SERVICE_NAME=room").values()
        assert kernels, "no kernel of the room was found"
        for environ in kernels:
            assert not [v for v in environ if v.startswith((b"JUPYTERHUB_API_TOKEN=", b"JPY_API_TOKEN="))], \
                "a room kernel holds the room's hub token"

        fay.get_by_role("button", name="End session").click()
        fay.get_by_role("button", name=re.compile("Yes, end")).click()
        fay.get_by_role("button", name="Stop now").click()
        fay.get_by_role("button", name="Yes, stop now").click()
        expect(alice.get_by_role("region", name="The session has ended")).to_be_visible(timeout=20_000)
        # Once its time is up the page asks every 2 s whether it has stopped, and says so (its usual check is
        # every 30 s: words typed meanwhile would be lost without a word).
        expect(alice.locator("#sg-kernel-gone")).to_contain_text("this page has stopped", timeout=12_000)
        following = fay.get_by_role("button", name="Start the next session")
        expect(following).to_be_visible(timeout=20_000)
        following.click()
        expect(fay.get_by_role("button", name="End session")).to_be_focused()
        expect(following).to_be_hidden()

        alice.goto(hub.url + ROOM)
        alice.get_by_role("link", name=re.compile("Calming the body")).click()
        expect(alice.locator(".sg-pacer").first).to_be_visible(timeout=120_000)
        expect(alice.get_by_role("region", name="The session has ended")).to_have_count(0)
        expect(alice.locator("#sg-kernel-gone")).to_have_count(0)
        expect(fay.locator("#fa-room")).to_have_text("1 person connected", timeout=20_000)
        assert not outside, f"the facilitator's page reached outside this machine: {outside[:5]}"
    finally:
        context.close()
    room_lines = [line for line in hub.log.read_text(errors="replace").splitlines() if "[SteadyGround room]" in line]
    assert room_lines, "the room wrote nothing to the hub's log: the check below would look at nothing"
    named = [line for line in room_lines if re.search(r"\b(alice|bea|cam|fay)\b", line)]
    assert not named, f"the room's log names people: {named[:3]}"


def test_stopping_the_hub_leaves_no_process_behind(hub, people):
    running = hub.watch()
    assert len(running) >= 1 + 1 + len(PEOPLE) * 2, f"fewer processes than a proxy, a culler and three courses " \
                                                    f"with kernels: {len(running)}"
    left = hub.stop()
    assert not left, f"{len(left)} processes were left after the hub stopped"
