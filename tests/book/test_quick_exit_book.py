"""Quick exit on the static book's pages (CONTENT.md safety rule 3): the same
module as the Voila apps (widgets/safety_bar/safety_bar.js, copied into the
book), so the same behaviour: three lone Shift presses leave, capitals never do.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import keep_offline
from tests.apps.test_quick_exit import (
    NEUTRAL,
    covered,
    hold_neutral_site,
    lone_shift,
    non_white_share,
    type_like_a_person,
    wait_for_request,
)

pytestmark = [pytest.mark.book, pytest.mark.browser]
MODULE = "03-calming-the-body.html"
TITLE = re.compile("Calming the body")


def offline(page, book_url: str):
    """Nothing leaves the book's server but the quick exit, which lands on a fake neutral site."""
    page.outside = keep_offline(page, book_url)
    return page


@pytest.fixture
def book_page(page, book_url):
    page = offline(page, book_url)
    yield page
    assert not page.outside, f"the page tried to reach outside this machine: {page.outside[:5]}"


def open_page(page, url: str):
    page.goto(url)
    expect(page.locator("#sg-safety-bar summary")).to_have_text("Get help now", timeout=10_000)  # the full bar
    return page


def test_typing_capitals_in_the_search_box_never_leaves(book_page, book_url):
    page = open_page(book_page, book_url + "search.html")
    box = page.locator("input[name=q]:visible").first  # the search page's own box, not the dialog's
    box.click()
    type_like_a_person(page, "I Am Ok And Fine")
    type_like_a_person(page, " And You", rolled=True)
    page.wait_for_timeout(500)
    assert page.url == book_url + "search.html"
    expect(page.locator("#sg-exit-overlay")).to_have_count(0)
    expect(box).to_have_value("I Am Ok And Fine And You")


def test_three_lone_shift_presses_leave_and_back_skips_the_page(book_page, book_url):
    page = open_page(book_page, book_url + "intro.html")
    page.goto(book_url + MODULE)
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    lone_shift(page, 3)
    page.wait_for_url(NEUTRAL + "**")
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()
    page.go_back()
    page.wait_for_load_state()
    assert page.url == book_url + "intro.html"


def test_leave_now_covers_the_page_before_the_neutral_site_answers(book_page, book_url):
    page = open_page(book_page, book_url + MODULE)
    held = hold_neutral_site(page)
    assert non_white_share(page) > 0.02
    page.get_by_role("button", name="Leave now").focus()
    page.keyboard.press("Enter")  # by keyboard (a click would wait for the held navigation)
    wait_for_request(page, held)
    assert non_white_share(page) < 0.005
    held[0].abort("aborted")
    page.keyboard.press("Tab")
    assert covered(page)


def test_another_key_or_a_pause_starts_the_count_again(book_page, book_url):
    page = open_page(book_page, book_url + MODULE)
    status = page.locator("#sg-safety-bar").get_by_role("status")
    lights = page.locator("#sg-safety-bar .sg-exit-light--lit")
    lone_shift(page, 2)
    expect(lights).to_have_count(2)
    expect(status).to_have_text("Shift, press 1 more time to leave.")
    page.keyboard.press("ArrowDown")
    expect(status).to_have_text("Shift presses cleared.")
    expect(lights).to_have_count(0)
    lone_shift(page, 2)
    page.wait_for_timeout(5_300)  # more than 5 s since the last lone press
    expect(status).to_have_text("Shift presses cleared.")
    lone_shift(page)
    expect(status).to_have_text("Shift, press 2 more times to leave.")
    page.wait_for_timeout(300)
    assert page.url == book_url + MODULE
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()


@pytest.fixture
def bfcache_page(browser_type, browser_type_launch_args, book_url):
    """A browser that keeps pages in the back/forward cache (Playwright turns it off by default)."""
    browser = browser_type.launch(**browser_type_launch_args, ignore_default_args=["--disable-back-forward-cache"])
    page = offline(browser.new_page(), book_url)
    yield page
    outside = page.outside
    browser.close()
    assert not outside, f"the page tried to reach outside this machine: {outside[:5]}"


def test_a_page_back_from_the_cache_counts_from_zero(bfcache_page, book_url):
    page = open_page(bfcache_page, book_url + MODULE)
    page.evaluate("""() => { window.sgSameDocument = true;
        addEventListener("pageshow", (e) => { window.sgRestored = e.persisted; }); }""")
    status = page.locator("#sg-safety-bar").get_by_role("status")
    lights = page.locator("#sg-safety-bar .sg-exit-light--lit")
    lone_shift(page, 2)
    expect(lights).to_have_count(2)
    page.locator("a.right-next").click()
    page.wait_for_url(re.compile(r"04-rebuilding-trust\.html$"))
    page.go_back(wait_until="commit")  # a page from the cache fires no new load event
    page.wait_for_function("window.sgRestored === true && window.sgSameDocument === true")
    expect(lights).to_have_count(0)
    expect(status).to_have_text("")
    lone_shift(page)
    expect(status).to_have_text("Shift, press 2 more times to leave.")
    page.wait_for_timeout(300)
    assert page.url == book_url + MODULE
    lone_shift(page, 2)
    page.wait_for_url(NEUTRAL + "**")
