"""The repair planner and the progress review as a learner uses them: Voila in headless Chromium.

A demo notebook with both widgets is served from a temporary folder by its own
Voila, whose learner data folder is filled with a few check-ins and practice
sessions first.
"""
import re
import time
from datetime import datetime, timedelta
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from course.store import Store
from tests.apps.conftest import open_module, voila_server
from tests.apps.test_grounding_relaxation import BOOK
from tests.apps.test_voila import serious_violations

pytestmark = pytest.mark.browser
DEMO = "repair-progress-demo"
SUMMARY = ("Over the last 8 weeks you practised on 2 days, about 35 minutes in all. "
           "You gave 4 calm ratings, from 4 to 7. You gave one safety rating: 8.")


def demo_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["title"] = "Repair and progress · Steady Ground"
    hidden = {"tags": ["remove-input"]}
    nb.cells = [nbformat.v4.new_markdown_cell("# Repair and progress"),
                nbformat.v4.new_code_cell("from widgets import RepairPlanner\nRepairPlanner()", metadata=hidden),
                nbformat.v4.new_code_cell("from widgets import ProgressReview\nProgressReview()", metadata=hidden)]
    return nb


def fill(store: Store) -> None:
    """Two practice days (35 minutes), four calm ratings (4 to 7) and one diary safety rating (8)."""
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    for days, value in ((1, 4), (3, 5), (9, 6), (16, 7)):
        store.add_checkin("calm", value, at=noon - timedelta(days=days))
    store.add_checkin("safety", 8, at=noon - timedelta(days=2))
    store.add_practice("breathing", "resonance", noon - timedelta(days=1), 600, 60)
    store.add_practice("grounding", "5-4-3-2-1", noon - timedelta(days=1, hours=1), 300, 1)
    store.add_practice("breathing", "resonance", noon - timedelta(days=8), 1200, 120)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(base URL, learner store) of a Voila serving only the demo notebook."""
    folder, home = tmp_path_factory.mktemp("demo-notebooks"), tmp_path_factory.mktemp("demo-home")
    nbformat.write(demo_notebook(), folder / f"{DEMO}.ipynb")
    store = Store(home / "steady-ground.sqlite3")
    fill(store)
    try:
        with voila_server(folder, home, folder / "voila.log") as url:
            yield url, store
    finally:
        store.close()


def open_demo(page, url):
    open_module(page, url, DEMO)
    page.wait_for_selector(".sg-repair textarea", timeout=60_000)
    page.wait_for_selector(".sg-progress", timeout=30_000)
    return page


def plans(store):
    return {r["key"]: r["data"] for r in store.records("repair-plan")}


def test_repair_plan_by_keyboard_with_a_hint_then_reopened_after_reload(demo, offline_page):
    url, store = demo
    page = open_demo(offline_page, url)
    planner = page.locator(".sg-repair")
    planner.get_by_label("Name this plan (optional)").focus()
    page.keyboard.type("Friday call")
    page.keyboard.press("Tab")
    expect(planner.get_by_role("textbox", name="1. Say what happened")).to_be_focused()
    page.keyboard.type("I said I would call at 6, and I didn't.")
    page.keyboard.press("Tab")
    page.keyboard.type("I'm sorry I didn't call, but my phone died.")
    hint = planner.locator(".sg-repair-hints li")
    expect(hint).to_have_text("Try leaving out the “but”. The part after it often sounds like an excuse.")
    apology = planner.get_by_role("textbox", name="2. Say sorry for the impact")
    expect(apology).to_have_attribute("aria-describedby", re.compile("hints"))
    for _ in range(len("but my phone died.")):  # take the excuse out: the hint goes away
        page.keyboard.press("Backspace")
    page.keyboard.type("I can see it scared you.")
    expect(hint).to_have_count(0)
    page.keyboard.press("Tab")
    page.keyboard.type("How was that evening for you? <b>I'm listening</b> 🌱")
    page.keyboard.press("Tab")
    page.keyboard.type("If I'm late, I'll text you before the time we agreed.")
    page.keyboard.press("Tab")
    expect(planner.get_by_role("button", name="Save plan")).to_be_focused()
    page.keyboard.press("Enter")
    expect(planner.get_by_role("status")).to_have_text(re.compile("Saved “Friday call”"), timeout=10_000)
    [(key, data)] = plans(store).items()
    assert key.startswith("Friday call · ")
    assert data["answers"]["apologise"] == "I'm sorry I didn't call, I can see it scared you."
    assert data["answers"]["ask"] == "How was that evening for you? <b>I'm listening</b> 🌱"
    assert serious_violations(page) == []

    page.reload()
    page.wait_for_selector(".sg-repair textarea", timeout=60_000)
    planner = page.locator(".sg-repair")
    saved = planner.locator(".sg-repair-plan", has_text="Friday call")
    expect(saved).to_be_visible(timeout=20_000)
    saved.get_by_role("button", name="Open").focus()
    page.keyboard.press("Enter")
    expect(planner.get_by_role("textbox", name="3. Ask how it was for them")).to_have_value(
        "How was that evening for you? <b>I'm listening</b> 🌱", timeout=10_000)
    expect(planner.get_by_label("Name this plan (optional)")).to_have_value("Friday call")
    assert planner.locator("b").count() == 0

    with page.context.expect_page() as opened:
        planner.get_by_role("button", name="Print or save this plan").click()
    printable = opened.value
    printable.wait_for_load_state()
    assert printable.url.startswith("blob:")
    expect(printable.get_by_role("heading", name="Repair plan: Friday call")).to_be_visible()
    expect(printable.get_by_text("How was that evening for you? <b>I'm listening</b> 🌱")).to_be_visible()
    assert printable.locator("b").count() == 0
    printable.close()


def test_deleting_a_plan_asks_first(demo, offline_page):
    url, store = demo
    page = open_demo(offline_page, url)
    planner = page.locator(".sg-repair")
    planner.get_by_label("Name this plan (optional)").fill("To delete")
    planner.get_by_role("textbox", name="4. Say what you will do differently").fill("<i>Text</i> you first & always")
    with page.expect_download() as download:
        planner.get_by_role("button", name="Download as a file").click()
    assert download.value.suggested_filename == "repair-plan.html"
    saved_page = Path(download.value.path()).read_text(encoding="utf-8")
    assert "&lt;i&gt;Text&lt;/i&gt; you first &amp; always" in saved_page and "<i>" not in saved_page
    planner.get_by_role("button", name="Save plan").click()
    row = planner.locator(".sg-repair-plan", has_text="To delete")
    expect(row).to_be_visible(timeout=10_000)
    row.get_by_role("button", name="Delete").click()
    expect(row.get_by_text("Delete “To delete” for good? This cannot be undone.")).to_be_visible()
    expect(row.get_by_role("button", name="Keep it")).to_be_focused()
    page.keyboard.press("Enter")
    expect(row.get_by_role("button", name="Delete")).to_be_focused()
    row.get_by_role("button", name="Delete").click()
    row.get_by_role("button", name="Yes, delete it").click()
    expect(planner.get_by_role("status")).to_have_text("Deleted the plan.", timeout=10_000)
    expect(planner.locator(".sg-repair-plan", has_text="To delete")).to_have_count(0)
    assert not [k for k in plans(store) if k.startswith("To delete")]


def test_progress_review_shows_the_learners_own_weeks(demo, offline_page):
    url, store = demo
    page = open_demo(offline_page, url)
    review = page.locator(".sg-progress")
    summary = review.locator(".sg-progress-summary")
    expect(summary).to_have_text(SUMMARY, timeout=20_000)
    chart = review.get_by_role("img")
    expect(chart).to_be_visible()
    alt = chart.get_attribute("alt")
    assert alt.startswith("Chart of the last 8 weeks,") and "Practice minutes per week:" in alt
    minutes = [int(n) for n in re.search(r"Practice minutes per week: ([\d, ]+)\.", alt).group(1).split(", ")]
    assert len(minutes) == 8 and sum(minutes) == 35
    assert "Calm ratings, weekly average out of 10:" in alt and "Safety ratings" in alt
    review.get_by_text("Show the numbers as a table").click()
    expect(review.get_by_role("columnheader", name="Safety (0-10)")).to_be_visible()
    assert serious_violations(page) == []

    safety = review.get_by_role("checkbox", name="Safety", exact=True)  # check-ins only: no diary ratings
    expect(safety).to_be_checked()
    safety.focus()
    page.keyboard.press("Space")
    expect(summary).to_have_text(SUMMARY.replace(" You gave one safety rating: 8.", ""), timeout=10_000)
    expect(chart).not_to_have_attribute("alt", re.compile("Safety"))

    store.add_checkin("calm", 9)
    review.get_by_role("button", name="Refresh").click()
    expect(review.get_by_role("status")).to_have_text("Up to date.", timeout=10_000)
    expect(summary).to_have_text(re.compile("You gave 5 calm ratings"))


def test_in_the_book_both_show_printable_sheets(demo, offline_page):
    url, _store = demo
    offline_page.add_init_script(BOOK)
    page = open_module(offline_page, url, DEMO)
    planner = page.locator(".sg-repair-sheet")
    expect(planner).to_be_visible(timeout=30_000)
    expect(planner.get_by_text("Worksheet: plan a repair conversation")).to_be_visible()
    for title in ("1. Say what happened", "2. Say sorry for the impact", "3. Ask how it was for them",
                  "4. Say what you will do differently"):
        expect(planner.get_by_text(title, exact=True)).to_be_visible()
    expect(planner.locator(".sg-repair-line")).to_have_count(16)
    expect(planner.get_by_text("Instead of “I'm sorry you feel that way.”, "
                               "try: “I'm sorry I didn't call. I can see it scared you.”")).to_be_visible()
    expect(planner.locator("textarea")).to_have_count(0)
    review = page.locator(".sg-progress-sheet")
    expect(review.get_by_text("Your progress review is built from your own check-ins in the course app, "
                              "on your own device.")).to_be_visible()
    for header in ("Week", "Practice minutes", "Calm (0-10)", "Safety (0-10)"):
        expect(review.get_by_role("columnheader", name=header, exact=True)).to_be_visible()
    expect(review.get_by_role("row")).to_have_count(9)
    expect(review.get_by_role("button", name="Print this table")).to_be_visible()
    time.sleep(0.5)
    assert serious_violations(page) == []
