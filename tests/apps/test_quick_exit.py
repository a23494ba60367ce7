"""Quick exit in the Voila apps (CONTENT.md safety rule 3), as GOV.UK's "Exit this page":
Leave now, or Shift pressed on its own three times; typing capitals never leaves.

Keys go through Playwright's keyboard, which Chromium receives as real key
events. `keyboard.type` never presses Shift, so capitals are typed here as a
person types them: Shift down, the letter, Shift up.
"""
from __future__ import annotations

import base64
import io
import re
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.apps.conftest import KEY_MS, open_module, type_like_a_person, wait_until

pytestmark = pytest.mark.browser
CALMING = "03-calming-the-body"
FIRST_SIGNS = re.compile("first signs that you are leaving your window")
NEUTRAL = "https://www.weather.gov/"


def lone_shift(page, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press("Shift")
        page.wait_for_timeout(KEY_MS)


def assert_still_here(page, url: str) -> None:
    page.wait_for_timeout(500)  # leaving would have started by now
    assert page.url == url
    expect(page.locator("#sg-exit-overlay")).to_have_count(0)
    expect(page.get_by_role("heading", name="Calming the body", level=1)).to_be_visible()


def wait_for_request(page, held: list) -> None:
    """Until the held route has the neutral site's request (the page must run to get it)."""
    for _ in range(50):
        if held:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the page never asked for the neutral site")


def hold_neutral_site(page) -> list:
    """The neutral site does not answer until the test lets it: leaving stays in progress."""
    held: list = []
    page.route(NEUTRAL + "**", lambda route: held.append(route))
    return held


def non_white_share(page) -> float:
    """Share of the viewport's pixels that are not white, as on screen now.

    Taken by the browser's compositor (CDP): Playwright's own screenshot, like
    page.evaluate, waits until a navigation in progress has finished.
    """
    shot = page.context.new_cdp_session(page).send("Page.captureScreenshot", {"format": "png"})
    histogram = Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("L").histogram()
    return sum(histogram[:245]) / sum(histogram)


def covered(page) -> bool:
    """The blank cover fills the viewport, on top, and nothing of the page can be seen or focused."""
    seen = page.evaluate("""() => {
        const overlay = document.getElementById("sg-exit-overlay");
        const box = overlay?.getBoundingClientRect();
        const shown = [...document.body.querySelectorAll("h1, h2, p, a, button, textarea, input, summary")]
            .filter((e) => e.checkVisibility({visibilityProperty: true})).length;
        return {
            cover: box ? [box.x, box.y, box.width, box.height] : null,
            viewport: [0, 0, innerWidth, innerHeight],
            onTop: [[1, 1], [innerWidth - 2, 1], [innerWidth / 2, innerHeight / 2],
                    [1, innerHeight - 2], [innerWidth - 2, innerHeight - 2]]
                .map(([x, y]) => document.elementFromPoint(x, y)?.id),
            shown,
            focus: document.activeElement?.tagName ?? "none",
            text: overlay?.textContent,
        };
    }""")
    assert seen["cover"] == seen["viewport"], seen
    assert seen["onTop"] == ["sg-exit-overlay"] * 5, seen
    assert seen["shown"] == 0, seen
    assert seen["focus"] in ("BODY", "none"), seen
    assert seen["text"] == "Loading.", seen
    return True


@pytest.fixture
def journal_page(voila_url, offline_page):
    page = open_module(offline_page, voila_url, CALMING)
    box = page.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS)
    expect(box).to_be_visible(timeout=30_000)
    box.click()
    return page, box


@pytest.mark.parametrize("rolled", [False, True], ids=["shift-up-after-letter", "shift-up-before-letter"])
def test_typing_capitals_in_the_journal_never_leaves_and_the_text_is_saved(journal_page, learner_store, rolled):
    page, box = journal_page
    here = page.url
    tag = uuid.uuid4().hex[:8]
    text = f"I Am Ok And Fine {tag}"
    type_like_a_person(page, text, rolled=rolled)
    assert_still_here(page, here)
    expect(box).to_have_value(text)
    expect(box).to_be_focused()
    [entry] = wait_until(lambda: learner_store.journal_entries(search=tag))
    assert entry["text"] == text
    expect(page.locator(".sg-journal").get_by_role("status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"))


def test_three_lone_shift_presses_leave_and_back_skips_the_course(voila_url, offline_page):
    page = offline_page
    page.goto(voila_url)
    open_module(page, voila_url, CALMING)
    page.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS).click()
    lone_shift(page, 3)
    page.wait_for_url(NEUTRAL + "**")
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()
    page.go_back()
    page.wait_for_load_state()
    # location.replace() took the module out of the tab's history.
    assert page.url == voila_url


def test_leave_now_button_replaces_the_page(voila_url, offline_page):
    page = offline_page
    page.goto(voila_url)
    open_module(page, voila_url, CALMING)
    page.get_by_role("button", name="Leave now").click()
    page.wait_for_url(NEUTRAL + "**")
    page.go_back()
    page.wait_for_load_state()
    assert CALMING not in page.url


def test_the_page_is_covered_before_the_neutral_site_answers(journal_page):
    page, box = journal_page
    held = hold_neutral_site(page)
    box.press_sequentially("private words")
    assert non_white_share(page) > 0.02  # the course is on screen
    lone_shift(page, 3)
    wait_for_request(page, held)  # the neutral site was asked for, and has not answered
    assert non_white_share(page) < 0.005  # a blank page, but for the word "Loading."
    # The neutral site never answers: the page stays covered, and nothing behind
    # the cover can be seen, reached by Tab, or read by a screen reader.
    held[0].abort("aborted")
    page.keyboard.press("Tab")
    assert covered(page)


def test_any_other_key_between_shift_presses_starts_the_count_again(journal_page):
    page, box = journal_page
    here = page.url
    status = page.locator("#sg-safety-bar").get_by_role("status")
    lone_shift(page)
    expect(status).to_have_text("Shift, press 2 more times to leave.")
    page.keyboard.press("KeyX")
    expect(status).to_have_text("Shift presses cleared.")
    lone_shift(page, 2)
    assert_still_here(page, here)
    expect(box).to_have_value("x")
    # The count did start again: one more lone press is the third in a row.
    lone_shift(page)
    page.wait_for_url(NEUTRAL + "**")


def test_a_shift_click_is_not_a_lone_press(journal_page):
    page, box = journal_page
    here = page.url
    lone_shift(page, 2)
    page.keyboard.down("Shift")
    box.click()  # shift-click, e.g. to select text
    page.keyboard.up("Shift")
    assert_still_here(page, here)


def test_a_page_back_from_the_cache_is_usable_and_counts_from_zero(journal_page):
    """A page restored from the back/forward cache gets a persisted pageshow.

    Voila pages hold a websocket, so Chromium does not keep them in that cache
    (tests/book/test_quick_exit_book.py makes a real round trip); the restore is
    played here as the browser plays it: the page as it was left (covered, or
    mid-count), then pageshow with persisted = true.
    """
    page, box = journal_page
    here = page.url
    status = page.locator("#sg-safety-bar").get_by_role("status")
    lights = page.locator("#sg-safety-bar .sg-exit-light--lit")
    restore = "window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))"

    # Left covered (the neutral site never loaded), then shown again.
    held = hold_neutral_site(page)
    lone_shift(page, 3)
    wait_for_request(page, held)
    held[0].abort("aborted")
    assert covered(page)
    page.unroute(NEUTRAL + "**")
    page.evaluate(restore)
    assert page.url == here
    expect(page.locator("#sg-exit-overlay")).to_have_count(0)
    expect(page.get_by_role("heading", name="Calming the body", level=1)).to_be_visible()
    box.click()
    box.press_sequentially("back again")
    expect(box).to_have_value("back again")

    # Left mid-count (two lone presses), then shown again: the count starts from zero.
    lone_shift(page, 2)
    expect(lights).to_have_count(2)
    page.evaluate(restore)
    expect(lights).to_have_count(0)
    expect(status).to_have_text("")
    lone_shift(page)
    expect(status).to_have_text("Shift, press 2 more times to leave.")
    assert_still_here(page, here)
    # And the quick exit still works.
    lone_shift(page, 2)
    page.wait_for_url(NEUTRAL + "**")


def test_landing_page_has_the_same_quick_exit(voila_url, offline_page):
    page = offline_page
    page.goto(voila_url)
    leave = page.get_by_role("button", name="Leave now")
    expect(leave).to_be_visible()
    # It looks the same as on every page: white on the theme's dark red, before any widget loads.
    expect(leave).to_have_css("background-color", "rgb(107, 29, 29)")
    expect(leave).to_have_css("color", "rgb(255, 255, 255)")
    type_like_a_person(page, "I Am Ok")
    page.wait_for_timeout(500)
    assert page.url == voila_url
    lone_shift(page, 3)
    page.wait_for_url(NEUTRAL + "**")
