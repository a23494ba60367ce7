"""Journal, Python side: prompts, autosaved drafts, past entries, edit, delete, errors.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.store import StoreError, open_store
from tests.widgets import command, sent
from widgets import Journal
from widgets.journal import check_prompts

PROMPTS = ["What are your first signs?", "Which tool felt best?"]
ODD = ["<img src=x onerror=alert(1)>", "🌱💔 still here 🫶🏽", "אני בסדר, תודה", "مرحبا بالعالم",
       "line one\r\nline two\n\ttabbed", "&amp; \"quotes\" 'single' `ticks`", "\u200fRTL mark\u200e", "nul\x00byte"]
text_st = st.text().filter(lambda s: s.strip())


def journal(**kwargs):
    return Journal(module=kwargs.pop("module", "m03"), prompts=kwargs.pop("prompts", PROMPTS), **kwargs)


def stored():
    with open_store() as store:
        return store.journal_entries()


# -- set-up and validation ---------------------------------------------------

def test_one_box_per_prompt_and_nothing_saved_yet():
    j = journal()
    assert j.prompts == PROMPTS and j.draft_ids == [0, 0]
    assert j.entries == [] and j.status == "" and stored() == []


@pytest.mark.parametrize("prompts, message", [
    ([], "at least one prompt"), ("Just one string", "at least one prompt"), (None, "at least one prompt"),
    (["ok", "  "], "Prompt 2 must be some text"), (["ok", 3], "Prompt 2 must be some text"),
])
def test_bad_prompts_are_refused_in_plain_words(prompts, message):
    with pytest.raises(ValueError, match=message):
        Journal(module="m03", prompts=prompts)
    with pytest.raises(ValueError, match=message):
        check_prompts(prompts)


@pytest.mark.parametrize("module", ["", "   ", None, "m" * 81])
def test_bad_module_ids_are_refused(module):
    with pytest.raises(ValueError, match="module id"):
        Journal(module=module, prompts=PROMPTS)


# -- the autosave path -------------------------------------------------------

def test_first_draft_creates_an_entry_and_later_drafts_update_it():
    j = journal()
    first = j.save_draft(0, "My jaw gets")
    assert first and j.draft_ids == [first, 0]
    assert j.save_draft(0, "My jaw gets tight and I hold my breath.") == first
    [entry] = stored()
    assert entry["id"] == first and entry["text"] == "My jaw gets tight and I hold my breath."
    assert entry["module"] == "m03" and entry["prompt"] == PROMPTS[0]
    assert re.fullmatch(r"Saved at \d\d:\d\d\. Only you can see this, on this device\.", j.status)
    assert not j.error


def test_each_prompt_keeps_its_own_entry():
    j = journal()
    a, b = j.save_draft(0, "first answer"), j.save_draft(1, "second answer")
    assert a != b and j.draft_ids == [a, b]
    assert {(e["prompt"], e["text"]) for e in stored()} == {(PROMPTS[0], "first answer"), (PROMPTS[1], "second answer")}


def test_draft_messages_from_the_browser_save_and_are_answered():
    j = journal()
    first = command(j, "save_draft", slot=1, text="typed, then paused")
    again = command(j, "save_draft", slot=1, text="typed, then paused again")
    assert [e["text"] for e in stored()] == ["typed, then paused again"]
    assert first == again == {"ok": True, "value": j.draft_ids[1]}


def test_a_box_whose_note_was_deleted_on_another_page_saves_again():
    """The note was deleted in another tab; typing on in this one keeps the words as a new note."""
    j = journal()
    first = j.save_draft(0, "First words")
    other_page = journal()
    other_page.delete_entry(first)
    assert command(j, "save_draft", slot=0, text="First words, and more")["ok"] is True
    assert [e["text"] for e in stored()] == ["First words, and more"]
    assert j.draft_ids[0] and not j.error and j.status.startswith("Saved at")
    other_page.delete_entry(j.draft_ids[0])
    assert command(j, "save_draft", slot=0, text="   ")["ok"] is True  # emptied: nothing to keep, no error
    assert stored() == [] and j.draft_ids[0] == 0 and not j.error


def test_emptying_a_box_keeps_nothing_for_it():
    j = journal()
    assert j.save_draft(0, "   ") is None and stored() == [] and not j.error  # nothing typed yet
    j.save_draft(0, "something I regret writing")
    assert j.save_draft(0, " \n ") is None
    assert stored() == [] and j.draft_ids == [0, 0]
    assert "nothing is kept" in j.status
    assert j.save_draft(0, "a fresh start") and len(stored()) == 1


@pytest.mark.parametrize("slot", [-1, 2, "0", None, True])
def test_a_draft_for_a_missing_prompt_is_reported(slot):
    j = journal()
    with pytest.raises(ValueError, match="prompt number"):
        j.save_draft(slot, "text")
    reply = command(j, "save_draft", slot=slot, text="text")
    assert reply["ok"] is False and reply["error"] == j.status
    assert j.error and j.status.startswith("Not saved: The prompt number") and "still in the box" in j.status
    assert stored() == []


def test_a_store_problem_is_shown_and_the_draft_is_not_lost(steady_ground_home):
    j = journal()
    entry = j.save_draft(0, "kept safe")
    (steady_ground_home / "steady-ground.sqlite3").write_bytes(b"this is not a database" * 100)
    for name in ("steady-ground.sqlite3-wal", "steady-ground.sqlite3-shm"):
        (steady_ground_home / name).unlink(missing_ok=True)
    with pytest.raises(StoreError, match="damaged"):
        j.save_draft(0, "kept safe, and more")
    assert not command(j, "save_draft", slot=0, text="kept safe, and more")["ok"]
    assert j.error and j.status.startswith("Not saved:") and "damaged" in j.status
    assert "still in the box" in j.status
    assert j.draft_ids == [entry, 0]  # the next save tries the same entry again


def test_too_long_text_is_refused_in_plain_words():
    j = journal()
    assert not command(j, "save_draft", slot=0, text="x" * 200_001)["ok"]
    assert j.error and "too long" in j.status and "still in the box" in j.status and stored() == []


def test_a_long_entry_with_emoji_and_right_to_left_text_round_trips():
    text = ("שלום 🌱 مرحبا " * 8000)[:100_000]
    j = journal()
    j.save_draft(0, text)
    assert stored()[0]["text"] == text and j.entries[0]["text"] == text


# -- past entries, search, edit, delete ----------------------------------------

def test_past_entries_are_listed_newest_first_for_this_module_only():
    journal(module="m00").save_draft(0, "another module")
    j = journal()
    j.save_draft(0, "older")
    j.save_draft(1, "newer")
    assert [e["text"] for e in j.entries] == ["newer", "older"]
    assert j.entries[0]["prompt"] == PROMPTS[1]
    assert all(isinstance(e["when"], str) and e["when"] for e in j.entries)


def test_a_new_visit_lists_what_was_saved_before():
    journal().save_draft(0, "from last week")
    again = journal()
    assert [e["text"] for e in again.entries] == ["from last week"]
    assert again.draft_ids == [0, 0]  # new boxes make new entries


def test_the_page_asks_for_a_fresh_list_when_it_opens():
    preheated = journal()  # Voila ran the cell before the learner arrived
    journal().save_draft(0, "written in another tab since")
    assert command(preheated, "refresh") == {"ok": True, "value": None}
    assert [e["text"] for e in preheated.entries] == ["written in another tab since"] and preheated.status == ""


def test_past_notes_that_cannot_be_read_are_reported(steady_ground_home):
    j = journal()
    (steady_ground_home / "steady-ground.sqlite3").write_bytes(b"this is not a database" * 100)
    reply = command(j, "refresh")
    assert reply["ok"] is False and j.error
    assert j.status.startswith("Your past notes could not be shown:") and "damaged" in j.status
    assert journal().status.startswith("Your past notes could not be shown:")  # a new visit says so too


def test_search_keeps_matching_entries_ignoring_case():
    j = journal()
    j.save_draft(0, "Calm after the WALK")
    j.save_draft(1, "tense at night")
    j.search = "walk"
    assert [e["text"] for e in j.entries] == ["Calm after the WALK"]
    j.search = "nothing like this"
    assert j.entries == []
    j.search = ""
    assert len(j.entries) == 2


def test_edit_changes_the_text_and_marks_it_changed():
    j = journal()
    entry = j.save_draft(0, "first try")
    assert command(j, "edit_entry", entry_id=entry, text="second thoughts") == {"ok": True, "value": None}
    assert stored()[0]["text"] == "second thoughts"
    assert re.fullmatch(r"Saved at \d\d:\d\d\. Only you can see this, on this device\.", j.status)
    assert j.entries[0]["text"] == "second thoughts" and j.entries[0]["edited"]


def test_a_failed_edit_says_so_and_keeps_the_old_text():
    j = journal()
    entry = j.save_draft(0, "first try")
    reply = command(j, "edit_entry", entry_id=entry, text="  ")
    assert reply == {"ok": False, "error": j.status}
    assert j.error and j.status.startswith("Not saved:") and "empty" in j.status
    assert j.status.endswith("Your changes are still in the box.")
    assert stored()[0]["text"] == "first try"


def test_delete_removes_the_entry_and_frees_its_box():
    j = journal()
    entry = j.save_draft(0, "let this go")
    assert command(j, "delete_entry", entry_id=entry) == {"ok": True, "value": None}
    assert stored() == [] and j.entries == [] and j.draft_ids == [0, 0]
    assert j.status == "Deleted. That note is gone from this device." and not j.error
    with pytest.raises(ValueError, match=f"no journal entry number {entry}"):
        j.delete_entry(entry)
    assert not command(j, "delete_entry", entry_id=entry)["ok"]
    assert j.error and j.status == f"Not deleted: There is no journal entry number {entry}."


def test_other_messages_are_ignored_and_unknown_actions_refused():
    j = journal()
    replies = sent(j)
    j._on_custom_msg(j, {"type": "draft", "slot": 0, "text": "an old page's message"}, [])
    j._on_custom_msg(j, "not a dict", [])
    assert replies == [] and j.status == "" and stored() == []
    reply = command(j, "draft", slot=0, text="x")
    assert reply["ok"] is False and "does not do" in reply["error"] and stored() == []


def test_a_bug_is_shown_not_swallowed(monkeypatch):
    j = journal()
    monkeypatch.setattr("widgets.journal.open_store", lambda: 1 / 0)
    reply = command(j, "save_draft", slot=0, text="x")
    assert reply["ok"] is False and j.error and j.status.startswith("Something went wrong")


# -- odd text round-trips exactly ------------------------------------------------

@pytest.mark.parametrize("text", ODD)
def test_odd_text_round_trips_exactly(text):
    j = journal()
    entry = j.save_draft(0, text)
    assert [e["text"] for e in stored() if e["id"] == entry] == [text]
    assert j.entries[0]["text"] == text
@given(first=text_st, second=text_st, edited=text_st)
def test_any_text_round_trips_through_drafts_and_edits(first, second, edited):
    j = journal()
    entry = j.save_draft(0, first)
    assert {e["id"]: e["text"] for e in stored()}[entry] == first
    assert j.save_draft(0, second) == entry
    assert {e["id"]: e["text"] for e in stored()}[entry] == second
    j.edit_entry(entry, edited)
    assert {e["id"]: e["text"] for e in stored()}[entry] == edited
    assert j.entries[0] == {**j.entries[0], "id": entry, "text": edited}
@given(module=st.text(min_size=1, max_size=80).filter(str.strip), prompt=text_st, text=text_st)
def test_any_module_and_prompt_round_trip(module, prompt, text):
    j = Journal(module=module, prompts=[prompt])
    entry = j.save_draft(0, text)
    [row] = [e for e in stored() if e["id"] == entry]
    assert (row["module"], row["prompt"], row["text"]) == (module, prompt, text)
    assert entry in [e["id"] for e in j.entries]
@given(text=text_st, start=st.integers(0, 50), length=st.integers(1, 20))
def test_searching_any_part_of_an_entry_finds_it(text, start, length):
    j = journal()
    entry = j.save_draft(0, text)
    j.search = text[start:start + length] or text
    assert entry in [e["id"] for e in j.entries]


# -- crisis phrases (CONTENT.md safety rule 6) ----------------------------------
# The browser checks the text in the box and shows the resources there; Python
# only hands it the public phrase list and resources, and must save, sync and
# answer crisis text exactly like any other text.

def test_the_browser_gets_the_crisis_phrases_and_resources():
    from course.crisis import phrases
    from course.safety import load_resources

    j = journal()
    assert j.crisis_phrases == phrases() and "want to die" in j.crisis_phrases
    assert j.resources == load_resources("US")["resources"]


def _save_through_the_page(text: str):
    """Type-and-pause in box 0 as the page sends it; returns what changed, what was sent, what was kept."""
    with open_store() as store:
        store.add_checkin("distress", 4, None)
        store.put_record("plan", "mine", {"step": 1})
    j = journal()
    with open_store() as store:
        others = (store.checkins(), store.records(), store.practices())
    fixed = (list(j.crisis_phrases), list(j.resources), j.module, list(j.prompts), j.search)
    changes = []
    j.observe(lambda change: changes.append(change["name"]))
    out = command(j, "save_draft", slot=0, text=text)
    assert (list(j.crisis_phrases), list(j.resources), j.module, list(j.prompts), j.search) == fixed
    with open_store() as store:
        assert (store.checkins(), store.records(), store.practices()) == others, "no other table changes"
        kept = store.journal_entries()
        store.forget()
    return sorted(set(changes)), out, kept, j.entries


def test_crisis_text_is_saved_synced_and_answered_exactly_like_other_text():
    crisis = _save_through_the_page("I want to die")
    other = _save_through_the_page("I want to dine")
    assert crisis[0] == other[0]
    assert crisis[1] == {"ok": True, "value": crisis[2][0]["id"]}
    assert other[1] == {"ok": True, "value": other[2][0]["id"]}
    [row] = crisis[2]
    assert row["text"] == "I want to die" and (row["module"], row["prompt"]) == ("m03", PROMPTS[0])
    assert set(row) == set(other[2][0])
    assert [e["text"] for e in crisis[3]] == ["I want to die"]
    assert set(crisis[3][0]) == set(other[3][0]) == {"id", "text", "prompt", "when", "edited"}


# -- keep=False: writing that is not kept unless the writer chooses ---------------
# Module 8's private worksheet, impact letter and account of contributing factors:
# on a shared device, a note found later can put the writer at risk. The page sends
# nothing while typing (widgets/journal/journal.js); these tests send what a page
# could send, and check that only a box the writer chose to keep is ever kept.

UNKEPT = "What I fear about staying: the shouting."


def unkept_journal(**kwargs):
    return journal(module="m08-decide", keep=False, **kwargs)


def synced(widget) -> str:
    """What the page, and a saved notebook's widget state, hold (not the front end)."""
    import json

    state = {k: v for k, v in widget.get_state().items() if k not in ("_esm", "_css")}
    return json.dumps(state, ensure_ascii=False)


def on_disk(home) -> bytes:
    """Every byte of the learner's folder: the database and anything next to it."""
    return b"".join(p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file())


def test_a_not_kept_journal_keeps_nothing_from_drafts(steady_ground_home, caplog):
    j = unkept_journal()
    assert j.keep is False and '"keep": false' in synced(j)
    for text in (UNKEPT[:10], UNKEPT):  # what a page that sent drafts would send
        reply = command(j, "save_draft", slot=0, text=text)
        assert reply == {"ok": False, "error": "Not saved: This writing is not kept unless you choose "
                         "Keep on this device. Your words are still in the box."}
    assert stored() == [] and j.entries == [] and j.draft_ids == [0, 0]
    assert "fear" not in synced(j) and "fear" not in caplog.text
    assert b"fear" not in on_disk(steady_ground_home)


def test_keep_on_this_device_keeps_exactly_that_box_as_one_entry():
    j = unkept_journal()
    reply = command(j, "keep_entry", slot=1, text=UNKEPT)
    [row] = stored()
    assert reply == {"ok": True, "value": row["id"]}
    assert (row["text"], row["module"], row["prompt"]) == (UNKEPT, "m08-decide", PROMPTS[1])
    assert [(e["text"], e["prompt"]) for e in j.entries] == [(UNKEPT, PROMPTS[1])]
    assert re.fullmatch(r"Kept at \d\d:\d\d\. Anyone who opens the course on this device can read it\. "
                        r"You can delete it in the list below\.", j.status) and not j.error
    assert j.draft_ids == [0, 0]  # the box starts afresh: more typing is not kept by itself
    assert command(j, "keep_entry", slot=1, text="And one more thing.")["ok"]
    assert [e["text"] for e in j.entries] == ["And one more thing.", UNKEPT]  # each choice keeps one note


@pytest.mark.parametrize("slot, text, message", [
    (0, "  \n ", "Not kept: The box is empty, so there is nothing to keep."),
    (2, UNKEPT, "Not kept: The prompt number must be a whole number from 0 to 1; got 2. "
                "Your words are still in the box."),
    (0, "x" * 200_001, "Not kept: A journal entry is too long: 200,001 characters (at most 200,000). "
                       "Your words are still in the box."),
])
def test_a_keep_that_cannot_be_done_says_why_and_keeps_nothing(slot, text, message):
    j = unkept_journal()
    assert command(j, "keep_entry", slot=slot, text=text) == {"ok": False, "error": message}
    assert j.error and j.status == message and stored() == []


def test_kept_notes_of_a_not_kept_journal_can_be_changed_and_deleted():
    j = unkept_journal()
    entry = command(j, "keep_entry", slot=0, text=UNKEPT)["value"]
    assert command(j, "edit_entry", entry_id=entry, text="Changed my mind.")["ok"]
    assert [e["text"] for e in stored()] == ["Changed my mind."]
    assert re.fullmatch(r"Saved at \d\d:\d\d\. Anyone who opens the course on this device can read it\.", j.status)
    assert command(j, "delete_entry", entry_id=entry)["ok"]
    assert stored() == [] and j.entries == []


def test_a_new_visit_lists_the_kept_notes_only():
    first = unkept_journal()
    command(first, "save_draft", slot=0, text="typed, never kept")
    command(first, "keep_entry", slot=1, text="kept on purpose")
    again = unkept_journal()
    assert [e["text"] for e in again.entries] == ["kept on purpose"]


def test_an_export_holds_only_kept_notes(tmp_path, capsys):
    from course import cli

    j = unkept_journal()
    command(j, "save_draft", slot=0, text=UNKEPT)
    command(j, "keep_entry", slot=1, text="A kept line.")
    out = tmp_path / "export"
    assert cli.main(["export", "--to", str(out)]) == 0
    written = "".join(p.read_text(encoding="utf-8") for p in sorted(out.iterdir()))
    assert "A kept line." in written and "fear" not in written


def test_save_my_notes_holds_only_kept_notes(monkeypatch):
    from course.store import MemoryStore
    from widgets.save_notes import SaveNotes

    monkeypatch.setenv("STEADY_GROUND_WORKSHOP", "1")
    MemoryStore().forget()
    try:
        j = unkept_journal()
        command(j, "save_draft", slot=0, text=UNKEPT)
        assert command(SaveNotes(), "notes") == {"ok": True, "value": None}  # nothing written to take home
        command(j, "keep_entry", slot=1, text="A kept line.")
        text = command(SaveNotes(), "notes")["value"]["text"]
        assert "A kept line." in text and "fear" not in text
    finally:
        MemoryStore().forget()


def test_a_not_kept_journal_still_gives_the_page_the_crisis_watch():
    kept, unkept = journal(), unkept_journal()
    assert unkept.crisis_phrases == kept.crisis_phrases and "want to die" in unkept.crisis_phrases
    assert unkept.resources == kept.resources and unkept.resources


def test_keep_true_is_the_default_and_has_nothing_to_keep_by_hand():
    j = journal()
    assert j.keep is True
    reply = command(j, "keep_entry", slot=0, text="by hand")
    assert reply == {"ok": False, "error": "Not kept: This journal saves as you type, "
                     "so there is nothing to keep by hand."}
    assert stored() == []
    assert command(j, "save_draft", slot=0, text="as I type")["ok"] and [e["text"] for e in stored()] == ["as I type"]


@pytest.mark.parametrize("keep", ["no", 0, None, "False"])
def test_keep_must_be_true_or_false(keep):
    with pytest.raises(ValueError, match="keep must be True"):
        journal(keep=keep)


@given(text=text_st)
def test_any_text_kept_by_choice_round_trips(text):
    j = unkept_journal()
    entry = j.keep_entry(0, text)
    assert {e["id"]: e["text"] for e in stored()}[entry] == text
