"""Reconnection ladder and transparency plan, as a couple uses them: Voila in headless Chromium.

A small demo notebook (written here with nbformat) opens the couples gate in
its first cell, as a clear private safety check would, and shows both widgets,
then the solo ladder, as module 7 does.
"""
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.store import Store
from tests.apps.conftest import demo_notebook, type_like_a_person, voila_server, wait_until
from tests.apps.test_voila import serious_violations
from widgets.ladder import LATER_STEPS

pytestmark = pytest.mark.browser
DEMO = "ladder-plan-demo"
BOOK = """new MutationObserver((_, seen) => {
  if (document.documentElement) { document.documentElement.dataset.sgChannel = "book"; seen.disconnect(); }
}).observe(document, {childList: true});"""


# Both partners take the private check for two and answer clear (the page's kernel plays them).
OPEN_GATE = """from course.gate import page_gate
check = page_gate().begin_check()
for _turn in (1, 2):
    check.answer({"tension": "some", "arguments": "some-difficulty", "harmed": "no", "afraid": "no"})
check.finish();"""


def write_demo(folder: Path) -> Path:
    """The demo notebook: gate opened, then the two widgets for a couple."""
    path = demo_notebook(folder / f"{DEMO}.ipynb", OPEN_GATE,
                         "# Ladder and plan\n\nA demo page for the browser tests.",
                         'from widgets.ladder import ReconnectionLadder\nReconnectionLadder(partners=("Sam", "Alex"))',
                         'from widgets.transparency import TransparencyPlan\n'
                         'TransparencyPlan(partners=("Sam", "Alex"))',
                         'ReconnectionLadder(partners=("Me",))')
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Voila serving only the demo notebook; yields (url of the page, learner's data folder)."""
    folder, home = tmp_path_factory.mktemp("demo"), tmp_path_factory.mktemp("demo-home")
    write_demo(folder)
    with voila_server(folder, home, folder / "voila.log") as base:
        yield f"{base}voila/render/{DEMO}.ipynb", home


def record(home: Path, kind: str, key: str):
    with Store(home / "steady-ground.sqlite3") as store:
        return store.get_record(kind, key) or {}


def open_demo(page, url: str):
    page.goto(url)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=60_000)
    page.wait_for_selector(".sg-ladder-body", timeout=30_000)
    page.wait_for_selector(".sg-plan-body", timeout=30_000)
    return page


def test_ladder_step_opens_when_both_are_ready(demo, offline_page):
    url, home = demo
    page = open_demo(offline_page, url)
    ladder = page.locator(".sg-ladder").first  # the couple's; the solo ladder comes last
    text = f"Sitting close on the couch {time.time_ns() % 10_000}"
    ladder.get_by_role("textbox", name="Write a step of your own").focus()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    step = ladder.locator(".sg-ladder-step", has_text=text)
    expect(step).to_be_visible(timeout=10_000)
    expect(ladder.get_by_role("textbox", name="Write a step of your own")).to_have_value("")
    expect(step).to_contain_text("opens when you are both ready")

    step.get_by_role("checkbox", name="Sam: I'm ready for this step").focus()
    page.keyboard.press("Space")
    expect(ladder.get_by_role("status")).to_contain_text("Sam is ready", timeout=10_000)
    expect(step).not_to_contain_text("Open")  # one partner is not enough
    step.get_by_role("checkbox", name="Alex: I'm ready for this step").check()
    expect(step.locator(".sg-ladder-badge")).to_have_text("Open", timeout=10_000)
    saved = record(home, "ladder", "mine")
    assert saved["opened"] == len(saved["steps"]) and saved["steps"][-1]["text"] == text

    step.get_by_text(re.compile("Shared sensation diary for step")).click()
    # REVIEW H4: where you write, the couple's diary says plainly that it is shared, and where private notes go.
    shared = step.locator(".sg-ladder-shared")
    expect(shared).to_be_visible()
    expect(shared).to_contain_text("Both of you can read this diary.")
    expect(shared).to_contain_text("use the solo ladder or the journal on this page")
    expect(step.get_by_role("group", name="A new diary entry")).to_have_accessible_description(
        re.compile("^Both of you can read this diary."))
    step.get_by_role("textbox", name=re.compile("^Sensations")).fill("warm hands, slow breathing")
    step.get_by_role("textbox", name=re.compile("^Emotions")).fill("<i>nervous</i> then calm")
    step.get_by_role("slider").focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")  # 9
    step.get_by_role("button", name="Add to diary").click()
    entry = step.locator(".sg-ladder-entries li")
    expect(entry).to_contain_text("How safe it felt: 9 out of 10", timeout=10_000)
    expect(entry).to_contain_text("Emotions: <i>nervous</i> then calm")
    assert step.locator("i").count() == 0
    with Store(home / "steady-ground.sqlite3") as store:
        assert store.checkins() == []  # a shared diary's rating is nobody's check-in

    ladder.get_by_role("button", name="Step back").click()
    expect(ladder.get_by_role("status")).to_contain_text("Going back a step is part of the plan, not a failure.",
                                                         timeout=10_000)
    expect(step.get_by_role("checkbox", name="Sam: I'm ready for this step")).not_to_be_checked()
    assert wait_until(lambda: record(home, "ladder", "mine")["opened"] == len(saved["steps"]) - 1)

    step.get_by_role("button", name=re.compile(r"^Remove step \d+$")).click()
    expect(step.get_by_text("Remove this step and its diary?")).to_be_visible()
    assert record(home, "ladder", "mine")["steps"][-1]["text"] == text  # asked first
    step.get_by_role("button", name=re.compile("^Yes, remove step")).click()
    expect(ladder.locator(".sg-ladder-step", has_text=text)).to_have_count(0, timeout=10_000)


def open_solo_diary(page, name: str):
    """In the solo ladder: a new step, opened, with its diary showing; returns the step."""
    solo = page.locator(".sg-ladder").last
    expect(solo.get_by_role("heading", name="My ladder back to closeness")).to_be_visible()
    text = f"{name} {time.time_ns() % 10_000}"
    solo.get_by_role("textbox", name="Write a step of your own").fill(text)
    solo.get_by_role("button", name="Add step", exact=True).click()
    step = solo.locator(".sg-ladder-step", has_text=text)
    step.get_by_role("checkbox", name="I'm ready for this step").check()
    expect(step.locator(".sg-ladder-badge")).to_have_text("Open", timeout=10_000)
    step.get_by_text(re.compile("^Sensation diary for step")).click()
    return step


def test_solo_diary_is_yours_and_writes_no_check_in(demo, offline_page):
    """The solo ladder's diary, as module 7 documents it: one person's, its ratings read by the review."""
    url, home = demo
    page = open_demo(offline_page, url)
    step = open_solo_diary(page, "A slow stretch")
    expect(step.get_by_text("This diary is yours, saved on this device.", exact=False)).to_be_visible()
    expect(step.locator(".sg-ladder-shared")).to_have_count(0)
    step.get_by_role("textbox", name=re.compile("^Sensations")).fill("tight, then loose")
    step.get_by_role("button", name="Add to diary").click()
    expect(step.locator(".sg-ladder-entries li")).to_contain_text("How safe it felt: 5 out of 10", timeout=10_000)
    assert record(home, "ladder", "mine-solo")["steps"][-1]["diary"][-1]["sensations"] == "tight, then loose"
    with Store(home / "steady-ground.sqlite3") as store:
        assert store.checkins() == []


def crisis_words_in_a_new_diary(demo, offline_page, step_name: str, words: str):
    """A new solo step's diary, with `words` typed as a person types them (Shift for capitals) under
    Emotions; the crisis resources show. Returns the page, the step and the Emotions box."""
    page = open_demo(offline_page, demo[0])
    step = open_solo_diary(page, step_name)
    box = step.get_by_role("textbox", name=re.compile("^Emotions"))
    box.click()
    for ch in words:
        if ch.isupper():
            page.keyboard.down("Shift")
            page.keyboard.press(ch)
            page.keyboard.up("Shift")
        else:
            page.keyboard.type(ch, delay=30)
    expect(step.locator(".sg-crisis")).to_be_visible(timeout=5_000)
    return page, step, box


def test_diary_words_or_a_low_safe_rating_show_help_inline(demo, offline_page):
    """CONTENT.md rule 6 in the diary: a crisis phrase, or "how safe" saved at 0-1, shows the resources."""
    url, home = demo
    page, step, note = crisis_words_in_a_new_diary(demo, offline_page, "A quiet walk", "I was afraid for my life")
    expect(step.locator(".sg-crisis").get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    note.fill("calm now")
    note.dispatch_event("input")
    expect(step.locator(".sg-crisis")).to_have_count(0, timeout=5_000)
    step.get_by_role("slider").focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")                    # how safe: 1
    step.get_by_role("button", name="Add to diary").click()
    expect(step.locator(".sg-ladder-entries li")).to_contain_text("How safe it felt: 1 out of 10", timeout=10_000)
    expect(step.locator(".sg-crisis")).to_be_visible()
    with Store(home / "steady-ground.sqlite3") as store:
        assert store.checkins() == []                    # nothing extra is stored about it
    assert url in page.url



def test_saving_diary_words_that_show_help_keeps_the_help(demo, offline_page):
    """Saving words with a crisis phrase never hides the resources they just brought up."""
    page, step, _emotions = crisis_words_in_a_new_diary(demo, offline_page, "A slow evening", "i want to die")
    step.get_by_role("button", name="Add to diary").click()
    expect(step.locator(".sg-ladder-entries li")).to_contain_text("i want to die", timeout=10_000)
    expect(step.locator(".sg-crisis")).to_be_visible()  # still there after the save
    step.get_by_role("textbox", name=re.compile("^Sensations")).click()
    page.keyboard.type("warm", delay=30)                 # the next typing is a new entry
    expect(step.locator(".sg-crisis")).to_have_count(0, timeout=5_000)


def test_words_typed_in_the_plan_survive_a_redraw(demo, offline_page):
    """Typing a new item, then opening another item to edit it, keeps what was typed."""
    url, _home = demo
    page = open_demo(offline_page, url)
    plan = page.locator(".sg-plan")
    add = plan.locator("fieldset", has_text="Add an item")
    first = f"Phone location on weekends {time.time_ns() % 10_000}"
    add.get_by_role("textbox", name="What is shared").fill(first)
    plan.get_by_role("button", name="Add to plan").click()
    expect(plan.locator(".sg-plan-item", has_text=first)).to_be_visible(timeout=10_000)
    box = add.get_by_role("textbox", name="What is shared")
    box.click()
    page.keyboard.down("Shift")
    page.keyboard.press("W")
    page.keyboard.up("Shift")
    page.keyboard.type("here I go after work", delay=20)
    add.get_by_role("combobox", name="How often").select_option("daily")
    plan.locator(".sg-plan-item", has_text=first).get_by_role("button", name=re.compile("^Edit item")).click()
    expect(plan.locator("fieldset", has_text="Change item")).to_be_visible(timeout=5_000)
    expect(add.get_by_role("textbox", name="What is shared")).to_have_value("Where I go after work")
    expect(add.get_by_role("combobox", name="How often")).to_have_value("daily")


def test_plan_item_with_html_shows_as_text_and_downloads(demo, offline_page):
    url, home = demo
    page = open_demo(offline_page, url)
    plan = page.locator(".sg-plan")
    what = f"<img src=x onerror=alert(1)> <b>where I am</b> {time.time_ns() % 10_000}"
    add = plan.locator("fieldset", has_text="Add an item")
    add.get_by_role("textbox", name="What is shared").fill(what)
    add.get_by_role("button", name='How it is shared: use the example "A shared calendar"').click()
    add.get_by_role("combobox", name="How often").select_option("daily")
    add.get_by_role("combobox", name="Added by").select_option("Alex")
    plan.get_by_role("button", name="Add to plan").click()
    item = plan.locator(".sg-plan-item", has_text=what)
    expect(item).to_be_visible(timeout=10_000)
    expect(item).to_contain_text("How: A shared calendar. How often: daily. Added by: Alex")
    assert plan.locator("img").count() == 0 and plan.locator("b").count() == 0
    assert record(home, "transparency-plan", "main")["items"][-1]["what"] == what

    expect(plan.get_by_text("Not a contract: either of you can reopen or end this plan at any time.")).to_be_visible()
    with page.expect_download() as info:
        plan.get_by_role("button", name="Download the plan").click()
    download = info.value
    assert download.suggested_filename == "transparency-plan.html"
    agreement = Path(download.path()).read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;where I am&lt;/b&gt;" in agreement
    assert "<img" not in agreement and "sign" not in agreement.lower()
    assert "Not a contract: either of you can reopen or end this plan at any time." in agreement
    expect(plan.get_by_role("status")).to_contain_text("downloaded")


def test_no_serious_accessibility_issues(demo, offline_page):
    page = open_demo(offline_page, demo[0])
    ladder = page.locator(".sg-ladder").first  # the couple's; the solo ladder comes last
    ladder.get_by_role("button", name="Add step: A long hug").click()
    step = ladder.locator(".sg-ladder-next")
    for name in ("Sam", "Alex"):
        step.get_by_role("checkbox", name=f"{name}: I'm ready for this step").check()
        expect(ladder.get_by_role("status")).to_contain_text(re.compile(f"{name} is ready|is open"), timeout=10_000)
    ladder.locator(".sg-ladder-open summary").last.click()  # the diary form is scanned too
    expect(ladder.get_by_role("slider").last).to_be_visible()
    time.sleep(1)
    assert serious_violations(page) == []


def test_book_shows_printable_worksheets(demo, offline_page):
    page = offline_page
    page.add_init_script(BOOK)
    page.goto(demo[0])
    page.wait_for_selector("#rendered_cells", state="visible", timeout=60_000)
    ladder, plan = page.locator(".sg-ladder").first, page.locator(".sg-plan")
    expect(ladder.get_by_role("columnheader", name="How safe (0-10)")).to_be_visible(timeout=30_000)
    expect(ladder.get_by_text("Alex is ready").first).to_be_visible()
    expect(ladder.locator("li").first).to_contain_text("(example)")
    expect(plan.get_by_role("columnheader", name="How often")).to_be_visible()
    expect(plan.get_by_text("Not a contract: either of you can reopen or end this plan at any time.")).to_be_visible()
    assert "sign" not in plan.inner_text().lower()
    expect(ladder.get_by_text(re.compile("^Both of you can read this diary"))).to_be_visible()
    assert ladder.get_by_role("button").count() == 0 and plan.get_by_role("button").count() == 0


def test_later_steps_are_kept_apart_stay_on_top_and_open_only_when_both_say_so(demo, offline_page):
    """REVIEW M6 as a couple uses it: shared rituals among the first ideas; the later steps (genital touch,
    arousal, sex) in a closed group of their own; a step written after a later one goes below it; the later
    step, when next, points back to "Sexual health first", opens only with both ticks, and steps back the same."""
    url, home = demo
    page = open_demo(offline_page, url)
    ladder = page.locator(".sg-ladder").first  # the couple's
    for ritual in ("Cooking a meal together", "A shared bath, with no sex",
                   "Dancing in the kitchen, or playing a game"):
        expect(ladder.get_by_role("button", name=f"Add step: {ritual}")).to_be_visible()
    later_idea = ladder.get_by_role("button", name=f"Add later step: {LATER_STEPS[2]}")
    expect(later_idea).to_be_hidden()                             # the group is closed until someone opens it
    ladder.get_by_text("Later steps, only if you both want them", exact=True).click()
    group = ladder.get_by_role("group", name="Later steps, only if you both want them")
    expect(group).to_have_accessible_description(re.compile(r"only when you are both ready.*Sexual health first"))
    later_idea.click()
    later = ladder.locator(".sg-ladder-step", has_text=LATER_STEPS[2])
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Next: opens when you are both ready",
                                                           timeout=10_000)
    expect(later).to_contain_text('Before this step, go over "Sexual health first" in this module')

    own = f"Sitting close with music {time.time_ns() % 10_000}"
    ladder.get_by_role("textbox", name="Write a step of your own").click()
    type_like_a_person(page, own)
    page.keyboard.press("Enter")
    expect(ladder.get_by_role("status")).to_contain_text("It goes below your later steps.", timeout=10_000)
    mine = ladder.locator(".sg-ladder-step", has_text=own)
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Locked for now")
    expect(later).not_to_contain_text("Sexual health first")
    for name in ("Sam", "Alex"):
        mine.get_by_role("checkbox", name=f"{name}: I'm ready for this step").check()
    expect(mine.locator(".sg-ladder-badge")).to_have_text("Open", timeout=10_000)

    expect(later).to_contain_text("Sexual health first", timeout=10_000)
    later.get_by_role("checkbox", name="Sam: I'm ready for this step").check()
    expect(ladder.get_by_role("status")).to_contain_text("Sam is ready", timeout=10_000)
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Next: opens when you are both ready")
    later.get_by_role("checkbox", name="Alex: I'm ready for this step").check()
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Open", timeout=10_000)
    steps = record(home, "ladder", "mine")["steps"]
    assert [s["text"] for s in steps[-2:]] == [own, LATER_STEPS[2]] and steps[-1]["later"] is True

    ladder.get_by_role("button", name="Step back").click()           # the same for a later step: no reason
    expect(later.get_by_role("checkbox", name="Sam: I'm ready for this step")).not_to_be_checked(timeout=10_000)
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Next: opens when you are both ready")


def test_the_solo_ladder_has_its_own_later_steps(demo, offline_page):
    """Source 001: touch on your own terms, arousal allowed; no partner, so no "both" and no test reminder."""
    page = open_demo(offline_page, demo[0])
    solo = page.locator(".sg-ladder").last
    expect(solo.get_by_role("button", name="Add step: A slow stretch")).to_be_visible()
    assert solo.get_by_role("button", name="Add step: A ten-minute talk about our day").count() == 0
    solo.get_by_text("Later steps, only if you want them", exact=True).click()
    text = "Touching myself with arousal allowed, on my own terms"
    solo.get_by_role("button", name=f"Add later step: {text}").click()
    step = solo.locator(".sg-ladder-step", has_text=text)
    expect(step).to_contain_text("Only if you want this step. You can stop at any time.", timeout=10_000)
    expect(step).not_to_contain_text("Sexual health first")
    step.get_by_role("checkbox", name="I'm ready for this step").check()
    expect(step.locator(".sg-ladder-badge")).to_have_text("Later step. Open", timeout=10_000)
