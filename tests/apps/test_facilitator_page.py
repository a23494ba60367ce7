"""The facilitator's page (course/voila/facilitator/) as a facilitator uses it, in headless Chromium.

The page runs against tests/apps/facilitator_fake.py, which serves it as the workshop
server does, with the API of issue 10 kept in memory; the tests play the participants
through the fake's room (``room.answer``, ``room.connected``). To run them against the
real server, give the fixtures ``server`` (``page_url``) and ``room`` another source.
"""
import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from course.guides import plan_for
from tests.apps.facilitator_fake import fake_server
from tests.apps.test_voila import serious_violations

pytestmark = pytest.mark.browser
POLL = 10_000
"""How long to wait for something the page learns by asking the server (it asks every 3 s)."""
MINUTE = 60_000
SETTLED = "How settled do you feel right now?"


@pytest.fixture(scope="module")
def server():
    with fake_server() as served:
        yield served


@pytest.fixture
def room(server):
    """Module 3's session with seven people connected; results show from five answers."""
    return server.reset(module="m03", threshold=5, connected=7)


@pytest.fixture
def page(offline_page, server, room):
    """The facilitator's page, loaded, with module 3's plan drawn; nothing outside this machine."""
    return offline_page


def open_page(page, server):
    page.goto(server.page_url)
    expect(page.locator("#fa-plan li").first).to_be_visible()
    return page


def clock(page):
    return page.locator("#fa-clock")


def part(page, activity: str, minutes: int):
    """The part on now is `activity`, highlighted in the plan, with its minutes."""
    expect(page.locator("#fa-activity")).to_have_text(activity)
    current = page.locator("#fa-plan li[aria-current=step]")
    expect(current).to_have_count(1)
    expect(current).to_contain_text(activity)
    expect(current).to_contain_text(f"{minutes} min")
    expect(current).to_contain_text("Now")


def test_page_shows_the_plan_the_room_and_the_guide(page, server, room):
    open_page(page, server)
    plan = plan_for("m03")
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 3: Calming the body")
    expect(page.locator("#fa-room")).to_have_text("7 people connected")
    items = page.locator("#fa-plan li")
    expect(items).to_have_count(len(plan.segments))
    for item, segment in zip(items.all(), plan.segments, strict=True):
        expect(item).to_contain_text(segment.start)
        expect(item).to_contain_text(segment.activity)
        expect(item).to_contain_text(f"{segment.minutes} min")
    expect(page.locator("#fa-plan-total")).to_have_text("9 parts, 90 minutes in all.")
    part(page, "Welcome, ground rules, check-in", 10)
    expect(page.locator("#fa-now-h")).to_have_text("Now, part 1 of 9")
    expect(clock(page)).to_have_text("10:00")
    expect(page.locator("#fa-how")).to_have_text(plan.segments[0].how)
    expect(page.locator(".fa-nextup")).to_have_text("Next up: Your window of tolerance (10 min)")
    expect(page.locator("#fa-prompts li")).to_have_text(list(plan.prompts))
    page.get_by_text("What to watch for").click()
    expect(page.locator("#fa-watch li").first).to_have_text(
        f"{plan.watch[0].sign}: {plan.watch[0].what_to_do}")
    page.get_by_text("If someone tells you about abuse or is in crisis").click()
    expect(page.locator("#fa-crisis")).to_have_text(plan.crisis)
    expect(page.get_by_role("button", name="Leave now")).to_be_visible()  # the safety bar, as on every page

    room.connected = 1
    expect(page.locator("#fa-room")).to_have_text("1 person connected", timeout=POLL)


def test_timer_counts_down_and_keys_move_between_parts(page, server, room):
    page.clock.install()
    open_page(page, server)
    page.locator("body").click(position={"x": 5, "y": 300})  # nothing focused but the page
    expect(clock(page)).to_have_text("10:00")
    expect(page.locator("#fa-clock-label")).to_have_text("left of 10 min, paused")

    page.keyboard.press("Space")
    expect(page.locator("#fa-start")).to_have_text("Pause")
    page.clock.run_for(61_000)
    expect(clock(page)).to_have_text("8:59")
    expect(page.locator("#fa-clock-label")).to_have_text("left of 10 min")

    page.keyboard.press("n")
    part(page, "Your window of tolerance", 10)
    expect(clock(page)).to_have_text("10:00")
    page.keyboard.press("ArrowRight")
    part(page, "Breathe safely, and the before rating", 5)
    expect(page.locator("#fa-plan li").nth(0)).to_have_class(re.compile(r"\bfa-done\b"))
    page.clock.run_for(30_000)
    expect(clock(page)).to_have_text("4:30")  # still running after Next
    page.keyboard.press("b")
    part(page, "Your window of tolerance", 10)
    page.keyboard.press("ArrowLeft")
    part(page, "Welcome, ground rules, check-in", 10)
    expect(page.locator("#fa-back")).to_be_disabled()
    page.keyboard.press("ArrowLeft")  # nothing before the first part
    part(page, "Welcome, ground rules, check-in", 10)

    page.keyboard.press("Space")
    expect(page.locator("#fa-start")).to_have_text("Start")
    page.clock.run_for(MINUTE)
    expect(clock(page)).to_have_text("10:00")  # paused: no time passes

    # The buttons do the same.
    page.get_by_role("button", name="Next").click()
    part(page, "Your window of tolerance", 10)
    page.get_by_role("button", name="Back").click()
    part(page, "Welcome, ground rules, check-in", 10)


def test_time_up_is_said_in_words_and_the_part_stays(page, server, room):
    page.clock.install()
    open_page(page, server)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Next").click()
    part(page, "Breathe safely, and the before rating", 5)
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(5 * MINUTE - 1_000)
    expect(page.locator("#fa-timeup")).to_have_text("")
    page.clock.run_for(6_000)
    expect(page.locator("#fa-timeup")).to_have_text("Time is up for this part.")
    expect(clock(page)).to_have_text("0:05")
    expect(page.locator("#fa-clock-label")).to_have_text("over time")
    part(page, "Breathe safely, and the before rating", 5)  # the facilitator moves on, not the timer
    assert serious_violations(page) == []
    page.keyboard.press("n")
    expect(page.locator("#fa-timeup")).to_have_text("")
    expect(clock(page)).to_have_text("15:00")


def test_keys_do_nothing_while_typing_and_space_keeps_its_meaning_on_buttons(page, server, room):
    page.clock.install()
    open_page(page, server)
    page.get_by_text("Or ask your own question").click()
    field = page.get_by_label("Question", exact=True)
    field.click()
    page.keyboard.type("n b ")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    expect(field).to_have_value("n b ")
    part(page, "Welcome, ground rules, check-in", 10)
    expect(page.locator("#fa-start")).to_have_text("Start")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("Alt+n")  # with Ctrl, Alt or Cmd held, a key is not the page's
    part(page, "Welcome, ground rules, check-in", 10)

    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Space")  # presses the focused button, and only that
    part(page, "Your window of tolerance", 10)
    expect(page.locator("#fa-start")).to_have_text("Start")


def test_the_part_on_now_comes_back_after_a_reload(page, server, room):
    open_page(page, server)
    page.keyboard.press("n")
    page.keyboard.press("n")
    part(page, "Breathe safely, and the before rating", 5)
    page.reload()
    part(page, "Breathe safely, and the before rating", 5)
    expect(page.locator("#fa-start")).to_have_text("Start")


def test_pulse_shows_only_how_many_answered_until_closed_then_the_histogram(page, server, room):
    open_page(page, server)
    page.get_by_role("button", name=SETTLED).click()
    opened = page.locator("#fa-pulse-open")
    expect(opened).to_be_visible()
    expect(page.locator("#fa-open-question")).to_have_text(SETTLED)
    expect(page.locator("#fa-open-choices")).to_have_text("Answers from 0 to 10.")
    expect(page.locator("#fa-answered")).to_have_text("0 answered")
    expect(page.get_by_role("button", name="Close question")).to_be_focused()
    expect(page.locator("#fa-pulse-ask")).to_be_hidden()  # one question at a time
    assert room.pulse["question"] == SETTLED and room.pulse["kind"] == "gauge"

    for value in (3, 5, 5, 6, 7, 9):
        room.answer(value)
    expect(page.locator("#fa-answered")).to_have_text("6 answered", timeout=POLL)
    expect(page.locator("#fa-pulse h3", has_text="Ask the room")).to_be_hidden()
    expect(page.locator("#fa-pulse table")).to_have_count(0)
    expect(page.locator("#fa-pulse-result")).to_be_hidden()

    page.get_by_role("button", name="Close question").click()
    expect(opened).to_be_hidden()
    result = page.locator("#fa-pulse-result")
    expect(result).to_be_visible()
    expect(page.locator("#fa-result-h")).to_have_text(f"Last question: {SETTLED}")
    expect(page.locator("#fa-result-h")).to_be_focused()
    table = result.get_by_role("table", name=re.compile("How many people picked each answer"))
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(11)
    counts = {3: 1, 5: 2, 6: 1, 7: 1, 9: 1}
    for value in range(11):
        expect(rows.nth(value).locator("th")).to_have_text(str(value))
        expect(rows.nth(value).locator("td")).to_have_text(str(counts.get(value, 0)))
    expect(result.locator(".fa-median")).to_have_text("Median (the middle answer): 5.5")
    expect(result.locator(".fa-result-answered")).to_have_text("6 answered")
    # The tallest bar is the most picked answer; an answer nobody picked has none.
    widths = [rows.nth(v).locator(".fa-bar").bounding_box()["width"] for v in range(11)]
    assert widths[5] == max(widths) > widths[3] > 0 == widths[0]

    # The next question can be asked, and Space (focus on the result's heading) still starts the timer.
    expect(page.locator("#fa-pulse-ask")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator("#fa-start")).to_have_text("Pause")
    assert serious_violations(page) == []


def test_too_few_answers_show_no_result(page, server, room):
    open_page(page, server)
    page.get_by_role("button", name="How useful was this part?").click()
    expect(page.locator("#fa-answered")).to_have_text("0 answered")  # the question is open on the server
    for value in (2, 8, 10):
        room.answer(value)
    expect(page.locator("#fa-answered")).to_have_text("3 answered", timeout=POLL)
    page.get_by_role("button", name="Close question").click()
    result = page.locator("#fa-pulse-result")
    expect(result.locator(".fa-too-few")).to_have_text("Too few answers to show")
    expect(result).to_contain_text("at least 5 people answer")
    expect(result.locator("table")).to_have_count(0)
    expect(result.locator(".fa-median")).to_have_count(0)
    assert serious_violations(page) == []


def test_custom_question_is_checked_before_it_is_sent(page, server, room):
    open_page(page, server)
    page.get_by_text("Or ask your own question").click()
    ask = page.get_by_role("button", name="Ask this question")
    error = page.locator("#fa-custom-error")
    question = page.get_by_label("Question", exact=True)

    ask.click()
    expect(error).to_have_text("Write a question first.")
    expect(question).to_be_focused()
    expect(question).to_have_attribute("aria-invalid", "true")

    question.fill("Which tool would you try again?")
    page.get_by_label("Answer 1").fill("Breathing")
    ask.click()
    expect(error).to_have_text("Give at least 2 answers people can pick.")
    expect(page.get_by_label("Answer 2")).to_be_focused()
    expect(question).not_to_have_attribute("aria-invalid", "true")

    page.get_by_label("Answer 2").fill(" breathing ")
    ask.click()
    expect(error).to_have_text("Each answer must be different.")
    expect(page.get_by_label("Answer 2")).to_have_attribute("aria-invalid", "true")
    assert page.get_by_label("Answer 1").get_attribute("maxlength") == "40"
    assert question.get_attribute("maxlength") == "120"
    assert room.requests == []  # nothing was sent
    assert serious_violations(page) == []

    page.get_by_label("Answer 2").fill("Grounding")
    page.get_by_label("Answer 4").fill("Neither")  # an empty field between answers is skipped
    ask.click()
    expect(error).to_have_text("")
    expect(page.locator("#fa-open-question")).to_have_text("Which tool would you try again?")
    expect(page.locator("#fa-open-choices")).to_have_text("Answers: Breathing · Grounding · Neither.")
    assert room.requests == [("pulse", {"question": "Which tool would you try again?", "kind": "choice",
                                        "options": ["Breathing", "Grounding", "Neither"]})]
    for answer in ("Grounding", "Grounding", "Neither", "Breathing", "Grounding"):
        room.answer(answer)
    expect(page.locator("#fa-answered")).to_have_text("5 answered", timeout=POLL)
    page.get_by_role("button", name="Close question").click()
    rows = page.locator("#fa-pulse-result tbody tr")
    expect(rows).to_have_text(["Breathing1", "Grounding3", "Neither1"])
    expect(page.locator("#fa-pulse-result .fa-median")).to_have_count(0)  # no median for answers in words
    expect(question).to_have_value("")


def test_the_servers_refusal_is_shown(page, server, room):
    open_page(page, server)
    page.route("**/steady/facilitator/api/pulse", lambda route: route.fulfill(
        status=400, json={"error": "Questions are paused for a moment."}))
    page.get_by_role("button", name=SETTLED).click()
    expect(page.locator("#fa-custom-error")).to_have_text("Questions are paused for a moment.")
    expect(page.locator("#fa-pulse-open")).to_be_hidden()
    expect(page.get_by_role("button", name=SETTLED)).to_be_enabled()


def test_posts_carry_the_xsrf_cookie_in_a_header(page, server, room):
    open_page(page, server)
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.get_by_role("button", name=SETTLED).click()
    request = sent.value
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "_xsrf")
    assert request.headers["x-xsrftoken"] == unquote(cookie)
    assert request.headers["content-type"] == "application/json"
    assert request.post_data_json == {"question": SETTLED, "kind": "gauge"}
    expect(page.locator("#fa-pulse-open")).to_be_visible()


def test_ending_the_session_needs_a_second_click(page, server, room):
    open_page(page, server)
    page.get_by_role("button", name="End session").click()
    confirm = page.locator("#fa-end-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("End the session for everyone?")
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    assert not room.ended
    assert serious_violations(page) == []
    page.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    expect(page.get_by_role("button", name="End session")).to_be_focused()
    assert not room.ended

    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Yes, end the session").click()
    ended = page.locator(".fa-ended-line")
    expect(ended).to_have_text(re.compile(r"^Session ended; participants' pages stop in [12]:\d\d\.$"))
    assert room.ended and room.requests[-1] == ("end", {})
    expect(page.get_by_role("button", name="End session")).to_be_hidden()
    expect(page.locator("#fa-pulse-ask")).to_be_hidden()
    expect(page.locator("#fa-pulse-ended")).to_be_visible()
    expect(page.get_by_role("button", name="Stop now")).to_be_focused()
    assert serious_violations(page) == []

    page.get_by_role("button", name="Stop now").click()
    expect(page.locator("#fa-stop-confirm")).to_contain_text("Anyone who has not saved their notes yet will lose them.")
    page.get_by_role("button", name="Yes, stop now").click()
    expect(ended).to_have_text("Session ended; participants' pages have stopped.")
    assert room.requests[-1] == ("end", {"now": True})
    expect(page.get_by_role("button", name="Stop now")).to_be_hidden()


def test_a_failed_request_keeps_the_last_state_and_says_so_calmly(page, server, room):
    open_page(page, server)
    expect(page.locator("#fa-status")).to_be_hidden()
    page.route("**/steady/facilitator/api/state", lambda route: route.abort())
    status = page.locator("#fa-status")
    expect(status).to_have_text(re.compile(r"^Cannot reach the course server right now\."), timeout=POLL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 3: Calming the body")
    expect(page.locator("#fa-plan li")).to_have_count(9)
    expect(page.locator("#fa-room")).to_have_text("7 people connected")
    page.unroute("**/steady/facilitator/api/state")
    expect(status).to_have_text("Connected to the course server again.", timeout=POLL)


def test_a_workshop_without_a_module_lets_the_facilitator_choose_one(page, server):
    server.reset(module=None, connected=3)
    page.goto(server.page_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a module")
    expect(page.locator("#fa-plan-area")).to_be_hidden()
    expect(page.locator("#fa-guide")).to_be_hidden()
    page.get_by_label("Module", exact=True).select_option("m05")
    page.get_by_role("button", name="Show its plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 5: Listening and talking")
    expect(page.locator("#fa-plan li")).to_have_count(len(plan_for("m05").segments))
    assert serious_violations(page) == []
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 5: Listening and talking")


def test_axe_finds_nothing_serious_on_the_page(page, server, room):
    open_page(page, server)
    page.get_by_text("What to watch for").click()
    page.get_by_text("If someone tells you about abuse or is in crisis").click()
    page.get_by_text("Or ask your own question").click()
    assert serious_violations(page) == []
    page.get_by_role("button", name=SETTLED).click()
    expect(page.locator("#fa-pulse-open")).to_be_visible()
    assert serious_violations(page) == []
