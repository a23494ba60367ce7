"""OurAgreements (module 6): a short shared list of agreements, each with a day to look at it again.

Everything goes through the real handler (tests.widgets.command), as the page sends it.
"""
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.store import open_store
from tests.gates import close_gate, open_gate
from tests.widgets import command, sent
from widgets.agreements import (
    ACCESS_WARNING,
    AREAS,
    MISSED,
    NOT_A_CONTRACT,
    NOT_A_CONTRACT_SOLO,
    SUGGESTIONS,
    SUGGESTIONS_SOLO,
    OurAgreements,
)
from widgets.gated import UNREAD

COUPLE = ("Robin", "Kai")
PHONES = "Phones stay out of the bedroom."


class Day:
    """A calendar tests turn by hand (the widget's `today`)."""

    def __init__(self, day: date):
        self.day = day

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def today():
    return Day(date(2026, 1, 31))


@pytest.fixture
def ours(today):
    open_gate()
    return OurAgreements(partners=COUPLE, today=today)


def saved(key="main"):
    with open_store() as store:
        return store.get_record("agreements", key)


def test_add_edit_and_remove_as_the_page_sends_them(ours):
    reply = command(ours, "add_agreement", area="Technology", text=PHONES, review="in a month", missed="")
    assert reply == {"ok": True, "value": 0}
    assert ours.agreements == [{"area": "Technology", "text": PHONES, "review": "2026-02-28", "missed": "",
                                "added": "2026-01-31", "changed": ""}]
    assert ours.status == "Agreement 1 added. You will look at it again on Feb 28, 2026. Saved on this device only."
    assert command(ours, "add_agreement", area="Other", text="We eat dinner together on Sundays.",
                   review="2026-03-15", missed="check-in")["ok"]
    assert command(ours, "edit_agreement", index=0, text="Phones stay in the kitchen at night.", area="Technology",
                   review="in two weeks", missed="repair") == {"ok": True, "value": None}
    assert ours.agreements[0] == {"area": "Technology", "text": "Phones stay in the kitchen at night.",
                                  "review": "2026-02-14", "missed": "repair", "added": "2026-01-31",
                                  "changed": "2026-01-31"}
    assert ours.status == "Agreement 1 changed. Saved on this device only."
    assert command(ours, "remove_agreement", index=0)["ok"]
    assert [a["text"] for a in ours.agreements] == ["We eat dinner together on Sundays."]
    assert ours.status == "Agreement 1 removed. Saved on this device only."
    assert saved()["agreements"] == ours.agreements


def test_either_partner_changes_anything_and_no_one_signs(ours):
    """No "who agreed", no signature, no date signed: nothing names a partner, so nothing to hold anyone to."""
    for area, text in SUGGESTIONS:
        command(ours, "add_agreement", area=area, text=text, missed="repair")
    assert set(ours.agreements[0]) == {"area", "text", "review", "missed", "added", "changed"}
    reply = command(ours, "add_agreement", area="Other", text="A walk after dinner.", added_by="Kai")
    assert reply["ok"] is False and "wrong details" in reply["error"]
    reply = command(ours, "edit_agreement", index=0, agreed_by="Robin")
    assert reply["ok"] is False and ours.agreements[0]["text"] == SUGGESTIONS[0][1]
    for page in (ours.to_html(), ours.to_markdown(), ours.print_html):
        low = page.lower()
        assert "Robin" not in page and "Kai" not in page
        found = [m[0] for m in re.finditer(r"\bsign(ed|ature|s)?\b|(agreed|added) by|witness|consequence|penalt"
                                           r"|punishment", low)]
        assert not found, found
        assert NOT_A_CONTRACT in page


def test_a_missed_agreement_gets_only_a_kind_next_step(ours):
    """What happens when an agreement is missed: a talk or the repair steps, never a punishment to write in."""
    assert ours.missed_choices == MISSED and set(MISSED) == {"", "check-in", "repair"}
    for punishment in ("No sex for a week", "You sleep on the couch", "check-in ", True):
        reply = command(ours, "add_agreement", area="Other", text="A walk after dinner.", missed=punishment)
        assert reply == {"ok": False, "error": "Not saved: If it is missed, the only next steps are a talk at "
                                               "your check-in or the repair steps in module 8."}
    assert ours.agreements == []
    command(ours, "add_agreement", area="Other", text="A walk after dinner.", missed="repair")
    assert "We use the repair steps in module 8." in ours.to_html()
    assert "never a reason to punish" in ours.to_html()


def test_due_agreements_are_shown_and_looking_again_sets_the_next_day(ours, today):
    command(ours, "add_agreement", area="Technology", text=PHONES, review="in a week")           # Feb 7
    command(ours, "add_agreement", area="Other", text="A walk after dinner.", review="2026-01-31")  # today
    command(ours, "add_agreement", area="What is private", text="My journal is mine.", review="in three months")
    assert ours.due == [1]
    today.day = date(2026, 2, 7)
    assert command(ours, "refresh")["ok"]  # the page is shown again, a week later
    assert ours.due == [0, 1]
    assert command(ours, "looked_again", index=0, review="in a month")["ok"]
    assert ours.agreements[0]["review"] == "2026-03-07" and ours.due == [1]
    assert ours.status == "Agreement 1 kept. You will look at it again on Mar 7, 2026. Saved on this device only."
    today.day = date(2026, 4, 30)
    later = OurAgreements(partners=COUPLE, today=today)  # another page, another day
    assert later.due == [0, 1, 2]


def test_a_month_later_keeps_the_calendar(ours, today):
    command(ours, "add_agreement", area="Other", text="A", review="in a month")
    today.day = date(2026, 12, 15)
    command(ours, "add_agreement", area="Other", text="B", review="in three months")
    assert [a["review"] for a in ours.agreements] == ["2026-02-28", "2027-03-15"]


@pytest.mark.parametrize("fields, error", [
    ({"text": "   "}, "Not saved: The agreement is empty; write something first."),
    ({"text": "x" * 301}, "Not saved: The agreement is too long: 301 characters (at most 300)."),
    ({"text": "Phones \ud800 away"}, "Not saved: The agreement contains characters that cannot be saved."),
    ({"text": 42}, "Not saved: The agreement must be text; got int."),
    ({"area": "Money"}, "Not saved: The area must be one of " + ", ".join(AREAS) + "; got 'Money'."),
    ({"review": "next week"}, "Not saved: Choose when to look at it again: pick a day, or in a week, "
                              "in two weeks, in a month, in three months."),
    ({"review": ""}, "Not saved: Choose when to look at it again: pick a day, or in a week, "
                     "in two weeks, in a month, in three months."),
    ({"review": "2026-02-30"}, "Not saved: Choose when to look at it again: pick a day, or in a week, "
                               "in two weeks, in a month, in three months."),
])
def test_bad_input_gets_a_clear_message_and_loses_nothing(ours, fields, error):
    command(ours, "add_agreement", area="Technology", text=PHONES)
    before = saved()
    reply = command(ours, "add_agreement", **{"area": "Other", "text": "A walk after dinner.", **fields})
    assert reply == {"ok": False, "error": error}
    assert ours.status == error and ours.error
    assert [a["text"] for a in ours.agreements] == [PHONES] and saved() == before
    reply = command(ours, "edit_agreement", index=0, **fields)
    assert reply == {"ok": False, "error": error}
    assert [a["text"] for a in ours.agreements] == [PHONES] and saved() == before


def test_the_same_agreement_twice_and_a_long_list_are_refused(ours):
    command(ours, "add_agreement", area="Technology", text=PHONES)
    reply = command(ours, "add_agreement", area="Other", text="  phones stay OUT of the  bedroom. ")
    assert reply == {"ok": False, "error": "Not saved: That agreement is already on your list."}
    assert command(ours, "edit_agreement", index=0, text=PHONES.upper())["ok"]  # itself is no twin
    for n in range(19):
        assert command(ours, "add_agreement", area="Other", text=f"Agreement {n}")["ok"]
    reply = command(ours, "add_agreement", area="Other", text="One more")
    assert reply["error"] == "Not saved: The list can have at most 20 agreements. A short list is easier to keep."
    assert len(ours.agreements) == 20
    assert command(ours, "remove_agreement", index=20) == {
        "ok": False, "error": "Not saved: There is no agreement number 20."}
    assert len(saved()["agreements"]) == 20


def test_html_stays_text_in_every_export(ours):
    text = "<script>alert(1)</script> & <b>phones</b> | away"
    command(ours, "add_agreement", area="Technology", text=text)
    page = ours.to_html()
    assert "<script>alert" not in page and "<b>phones" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;phones&lt;/b&gt; | away" in page
    assert ours.print_html == page
    md = ours.to_markdown()
    assert "<script>" not in md and "&lt;script&gt;" in md and "\\| away" in md  # a pipe, not a new cell
    assert ours.agreements[0]["text"] == text  # kept exactly as typed


def test_examples_are_added_with_one_click_and_edited(ours):
    assert ours.suggestions == [list(s) for s in SUGGESTIONS]
    for area, text in ours.suggestions:
        assert area in AREAS
        assert command(ours, "add_agreement", area=area, text=text)["ok"]
    assert "\u201cyellow\u201d to pause" in ours.agreements[0]["text"]
    assert command(ours, "edit_agreement", index=1, text="Phones stay in the kitchen after 10.")["ok"]
    assert saved()["agreements"][1]["text"] == "Phones stay in the kitchen after 10."


def test_closed_couples_exercises_refuse_every_change_and_keep_nothing(today):
    close_gate()
    ours = OurAgreements(partners=COUPLE, today=today)
    told = sent(ours)
    for name, args in [("add_agreement", {"area": "Technology", "text": PHONES}),
                       ("edit_agreement", {"index": 0, "text": PHONES}),
                       ("looked_again", {"index": 0}), ("remove_agreement", {"index": 0})]:
        assert command(ours, name, **args) == {"ok": False, "gate": True, "error": ""}
    assert ours.agreements == [] and ours.status == "" and not ours.error
    assert saved() is None
    assert told and all(m == {"type": "gate", "open": False, "solo": False, "text": ours.gate.text()} for m in told)
    with pytest.raises(ValueError, match="solo version is below"):
        ours.to_html()


def test_the_solo_version_is_always_open_with_its_own_words_and_record(today):
    close_gate()
    mine = OurAgreements(partners=("Me",), today=today)
    assert mine.is_open and mine.suggestions == [list(s) for s in SUGGESTIONS_SOLO]
    assert command(mine, "add_agreement", area="Pauses and signals", text=SUGGESTIONS_SOLO[0][1],
                   review="in two weeks", missed="check-in")["ok"]
    assert saved("main-solo")["agreements"][0]["review"] == "2026-02-14" and saved() is None
    page = mine.to_html()
    assert "<h1>My boundaries</h1>" in page and NOT_A_CONTRACT_SOLO in page
    assert "I think it over at a calm time, without blame." in page
    assert OurAgreements(partners=("Me",), today=today).agreements == mine.agreements


def test_saved_and_read_again_on_a_new_page(ours, today):
    command(ours, "add_agreement", area="Contact with others", text=SUGGESTIONS[2][1], review="2026-02-01",
            missed="check-in")
    again = OurAgreements(partners=COUPLE, today=today)
    assert again.agreements == ours.agreements and again.print_html == ours.print_html
    assert "Feb 1, 2026" in again.print_html


def test_an_unreadable_saved_agreement_is_said_and_the_rest_kept(today):
    open_gate()
    with open_store() as store:
        store.put_record("agreements", "main", {"agreements": [
            {"area": "Technology", "text": PHONES, "review": "2026-02-01", "missed": ""},
            {"area": "Technology", "text": PHONES + " again", "review": "someday"}]})
    ours = OurAgreements(partners=COUPLE, today=today)
    assert [a["text"] for a in ours.agreements] == [PHONES]
    assert ours.error and ours.status == UNREAD.format(noun="agreements")
    with open_store() as store:  # kept as it was until something new is saved
        assert store.get_record("agreements", "main")["agreements"][1]["review"] == "someday"


ODD = st.text(min_size=1, max_size=300).filter(lambda s: s.strip())


@settings(max_examples=25)
@given(text=ODD)
def test_odd_text_round_trips_exactly(text):
    with open_store() as store:
        store.delete_record("agreements", "main-solo")
    mine = OurAgreements(partners=("Me",))
    assert command(mine, "add_agreement", area="Other", text=text)["ok"]
    assert OurAgreements(partners=("Me",)).agreements[0]["text"] == text


# -- an offer, never access (module 4, CONTENT.md rule 8) ------------------------------

ACCESS = "You show me your phone when I ask."


def test_the_standing_hint_says_an_agreement_is_an_offer_never_access(today):
    open_gate()
    assert OurAgreements(partners=COUPLE, today=today).offer_hint == (
        "An agreement is about what you offer about yourself. "
        "It is never access to the other's phone, accounts, money or whereabouts.")
    assert "never access to someone else's phone" in OurAgreements(partners=("Me",), today=today).offer_hint


def test_access_on_demand_gets_a_soft_warning_and_is_still_kept(ours):
    reply = command(ours, "add_agreement", area="Technology", text=ACCESS)
    assert reply == {"ok": True, "value": 0}  # a warning, never a block
    assert ACCESS_WARNING == ("This sounds like access to someone else's phone, accounts or whereabouts. "
                              "Offered openness is fine; access on demand is a form of control (module 4).")
    assert ours.status == ("Agreement 1 added. You will look at it again on Feb 28, 2026. Saved on this device only. "
                           + ACCESS_WARNING)
    assert not ours.error and saved()["agreements"][0]["text"] == ACCESS
    assert ours.sounds_like_access == [0]  # the kept agreement shows it too, for both to see
    assert command(ours, "add_agreement", area="Technology", text=PHONES)["ok"]
    assert ours.status == "Agreement 2 added. You will look at it again on Feb 28, 2026. Saved on this device only."
    assert ours.sounds_like_access == [0]
    assert command(ours, "edit_agreement", index=0, text="I tell you when I am running late.")["ok"]
    assert ours.sounds_like_access == [] and ACCESS_WARNING not in ours.status


SOUNDS_LIKE_ACCESS = [
    "I share my PASSWORDS with you", "Location sharing stays on", "No tracking apps, ever",
    "You check your phone with me at night", "Show  me the texts", "I can see your bank account",
    "My passcode is yours", "I\u2019ll tell you my whereabouts",
    # the second safety review: access, unlock, whenever you want, any time / anytime, DMs, screenshots
    "You have access to my phone", "You can see my phone whenever you want", "I unlock my phone when you ask",
    "I read your DMs", "ACCESS to your email", "Whenever You Want, you see my texts", "I send you screenshots",
    "You see my chats any time you want", "I hand you my phone anytime you ask", "A screenshot of every chat",
    "You can read my DM", "Unlocked phones on the table",
]
EVERYDAY = [
    *(t for _, t in SUGGESTIONS), *(t for _, t in SUGGESTIONS_SOLO),
    "We show each other kindness", "Passwordless? no", "A walk on Sundays", "We relocate the TV",
    "We keep track of our bills together",
    # pausing at any time is what module 6 teaches: never a warning
    "Either of us can pause at any time", "We both can say yellow any time", "Anytime one of us says stop, we stop",
    "Accessible places for our walks", "We admit mistakes", "Unlocking the door is my job",
    # the third review: "on demand" words that are about pausing or closeness, not a phone (module 3, module 6)
    "You can stop whenever you want", "Tell me whenever you want a break", "Show me how you like to be held",
    "Either of us can pause any time you want",
]


def browser_finds(widget, texts: list[str]) -> list[bool]:
    """What the form's check while typing finds (agreements.js accessMatcher: the shared matcher of
    widgets/lib/crisis.js on the three word lists): an access word, or an on-demand word with a device word."""
    from tests.unit.test_crisis import run_matcher

    access, on_demand, device = (run_matcher(words, texts) for words in
                                 (widget.access_words, widget.on_demand_words, widget.device_words))
    return [a or (o and d) for a, o, d in zip(access, on_demand, device, strict=True)]


@pytest.mark.parametrize("text", SOUNDS_LIKE_ACCESS)
def test_the_words_that_sound_like_access(ours, text):
    assert command(ours, "add_agreement", area="Other", text=text)["ok"]
    assert ours.status.endswith(ACCESS_WARNING) and ours.sounds_like_access == [0]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_words_get_no_warning(ours, text):
    assert command(ours, "add_agreement", area="Other", text=text)["ok"]
    assert ACCESS_WARNING not in ours.status and ours.sounds_like_access == []


def test_the_browser_warns_on_the_same_examples(ours):
    """One rule for both: the form's check while typing finds exactly what Python finds."""
    assert browser_finds(ours, SOUNDS_LIKE_ACCESS + EVERYDAY) == (
        [True] * len(SOUNDS_LIKE_ACCESS) + [False] * len(EVERYDAY))


def test_the_browser_finds_the_same_words_as_python(ours):
    """The form warns while typing with the shared matcher of widgets/lib/crisis.js and the same word lists."""
    texts = ["Show me your phone", "I share my PASSWORDS", "Location on", "No trackers", "I show you kindness",
             "We relocate", "Passwordless", "Whereabouts\u00a0known", "check  your phone"]
    found = browser_finds(ours, texts)
    assert found == [True, True, True, False, False, False, False, True, True]
    for text in texts:
        command(ours, "add_agreement", area="Other", text=text)
    warned = [t for t, hit in zip(texts, found, strict=True) if hit]
    assert [ours.agreements[i]["text"] for i in ours.sounds_like_access] == warned


# -- a change is visible to both --------------------------------------------------------

def test_every_agreement_says_the_day_it_was_added_and_an_edited_one_the_day_it_changed(ours, today):
    command(ours, "add_agreement", area="Technology", text=PHONES)
    command(ours, "add_agreement", area="Other", text="A walk after dinner.")
    assert [(a["added"], a["changed"]) for a in ours.agreements] == [("2026-01-31", "")] * 2
    assert saved()["agreements"][1]["added"] == "2026-01-31"
    assert ours.print_html.count("<br><small class=days>(added on Jan 31, 2026)</small>") == 2
    assert "changed on" not in ours.to_html() and "changed on" not in ours.to_markdown()
    assert "| Other | A walk after dinner\\. (added on Jan 31, 2026) | " in ours.to_markdown()
    today.day = date(2026, 2, 3)
    assert command(ours, "looked_again", index=0)["ok"]  # looked at and kept: not a change
    assert (ours.agreements[0]["added"], ours.agreements[0]["changed"]) == ("2026-01-31", "")
    assert command(ours, "edit_agreement", index=0, text="Phones stay in the kitchen.")["ok"]
    assert [(a["added"], a["changed"]) for a in ours.agreements] == [("2026-01-31", "2026-02-03"), ("2026-01-31", "")]
    assert saved()["agreements"][0]["changed"] == "2026-02-03"
    page = ours.print_html
    assert ("Phones stay in the kitchen.</span><br><small class=days>(added on Jan 31, 2026; "
            "changed on Feb 3, 2026)</small>") in page
    assert page.count("changed on") == 1
    rows = [line for line in ours.to_markdown().splitlines() if "changed on" in line]
    assert len(rows) == 1 and rows[0].startswith("| Technology | Phones stay in the kitchen")
    assert " (added on Jan 31, 2026; changed on Feb 3, 2026) | " in rows[0]
    again = OurAgreements(partners=COUPLE, today=today)  # the other partner, another day
    assert again.agreements[0]["changed"] == "2026-02-03"
    assert "(added on Jan 31, 2026; changed on Feb 3, 2026)" in again.print_html


def test_removing_an_agreement_and_adding_it_reworded_shows_the_new_day_it_was_added(ours, today):
    """A change cannot be hidden as a fresh agreement: the one added again says the day it was added."""
    command(ours, "add_agreement", area="Technology", text=PHONES)
    today.day = date(2026, 3, 9)
    assert command(ours, "remove_agreement", index=0)["ok"]
    assert command(ours, "add_agreement", area="Technology", text="Phones stay out of the bedroom at night.")["ok"]
    assert ours.agreements[0]["added"] == "2026-03-09"
    assert "Phones stay out of the bedroom at night.</span><br><small class=days>(added on Mar 9, 2026)</small>" in (
        ours.print_html)
    assert " (added on Mar 9, 2026) | " in ours.to_markdown()


@pytest.mark.parametrize("bad", ["soon", "2026-13-01", 5, None])
def test_agreements_kept_before_the_added_day_load_and_show_no_day(today, bad):
    open_gate()
    with open_store() as store:
        store.put_record("agreements", "main", {"agreements": [
            {"area": "Technology", "text": PHONES, "review": "2026-02-01", "missed": "", "changed": ""},
            {"area": "Other", "text": "A walk.", "review": "2026-02-01", "missed": "", "changed": "2026-01-20",
             "added": bad}]})
    ours = OurAgreements(partners=COUPLE, today=today)
    assert [(a["text"], a["added"], a["changed"]) for a in ours.agreements] == [
        (PHONES, "", ""), ("A walk.", "", "2026-01-20")]
    assert not ours.error and "added on" not in ours.print_html and "added on" not in ours.to_markdown()
    assert f"{PHONES}</span></td>" in ours.print_html  # no day, no empty brackets
    assert "A walk.</span><br><small class=days>(changed on Jan 20, 2026)</small>" in ours.print_html
    assert command(ours, "edit_agreement", index=0, text="Phones stay in the hall.")["ok"]
    assert ours.agreements[0]["added"] == ""  # a day it was added is never made up


def test_an_edit_that_changes_nothing_leaves_no_mark_and_a_later_one_moves_the_day(ours, today):
    command(ours, "add_agreement", area="Technology", text=PHONES, review="2026-03-01")
    today.day = date(2026, 2, 3)
    same = {"text": PHONES, "area": "Technology", "review": "2026-03-01", "missed": ""}
    assert command(ours, "edit_agreement", index=0, **same)["ok"]
    assert ours.agreements[0]["changed"] == "" and ours.status == "Agreement 1 is unchanged. Saved on this device only."
    assert command(ours, "edit_agreement", index=0, review="2026-09-01")["ok"]  # pushing the day out is a change too
    assert ours.agreements[0]["changed"] == "2026-02-03"
    today.day = date(2026, 2, 10)
    assert command(ours, "edit_agreement", index=0, missed="check-in")["ok"]
    assert ours.agreements[0]["changed"] == "2026-02-10"


def test_either_can_still_remove_an_agreement_after_it_changed(ours, today):
    command(ours, "add_agreement", area="Technology", text=PHONES)
    command(ours, "edit_agreement", index=0, text="Phones stay in the kitchen.")
    assert command(ours, "remove_agreement", index=0)["ok"] and saved()["agreements"] == []


def test_agreements_kept_before_changes_were_marked_still_load(today):
    open_gate()
    with open_store() as store:
        store.put_record("agreements", "main", {"agreements": [
            {"area": "Technology", "text": PHONES, "review": "2026-02-01", "missed": ""},
            {"area": "Other", "text": "A walk.", "review": "2026-02-01", "missed": "", "changed": "2026-01-20"},
            {"area": "Other", "text": "A talk.", "review": "2026-02-01", "missed": "", "changed": "last week"}]})
    ours = OurAgreements(partners=COUPLE, today=today)
    assert [(a["text"], a["changed"]) for a in ours.agreements] == [(PHONES, ""), ("A walk.", "2026-01-20"),
                                                                    ("A talk.", "")]


@pytest.mark.parametrize("bad", ["last week", "2026-02-30", 20260120, None, ["2026-01-20"], {"day": 1}])
def test_a_bad_changed_day_loses_no_agreement_now_or_at_the_next_save(today, bad):
    """One unreadable day must not drop the agreement: shown with no day, and still there after a save."""
    open_gate()
    with open_store() as store:
        store.put_record("agreements", "main", {"agreements": [
            {"area": "Other", "text": "A talk.", "review": "2026-02-01", "missed": "", "changed": bad}]})
    ours = OurAgreements(partners=COUPLE, today=today)
    assert [(a["text"], a["changed"]) for a in ours.agreements] == [("A talk.", "")]
    assert not ours.error and "changed on" not in ours.print_html
    assert command(ours, "add_agreement", area="Technology", text=PHONES)["ok"]
    assert [a["text"] for a in saved()["agreements"]] == ["A talk.", PHONES]
    assert saved()["agreements"][0]["changed"] == ""


# -- crisis words (CONTENT.md rule 6) ------------------------------------------------------

def test_the_browser_gets_the_crisis_phrases_and_resources_in_both_versions(today):
    from course.crisis import phrases
    from course.safety import load_resources

    for partners in (COUPLE, ("Me",)):
        widget = OurAgreements(partners=partners, today=today)
        assert widget.crisis_phrases == phrases() and widget.resources == load_resources("US")["resources"]

