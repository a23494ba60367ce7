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


def forget_couples_ladder(home: Path) -> None:
    """Start a test from an empty couple's ladder (the demo's store is shared by the tests)."""
    with Store(home / "steady-ground.sqlite3") as store:
        store.delete_record("ladder", "mine")


def write_step(page, ladder, text: str, later: bool = False):
    """Write a step of your own, as a person types it, and say whether it includes genital touch or sex."""
    ladder.get_by_role("textbox", name="Write a step of your own").click()
    type_like_a_person(page, text)
    question = ladder.get_by_role("group", name="Does this step include genital touch or sex?")
    question.get_by_role("radio", name="Yes, it is a later step" if later else "No").check()
    ladder.get_by_role("textbox", name="Write a step of your own").press("Enter")
    step = ladder.locator(".sg-ladder-step", has_text=text)
    expect(step).to_be_visible(timeout=10_000)
    return step


DONE = "Done: clear my answer from the screen"


def move_the_mouse(page) -> None:
    """A person reaches for the mouse: the screens after an answer ignore a pointer that has not moved since."""
    page.mouse.move(5, 5)
    page.mouse.move(40, 40, steps=3)


def answer(turn_screen, yes: bool) -> None:
    """One partner's private answer: the radio button, then the one "Done"."""
    turn_screen.get_by_role("radio", name="Yes, I'm ready" if yes else "Not yet").check()
    turn_screen.get_by_role("button", name=DONE).click()


def take_turns(ladder, n: int, first: bool, second: bool) -> list[str]:
    """Both partners, one screen: "Ask if we're both ready for step n", Sam's turn while Alex looks away,
    the cleared hand-over, Alex's turn, then the result together. Returns the text of each screen
    after the first turn, as both partners see it."""
    ladder.get_by_role("button", name=f"Ask if we're both ready for step {n}").click()
    seen = []
    for turn, (name, other, yes) in enumerate((("Sam", "Alex", first), ("Alex", "Sam", second)), 1):
        screen = ladder.get_by_role("group", name=f"Turn {turn} of 2: {name}")
        expect(screen).to_be_visible(timeout=10_000)
        expect(screen).to_contain_text(f"{other}, please look away from the screen")
        expect(screen).to_contain_text(f"{name}, are you ready for step {n}?")
        expect(ladder.locator(".sg-ladder-steps")).to_have_count(0)      # the ladder is not on screen
        answer(screen, yes)
        if turn == 1:
            handover = ladder.get_by_role("group", name="Thank you")
            expect(handover).to_be_visible(timeout=10_000)
            expect(handover.get_by_role("heading")).to_be_focused()
            seen.append(handover.inner_text())
            move_the_mouse(ladder.page)
            handover.get_by_role("button", name="I'm Alex: start my turn").click()
    together = ladder.get_by_role("group", name="Both of you have answered")
    expect(together).to_be_visible(timeout=10_000)
    seen.append(together.inner_text())
    move_the_mouse(ladder.page)
    together.get_by_role("button", name="See the result").click()
    result = ladder.get_by_role("group", name=f"Step {n}: the result")
    expect(result).to_be_visible(timeout=10_000)
    seen.append(result.inner_text())
    return seen


def test_ladder_step_opens_when_both_say_yes(demo, offline_page):
    url, home = demo
    page = open_demo(offline_page, url)
    ladder = page.locator(".sg-ladder").first  # the couple's; the solo ladder comes last
    text = f"Sitting close on the couch {time.time_ns() % 10_000}"
    step = write_step(page, ladder, text)
    expect(ladder.get_by_role("textbox", name="Write a step of your own")).to_have_value("")
    n = ladder.locator(".sg-ladder-step").count()
    expect(step).to_contain_text("opens when you both say yes")

    take_turns(ladder, n, True, True)
    expect(ladder.get_by_role("group", name=f"Step {n}: the result")).to_contain_text(f"Step {n} is open.")
    ladder.get_by_role("button", name="Back to the ladder").click()
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
    expect(step.get_by_role("button", name=f"Ask if we're both ready for step {n}")).to_be_visible()
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
    step = solo.locator(".sg-ladder-step", has_text=text)
    solo.get_by_role("group", name="Does this step include genital touch or arousal?").get_by_label("No").check()
    solo.get_by_role("button", name="Add step", exact=True).click()
    step.get_by_role("button", name="I'm ready for this step").click()
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
    forget_couples_ladder(demo[1])
    page = open_demo(offline_page, demo[0])
    ladder = page.locator(".sg-ladder").first  # the couple's; the solo ladder comes last
    ladder.get_by_role("button", name="Add step: A long hug").click()
    expect(ladder.locator(".sg-ladder-step", has_text="A long hug")).to_be_visible(timeout=10_000)
    n = ladder.locator(".sg-ladder-step").count()
    ladder.get_by_role("button", name=f"Ask if we're both ready for step {n}").click()
    expect(ladder.get_by_role("group", name="Turn 1 of 2: Sam")).to_be_visible(timeout=10_000)
    time.sleep(1)
    assert serious_violations(page) == []                   # a turn's screen is scanned too
    ladder.get_by_role("button", name="Stop asking").click()
    ladder.locator(".sg-ladder-step").last.get_by_role("button", name="Edit").click()  # the later-step question
    expect(ladder.get_by_role("group", name="Does this step include genital touch or sex?")).to_have_count(2)
    time.sleep(1)
    assert serious_violations(page) == []
    ladder.get_by_role("button", name="Cancel").click()
    take_turns(ladder, n, True, True)
    ladder.get_by_role("button", name="Back to the ladder").click()
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
    expect(ladder.get_by_text("☐ open").first).to_be_visible()
    expect(ladder).to_contain_text("Either of you can say \"not yet\", and no one needs to say why.")
    expect(ladder).to_contain_text("Later steps are asked again each time, because a yes is only for now.")
    assert "is ready" not in ladder.inner_text()                  # no box for one partner's yes
    expect(ladder.locator("li").first).to_contain_text("(example)")
    expect(plan.get_by_role("columnheader", name="How often")).to_be_visible()
    expect(plan.get_by_text("Not a contract: either of you can reopen or end this plan at any time.")).to_be_visible()
    assert "sign" not in plan.inner_text().lower()
    expect(ladder.get_by_text(re.compile("^Both of you can read this diary"))).to_be_visible()
    assert ladder.get_by_role("button").count() == 0 and plan.get_by_role("button").count() == 0


def test_readiness_is_asked_in_private_turns_and_leaves_no_trace(demo, offline_page):
    """H1: both partners on one screen. A "not yet" from either gives the same neutral result, and the same
    screens on the way; both yes opens the step. A reload shows nothing of who said what: no answer in the
    page, the kernel's messages or the store. A later step opened in a round is asked again after a reload."""
    url, home = demo
    forget_couples_ladder(home)
    received: list[str] = []

    def on_ws(ws):
        ws.on("framereceived", lambda payload: received.append(
            payload if isinstance(payload, str) else payload.decode("utf-8", "ignore")))
    offline_page.on("websocket", on_ws)
    page = open_demo(offline_page, url)
    ladder = page.locator(".sg-ladder").first
    ladder.get_by_role("button", name="Add step: A long hug").click()
    step = ladder.locator(".sg-ladder-step", has_text="A long hug")
    expect(step).to_contain_text("Each of you answers on your own turn, while the other looks away.",
                                 timeout=10_000)

    first = take_turns(ladder, 1, False, True)                        # Sam: not yet
    assert "Not this time. You stay where you are. No one needs to say why." in first[-1]
    assert "Sam" not in first[-1] and "Alex" not in first[-1]
    ladder.get_by_role("button", name="Back to the ladder").click()
    expect(step.locator(".sg-ladder-badge")).to_have_text("Next: opens when you both say yes")
    ladder.get_by_role("button", name="Ask if we're both ready for step 1").click()
    expect(ladder.get_by_role("status")).to_have_text("Not this time for step 1. You can ask again another day.",
                                                      timeout=10_000)

    page = open_demo(page, url)                                       # another day: a new page
    ladder = page.locator(".sg-ladder").first
    second = take_turns(ladder, 1, True, False)                       # Alex: not yet
    assert second == first                                            # the same screens, whoever said it

    page = open_demo(page, url)
    ladder = page.locator(".sg-ladder").first
    expect(ladder.locator(".sg-ladder-step")).to_have_count(1, timeout=10_000)
    shown = ladder.inner_text()
    for trace in ("Not yet", "not yet for", "Sam is", "Alex is", "said", "Not this time"):
        assert trace not in shown, trace
    assert all(set(s) == {"text", "diary", "later"} for s in record(home, "ladder", "mine")["steps"])
    assert not [frame for frame in received if re.search(r'\\?"ready\\?"\s*:', frame)]

    assert "Step 1 is open." in take_turns(ladder, 1, True, True)[-1]
    ladder.get_by_role("button", name="Back to the ladder").click()
    expect(step.locator(".sg-ladder-badge")).to_have_text("Open", timeout=10_000)

    ladder.get_by_text("Later steps, only if you both want them", exact=True).click()
    ladder.get_by_role("button", name=f"Add later step: {LATER_STEPS[0]}").click()
    later = ladder.locator(".sg-ladder-step", has_text=LATER_STEPS[0])
    expect(later).to_contain_text("Later steps are asked again each time, because a yes is only for now.",
                                  timeout=10_000)
    result = take_turns(ladder, 2, True, True)[-1]
    assert "Step 2 is open for now." in result and "a yes is only for now" in result
    ladder.get_by_role("button", name="Back to the ladder").click()
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Open for now", timeout=10_000)
    assert record(home, "ladder", "mine")["opened"] == 1               # never saved as open

    page = open_demo(page, url)                                       # the next sitting asks again
    ladder = page.locator(".sg-ladder").first
    later = ladder.locator(".sg-ladder-step", has_text=LATER_STEPS[0])
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Next: opens when you both say yes",
                                                           timeout=10_000)
    expect(later.get_by_role("button", name="Ask if we're both ready for step 2")).to_be_visible()

    later.get_by_role("button", name="Ask if we're both ready for step 2").click()   # either can stop asking
    answer(ladder.get_by_role("group", name="Turn 1 of 2: Sam"), True)
    move_the_mouse(page)
    ladder.get_by_role("group", name="Thank you").get_by_role("button", name="Stop asking").click()
    expect(ladder.get_by_role("status")).to_have_text("You stopped asking. Nothing changed, and nothing was kept.")
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Next: opens when you both say yes")


def test_later_steps_are_kept_apart_stay_on_top_and_open_only_for_now(demo, offline_page):
    """REVIEW M6 as a couple uses it: shared rituals among the first ideas; the later steps (genital touch,
    arousal, sex) in a closed group of their own; a step written after a later one goes below it; the later
    step, when next, points back to "Sexual health first", opens only when both say yes, and steps back the same."""
    url, home = demo
    forget_couples_ladder(home)
    page = open_demo(offline_page, url)
    ladder = page.locator(".sg-ladder").first  # the couple's
    for ritual in ("Cooking a meal together", "A shared bath, with no sex",
                   "Dancing in the kitchen, or playing a game"):
        expect(ladder.get_by_role("button", name=f"Add step: {ritual}")).to_be_visible()
    later_idea = ladder.get_by_role("button", name=f"Add later step: {LATER_STEPS[2]}")
    expect(later_idea).to_be_hidden()                             # the group is closed until someone opens it
    ladder.get_by_text("Later steps, only if you both want them", exact=True).click()
    group = ladder.get_by_role("group", name="Later steps, only if you both want them")
    expect(group).to_have_accessible_description(
        re.compile(r"only when you both say yes.*asked again each time.*Sexual health first"))
    later_idea.click()
    later = ladder.locator(".sg-ladder-step", has_text=LATER_STEPS[2])
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Next: opens when you both say yes",
                                                           timeout=10_000)
    expect(later).to_contain_text('Before this step, go over "Sexual health first" in this module')

    own = f"Sitting close with music {time.time_ns() % 10_000}"
    mine = write_step(page, ladder, own)
    expect(ladder.get_by_role("status")).to_contain_text("It goes below your later steps.", timeout=10_000)
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Locked for now")
    expect(later).not_to_contain_text("Sexual health first")
    take_turns(ladder, 1, True, True)
    ladder.get_by_role("button", name="Back to the ladder").click()
    expect(mine.locator(".sg-ladder-badge")).to_have_text("Open", timeout=10_000)

    expect(later).to_contain_text("Sexual health first", timeout=10_000)
    assert "Step 2 is open for now." in take_turns(ladder, 2, True, True)[-1]
    ladder.get_by_role("button", name="Back to the ladder").click()
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Open for now", timeout=10_000)
    saved = record(home, "ladder", "mine")
    assert [s["text"] for s in saved["steps"]] == [own, LATER_STEPS[2]] and saved["steps"][-1]["later"] is True
    assert saved["opened"] == 1

    ladder.get_by_role("button", name="Step back").click()           # the same for a later step: no reason
    expect(later.locator(".sg-ladder-badge")).to_have_text("Later step. Next: opens when you both say yes",
                                                           timeout=10_000)
    expect(later.get_by_role("button", name="Ask if we're both ready for step 2")).to_be_visible()


def test_a_step_you_write_asks_if_it_includes_genital_touch_or_sex(demo, offline_page):
    """W2: a step the couple writes with genital touch is a later step, with the note and the round each time."""
    url, home = demo
    forget_couples_ladder(home)
    page = open_demo(offline_page, url)
    ladder = page.locator(".sg-ladder").first
    box = ladder.get_by_role("textbox", name="Write a step of your own")
    box.click()
    type_like_a_person(page, "A walk by the river")
    box.press("Enter")                                                # not answered yet: asked, typing kept
    expect(ladder.get_by_role("status")).to_have_text(
        "Please answer first: does this step include genital touch or sex?", timeout=5_000)
    expect(box).to_have_value("A walk by the river")
    assert record(home, "ladder", "mine").get("steps") is None
    ladder.get_by_role("radio", name="No").check()
    box.press("Enter")
    expect(ladder.locator(".sg-ladder-step", has_text="A walk by the river")).to_be_visible(timeout=10_000)
    expect(ladder.get_by_role("radio", name="No")).not_to_be_checked()   # asked afresh for the next step

    own = write_step(page, ladder, "Touching each other's genitals", later=True)
    expect(own.locator(".sg-ladder-badge")).to_have_text("Later step. Locked for now")
    expect(ladder.get_by_role("status")).to_contain_text("It is a later step.")
    take_turns(ladder, 1, True, True)
    ladder.get_by_role("button", name="Back to the ladder").click()
    expect(own).to_contain_text('Before this step, go over "Sexual health first"', timeout=10_000)
    assert record(home, "ladder", "mine")["steps"][1]["later"] is True


def test_the_solo_ladder_has_its_own_later_steps(demo, offline_page):
    """Source 001: touch on your own terms, arousal allowed; no partner, so no "both" and no test reminder.
    M4: the group says plainly that anyone on this device can see the list."""
    with Store(demo[1] / "steady-ground.sqlite3") as store:
        store.delete_record("ladder", "mine-solo")
    page = open_demo(offline_page, demo[0])
    solo = page.locator(".sg-ladder").last
    expect(solo.get_by_role("button", name="Add step: A slow stretch")).to_be_visible()
    assert solo.get_by_role("button", name="Add step: A ten-minute talk about our day").count() == 0
    solo.get_by_text("Later steps, only if you want them", exact=True).click()
    group = solo.get_by_role("group", name="Later steps, only if you want them")
    expect(group).to_contain_text("Anyone who opens the course on this device can see this list. "
                                  "Paper you keep to yourself is more private.")
    text = "Touching myself with arousal allowed, on my own terms"
    solo.get_by_role("button", name=f"Add later step: {text}").click()
    step = solo.locator(".sg-ladder-step", has_text=text)
    expect(step).to_contain_text("Only if you want this step. You can stop at any time.", timeout=10_000)
    expect(step).not_to_contain_text("Sexual health first")
    step.get_by_role("button", name="I'm ready for this step").click()
    expect(step.locator(".sg-ladder-badge")).to_have_text("Later step. Open for now", timeout=10_000)
    page = open_demo(page, demo[0])
    step = page.locator(".sg-ladder").last.locator(".sg-ladder-step", has_text=text)
    expect(step.locator(".sg-ladder-badge")).to_have_text("Later step. Next: open it when you are ready",
                                                          timeout=10_000)


SCREEN_AFTER = """([x, y]) => {
  const round = document.querySelector(".sg-ladder-round");
  const under = document.elementFromPoint(x, y);
  return {
    screen: round.outerHTML,
    focus: document.activeElement && document.activeElement.id,
    under: under && [under.tagName, under.id, under.className, getComputedStyle(under).cursor,
                     (under.textContent || "").slice(0, 300)],
    hovered: [...document.querySelectorAll("button:hover, input:hover, label:hover, a:hover, summary:hover")]
      .map((e) => `${e.tagName}.${e.className}`),
  };
}"""


def center(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def answer_with_the_mouse(page, screen, yes: bool, keyboard: bool) -> tuple[float, float]:
    """Choose with a mouse click; then Done by mouse (the pointer ends on Done), or from the keyboard with the
    pointer left on the chosen radio button. Returns where the pointer was left."""
    radio = screen.get_by_role("radio", name="Yes, I'm ready" if yes else "Not yet")
    at = center(radio)
    page.mouse.click(*at)
    expect(radio).to_be_checked()
    done = screen.get_by_role("button", name=DONE)
    if keyboard:
        done.focus()
        page.keyboard.press("Space")
        return at
    at = center(done)
    page.mouse.click(*at)
    return at


def what_the_next_partner_finds(page, ladder, yes: bool, keyboard: bool) -> list[dict]:
    """Sam answers `yes` on step 1, then Alex the same: the hand-over screen and the "both answered" screen as
    the next person finds them, with the pointer where the one before left it. The round is stopped, unanswered."""
    ladder.get_by_role("button", name="Ask if we're both ready for step 1").click()
    found = []
    for turn, name, after in ((1, "Sam", "Thank you"), (2, "Alex", "Both of you have answered")):
        screen = ladder.get_by_role("group", name=f"Turn {turn} of 2: {name}")
        expect(screen).to_be_visible(timeout=10_000)
        expect(screen.get_by_role("radio")).to_have_count(2)
        for radio in screen.get_by_role("radio").all():
            expect(radio).not_to_be_checked()                       # nothing chosen at first
        at = answer_with_the_mouse(page, screen, yes, keyboard)
        expect(ladder.get_by_role("group", name=after)).to_be_visible(timeout=10_000)
        page.wait_for_timeout(300)                                   # any late hover or layout has happened
        found.append(page.evaluate(SCREEN_AFTER, list(at)))
        # While the pointer is hidden, the safety bar stays on top: Leave now is never covered. (The layer lives
        # inside the widget, whose stacking keeps it under the bar; this fails if the layer ever moves out.)
        leave = page.get_by_role("button", name="Leave now")
        assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).textContent", list(center(leave))) \
            == "Leave now"
        move_the_mouse(page)
        if turn == 1:
            ladder.get_by_role("button", name="I'm Alex: start my turn").click()
    ladder.get_by_role("button", name="Stop asking").click()
    expect(ladder.get_by_role("button", name="Ask if we're both ready for step 1")).to_be_visible(timeout=10_000)
    return found


@pytest.mark.parametrize("keyboard", [False, True], ids=["done-by-mouse", "done-from-the-keyboard"])
def test_the_pointer_never_shows_the_next_partner_what_was_answered(demo, offline_page, keyboard):
    """On a laptop the pointer stays where the last person left it. The answer is a radio button and one fixed
    "Done" sends it, so the screens after an answer, and what lies under the pointer (its hover, its cursor),
    are the same for a yes and a not yet. Until the mouse moves, the pointer is hidden and nothing hovers, also
    when Done was pressed from the keyboard with the pointer still on the chosen radio button."""
    url, home = demo
    forget_couples_ladder(home)
    page = open_demo(offline_page, url)
    page.set_viewport_size({"width": 1280, "height": 800})
    ladder = page.locator(".sg-ladder").first
    ladder.get_by_role("button", name="Add step: A long hug").click()
    expect(ladder.locator(".sg-ladder-step", has_text="A long hug")).to_be_visible(timeout=10_000)
    yes = what_the_next_partner_finds(page, ladder, True, keyboard)
    not_yet = what_the_next_partner_finds(page, ladder, False, keyboard)
    assert yes == not_yet
    assert all(seen["hovered"] == [] and seen["under"][3] == "none" for seen in yes)  # no hover, no cursor
    assert record(home, "ladder", "mine")["opened"] == 0
    screen = ladder.get_by_role("button", name="Ask if we're both ready for step 1")
    screen.click()                                                   # Done with nothing chosen: asked, nothing sent
    turn = ladder.get_by_role("group", name="Turn 1 of 2: Sam")
    turn.get_by_role("button", name=DONE).click()
    expect(ladder.get_by_role("status")).to_have_text(
        "Please choose \"Yes, I'm ready\" or \"Not yet\" first. Take your time.")
    expect(turn.get_by_role("radio", name="Yes, I'm ready")).to_be_focused()
    turn.get_by_role("button", name="Stop asking").click()
