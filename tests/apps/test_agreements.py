"""Our agreements (module 6), as a couple and a solo learner use it: Voila in headless Chromium.

A demo page holds what module 6's section holds: the private check for two,
the couple's list, then the solo "My boundaries". Both partners play the check
on the one screen before the couple's list opens; a reload finds what they saved.
"""
import re
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.store import Store
from tests.apps.conftest import demo_notebook, type_like_a_person, voila_server
from tests.apps.test_couples_check import CLEAR, open_page, take_check
from tests.apps.test_voila import serious_violations

pytestmark = pytest.mark.browser
DEMO = "agreements-demo"
NOT_A_CONTRACT = "Not a contract: either of you can reopen or drop any agreement at any time."
OFFER = ("An agreement is about what you offer about yourself. "
         "It is never access to the other's phone, accounts, money or whereabouts.")
ACCESS = ("This sounds like access to someone else's phone, accounts or whereabouts. "
          "Offered openness is fine; access on demand is a form of control (module 4).")
GENTLE = "It sounds like things may be very hard right now. You do not have to handle this alone."
SIGN = re.compile(r"\bsign(ed|ature)?\b|signed by|agreed by", re.I)  # "signals" is fine
BOOK = """new MutationObserver((_, seen) => {
  if (document.documentElement) { document.documentElement.dataset.sgChannel = "book"; seen.disconnect(); }
}).observe(document, {childList: true});"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Voila serving the demo page; yields (its address, the learner's data folder)."""
    folder, home = tmp_path_factory.mktemp("agreements"), tmp_path_factory.mktemp("agreements-home")
    demo_notebook(folder / f"{DEMO}.ipynb", "# Write your agreements down",
                  "from widgets import SafetyCheck\nSafetyCheck()",
                  "from widgets import OurAgreements\nOurAgreements()",
                  'OurAgreements(partners=("Me",))')
    with voila_server(folder, home, folder / "voila.log") as base:
        yield f"{base}voila/render/{DEMO}.ipynb", home


def saved(home: Path, key: str = "main") -> list:
    with Store(home / "steady-ground.sqlite3") as store:
        return (store.get_record("agreements", key) or {}).get("agreements", [])


def open_ours(page, url):
    """The page, with the couple's list open: both partners take the check when this sitting has not."""
    panel, _frames = open_page(page, url)
    ours = page.locator(".sg-agreements").first
    expect(ours.locator(".sg-couples-closed, .sg-agreements-body > *").first).to_be_visible(timeout=30_000)
    if ours.locator(".sg-couples-closed").count():
        take_check(page, panel, CLEAR, CLEAR)
    expect(ours.get_by_role("group", name="Add an agreement")).to_be_visible(timeout=10_000)
    return ours


def test_both_partners_take_the_check_then_write_an_agreement_that_is_kept(demo, offline_page):
    url, home = demo
    page = offline_page
    panel, _frames = open_page(page, url)
    ours = page.locator(".sg-agreements").first
    expect(ours.get_by_role("heading", name="Our agreements")).to_be_visible()
    expect(ours.locator(".sg-couples-closed")).to_be_visible(timeout=10_000)
    expect(ours.get_by_role("textbox")).to_have_count(0)          # closed until both have answered
    take_check(page, panel, CLEAR, CLEAR)

    add = ours.get_by_role("group", name="Add an agreement")
    expect(add).to_be_visible(timeout=10_000)
    add.get_by_role("combobox", name="Area").select_option("Contact with others")
    add.get_by_role("textbox", name="The agreement, in your own words").click()
    words = "We tell Each other the Same day"
    type_like_a_person(page, words)
    missed = add.get_by_role("combobox", name="If it is missed (optional)")
    missed.select_option(label="We use the repair steps in module 8.")
    expect(add.get_by_role("combobox", name="Look at it again")).to_have_value("in a month")
    ours.get_by_role("button", name="Add to the list").click()

    item = ours.locator(".sg-agreements-item", has_text=words)
    expect(item).to_be_visible(timeout=10_000)
    expect(item).to_contain_text("Contact with others")
    expect(item).to_contain_text("If it is missed: We use the repair steps in module 8.")
    expect(ours.get_by_role("status")).to_contain_text("Agreement 1 added.")
    expect(add.get_by_role("textbox", name="The agreement, in your own words")).to_have_value("")
    assert [a["text"] for a in saved(home)] == [words]
    assert not re.search("Partner [AB]", item.inner_text())  # nobody's name on it

    page.reload()
    ours = open_ours(page, url)
    expect(ours.locator(".sg-agreements-item", has_text=words)).to_be_visible(timeout=10_000)


def test_due_agreements_say_so_and_looking_again_moves_the_day(demo, offline_page):
    url, home = demo
    page = offline_page
    ours = open_ours(page, url)
    text = f"Phones stay in the kitchen {time.time_ns() % 10_000}"
    add = ours.get_by_role("group", name="Add an agreement")
    add.get_by_role("textbox", name="The agreement, in your own words").fill(text)
    expect(add.get_by_label("The day to look again")).to_be_hidden()
    add.get_by_role("combobox", name="Look at it again").select_option("on a day I choose")
    past = date.today() - timedelta(days=3)
    add.get_by_label("The day to look again").fill(past.isoformat())
    ours.get_by_role("button", name="Add to the list").click()
    item = ours.locator(".sg-agreements-item", has_text=text)
    expect(item).to_contain_text("Time to look at this again.", timeout=10_000)
    expect(ours.locator(".sg-agreements-due")).to_contain_text(re.compile(r"\d+ of \d+ (is|are) due for a look now"))

    item.get_by_role("button", name=re.compile(r"^We looked at number \d+ again")).click()
    expect(item).not_to_contain_text("Time to look at this again.", timeout=10_000)
    expect(ours.get_by_role("status")).to_contain_text("kept. You will look at it again on")
    kept = next(a for a in saved(home) if a["text"] == text)
    assert kept["review"] > date.today().isoformat()


def test_an_example_is_added_in_one_click_then_edited_and_removed(demo, offline_page):
    url, home = demo
    page = offline_page
    ours = open_ours(page, url)
    example = "Phones stay out of the bedroom."
    ours.get_by_role("button", name=f"Add: {example}").click()
    item = ours.locator(".sg-agreements-item", has_text=example)
    expect(item).to_be_visible(timeout=10_000)
    expect(item.get_by_role("button", name=re.compile("^Edit number"))).to_be_focused()  # ready to change the words
    expect(ours.get_by_role("button", name=f"Add: {example}")).to_have_count(0)
    today = date.today()
    day = f"{today:%b} {today.day}, {today.year}"
    expect(item.locator(".sg-agreements-days")).to_have_text(f"Added on {day}.")  # added, not changed
    page.keyboard.press("Enter")
    box = ours.get_by_role("textbox", name="The agreement, in your own words").first
    expect(box).to_be_focused()
    box.fill("")
    type_like_a_person(page, "Phones charge in the Hall at night")
    ours.get_by_role("button", name="Save changes").click()
    changed = ours.locator(".sg-agreements-item", has_text="Phones charge in the Hall at night")
    expect(changed).to_be_visible(timeout=10_000)
    on_day = f"Changed on {day}."
    expect(changed.locator(".sg-agreements-days")).to_have_text(f"Added on {day}. {on_day}")  # visible to both
    assert "Phones charge in the Hall at night" in [a["text"] for a in saved(home)]
    page.reload()
    ours = open_ours(page, url)  # the other partner, later, on the same device
    changed = ours.locator(".sg-agreements-item", has_text="Phones charge in the Hall at night")
    expect(changed).to_contain_text(on_day, timeout=10_000)
    with page.expect_download() as info:
        ours.get_by_role("button", name="Download to print").click()
    printed = Path(info.value.path()).read_text(encoding="utf-8")
    assert f"(added on {day}; changed on {day})" in printed

    changed.get_by_role("button", name=re.compile("^Remove number")).click()
    expect(changed).to_contain_text("Either of you can, at any time.")
    assert "Phones charge in the Hall at night" in [a["text"] for a in saved(home)]  # asked first
    changed.get_by_role("button", name="Yes, remove it").click()
    expect(ours.locator(".sg-agreements-item", has_text="Phones charge in the Hall")).to_have_count(0, timeout=10_000)
    assert "Phones charge in the Hall at night" not in [a["text"] for a in saved(home)]


def test_bad_input_is_said_and_what_was_typed_stays(demo, offline_page):
    url, home = demo
    page = offline_page
    ours = open_ours(page, url)
    before = saved(home)
    add = ours.get_by_role("group", name="Add an agreement")
    add.get_by_role("textbox", name="The agreement, in your own words").fill("   ")
    ours.get_by_role("button", name="Add to the list").click()
    expect(ours.get_by_role("status")).to_have_text("Not saved: The agreement is empty; write something first.",
                                                    timeout=10_000)
    add.get_by_role("textbox", name="The agreement, in your own words").fill("A walk on Sundays")
    add.get_by_role("combobox", name="Look at it again").select_option("on a day I choose")
    ours.get_by_role("button", name="Add to the list").click()
    expect(ours.get_by_role("status")).to_contain_text("Not saved: Choose when to look at it again", timeout=10_000)
    expect(add.get_by_role("textbox", name="The agreement, in your own words")).to_have_value("A walk on Sundays")
    assert saved(home) == before


def test_html_shows_as_text_and_the_printout_is_not_a_contract(demo, offline_page):
    url, home = demo
    page = offline_page
    ours = open_ours(page, url)
    text = f"<img src=x onerror=alert(1)> <b>no phones</b> {time.time_ns() % 10_000}"
    ours.get_by_role("group", name="Add an agreement").get_by_role(
        "textbox", name="The agreement, in your own words").fill(text)
    ours.get_by_role("button", name="Add to the list").click()
    expect(ours.locator(".sg-agreements-item", has_text=text)).to_be_visible(timeout=10_000)
    assert ours.locator("img").count() == 0 and ours.locator("b").count() == 0
    expect(ours.get_by_text(NOT_A_CONTRACT)).to_be_visible()
    with page.expect_download() as info:
        ours.get_by_role("button", name="Download to print").click()
    assert info.value.suggested_filename == "our-agreements.html"
    printed = Path(info.value.path()).read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;no phones&lt;/b&gt;" in printed and "<img" not in printed
    assert NOT_A_CONTRACT in printed and not SIGN.search(printed)
    expect(ours.get_by_role("status")).to_contain_text("downloaded")


def test_my_boundaries_is_always_open_and_kept(demo, offline_page):
    url, home = demo
    page = offline_page
    open_page(page, url)
    mine = page.locator(".sg-agreements").last
    expect(mine.get_by_role("heading", name="My boundaries")).to_be_visible()
    add = mine.get_by_role("group", name="Add a boundary")
    expect(add).to_be_visible(timeout=30_000)
    expect(mine.locator(".sg-couples-gate")).to_be_empty()
    add.get_by_role("textbox", name="The boundary, in your own words").click()
    words = f"I Take a day before I answer {time.time_ns() % 10_000}"
    type_like_a_person(page, words)
    add.get_by_role("combobox", name="If it is missed (optional)").select_option("check-in")
    mine.get_by_role("button", name="Add to the list").click()
    expect(mine.locator(".sg-agreements-item", has_text=words)).to_contain_text(
        "If it is missed: I think it over at a calm time, without blame.", timeout=10_000)
    assert words in [a["text"] for a in saved(home, "main-solo")]
    assert words not in [a["text"] for a in saved(home)]
    expect(mine.get_by_text("Not a contract: you can reopen or drop any of these at any time.")).to_be_visible()
    page.reload()
    open_page(page, url)
    expect(page.locator(".sg-agreements").last.locator(".sg-agreements-item", has_text=words)).to_be_visible(
        timeout=30_000)


def test_no_serious_accessibility_issues(demo, offline_page):
    page = offline_page
    ours = open_ours(page, demo[0])
    if not ours.locator(".sg-agreements-item").count():  # run on its own: put one on the list first
        ours.get_by_role("button", name=re.compile("^Add: ")).first.click()
    ours.get_by_role("button", name=re.compile("^Edit number")).first.click()  # a form in a list item too
    expect(ours.get_by_role("button", name="Save changes")).to_be_visible(timeout=10_000)
    time.sleep(1)
    assert serious_violations(page) == []


def test_the_book_prints_a_worksheet_for_each_version(demo, offline_page):
    page = offline_page
    page.add_init_script(BOOK)
    page.goto(demo[0])
    page.wait_for_selector("#rendered_cells", state="visible", timeout=60_000)
    ours, mine = page.locator(".sg-agreements").first, page.locator(".sg-agreements").last
    expect(ours.get_by_role("columnheader", name="Our agreement")).to_be_visible(timeout=30_000)
    expect(ours.get_by_role("columnheader", name="Look at it again on")).to_be_visible()
    expect(ours.get_by_text(NOT_A_CONTRACT)).to_be_visible()
    expect(ours.get_by_text("Phones stay out of the bedroom.", exact=False)).to_be_visible()
    expect(ours.get_by_text(OFFER)).to_be_visible()  # on paper too: an offer, never access
    expect(mine.get_by_role("columnheader", name="My boundary")).to_be_visible()
    expect(mine.get_by_text("Not a contract: you can reopen or drop any of these at any time.")).to_be_visible()
    for part in (ours, mine):
        assert part.locator("input, textarea, select, button").count() == 0
        assert not SIGN.search(part.inner_text())


def test_access_on_demand_gets_a_soft_warning_and_the_words_stay(demo, offline_page):
    """Module 4: an agreement is an offer, never access. A warning, never a block: what was typed is kept."""
    url, home = demo
    page = offline_page
    ours = open_ours(page, url)
    add = ours.get_by_role("group", name="Add an agreement")
    box = add.get_by_role("textbox", name="The agreement, in your own words")
    expect(box).to_have_accessible_description(re.compile(re.escape(OFFER)))  # the standing hint, always there
    box.click()
    words = f"You Show me your phone when I ask {time.time_ns() % 10_000}"
    type_like_a_person(page, words)
    warning = add.locator(".sg-agreements-access")
    expect(warning).to_have_text(ACCESS, timeout=5_000)
    expect(box).to_have_value(words)
    assert url.rsplit("/", 1)[-1] in page.url  # capitals typed with Shift never leave the page
    ours.get_by_role("button", name="Add to the list").click()
    item = ours.locator(".sg-agreements-item", has_text=words)
    expect(item).to_be_visible(timeout=10_000)
    expect(item.locator(".sg-agreements-access")).to_have_text(ACCESS)  # on the list, for both to see
    expect(ours.get_by_role("status")).to_contain_text(ACCESS)
    assert words in [a["text"] for a in saved(home)]
    box.click()
    type_like_a_person(page, "I tell you when I am Late")
    expect(warning).to_be_empty(timeout=5_000)
    # "Show me" about closeness, not a phone, is no reason to warn (the check runs after a short pause).
    box.fill("")
    box.click()
    type_like_a_person(page, "Show me how you like to be Held")
    page.wait_for_timeout(1_000)
    expect(warning).to_be_empty()


def test_a_crisis_phrase_in_an_agreement_shows_the_help_lines_under_the_box(demo, offline_page):
    url, home = demo
    page = offline_page
    ours = open_ours(page, url)
    before = saved(home)
    box = ours.get_by_role("group", name="Add an agreement").get_by_role(
        "textbox", name="The agreement, in your own words")
    box.click()
    type_like_a_person(page, "If you hit me again I leave")
    under = ours.locator(".sg-crisis")
    expect(under).to_have_count(1, timeout=5_000)
    expect(under).to_contain_text(GENTLE)
    expect(under.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(box).to_have_value("If you hit me again I leave")
    assert saved(home) == before  # nothing about it is kept
