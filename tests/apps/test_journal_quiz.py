"""Journal and quiz on module 3, and module 8's writing that is not kept unless you choose, as a
learner uses them: Voila in headless Chromium."""
import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import open_module, type_like_a_person, wait_until
from tests.apps.test_voila import serious_violations

pytestmark = pytest.mark.browser
CALMING = "03-calming-the-body"
FIRST_SIGNS = re.compile("first signs that you are leaving your window")
WINDOW_Q = re.compile("two ways you can leave your window")
REPAIR = "08-repair"
FEAR_STAYING = "What do I fear about staying?"
NOT_KEPT = ("Not kept: this writing is gone when you close the page. "
            "Copy it to paper, or choose Keep on this device.")


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def entry_with(store, text):
    return [e for e in store.journal_entries() if text in e["text"]]


@pytest.fixture
def module3(voila_url, offline_page):
    page = open_module(offline_page, voila_url, CALMING)
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.wait_for_selector(".sg-journal textarea", timeout=30_000)
    page.wait_for_selector(".sg-quiz input", timeout=30_000)
    return page


def test_journal_saves_by_itself_and_lists_the_entry_after_reload(module3, learner_store):
    page = module3
    journal = page.locator(".sg-journal")
    text = unique("My shoulders go up first 🌱 וגם הלב")
    box = journal.get_by_role("textbox", name=FIRST_SIGNS)
    box.press_sequentially(text, delay=5)
    page.wait_for_timeout(1500)  # typing stopped more than a second ago; nothing clicked, no blur
    [entry] = wait_until(lambda: entry_with(learner_store, text))
    assert entry["text"] == text and entry["module"] == "m03" and FIRST_SIGNS.search(entry["prompt"])
    expect(journal.get_by_role("status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"))
    expect(box).to_have_value(text)

    page.reload()
    page.wait_for_selector(".sg-journal", timeout=60_000)
    listed = page.locator(".sg-journal-entry", has_text=text)
    expect(listed).to_be_visible(timeout=30_000)
    expect(listed.locator(".sg-journal-text")).to_have_attribute("dir", "auto")


def test_hiding_the_tab_saves_at_once(module3, learner_store):
    page = module3
    text = unique("saved when the tab was hidden")
    page.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS).fill(text)
    page.evaluate("""() => {
        Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    wait_until(lambda: entry_with(learner_store, text), timeout=0.7)  # well before the 0.8 s debounce


def test_html_typed_in_the_journal_shows_as_text(module3, learner_store):
    page = module3
    journal = page.locator(".sg-journal")
    text = unique("<img src=x onerror=alert(1)> <b>bold?</b>")
    journal.get_by_role("textbox", name=FIRST_SIGNS).fill(text)
    wait_until(lambda: entry_with(learner_store, text))
    listed = journal.locator(".sg-journal-entry", has_text=text)
    expect(listed).to_be_visible(timeout=10_000)
    assert listed.locator(".sg-journal-text").text_content() == text
    assert journal.locator("img").count() == 0 and journal.locator("b").count() == 0
    assert page.dialogs == []


def test_a_very_long_entry_saves_whole(module3, learner_store):
    page = module3
    journal = page.locator(".sg-journal")
    text = (unique("start") + " " + "שלום 🌱 calm, مرحبا " * 6000)[:100_000]
    journal.get_by_role("textbox", name=re.compile("hard moment coming up")).fill(text)
    [entry] = wait_until(lambda: entry_with(learner_store, text[:20]), timeout=20)
    assert entry["text"] == text
    listed = journal.locator(".sg-journal-entry", has_text=text[:20])
    expect(listed.get_by_role("button", name="Show all")).to_be_visible(timeout=10_000)
    assert listed.locator(".sg-journal-text").text_content() == text


def test_edit_and_delete_a_past_entry(module3, learner_store):
    page = module3
    journal = page.locator(".sg-journal")
    text = unique("first thoughts")
    journal.get_by_role("textbox", name=re.compile("Which tool felt best")).fill(text)
    [entry] = wait_until(lambda: entry_with(learner_store, text))
    listed = journal.locator(".sg-journal-entry", has_text=text)

    listed.get_by_role("button", name="Edit").click()
    changed = unique("second thoughts")
    listed = journal.locator(".sg-journal-entry").filter(has=page.get_by_role("button", name="Save changes"))
    listed.get_by_role("textbox", name="Change your note").fill(changed)
    listed.get_by_role("button", name="Save changes").click()
    expect(journal.locator(".sg-journal-entry", has_text=changed)).to_be_visible(timeout=10_000)
    assert [e["text"] for e in learner_store.journal_entries() if e["id"] == entry["id"]] == [changed]

    listed = journal.locator(".sg-journal-entry", has_text=changed)
    listed.get_by_role("button", name="Delete").click()
    expect(listed.get_by_text("This cannot be undone")).to_be_visible()
    assert [e["id"] for e in learner_store.journal_entries()].count(entry["id"]) == 1  # asked first
    listed.get_by_role("button", name="Yes, delete it").click()
    expect(journal.locator(".sg-journal-entry", has_text=changed)).to_have_count(0, timeout=10_000)
    assert entry["id"] not in [e["id"] for e in learner_store.journal_entries()]


def test_search_finds_past_entries(module3, learner_store):
    page = module3
    journal = page.locator(".sg-journal")
    word = uuid.uuid4().hex[:10]
    journal.get_by_role("textbox", name=FIRST_SIGNS).fill(f"Searching for {word.upper()}")
    wait_until(lambda: entry_with(learner_store, word.upper()))
    journal.get_by_label("Search your notes").fill(word)
    expect(journal.locator(".sg-journal-entry")).to_have_count(1, timeout=10_000)
    journal.get_by_label("Search your notes").fill(unique("nothing like this"))
    expect(journal.get_by_text("No notes match your search.")).to_be_visible(timeout=10_000)


def quiz_record(store):
    return store.get_record("quiz", "m03") or {"attempts": 0}


def test_quiz_wrong_then_right_gives_feedback_and_keeps_the_answers(module3, learner_store):
    page = module3
    quiz = page.locator(".sg-quiz")
    question = quiz.get_by_role("group", name=WINDOW_Q)
    before = quiz_record(learner_store)["attempts"]

    question.get_by_label("Only by getting angry").check()
    quiz.get_by_role("button", name="Check").click()
    expect(question.locator(".sg-quiz-no")).to_contain_text("Not quite.")
    expect(question.locator(".sg-quiz-no")).to_contain_text("you can also go too low")
    expect(quiz.locator(".sg-quiz-result")).to_have_text(
        re.compile(r"\d of 6 matched the course\. Feel free to look again\."))
    expect(quiz.locator(".sg-quiz-status")).to_have_text(re.compile("saved on this device"), timeout=10_000)
    assert learner_store.get_record("quiz", "m03")["answers"]["window"] == [1]

    question.get_by_label(re.compile("^Too high")).check()
    expect(question.locator(".sg-quiz-feedback")).to_be_hidden()  # the old feedback no longer fits
    quiz.get_by_role("button", name="Check").click()
    expect(question.locator(".sg-quiz-yes")).to_contain_text("Matches the course.")
    record = wait_until(lambda: (r := quiz_record(learner_store))["attempts"] == before + 2 and r)
    assert record["answers"]["window"] == [0] and record["total"] == 6
    text = quiz.inner_text()
    assert "%" not in text and not re.search(r"\bfail", text, re.I)

    page.reload()
    page.wait_for_selector(".sg-quiz input", timeout=60_000)
    question = page.locator(".sg-quiz").get_by_role("group", name=WINDOW_Q)
    expect(question.get_by_label(re.compile("^Too high"))).to_be_checked()
    expect(question.locator(".sg-quiz-yes")).to_be_visible()


def test_quiz_works_by_keyboard_alone(module3, learner_store):
    page = module3
    quiz = page.locator(".sg-quiz")
    again = quiz.get_by_role("button", name="Try again")
    if again.is_visible():  # answers from an earlier visit: start afresh, by keyboard
        again.focus()
        page.keyboard.press("Enter")
    radios = quiz.get_by_role("group", name=re.compile("how fast is resonance")).get_by_role("radio")
    radios.first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")        # arrow keys move the choice within the group
    expect(radios.nth(1)).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(radios.first).to_be_checked()
    page.keyboard.press("Tab")              # on to the next question's first checkbox
    boxes = quiz.get_by_role("group", name=re.compile("feel dizzy")).get_by_role("checkbox")
    expect(boxes.first).to_be_focused()
    for key in ("Space", "Tab", "Space", "Tab", "Tab", "Space"):
        page.keyboard.press(key)
    for i, checked in enumerate([True, True, False, True]):
        expect(boxes.nth(i)).to_be_checked(checked=checked)
    quiz.get_by_role("button", name="Check").focus()
    page.keyboard.press("Enter")
    expect(quiz.locator(".sg-quiz-result")).to_have_text("2 of 6 matched the course. Feel free to look again.")
    record = wait_until(lambda: (r := quiz_record(learner_store)).get("answers", {}).get("dizzy") == [0, 1, 3] and r)
    assert record["answers"]["resonance"] == [0] and record["matched"] == 2


def test_no_serious_accessibility_issues_with_journal_and_quiz(module3, learner_store):
    page = module3
    quiz, journal = page.locator(".sg-quiz"), page.locator(".sg-journal")
    quiz.get_by_role("button", name="Check").click()        # feedback showing
    journal.get_by_role("textbox", name=FIRST_SIGNS).fill(unique("for the scan"))
    expect(journal.locator(".sg-journal-entry").first).to_be_visible(timeout=10_000)
    journal.get_by_role("button", name="Delete").first.click()   # the confirm question showing
    expect(journal.get_by_role("button", name="Keep it")).to_be_focused()
    time.sleep(0.5)
    assert serious_violations(page) == []


# -- module 8: writing that is not kept unless the writer chooses (clinical review H2) --------

def worksheet_of(page):
    """Module 8's private worksheet on staying or parting, and its box for the fear of staying."""
    page.wait_for_selector(".sg-journal textarea", timeout=60_000)
    sheet = page.locator(".sg-journal").filter(has=page.get_by_role("textbox", name=FEAR_STAYING, exact=True))
    return sheet, sheet.get_by_role("textbox", name=FEAR_STAYING, exact=True)


def keep_area(page, box):
    """Keep on this device, and its confirm, under `box`."""
    return page.locator(f"#{box.get_attribute('id')} ~ .sg-journal-keep").first


def test_the_worksheet_keeps_nothing_unless_i_choose_keep(voila_url, offline_page, learner_store):
    page = open_module(offline_page, voila_url, REPAIR)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sheet, box = worksheet_of(page)
    expect(sheet.get_by_text(NOT_KEPT, exact=True)).to_be_visible()
    expect(box).to_have_attribute("autocomplete", "off")  # a browser's session restore does not write it to disk
    listed_before = sheet.locator(".sg-journal-entry").count()

    # Typed as a person does, then a long pause and a click elsewhere: nothing leaves the page.
    fear = unique("He Checks my Phone")
    box.click()
    type_like_a_person(page, fear)
    expect(box).to_have_value(fear)
    page.wait_for_timeout(1500)
    page.keyboard.press("Tab")
    page.wait_for_timeout(1000)
    assert entry_with(learner_store, fear.split()[-1]) == []
    assert not re.search("Saved|Kept", sheet.get_by_role("status").text_content() or "")

    # The crisis watch still works in a box that is not kept, and keeps nothing either.
    other = sheet.get_by_role("textbox", name="What do I fear about leaving?")
    other.click()
    dying = unique("I want to die")  # its own mark: other tests keep crisis words in this store on purpose
    type_like_a_person(page, dying)
    expect(sheet.locator(".sg-crisis")).to_be_visible(timeout=5_000)
    assert entry_with(learner_store, dying.split()[-1]) == []

    page.reload()
    sheet, box = worksheet_of(page)
    expect(box).to_have_value("")
    expect(sheet.locator(".sg-journal-entry")).to_have_count(listed_before)
    assert sheet.get_by_text(fear).count() == 0 and entry_with(learner_store, fear.split()[-1]) == []

    # Type again and choose to keep it: asked first, with who can read it.
    kept = unique("I am Afraid of the Shouting")
    box.click()
    type_like_a_person(page, kept)
    area = keep_area(page, box)
    area.get_by_role("button", name="Keep on this device").click()
    expect(area).to_contain_text("Anyone who opens the course on this device can read kept notes.")
    assert entry_with(learner_store, kept) == []  # not before the confirm
    area.get_by_role("button", name="Yes, keep it on this device").click()
    [entry] = wait_until(lambda: entry_with(learner_store, kept))
    assert entry["text"] == kept and entry["module"] == "m08-decide" and entry["prompt"] == FEAR_STAYING
    expect(box).to_have_value("")
    expect(sheet.locator(".sg-journal-entry", has_text=kept)).to_be_visible(timeout=10_000)
    expect(sheet.get_by_role("status")).to_contain_text("Anyone who opens the course on this device can read it.")

    page.reload()
    sheet, box = worksheet_of(page)
    expect(sheet.locator(".sg-journal-entry", has_text=kept)).to_be_visible(timeout=30_000)
    expect(box).to_have_value("")

    # Closing the page with text not kept: no "unsaved changes" question that would point at it.
    box.click()
    type_like_a_person(page, "not for anyone")
    page.close(run_before_unload=True)
    time.sleep(1)
    assert dialogs == [] and entry_with(learner_store, "not for anyone") == []
