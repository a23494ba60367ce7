"""The workshop room (issue 10), played as its people: a facilitator and six participants.

Everyone in the room shares one token. Participant B, handed participant A's kernel id (it is
in A's page), must not read, write or stop A's kernel by any address; the facilitator's page
opens only with its own key; the pulse shows counts only after it closes and only when
enough people answered; nothing about the answers reaches the log or the disk.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.browser import free_port, module_url, serving
from course.notebooks import build_notebooks
from course.serve import FACILITATOR_KEY_ENV, profile, voila_command
from tests.apps.conftest import keep_offline, wait_until

pytestmark = pytest.mark.browser
TOKEN = "room-token-for-room-tests"
KEY = "facilitator-key-for-tests-0123"
CALMING = "03-calming-the-body"
FIRST_SIGNS = re.compile("first signs that you are leaving your window")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

CALL = """async ([method, path, body]) => {
  const m = document.cookie.match(/(?:^|; )_xsrf=([^;]*)/);
  const headers = {"Content-Type": "application/json"};
  if (m) headers["X-XSRFToken"] = decodeURIComponent(m[1]);
  const r = await fetch(path, {method, headers, body: body === null ? undefined : JSON.stringify(body)});
  const text = await r.text();
  let data = null;
  try { data = JSON.parse(text); } catch (e) { data = text; }
  return {status: r.status, data};
}"""
SOCKET = """(url) => new Promise((resolve) => {
  const ws = new WebSocket(url.replace(/^http/, "ws"));
  const timer = setTimeout(() => resolve("no answer"), 10000);
  ws.onopen = () => { clearTimeout(timer); ws.close(); resolve("opened"); };
  ws.onerror = () => { clearTimeout(timer); resolve("refused"); };
})"""


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A workshop for module 3 with two warm kernels (so both ways a page gets a kernel are used)."""
    build_notebooks()
    home = tmp_path_factory.mktemp("room-home")
    port = free_port()
    prof = profile("workshop", host="127.0.0.1", pool_size=2, open_browser=False, warm=(CALMING,), module="m03")
    argv, env = voila_command(prof, port, token=TOKEN, facilitator_key=KEY)
    assert env[FACILITATOR_KEY_ENV] == KEY and KEY not in " ".join(argv)  # not on the listed command line
    env["STEADY_GROUND_HOME"] = str(home)
    log = home.parent / "room-voila.log"
    with serving(argv, env, port, log) as url:
        yield url, home, log


def participant(browser, base: str):
    """A person with their own browser, on module 3."""
    context = browser.new_context()
    page = context.new_page()
    keep_offline(page)
    page.goto(f"{base}?token={TOKEN}")
    page.goto(module_url(base, CALMING))
    page.wait_for_selector(".sg-journal textarea", timeout=120_000)
    return context, page


def facilitator_page(browser, base: str, key: str = KEY):
    """The facilitator, in their own browser, opening the link `course workshop` printed for them."""
    page = browser.new_context().new_page()
    keep_offline(page)
    page.goto(f"{base}steady/facilitator?key={key}")
    return page


def kernel_id(page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def call(page, method: str, path: str, body=None) -> dict:
    return page.evaluate(CALL, [method, path, body])


def test_participant_b_given_as_kernel_id_is_refused_everywhere(room, browser):
    base, _home, log = room
    a_context, a = participant(browser, base)
    b_context, b = participant(browser, base)
    a_id = kernel_id(a)
    assert UUID.fullmatch(a_id) and a_id != kernel_id(b)
    journal = a.locator(".sg-journal")
    journal.get_by_role("textbox", name=FIRST_SIGNS).fill("Only mine to read")
    expect(journal.get_by_role("status")).to_have_text(re.compile(r"Saved at"), timeout=30_000)

    assert call(b, "GET", f"/api/kernels/{a_id}")["status"] == 403
    assert b.evaluate(SOCKET, f"{base}api/kernels/{a_id}/channels") == "refused"  # read or write A's notes
    assert b.evaluate(SOCKET, f"{base}voila/query/{a_id}") == "refused"
    assert call(b, "POST", f"/voila/api/shutdown/{a_id}")["status"] == 403    # the close beacon's address
    assert call(b, "DELETE", f"/api/kernels/{a_id}")["status"] == 403
    # A browser that never opened a page (logged in with the token only) is refused too.
    c_context = browser.new_context()
    c = c_context.new_page()
    c.goto(f"{base}?token={TOKEN}")
    assert call(c, "GET", f"/api/kernels/{a_id}")["status"] == 403
    assert c.evaluate(SOCKET, f"{base}api/kernels/{a_id}/channels") == "refused"

    # A still has their kernel and their notes; their own calls work.
    assert call(a, "GET", f"/api/kernels/{a_id}")["status"] == 200
    journal.get_by_role("textbox", name=FIRST_SIGNS).fill("Only mine to read, still")
    expect(journal.get_by_role("status")).to_have_text(re.compile(r"Saved at"), timeout=30_000)
    assert a_id not in log.read_text(), "a kernel id reached the server's log"
    for context in (a_context, b_context, c_context):
        context.close()


def test_the_facilitator_page_needs_its_own_key(room, browser):
    base, _home, _log = room
    context = browser.new_context()
    page = context.new_page()
    keep_offline(page)
    page.goto(f"{base}?token={TOKEN}")  # a participant, logged in with the room's token
    for address in ("steady/facilitator", f"steady/facilitator?token={TOKEN}",
                    "steady/facilitator?key=guess-guess-guess"):
        assert page.goto(base + address).status == 403, address
    assert call(page, "GET", "/steady/facilitator/api/state")["status"] == 403
    assert call(page, "POST", "/steady/facilitator/api/end", {})["status"] == 403
    context.close()

    facilitator = facilitator_page(browser, base)
    expect(facilitator.get_by_role("heading", level=1)).to_have_text("Module 3: Calming the body")
    assert "key=" not in facilitator.url  # the key leaves the address bar
    state = call(facilitator, "GET", "/steady/facilitator/api/state")
    assert state["status"] == 200 and state["data"]["module"]["id"] == "m03"
    # The facilitator's cookie does not let them into anyone's kernel or the participants' pages.
    facilitator.goto(module_url(base, CALMING))
    assert "/login" in facilitator.url and facilitator.locator(".sg-widget").count() == 0
    facilitator.context.close()


def test_the_pulse_shows_counts_only_when_closed_and_enough_answered(room, browser):
    base, home, log = room
    facilitator = facilitator_page(browser, base)
    people = [participant(browser, base) for _ in range(6)]

    opened = call(facilitator, "POST", "/steady/facilitator/api/pulse",
                  {"question": "How settled do you feel right now?", "kind": "gauge"})
    assert opened["status"] == 200
    question = opened["data"]["pulse"]
    choices = [7, 7, 3, 10, 7, 0]
    for (_context, page), choice in zip(people, choices, strict=True):
        seen = call(page, "GET", "/steady/room")["data"]["pulse"]
        assert seen["id"] == question["id"] and "answered" not in seen and "counts" not in str(seen)
        assert call(page, "POST", f"/steady/pulse/{question['id']}", {"choice": choice})["status"] == 204
    again = call(people[0][1], "POST", f"/steady/pulse/{question['id']}", {"choice": 0})
    assert again["status"] == 409  # one answer per person
    while_open = call(facilitator, "GET", "/steady/facilitator/api/state")["data"]["pulse"]
    assert while_open["answered"] == 6 and while_open["result"] is None

    closed = call(facilitator, "POST", "/steady/facilitator/api/pulse/close")["data"]["pulse"]
    expected = [0] * 11
    for choice in choices:
        expected[choice] += 1
    assert closed["result"] == {"shown": True, "counts": expected, "median": 7.0, "message": ""}
    replay = call(people[1][1], "POST", f"/steady/pulse/{question['id']}", {"choice": 1})
    assert replay["status"] == 409  # a closed question takes no more answers

    few = call(facilitator, "POST", "/steady/facilitator/api/pulse",
               {"question": "Which part helped most?", "kind": "choice", "options": ["Breathing", "Grounding"]})
    second = few["data"]["pulse"]
    assert call(people[2][1], "POST", f"/steady/pulse/{question['id']}", {"choice": 1})["status"] == 409  # old id
    for _context, page in people[:3]:
        assert call(page, "POST", f"/steady/pulse/{second['id']}", {"choice": 1})["status"] == 204
    result = call(facilitator, "POST", "/steady/facilitator/api/pulse/close")["data"]["pulse"]["result"]
    assert result == {"shown": False, "counts": None, "median": None, "message": "Too few answers to show"}

    text = log.read_text()
    assert "steady/pulse" not in text and "Grounding" not in text and "choice" not in text
    written = [p for p in Path(home).rglob("*") if p.is_file()]
    assert not written, f"the workshop wrote files: {written}"
    for context, _page in people:
        context.close()
    facilitator.context.close()


def test_the_room_count_follows_pages_opening_and_closing(room, browser):
    base, _home, _log = room
    facilitator = facilitator_page(browser, base)

    def connected() -> int:
        return call(facilitator, "GET", "/steady/facilitator/api/state")["data"]["connected"]

    wait_until(lambda: connected() == 0, timeout=30)
    people = [participant(browser, base) for _ in range(2)]
    wait_until(lambda: connected() == 2, timeout=30)
    people[0][1].close(run_before_unload=True)
    wait_until(lambda: connected() == 1, timeout=30)
    for context, _page in people:
        context.close()
    facilitator.context.close()


EXECUTE = """([url, code]) => new Promise((resolve) => {
  const ws = new WebSocket(url.replace(/^http/, "ws"));
  ws.onerror = () => resolve("refused");
  ws.onopen = () => {
    const id = crypto.randomUUID();
    ws.send(JSON.stringify({channel: "shell", buffers: [], metadata: {}, parent_header: {},
      header: {msg_id: id, msg_type: "execute_request", username: "", session: id, date: "", version: "5.3"},
      content: {code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false}}));
    setTimeout(() => { ws.close(); resolve("sent"); }, 4000);
  };
})"""


def test_a_participant_cannot_run_code_even_on_their_own_kernel(room, browser, tmp_path):
    base, _home, log = room
    context, page = participant(browser, base)
    proof = tmp_path / "ran.txt"
    code = f"open({str(proof)!r}, 'w').write('ran')"
    assert page.evaluate(EXECUTE, [f"{base}api/kernels/{kernel_id(page)}/channels", code]) == "sent"
    assert not proof.exists(), "a participant's page ran code on the server"
    assert 'Received message of type "execute_request", which is not allowed' in log.read_text()  # it arrived
    assert page.goto(f"{base}voila/files/{CALMING}.ipynb").status in (403, 404)  # no notebook sources either
    context.close()
