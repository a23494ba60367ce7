"""A whole workshop session through its pages (issue 10): the facilitator's page and five
participants' module pages, on the real workshop server. The facilitator asks the room a
question, each person answers with one click in their own page, the facilitator sees the
result only after closing it, then ends the session; every page says so and offers the
notes, and after Stop now the participants' kernels are gone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from course.browser import free_port, serving
from course.notebooks import build_notebooks
from course.serve import profile, voila_command
from tests.apps.conftest import wait_until
from tests.apps.test_room import CALMING, FIRST_SIGNS, call, facilitator_page, kernel_id, participant

pytestmark = pytest.mark.browser
TOKEN = "room-token-for-room-tests"  # the token participant() logs in with
KEY = "facilitator-key-for-session-42"
SETTLED = "How settled do you feel right now?"


@pytest.fixture
def session(tmp_path):
    build_notebooks()
    port = free_port()
    prof = profile("workshop", host="127.0.0.1", pool_size=0, open_browser=False, warm=(CALMING,), module="m03")
    argv, env = voila_command(prof, port, token=TOKEN, facilitator_key=KEY)
    env["STEADY_GROUND_HOME"] = str(tmp_path / "home")
    with serving(argv, env, port, tmp_path / "voila.log") as url:
        yield url


def test_a_session_from_the_first_question_to_the_end(session, browser):
    base = session
    facilitator = facilitator_page(browser, base, KEY)
    expect(facilitator.get_by_role("heading", level=1)).to_have_text("Module 3: Calming the body")
    people = [participant(browser, base) for _ in range(5)]
    expect(facilitator.locator("#fa-room")).to_have_text("5 people connected", timeout=15_000)

    facilitator.get_by_role("button", name=SETTLED).click()
    expect(facilitator.locator("#fa-answered")).to_have_text("0 answered")
    picks = [6, 4, 6, 8, 6]
    for (_context, page), pick in zip(people, picks, strict=True):
        card = page.get_by_role("region", name="A question from your facilitator")
        expect(card).to_contain_text(SETTLED, timeout=20_000)
        card.get_by_role("button", name=re.compile(rf"^{pick} out of 10")).click()
        expect(card).to_contain_text("anonymous")
    expect(facilitator.locator("#fa-answered")).to_have_text("5 answered", timeout=15_000)
    expect(facilitator.locator("#fa-pulse-result")).to_be_hidden()  # nothing but the count while open

    facilitator.get_by_role("button", name="Close question").click()
    rows = facilitator.get_by_role("table", name=re.compile("How many people picked each answer")).locator("tbody tr")
    expect(rows).to_have_count(11)
    for value in range(11):
        expect(rows.nth(value).locator("td")).to_have_text(str(picks.count(value)))
    expect(facilitator.locator(".fa-median")).to_have_text("Median (the middle answer): 6")
    for _context, page in people:  # the closed question leaves every page
        expect(page.get_by_role("region", name="A question from your facilitator")).to_have_count(0, timeout=15_000)

    writer = people[0][1]
    writer.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS).fill("Shoulders up <b>again</b>")
    expect(writer.locator(".sg-journal").get_by_role("status")).to_have_text(re.compile("Saved"), timeout=30_000)
    ids = [kernel_id(page) for _context, page in people]

    facilitator.get_by_role("button", name="End session").click()
    facilitator.get_by_role("button", name="Yes, end the session").click()
    expect(facilitator.locator(".fa-ended-line")).to_have_text(re.compile(r"participants' pages stop in [45]:\d\d"))
    for _context, page in people:
        ended = page.get_by_role("region", name="The session has ended")
        expect(ended).to_be_visible(timeout=15_000)
        expect(ended.get_by_role("button", name="Save my notes")).to_be_visible()
    with writer.expect_download() as caught:
        writer.get_by_role("region", name="The session has ended").get_by_role("button", name="Save my notes").click()
    notes = caught.value.path().read_text(encoding="utf-8")
    assert "```text\nShoulders up <b>again</b>\n```" in notes  # kept whole, in a text block: markup shows as text

    facilitator.get_by_role("button", name="Stop now").click()
    facilitator.get_by_role("button", name=re.compile("Yes, stop")).click()
    wait_until(lambda: all(call(page, "GET", f"/api/kernels/{kid}")["status"] == 404
                           for (_context, page), kid in zip(people, ids, strict=True)), timeout=30)
    for context, _page in people:
        context.close()
    facilitator.context.close()
