"""The yes / no / maybe list, as two partners use it in Voila, after the private check for two.

Voila serves a small demo notebook from a temporary folder: the check, then
the consent list, as module 6 does. The check itself is tested in
test_couples_check.py.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import demo_notebook, voila_server
from tests.apps.test_couples_check import CLEAR, take_check
from tests.apps.test_voila import serious_violations

pytestmark = pytest.mark.browser
DEMO = "consent-demo"
HTML_ITEM = "<b>Dancing</b> & <i>singing</i>"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-notebooks")
    home = tmp_path_factory.mktemp("demo-home")
    demo_notebook(folder / f"{DEMO}.ipynb", "# Consent demo",
                  "from widgets import SafetyCheck\nSafetyCheck()",
                  'from widgets import ConsentList\n'
                  'ConsentList(items=["Holding hands", "A long hug", "Kissing", "Sex"])',
                  title="Consent demo · Steady Ground")
    with voila_server(folder, home, folder.parent / "voila-demo.log") as base:
        yield f"{base}voila/render/{DEMO}.ipynb"


def open_demo(page, url):
    """Open the page; the first time on this device, both partners take the check for two (clear)."""
    page.goto(url)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=90_000)
    check, consent = page.locator(".sg-safety-check"), page.locator(".sg-consent")
    expect(check.get_by_role("heading", level=4)).to_have_text(re.compile("Couples exercises"), timeout=30_000)
    if check.get_by_role("button", name="Start the check").count():
        take_check(page, check, CLEAR, CLEAR)
    expect(consent.get_by_role("button", name="Start: Partner A's turn")).to_be_visible(timeout=10_000)
    return check, consent


def test_two_turns_and_a_reveal_of_shared_yes_and_maybe_only(demo_url, offline_page):
    page = offline_page
    check, consent = open_demo(page, demo_url)
    consent.get_by_label("Partner A's name (optional)").fill("<img src=x onerror=alert(1)>Sam")
    consent.get_by_label("Add an item").fill(HTML_ITEM)
    consent.get_by_role("button", name="Add to the list").click()
    expect(consent.get_by_role("listitem").filter(has_text=HTML_ITEM)).to_be_visible(timeout=10_000)
    assert consent.locator("b, i, img").count() == 0
    consent.get_by_role("button", name="Remove: A long hug").click()
    expect(consent.get_by_text("A long hug")).to_have_count(0, timeout=10_000)
    consent.get_by_role("button", name="Start: Partner A's turn").click()

    turn = consent.get_by_role("heading", name="<img src=x onerror=alert(1)>Sam (Partner A): your turn")
    expect(turn).to_be_focused(timeout=10_000)
    picks_a = {"Holding hands": "Yes", "Kissing": "No", "Sex": "Maybe", HTML_ITEM: "Yes"}
    for item, label in picks_a.items():
        consent.get_by_role("group", name=item, exact=True).get_by_label(label, exact=True).check()
    consent.get_by_role("button", name="I'm done, hide my answers").click()

    expect(consent.get_by_role("heading", name="Partner B: your turn")).to_be_visible(timeout=10_000)
    assert consent.locator("input[type=radio]:checked").count() == 0   # no trace of A's choices
    assert page.evaluate("[...document.querySelectorAll('input:checked')].length") == 0
    for item, label in {"Holding hands": "Yes", "Kissing": "Yes", "Sex": "Yes", HTML_ITEM: "No"}.items():
        consent.get_by_role("group", name=item, exact=True).get_by_label(label, exact=True).check()
    consent.get_by_role("button", name="I'm done, hide my answers").click()

    yes = consent.get_by_role("region", name="Both of you said yes")
    maybe = consent.get_by_role("region", name="At least one of you said maybe: talk first")
    expect(yes.get_by_role("listitem")).to_have_text(["Holding hands"], timeout=10_000)
    expect(maybe.get_by_role("listitem")).to_have_text(["Sex"])
    # REVIEW W3: what a missing item means is said plainly (B marked "Kissing" yes, A marked HTML_ITEM yes).
    expect(consent.get_by_text("If an item you marked yes or maybe is not here, your partner is not ready "
                               "for it right now. Do not ask which or why.")).to_be_visible()
    text = consent.inner_text()
    assert "Kissing" not in text and HTML_ITEM not in text     # anything with a "no" simply does not appear
    assert not re.search(r"\bNo\b", text)
    assert serious_violations(page) == []


def test_keyboard_only_and_saving_needs_both(demo_url, offline_page):
    page = offline_page
    check, consent = open_demo(page, demo_url)
    consent.get_by_role("button", name="Start: Partner A's turn").focus()
    page.keyboard.press("Enter")
    heading = consent.get_by_role("heading", name="Partner A: your turn")
    expect(heading).to_be_focused(timeout=10_000)
    for _ in range(4):                       # Tab into each item's radio group, Space picks "Yes"
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")             # I'm done, hide my answers
    expect(consent.get_by_role("heading", name="Partner B: your turn")).to_be_focused(timeout=10_000)
    for _ in range(4):
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    yes = consent.get_by_role("region", name="Both of you said yes")
    expect(yes.get_by_role("listitem")).to_have_count(4, timeout=10_000)
    consent.get_by_label("Partner A agrees to save").focus()
    page.keyboard.press("Space")
    consent.get_by_role("button", name="Save our shared list").focus()
    page.keyboard.press("Enter")
    expect(consent.get_by_role("status")).to_have_text(re.compile("Both of you need to agree"), timeout=10_000)
    consent.get_by_label("Partner B agrees to save").focus()
    page.keyboard.press("Space")
    consent.get_by_role("button", name="Save our shared list").focus()
    page.keyboard.press("Enter")
    expect(consent.get_by_role("status")).to_have_text(re.compile("^Saved your shared list"), timeout=10_000)


def test_the_solo_list_in_module_6_needs_no_check(voila_url, offline_page):
    """Solo material is never gated: a learner on their own fills their list with the couples part closed."""
    from tests.apps.conftest import open_module

    page = open_module(offline_page, voila_url, "06-consent-boundaries-pauses")
    couple, solo = page.locator(".sg-consent").first, page.locator(".sg-consent").last
    expect(couple.locator(".sg-couples-closed")).to_be_visible(timeout=30_000)
    expect(solo.get_by_role("heading", name="Yes, no, maybe: my own list")).to_be_visible()
    solo.get_by_role("button", name="Start my list").click()
    expect(solo.get_by_role("heading", name="Your list")).to_be_visible(timeout=10_000)
    solo.get_by_role("group", name="Holding hands", exact=True).get_by_label("Yes", exact=True).check()
    solo.get_by_role("group", name="Kissing", exact=True).get_by_label("No", exact=True).check()
    solo.get_by_role("button", name="I'm done: show my list").click()
    yes = solo.get_by_role("region", name="Yes", exact=True)
    expect(yes.get_by_role("listitem")).to_have_text(["Holding hands"], timeout=10_000)
    expect(solo.get_by_role("region", name="No", exact=True).get_by_role("listitem")).to_have_text(["Kissing"])
    assert serious_violations(page) == []
