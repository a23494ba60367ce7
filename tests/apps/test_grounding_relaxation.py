"""Module 3's grounding and muscle relaxation guides, as a learner uses them in Voila."""
import re
import time

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import open_module
from tests.apps.test_voila import CALMING, serious_violations

pytestmark = pytest.mark.browser
# What the static book's pages carry: <html data-sg-channel="book">. Set as soon as <html> exists.
BOOK = """new MutationObserver((_, seen) => {
  if (document.documentElement) { document.documentElement.dataset.sgChannel = "book"; seen.disconnect(); }
}).observe(document, {childList: true});"""


def focused_text(page) -> str:
    return page.evaluate("(document.activeElement.innerText || document.activeElement.value || '').trim()")


def tab_to(page, name: str, presses: int = 8) -> None:
    """Press Tab until the control called `name` has focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if focused_text(page) == name:
            return
    raise AssertionError(f"Tab never reached {name!r}; focus is on {focused_text(page)!r}")


def grounding(store):
    return [p for p in store.practices() if p["exercise"] == "grounding"]


def test_grounding_by_keyboard_only_skipping_the_ratings(voila_url, offline_page, learner_store):
    page = open_module(offline_page, voila_url, CALMING)
    widget = page.locator(".sg-grounding")
    before = len(grounding(learner_store))
    widget.get_by_role("slider").first.focus()      # where a Tab from the text above would land
    tab_to(page, "Skip rating")
    page.keyboard.press("Enter")
    expect(widget.get_by_role("button", name="Begin")).to_be_focused()
    page.keyboard.press("Enter")
    for i, title in enumerate(["5 things you can see", "4 things you can touch", "3 things you can hear",
                               "2 things you can smell", "1 thing you can taste"], start=1):
        heading = widget.get_by_role("heading", name=f"Step {i} of 5: {title}")
        expect(heading).to_be_focused()
        if i == 1:
            page.keyboard.press("Tab")
            page.keyboard.type("the window, my hands")
        tab_to(page, "Next")
        page.keyboard.press("Enter")
    expect(widget.get_by_role("heading", name="You did it")).to_be_focused()
    tab_to(page, "Skip rating")
    page.keyboard.press("Enter")
    expect(widget.get_by_role("button", name="Finish")).to_be_focused()
    page.keyboard.press("Enter")
    expect(widget.locator(".sg-grounding-status")).to_have_text(
        re.compile(r"^Saved: 5-4-3-2-1 grounding, \d"), timeout=10_000)
    rows = grounding(learner_store)
    assert len(rows) == before + 1
    last = rows[-1]
    assert (last["pattern"], last["cycles"], last["before"], last["after"]) == ("5-4-3-2-1", 1, None, None)
    # The box was not ticked: what was typed stayed in the page.
    assert not [e for e in learner_store.journal_entries() if "my hands" in e["text"]]


def test_grounding_answers_reach_the_journal_only_when_ticked(voila_url, offline_page, learner_store):
    page = open_module(offline_page, voila_url, CALMING)
    widget = page.locator(".sg-grounding")
    widget.get_by_role("button", name="Begin").click()
    answer = "<b>the lamp</b> 🌱\n  a mug & a plant  "
    widget.get_by_label("Things I can see").fill(answer)
    for _ in range(5):
        widget.locator("section:not([hidden])").get_by_role("button", name="Next").click()
    slider = widget.get_by_role("slider", name=re.compile("Calm")).last
    slider.focus()
    page.keyboard.press("End")
    expect(widget.locator("section:not([hidden]) output")).to_have_text("10 out of 10")
    widget.get_by_label("Save my answers to my private journal").check()
    assert serious_violations(page) == []
    widget.get_by_role("button", name="Finish").click()
    expect(widget.locator(".sg-grounding-status")).to_have_text(
        re.compile("1 answer added to your private journal"), timeout=10_000)
    assert learner_store.journal_entries()[-1]["text"] == answer
    assert learner_store.journal_entries()[-1]["prompt"] == "5-4-3-2-1 grounding: 5 things you can see"
    assert grounding(learner_store)[-1]["after"] == 10
    assert widget.locator("b").count() == 0


def test_grounding_in_the_book_runs_but_saves_nothing(voila_url, offline_page, learner_store):
    offline_page.add_init_script(BOOK)
    page = open_module(offline_page, voila_url, CALMING)
    assert page.evaluate("document.documentElement.dataset.sgChannel") == "book"
    widget = page.locator(".sg-grounding")
    before = len(learner_store.practices())
    widget.get_by_role("button", name="Begin").click()
    for _ in range(5):
        widget.locator("section:not([hidden])").get_by_role("button", name="Next").click()
    expect(widget.get_by_label("Save my answers to my private journal")).to_be_hidden()
    widget.get_by_role("button", name="Finish").click()
    expect(widget.locator(".sg-grounding-status")).to_have_text("In this read-only book nothing is saved.")
    time.sleep(1)
    assert len(learner_store.practices()) == before


def test_muscle_relaxation_tense_then_release_pause_and_stop(voila_url, offline_page, learner_store):
    page = open_module(offline_page, voila_url, CALMING)
    widget = page.locator(".sg-pmr")
    cue, count, meta = widget.locator(".sg-pmr-cue"), widget.locator(".sg-pmr-count"), widget.locator(".sg-pmr-meta")
    gently = "Tense gently, not to the point of pain. Skip any part that is hurt or sore."
    expect(widget.get_by_text(gently)).to_be_visible()
    before = len(learner_store.practices())
    widget.get_by_role("button", name="Start").click()
    # Defaults: 4 s to get ready, tense 6 s, then let go for 30 s.
    expect(cue).to_have_text(re.compile("^Make a fist"), timeout=6_000)
    expect(widget.locator(".sg-pmr-part")).to_have_text(re.compile("Part 1 of 6: Hands and forearms · Tense"))
    expect(cue).to_have_text(re.compile("^Now let go"), timeout=8_000)
    first = int(count.inner_text())
    expect(count).not_to_have_text(str(first), timeout=3_000)
    assert int(count.inner_text()) < first <= 30
    page.keyboard.press("Tab")  # keyboard focus stays usable while the guide runs
    widget.get_by_role("button", name="Pause").click()
    frozen, left = count.inner_text(), meta.inner_text()
    expect(cue).to_have_text(re.compile("^Paused"))
    time.sleep(2)
    assert (count.inner_text(), meta.inner_text()) == (frozen, left)
    assert serious_violations(page) == []
    widget.get_by_role("button", name="Resume").click()
    expect(count).not_to_have_text(frozen, timeout=3_000)
    widget.locator(".sg-pmr-title").click()           # focus inside the widget, then the key
    page.keyboard.press("Escape")
    expect(widget.locator(".sg-pmr-status")).to_have_text("Nothing saved: no part was finished.")
    expect(widget.get_by_role("button", name="Start")).to_be_enabled()
    time.sleep(1)
    assert len(learner_store.practices()) == before


def test_muscle_relaxation_skips_unticked_parts_and_respects_reduced_motion(voila_url, offline_page):
    offline_page.emulate_media(reduced_motion="reduce")
    page = open_module(offline_page, voila_url, CALMING)
    widget = page.locator(".sg-pmr")
    expect(widget.get_by_label("Calm view (no moving shape)")).to_be_checked()
    for name in ["Hands and forearms", "Upper arms", "Face", "Stomach"]:
        widget.get_by_label(name).uncheck()
    expect(widget.locator(".sg-pmr-summary")).to_have_text(re.compile("^2 parts"))
    widget.get_by_role("button", name="Start").click()
    expect(widget.locator(".sg-pmr-part")).to_have_text(re.compile("Part 1 of 2: Shoulders"), timeout=3_000)
    expect(widget.locator(".sg-pmr-shapebox")).to_be_hidden()
    expect(widget.get_by_role("progressbar", name="Progress through this step")).to_be_visible()
    widget.get_by_role("button", name="Skip this part").click()
    expect(widget.locator(".sg-pmr-part")).to_have_text(re.compile("Part 2 of 2: Legs and feet"))
    widget.get_by_role("button", name="Stop").click()
    expect(widget.locator(".sg-pmr-status")).to_have_text("Nothing saved: no part was finished.")


def test_muscle_relaxation_saves_finished_parts_with_an_after_rating(voila_url, offline_page, learner_store):
    offline_page.clock.install()  # the page's own clock, so 40 s of guide need not take 40 s of test
    page = open_module(offline_page, voila_url, CALMING)
    widget = page.locator(".sg-pmr")
    before = len(learner_store.practices())
    widget.get_by_role("button", name="Start").click()
    expect(widget.locator(".sg-pmr-cue")).to_have_text(re.compile("^Make a fist"), timeout=6_000)
    page.clock.fast_forward(37_000)   # past the end of "let go" for the hands (4 + 6 + 30 s)
    expect(widget.locator(".sg-pmr-meta")).to_have_text(re.compile("Parts done: 1 of 6"))
    widget.get_by_role("button", name="Stop").click()
    after = widget.get_by_role("slider", name=re.compile("Calm")).last
    expect(after).to_be_focused()      # Stop is disabled now; focus goes to the optional rating
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    expect(after).to_have_attribute("aria-valuetext", "1 out of 10")
    assert serious_violations(page) == []
    widget.get_by_role("button", name="Finish").click()
    expect(widget.locator(".sg-pmr-status")).to_have_text(
        re.compile(r"^Saved \(stopped early\): 1 muscle group, .*Calm after: 1 \(out of 10\)\.$"), timeout=10_000)
    rows = learner_store.practices()
    assert len(rows) == before + 1
    assert (rows[-1]["exercise"], rows[-1]["pattern"], rows[-1]["cycles"]) == ("muscle-relaxation", "pmr", 1)
    assert (rows[-1]["before"], rows[-1]["after"]) == (None, 1)
