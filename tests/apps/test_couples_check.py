"""The private check for two, as two partners use it on one shared screen (Voila, headless Chromium).

One page holds the check and three couples exercises, as the modules do. The
tests play partner A and partner B in turn, and listen to every message the
kernel sends the page: the gate's state may travel only in custom messages,
never in a widget's synced state.
"""
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from course.gate import CLOSED_TEXT, GATE_KEY, GATE_KIND, OPEN_TEXT, UNCHECKED_TEXT
from course.store import Store
from tests.apps.conftest import demo_notebook, voila_server
from tests.apps.test_voila import serious_violations

pytestmark = pytest.mark.browser
DEMO = "couples-demo"
GATE_WORDS = (CLOSED_TEXT, OPEN_TEXT, UNCHECKED_TEXT, "gate_state", "concern", "blocked")
CLEAR = {"tension": "Some tension", "argue": "With some difficulty", "hit, pushed": "No", "afraid": "No"}
WORRIED = {**CLEAR, "afraid": "Sometimes"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("couples-notebooks")
    home = tmp_path_factory.mktemp("couples-home")
    check = "from widgets import SafetyCheck\nSafetyCheck()"
    plan = 'from widgets import TransparencyPlan\nTransparencyPlan(partners=("Sam", "Alex"))'
    demo_notebook(folder / f"{DEMO}.ipynb", "# Couples demo", check,
                  'from widgets import ConsentList\nConsentList(items=["Holding hands", "A long hug"])',
                  'from widgets import ReconnectionLadder\nReconnectionLadder(partners=("Sam", "Alex"))', plan)
    demo_notebook(folder / f"{DEMO}-2.ipynb", "# Another module", check, plan)
    with voila_server(folder, home, folder.parent / "voila-couples.log") as base:
        yield f"{base}voila/render/{DEMO}.ipynb", home


def later_sitting(home):
    """What a day's wait does: the device's closed record runs out (the test cannot wait 12 hours)."""
    with Store(home / "steady-ground.sqlite3") as store:
        data = store.get_record(GATE_KIND, GATE_KEY)
        if data and "closed_until" in data:
            data["closed_until"] = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
            store.put_record(GATE_KIND, GATE_KEY, data)


def open_page(page, url):
    """Open the page and record every kernel message that carries widget state."""
    state_frames: list[str] = []

    def on_ws(ws):
        def on_frame(payload):
            text = payload if isinstance(payload, str) else payload.decode("utf-8", "ignore")
            if re.search(r'"method": ?"update"|"comm_open"|"method": ?"echo_update"', text):
                state_frames.append(text)
        ws.on("framereceived", on_frame)
    page.on("websocket", on_ws)
    page.goto(url)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=90_000)
    panel = page.locator(".sg-safety-check")
    expect(panel.get_by_role("heading", level=4)).not_to_have_text("A private check for two", timeout=30_000)
    return panel, state_frames


def answer_turn(panel, picks: dict | None) -> None:
    """One partner's turn; None is "Not today"."""
    if picks is None:
        panel.get_by_role("button", name="Not today: close couples exercises").click()
        return
    for question, label in picks.items():
        panel.get_by_role("group", name=re.compile(question)).get_by_label(label, exact=True).check()
    panel.get_by_role("button", name="Done: clear my answers from the screen").click()


def take_check(page, panel, first: dict, second: dict) -> tuple[str, str]:
    """Partner A, hand over, partner B, then both look at the result. Returns what each saw after their turn."""
    panel.get_by_role("button", name="Start the check").click()
    expect(panel.get_by_role("heading", name="Turn 1 of 2")).to_be_visible(timeout=10_000)
    answer_turn(panel, first)
    expect(panel.get_by_role("heading", name="Turn 1 of 2 is done")).to_be_visible(timeout=10_000)
    after_a = panel.inner_text()
    assert panel.locator("input:checked").count() == 0
    panel.get_by_role("button", name="Clear the screen").click()
    expect(panel.get_by_role("heading", name="Hand the screen to your partner")).to_be_visible()
    assert "Sometimes" not in panel.inner_text() and "Turn 1" not in panel.inner_text()
    panel.get_by_role("button", name="I'm the second partner: start my turn").click()
    expect(panel.get_by_role("heading", name="Turn 2 of 2")).to_be_visible()
    assert panel.locator("input:checked").count() == 0       # nothing of partner A's answers is left
    answer_turn(panel, second)
    expect(panel.get_by_role("heading", name="Turn 2 of 2 is done")).to_be_visible(timeout=10_000)
    after_b = panel.inner_text()
    panel.get_by_role("button", name="Clear the screen").click()
    panel.get_by_role("button", name="See the result").click()
    expect(panel.get_by_role("heading", name="The check is done")).to_be_visible(timeout=10_000)
    return after_a, after_b.replace("Turn 2 of 2", "Turn 1 of 2")


def couples_parts(page):
    return [page.locator(sel) for sel in (".sg-consent", ".sg-ladder", ".sg-plan")]


def test_two_partners_one_screen(demo, offline_page):
    url, home = demo
    page = offline_page
    panel, frames = open_page(page, url)
    for part in couples_parts(page):
        expect(part.locator(".sg-couples-closed")).to_have_text(UNCHECKED_TEXT, timeout=10_000)

    # A answers with a concern, B answers clear: closed, and nothing on screen says why.
    seen_a, seen_b = take_check(page, panel, WORRIED, CLEAR)
    assert seen_a == seen_b                                  # identical screens whatever was answered
    expect(panel.get_by_role("link", name="Call 1-800-799-7233")).to_have_count(0)
    expect(panel.get_by_text(CLOSED_TEXT)).to_be_visible()
    closed_texts = set()
    for part in couples_parts(page):
        expect(part.locator(".sg-couples-closed")).to_have_text(CLOSED_TEXT, timeout=10_000)
        expect(part.get_by_role("button", name="Close couples exercises for now")).to_have_count(0)
        closed_texts.add(part.locator(".sg-couples-gate").inner_text())
    expect(page.get_by_role("button", name="Start: Partner A's turn")).to_have_count(0)
    assert "fear" not in page.inner_text("#rendered_cells").lower()
    assert serious_violations(page) == []

    # Nobody can lift it in the same sitting: not after a reload, not on another module's page.
    for where in (url, url.replace(f"{DEMO}.ipynb", f"{DEMO}-2.ipynb")):
        page.goto("about:blank")
        panel, more = open_page(page, where)
        frames += more
        expect(panel.get_by_text(CLOSED_TEXT)).to_be_visible(timeout=10_000)
        expect(panel.get_by_role("button", name="Start the check")).to_have_count(0)
        expect(page.locator(".sg-plan .sg-couples-closed")).to_have_text(CLOSED_TEXT, timeout=10_000)

    # Another day: partner A chooses "Not today". Same screens, same closed result.
    later_sitting(home)
    page.goto(url)
    panel, more = open_page(page, url)
    frames += more
    seen_skip, _ = take_check(page, panel, None, CLEAR)
    assert seen_skip == seen_a
    expect(panel.get_by_text(CLOSED_TEXT)).to_be_visible()

    # A later sitting: both clear, so the couples exercises open.
    later_sitting(home)
    page.reload()
    panel, frames3 = open_page(page, url)
    frames += frames3
    seen_a2, _ = take_check(page, panel, CLEAR, CLEAR)
    assert seen_a2 == seen_a                                 # a clear turn looks exactly like a worried one
    expect(panel.get_by_text(OPEN_TEXT)).to_be_visible()
    expect(page.get_by_role("button", name="Start: Partner A's turn")).to_be_visible(timeout=10_000)
    ladder = page.locator(".sg-ladder")
    ladder.get_by_role("button", name="Add step: A walk together").click()
    expect(ladder.locator(".sg-ladder-step", has_text="A walk together")).to_be_visible(timeout=10_000)

    # Either partner closes them, from any couples widget, without a reason.
    ladder.get_by_role("button", name="Close couples exercises for now").click()
    for part in couples_parts(page):
        expect(part.locator(".sg-couples-closed")).to_have_text(CLOSED_TEXT, timeout=10_000)
    expect(panel.get_by_text(CLOSED_TEXT)).to_be_visible()
    # as after a concern
    assert {p.locator(".sg-couples-gate").inner_text() for p in couples_parts(page)} == closed_texts

    # Ending needs no check: the couple's saved ladder can be deleted while closed.
    def saved_ladder():
        with Store(home / "steady-ground.sqlite3") as store:
            return store.get_record("ladder", "mine")
    assert saved_ladder()["steps"][0]["text"] == "A walk together"
    ladder.get_by_text("Delete what the two of you saved here").click()
    ladder.get_by_role("button", name="Delete it from this device").click()
    expect(ladder.get_by_role("status")).to_have_text("Deleted from this device.", timeout=10_000)
    assert saved_ladder() is None

    # The gate's state never travelled as synced widget state.
    assert frames, "no widget state was seen at all: the listener is broken"
    leaks = [f[:200] for f in frames if any(word in f for word in GATE_WORDS)]
    assert leaks == []


def new_device(home):
    with Store(home / "steady-ground.sqlite3") as store:
        store.delete_record(GATE_KIND, GATE_KEY)


def keyboard_turn(page, panel, turn: int) -> None:
    """One partner answers by keyboard only: each question's third (calmest) answer, then Done."""
    expect(panel.get_by_role("heading", name=f"Turn {turn} of 2")).to_be_focused(timeout=10_000)
    page.keyboard.press("Tab")                       # the first answer of question 1
    for _ in range(4):
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Done: clear my answers from the screen")).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel.get_by_role("heading", name=f"Turn {turn} of 2 is done")).to_be_focused(timeout=10_000)


def test_the_check_by_keyboard_alone(demo, offline_page):
    url, home = demo
    new_device(home)
    page = offline_page
    panel, _ = open_page(page, url)
    panel.get_by_role("button", name="Start the check").focus()
    page.keyboard.press("Enter")
    keyboard_turn(page, panel, 1)
    panel.get_by_role("button", name="Clear the screen").focus()
    page.keyboard.press("Enter")
    expect(panel.get_by_role("heading", name="Hand the screen to your partner")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")                     # I'm the second partner: start my turn
    keyboard_turn(page, panel, 2)
    panel.get_by_role("button", name="Clear the screen").focus()
    page.keyboard.press("Enter")
    expect(panel.get_by_role("heading", name="Both of you have answered")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")                     # See the result
    expect(panel.get_by_role("heading", name="The check is done")).to_be_focused(timeout=10_000)
    expect(panel.get_by_text(OPEN_TEXT)).to_be_visible()
    assert serious_violations(page) == []
