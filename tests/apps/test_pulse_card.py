"""The participant's side of the room (issue 10): the pulse card and "session ended" on module 3.

A real `course workshop` serves the page; the room's two addresses are played by the test
(Playwright's page.route), as the facilitator's server answers them: `steady/room` says
which question is open or that the session ended, `steady/pulse/<id>` counts one answer.
The participant answers with one click (or by keyboard), skips, and is told the session
ended with time left to save their notes.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import type_like_a_person
from tests.apps.test_kernels import STOP_KERNEL
from tests.apps.test_save_notes import FIRST_SIGNS, participant, workshop  # noqa: F401 (a fixture)
from tests.apps.test_voila import serious_violations

pytestmark = pytest.mark.browser
GAUGE = {"id": "settled-1", "question": "How settled do you feel right now?", "kind": "gauge",
         "options": [str(n) for n in range(11)]}
CHOICE = {"id": "pace-2", "question": "Was the pace <b>right</b> for you?", "kind": "choice",
          "options": ["Too fast", "About right", "Too slow"]}
ENDED_TEXT = re.compile(r"The facilitator has ended the session\. Save your notes now if you want to keep them; "
                        r"this page will stop in (\d+):(\d\d)\.")


class FakeRoom:
    """The room's server, as the page sees it: what `steady/room` answers, and the answers it got."""

    def __init__(self, page):
        self.state = {"ended": False, "stops_in": None, "pulse": None}
        self.asked = 0
        self.answers: list[dict] = []
        self.answer_status = 204
        self.answer_body = ""
        page.route("**/steady/room", self._room)
        page.route("**/steady/pulse/**", self._answer)

    def _room(self, route):
        self.asked += 1
        route.fulfill(status=200, content_type="application/json", body=json.dumps(self.state))

    def _answer(self, route):
        request = route.request
        self.answers.append({"method": request.method, "url": request.url, "body": request.post_data_json,
                             "xsrf": request.headers.get("x-xsrftoken")})
        if self.answer_status == 204:
            route.fulfill(status=204, body="")
        else:
            route.fulfill(status=self.answer_status, content_type="application/json", body=self.answer_body)


@pytest.fixture
def room_page(workshop, browser):  # noqa: F811 (the fixture imported above)
    base, _home, _log = workshop
    context, page = participant(browser, base, setup=lambda p: setattr(p, "fake_room", FakeRoom(p)))
    page.wait_for_selector(".sg-save-notes", timeout=30_000)
    yield page
    context.close()


def xsrf_cookie(page) -> str:
    [value] = [c["value"] for c in page.context.cookies() if c["name"] == "_xsrf"]
    return unquote(value)


def card(page):
    return page.get_by_role("region", name="A question from your facilitator")


def test_a_gauge_question_is_answered_with_one_click_and_then_goes(room_page):
    page, room = room_page, room_page.fake_room
    room.state["pulse"] = GAUGE
    pulse = card(page)
    expect(pulse).to_be_visible(timeout=15_000)
    expect(pulse).to_contain_text("How settled do you feel right now?")
    expect(pulse.get_by_role("button", name=re.compile(r"out of 10"))).to_have_count(11)
    expect(pulse.get_by_role("button", name="0 out of 10: not at all")).to_be_visible()
    expect(pulse.get_by_role("button", name="10 out of 10: very much")).to_be_visible()
    expect(pulse).to_contain_text("0 = Not at all")
    # Above the module's text, after the course nav: the page is still there to read and type in.
    nav_box = page.locator("#sg-course-nav").bounding_box()
    card_box = pulse.bounding_box()
    assert card_box["y"] >= nav_box["y"] + nav_box["height"] - 1
    box = page.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS)
    box.scroll_into_view_if_needed()
    at = box.bounding_box()
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('.sg-journal') !== null",
                        [at["x"] + at["width"] / 2, at["y"] + at["height"] / 2])
    assert hit, "the card covers the journal"
    assert serious_violations(page) == []

    pulse.get_by_role("button", name="5 out of 10").focus()  # by keyboard
    page.keyboard.press("Enter")
    expect(pulse).to_contain_text("Thanks — your answer is anonymous", timeout=10_000)
    assert [(a["method"], a["body"]) for a in room.answers] == [("POST", {"choice": 5})]
    assert room.answers[0]["url"].endswith("/steady/pulse/settled-1")
    assert room.answers[0]["xsrf"] == xsrf_cookie(page)
    expect(pulse).to_have_count(0, timeout=10_000)
    asked = room.asked
    page.wait_for_timeout(6_000)  # the question is still open on the server: the page does not ask again
    assert room.asked > asked
    expect(card(page)).to_have_count(0)
    assert len(room.answers) == 1


def test_a_question_can_be_skipped_and_a_new_one_still_comes(room_page):
    page, room = room_page, room_page.fake_room
    room.state["pulse"] = CHOICE
    pulse = card(page)
    expect(pulse).to_be_visible(timeout=15_000)
    expect(pulse).to_contain_text("Was the pace <b>right</b> for you?")  # the question is text, never markup
    expect(pulse.locator("b")).to_have_count(0)
    expect(pulse.get_by_role("button", name="About right")).to_be_visible()
    pulse.get_by_role("button", name="Skip this question").click()
    expect(card(page)).to_have_count(0)
    page.wait_for_timeout(6_000)
    expect(card(page)).to_have_count(0)  # skipped: not shown again for that question
    assert room.answers == []

    room.state["pulse"] = {**GAUGE, "id": "useful-3", "question": "How useful was this part?"}
    expect(card(page)).to_contain_text("How useful was this part?", timeout=15_000)
    room.state["pulse"] = None  # the facilitator closed it before anyone here answered
    expect(card(page)).to_have_count(0, timeout=15_000)


def test_a_refused_answer_says_why_and_the_card_goes(room_page):
    page, room = room_page, room_page.fake_room
    room.answer_status = 409
    room.answer_body = json.dumps({"error": "You have already answered this question."})
    room.state["pulse"] = CHOICE
    pulse = card(page)
    pulse.get_by_role("button", name="Too slow").click(timeout=15_000)
    expect(pulse).to_contain_text("Your answer was not counted: You have already answered this question.")
    assert [a["body"] for a in room.answers] == [{"choice": 2}]
    expect(card(page)).to_have_count(0, timeout=10_000)


def test_the_end_of_the_session_counts_down_and_offers_the_notes(room_page):
    page, room = room_page, room_page.fake_room
    box = page.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS)
    box.click()
    type_like_a_person(page, "Breathe Out <slowly>")
    expect(page.locator(".sg-journal").get_by_role("status")).to_have_text(re.compile(r"Saved at"), timeout=30_000)
    room.state.update(ended=True, stops_in=125, pulse=GAUGE)  # no question once it has ended
    notice = page.get_by_role("region", name="The session has ended")
    expect(notice).to_be_visible(timeout=15_000)
    expect(notice).to_contain_text(ENDED_TEXT)
    expect(card(page)).to_have_count(0)
    first = ENDED_TEXT.search(notice.inner_text())
    page.wait_for_timeout(2_500)
    later = ENDED_TEXT.search(notice.inner_text())
    seconds = [int(m[1]) * 60 + int(m[2]) for m in (first, later)]
    assert 118 <= seconds[0] <= 125 and seconds[1] < seconds[0], seconds
    assert serious_violations(page) == []

    with page.expect_download() as caught:
        notice.get_by_role("button", name="Save my notes").click()
    assert "Breathe Out <slowly>" in Path(caught.value.path()).read_text(encoding="utf-8")
    expect(notice.get_by_role("status")).to_have_text(re.compile(r"^Saved to your device at \d\d:\d\d\.$"))

    # Time is up: the server stops the page's kernel. The page says so, and offers no reload.
    assert page.evaluate(STOP_KERNEL) == 204
    page.evaluate("window.sgCheckKernel()")
    gone = page.locator("#sg-kernel-gone")
    expect(gone).to_have_text("The facilitator has ended the session, and this page has stopped. "
                              "Notes that were not saved to this device are gone.")
    expect(gone.get_by_role("button")).to_have_count(0)
    expect(notice).to_have_count(0)
