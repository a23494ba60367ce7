"""'When a trigger hits us', as a couple and a solo learner use it: Voila in headless Chromium.

Two small demo notebooks (written here with nbformat): on one, both partners took
the private check for two and answered clear, as module 5 asks before the plan;
on the other, one of them gave a concern, so the couple's plan is closed for that
sitting. Each shows the couple's plan and the solo plan, as module 5 does.
"""
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.gate import CLOSED_TEXT
from course.store import Store
from tests.apps.conftest import demo_notebook, type_like_a_person, voila_server, wait_until
from tests.apps.test_voila import serious_violations

pytestmark = pytest.mark.browser
OPEN_DEMO, CLOSED_DEMO = "trigger-open-demo", "trigger-closed-demo"
BOOK = """new MutationObserver((_, seen) => {
  if (document.documentElement) { document.documentElement.dataset.sgChannel = "book"; seen.disconnect(); }
}).observe(document, {childList: true});"""
CHECK = """from course.gate import page_gate
check = page_gate().begin_check()
for answers in ({answers}):
    check.answer(answers)
check.finish();"""
CLEAR = '{"tension": "some", "arguments": "some-difficulty", "harmed": "no", "afraid": "no"}'
CONCERN = '{"tension": "some", "arguments": "some-difficulty", "harmed": "no", "afraid": "sometimes"}'
WIDGETS = ('from widgets import TriggerPlan\nTriggerPlan(partners=("Partner A", "Partner B"))',
           'TriggerPlan(partners=("Me",))')
NOT_A_CONTRACT = "Not a contract: either of you can change or drop this plan at any time."
NEEDS = "When one of us is hit: what that person needs"
GENTLE = "It sounds like things may be very hard right now. You do not have to handle this alone."


def serve_demo(tmp_path_factory, name: str, answers: str, note: str):
    """Voila serving one demo notebook with its own learner folder: a concern closes couples
    exercises on the device for the day, so the open and closed pages cannot share one."""
    folder, home = tmp_path_factory.mktemp(name), tmp_path_factory.mktemp(f"{name}-home")
    demo_notebook(folder / f"{name}.ipynb", CHECK.format(answers=answers), f"# When a trigger hits us\n\n{note}",
                  *WIDGETS)
    return folder, home


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Both partners answered clear; yields (url of the page, learner's data folder)."""
    folder, home = serve_demo(tmp_path_factory, OPEN_DEMO, f"{CLEAR}, {CLEAR}", "Both partners answered clear.")
    with voila_server(folder, home, folder / "voila.log") as base:
        yield f"{base}voila/render/{OPEN_DEMO}.ipynb", home


@pytest.fixture(scope="module")
def closed_demo(tmp_path_factory):
    """One partner answered with a concern; yields (url of the page, learner's data folder)."""
    folder, home = serve_demo(tmp_path_factory, CLOSED_DEMO, f"{CONCERN}, {CLEAR}", "One partner gave a concern.")
    with voila_server(folder, home, folder / "voila.log") as base:
        yield f"{base}voila/render/{CLOSED_DEMO}.ipynb", home


def record(home: Path, key: str) -> dict:
    with Store(home / "steady-ground.sqlite3") as store:
        return store.get_record("trigger-plan", key) or {}


def open_page(page, url: str, couple_open: bool = True):
    page.goto(url)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=60_000)
    couple, solo = page.locator(".sg-trigger").first, page.locator(".sg-trigger").last
    expect(solo.get_by_role("textbox", name="My signal to myself")).to_be_visible(timeout=30_000)
    if couple_open:
        expect(couple.get_by_role("textbox", name="Our signal")).to_be_visible(timeout=30_000)
    return couple, solo


def type_into(page, box, text: str) -> None:
    """Click a box, clear it with the keyboard, and type as a person does."""
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    type_like_a_person(page, text)


def test_a_couple_writes_the_plan_together_and_finds_it_after_a_reload(demo, offline_page):
    url, home = demo
    page = offline_page
    couple, _solo = open_page(page, url)
    expect(couple.get_by_role("heading", name="When a trigger hits us")).to_be_visible()
    expect(couple.get_by_role("button", name="Close couples exercises for now")).to_be_visible()
    signal = f"Wave {time.time_ns() % 10_000}"
    type_into(page, couple.get_by_role("textbox", name="Our signal"), signal)
    type_into(page, couple.get_by_role("textbox", name=NEEDS), "A hug, then some Quiet time")
    couple.get_by_role("button", name=re.compile("^What the other one does: use the example .Says: .I'm right here. "
                                                 "Take the time")).click()
    type_into(page, couple.get_by_role("spinbutton", name="How long the pause is, in minutes"), "25")
    type_into(page, couple.get_by_role("textbox", name="When and how we reconnect"),
              "After the pause we sit on the couch and each say one thing we Felt")
    couple.locator("input[type=time]").focus()
    page.keyboard.type("0730P")
    expect(couple.get_by_label("Our set time each day to talk about the affair or betrayal")).to_have_value("19:30")
    type_into(page, couple.get_by_role("spinbutton", name="How long that talk lasts, in minutes"), "30")
    couple.get_by_role("button", name="Save our plan").click()
    expect(couple.get_by_role("status")).to_have_text("Your plan is kept. Saved on this device only.", timeout=10_000)
    kept = wait_until(lambda: record(home, "main"))
    assert kept["signal"] == signal and kept["need"] == "A hug, then some Quiet time"
    assert kept["you_do"] == "Says: \"I'm right here. Take the time you need.\""
    assert (kept["pause_minutes"], kept["talk_time"], kept["talk_minutes"]) == (25, "19:30", 30)

    page.reload()
    couple, _solo = open_page(page, url)
    expect(couple.get_by_role("textbox", name="Our signal")).to_have_value(signal, timeout=10_000)
    expect(couple.get_by_role("textbox", name=NEEDS)).to_have_value("A hug, then some Quiet time")
    expect(couple.get_by_role("spinbutton", name="How long the pause is, in minutes")).to_have_value("25")
    expect(couple.get_by_label("Our set time each day to talk about the affair or betrayal")).to_have_value("19:30")
    expect(couple.get_by_text(NOT_A_CONTRACT)).to_be_visible()

    plain = couple.get_by_role("checkbox", name="Print with a plain title")
    expect(plain).to_be_checked()  # the plain title unless asked
    with page.context.expect_page() as opened:
        couple.get_by_role("button", name="Print this plan").click()
    printed = opened.value
    printed.wait_for_load_state()
    expect(printed.get_by_role("heading", name="Our plan for hard moments")).to_be_visible()
    expect(printed).to_have_title("Our plan for hard moments")
    shown = printed.locator("main").inner_text()
    assert signal in shown and "A set time to talk\nEvery day at 7:30 PM, for 30 minutes." in shown, shown
    assert NOT_A_CONTRACT in shown and "in a hard moment" in shown, shown
    assert not re.search(r"trigger|affair|betrayal", printed.content().lower())  # not in its words, nor its source
    assert not re.search(r"signature|signed|sign here|\bdate\b|_{3,}", shown.lower()), shown
    printed.close()

    plain.uncheck()  # the full wording, asked for
    with page.context.expect_page() as opened:
        couple.get_by_role("button", name="Print this plan").click()
    printed = opened.value
    printed.wait_for_load_state()
    expect(printed.get_by_role("heading", name="When a trigger hits us")).to_be_visible()
    shown = printed.locator("main").inner_text()
    assert "Our set time each day to talk about the affair or betrayal" in shown and NOT_A_CONTRACT in shown
    assert not re.search(r"signature|signed|sign here|\bdate\b|_{3,}", shown.lower()), shown
    printed.close()


def test_what_does_not_fit_is_said_in_words_and_nothing_typed_is_lost(demo, offline_page):
    url, home = demo
    page = offline_page
    couple, _solo = open_page(page, url)
    before = record(home, "main")
    type_into(page, couple.get_by_role("textbox", name="When and how we reconnect"), "We Hold hands for a minute")
    type_into(page, couple.get_by_role("spinbutton", name="How long the pause is, in minutes"), "3")
    couple.get_by_role("button", name="Save our plan").click()
    expect(couple.get_by_role("status")).to_have_text(
        "Not saved: The pause, in minutes, must be a whole number from 5 to 60; got 3.", timeout=10_000)
    expect(couple.get_by_role("textbox", name="When and how we reconnect")).to_have_value("We Hold hands for a minute")
    expect(couple.get_by_role("spinbutton", name="How long the pause is, in minutes")).to_have_value("3")
    assert record(home, "main") == before


def test_closed_for_now_shows_the_neutral_line_and_the_solo_plan_still_works(closed_demo, offline_page):
    url, home = closed_demo
    with Store(home / "steady-ground.sqlite3") as store:   # a plan the couple wrote on another day
        store.put_record("trigger-plan", "main", {"partners": ["Partner A", "Partner B"], "signal": "Blue heron",
                                                  "pause_minutes": 20, "talk_minutes": 20})
    page = offline_page
    couple, solo = open_page(page, url, couple_open=False)
    expect(couple.get_by_text(CLOSED_TEXT)).to_be_visible(timeout=30_000)
    assert couple.locator("input, textarea").count() == 0
    assert page.get_by_text("Blue heron").count() == 0
    assert "afraid" not in couple.inner_text().lower() and "concern" not in couple.inner_text().lower()

    expect(solo.get_by_role("heading", name="When a trigger hits me")).to_be_visible()
    expect(solo.locator(".sg-couples-gate")).to_be_empty()
    type_into(page, solo.get_by_role("textbox", name="My signal to myself"), "My chest goes Tight")
    solo.get_by_role("button", name='What I do then: use the example "5-4-3-2-1 grounding"').click()
    type_into(page, solo.get_by_role("textbox", name="Who I can call"), "My sister Ana")
    solo.get_by_role("button", name="Save my plan").click()
    expect(solo.get_by_role("status")).to_have_text("Your plan is kept. Saved on this device only.", timeout=10_000)
    kept = wait_until(lambda: record(home, "main-solo"))
    assert (kept["signal"], kept["need"], kept["you_do"]) == (
        "My chest goes Tight", "5-4-3-2-1 grounding", "My sister Ana")
    assert record(home, "main")["signal"] == "Blue heron"  # the couple's plan is untouched
    expect(solo.get_by_text("Not a contract: you can change or drop this plan at any time.")).to_be_visible()


def test_no_serious_accessibility_issues(demo, offline_page):
    open_page(offline_page, demo[0])
    time.sleep(1)
    assert serious_violations(offline_page) == []


def test_book_shows_printable_worksheets_with_nothing_to_sign(demo, offline_page):
    page = offline_page
    page.add_init_script(BOOK)
    page.goto(demo[0])
    page.wait_for_selector("#rendered_cells", state="visible", timeout=60_000)
    couple, solo = page.locator(".sg-trigger").first, page.locator(".sg-trigger").last
    expect(couple.get_by_role("heading", name="When a trigger hits us")).to_be_visible(timeout=30_000)
    expect(couple.get_by_text("Our signal", exact=True)).to_be_visible()
    expect(couple.get_by_text("At ____________ each day")).to_be_visible()
    expect(couple.get_by_text(NOT_A_CONTRACT)).to_be_visible()
    expect(solo.get_by_role("heading", name="When a trigger hits me")).to_be_visible()
    expect(solo.get_by_text("Who I can call", exact=True)).to_be_visible()
    for sheet in (couple, solo):
        assert sheet.locator("input, textarea, select, button").count() == 0
        assert not re.search(r"signature|signed|sign here|\bdate\b", sheet.inner_text().lower())


def test_a_crisis_phrase_in_the_solo_plan_shows_the_help_lines_right_under_it(demo, offline_page):
    """CONTENT.md rule 6: typed words, not a saved form, bring the resources; the words stay; nothing else is kept."""
    url, home = demo
    page = offline_page
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _couple, solo = open_page(page, url)
    before = record(home, "main-solo")
    call = solo.get_by_role("textbox", name="Who I can call")
    expect(solo.get_by_role("button", name='Who I can call: use the example "988 Suicide & Crisis Lifeline '
                                           '(call 988 or text 988)"')).to_be_visible()
    expect(solo.get_by_role("button", name='Who I can call: use the example "Crisis Text Line (text HOME to 741741)"')
           ).to_be_visible()
    box = solo.get_by_role("textbox", name="What I do then")
    type_into(page, box, "Some nights I want to die")
    under = solo.locator(".sg-crisis")
    expect(under).to_have_count(1)
    expect(under).to_contain_text(GENTLE)
    expect(under.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(under.get_by_role("link", name="Text START to 88788")).to_have_attribute("href", "sms:88788?body=START")
    assert box.evaluate("b => b.nextElementSibling.querySelector('.sg-crisis') !== null")  # right under the box
    expect(box).to_have_value("Some nights I want to die")
    assert url.rsplit("/", 1)[-1] in page.url  # typing capitals never leaves the page
    assert record(home, "main-solo") == before  # nothing about it is kept
    type_into(page, call, "My sister Ana")
    expect(under).to_have_count(1)  # still there while the words are
    type_into(page, box, "A short walk")
    call.click()
    expect(under).to_have_count(0)
    assert record(home, "main-solo") == before and errors == []
