"""Crisis resources where they are needed (CONTENT.md safety rule 6), as a learner meets them.

A saved check-in at distress 9-10 or safety/calm 0-1, or journal text with a
crisis phrase, shows the crisis resources inline at once, with one gentle
line. Nothing is blocked, and the store keeps exactly what it would keep anyway.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import open_module, wait_until
from tests.apps.test_journal_quiz import unique
from tests.apps.test_voila import serious_violations

pytestmark = pytest.mark.browser
NAMING = "01-naming-the-wound"
TRUST = "04-rebuilding-trust"
GENTLE = "It sounds like things may be very hard right now. You do not have to handle this alone."
NOTICED = re.compile("What did you notice today in your body")


def others(store) -> tuple:
    """What the learner's store holds besides the journal."""
    return store.checkins(), store.records(), store.practices()


def set_slider(page, checkin, value: int) -> None:
    """Move the check-in's slider by keyboard, as a learner would."""
    checkin.get_by_role("slider").focus()
    page.keyboard.press("Home")
    for _ in range(value):
        page.keyboard.press("ArrowRight")
    expect(checkin.locator("output")).to_have_text(str(value))


def save(checkin, value: int) -> None:
    checkin.get_by_role("button", name="Save check-in").click()
    expect(checkin.get_by_role("status")).to_have_text(re.compile(f"Saved: {value} out of 10"), timeout=15_000)


def expect_resources(where) -> None:
    box = where.locator(".sg-crisis")
    expect(box).to_be_visible()
    expect(box).to_contain_text(GENTLE)
    expect(box.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(box.get_by_role("link", name="Text START to 88788")).to_have_attribute("href", "sms:88788?body=START")
    expect(box.get_by_role("link", name="findahelpline.com")).to_be_visible()


@pytest.fixture
def naming(voila_url, offline_page):
    page = open_module(offline_page, voila_url, NAMING)
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.wait_for_selector(".sg-checkin input[type=range]", timeout=30_000)
    page.wait_for_selector(".sg-journal textarea", timeout=30_000)
    return page


def test_a_distress_check_in_at_9_shows_the_resources_and_at_8_does_not(naming, learner_store):
    page = naming
    checkin = page.locator(".sg-checkin").first
    set_slider(page, checkin, 8)
    save(checkin, 8)
    page.wait_for_timeout(300)
    expect(checkin.locator(".sg-crisis")).to_have_count(0)

    set_slider(page, checkin, 9)
    save(checkin, 9)
    expect_resources(checkin)
    assert serious_violations(page) == []
    # Nothing is blocked: the learner can go on and save again.
    expect(checkin.get_by_role("button", name="Save check-in")).to_be_enabled()
    saved = learner_store.checkins("distress")[-2:]
    assert [(r["value"], r["note"]) for r in saved] == [(8, None), (9, None)]

    set_slider(page, checkin, 3)
    save(checkin, 3)
    expect(checkin.locator(".sg-crisis")).to_have_count(0)
    assert page.errors == []


def test_a_safety_check_in_at_1_shows_the_resources(voila_url, offline_page, learner_store):
    page = open_module(offline_page, voila_url, TRUST)
    checkin = page.locator(".sg-checkin", has_text="How safe do you feel in your relationship today?")
    expect(checkin.get_by_role("slider")).to_be_visible(timeout=30_000)
    set_slider(page, checkin, 2)
    save(checkin, 2)
    expect(checkin.locator(".sg-crisis")).to_have_count(0)
    set_slider(page, checkin, 1)
    save(checkin, 1)
    expect_resources(checkin)
    assert learner_store.checkins("safety")[-1]["value"] == 1
    trust = page.locator(".sg-checkin", has_text="How much do you trust your partner today?")
    expect(trust.locator(".sg-crisis")).to_have_count(0)  # only the check-in that was saved


def test_typing_a_crisis_phrase_in_the_journal_shows_the_resources_under_that_box(naming, learner_store):
    page = naming
    journal = page.locator(".sg-journal")
    box = journal.get_by_role("textbox", name=NOTICED)
    before = others(learner_store)
    box.click()
    page.keyboard.down("Shift")  # a capital I, typed as a person types it (not a quick-exit Shift press)
    page.keyboard.press("I")
    page.keyboard.up("Shift")
    page.keyboard.type(" want to die", delay=30)

    under = journal.locator(".sg-crisis")
    expect(under).to_have_count(1)
    expect_resources(journal)
    # Right under the box it was typed in, before the next prompt's label.
    assert box.evaluate("b => b.nextElementSibling.querySelector('.sg-crisis') !== null")
    expect(box).to_have_value("I want to die")
    assert NAMING in page.url, "typing a capital letter never leaves the page"

    [row] = wait_until(lambda: [e for e in learner_store.journal_entries() if e["module"] == "m01"
                                and NOTICED.search(e["prompt"] or "")])
    assert row["text"] == "I want to die"
    assert others(learner_store) == before, "nothing else is stored"

    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.type("rest", delay=30)
    expect(under).to_have_count(0)
    wait_until(lambda: [e for e in learner_store.journal_entries() if e["id"] == row["id"]
                        and e["text"] == "I want to rest"])
    assert others(learner_store) == before
    assert page.errors == []


@pytest.mark.parametrize("text", ["Some nights I\u2019m afraid for my life", "HE SAID HE WOULD   HIT ME"])
def test_curly_apostrophes_capitals_and_extra_spaces_still_show_them(naming, text):
    journal = naming.locator(".sg-journal")
    box = journal.get_by_role("textbox", name=re.compile("What helps your distress come down"))
    box.fill(text)
    expect(journal.locator(".sg-crisis")).to_have_count(1)
    box.fill(unique("I want to diet and hit meetings"))
    expect(journal.locator(".sg-crisis")).to_have_count(0)
