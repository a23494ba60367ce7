"""RepairPlanner, Python side: the steps, the gentle excuse hints, saved plans, printing.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.store import open_store
from tests.widgets import command
from widgets.repair import RepairPlanner
from widgets.repair import model as M

BUT_HINT = "Try leaving out the “but”. The part after it often sounds like an excuse."


def saved():
    with open_store() as store:
        return {r["key"]: r["data"] for r in store.records(M.KIND)}


def test_four_steps_in_order_each_explained_with_kinder_phrasings():
    w = RepairPlanner()
    assert [s["id"] for s in w.steps] == ["acknowledge", "apologise", "ask", "adjust"]
    for step in w.steps:
        assert step["title"] and step["explain"] and step["examples"]
        assert all(len(pair) == 2 and all(pair) for pair in step["examples"])
    pairs = [tuple(p) for p in w.steps[1]["examples"]]
    assert ("I'm sorry you feel that way.", "I'm sorry I didn't call. I can see it scared you.") in pairs
    assert ("I was late because traffic was bad, but...",
            "I was late and didn't tell you. That broke what I said I'd do.") in pairs
    assert w.answers == dict.fromkeys(M.STEP_IDS, "") and w.hints == [] and w.plans == []


@pytest.mark.parametrize("text, expected", [
    ("I'm sorry I was late, but the traffic was bad.", [BUT_HINT]),
    ("BUT I meant well", [BUT_HINT]),
    ("I'm sorry if you were upset.",
     ["“If you…” can sound as if the hurt is in doubt. Try naming what you did instead."]),
    ("You made me so angry.", ["“You made me…” puts the cause on the other person. Try starting with “I”."]),
    ("I just forgot.", ["“Just” can make what happened sound small. Try it without that word."]),
])
def test_excuse_words_in_the_apology_give_a_kind_hint(text, expected):
    w = RepairPlanner()
    w.set_answer("apologise", text)
    assert w.hints == expected


@pytest.mark.parametrize("text", [
    "I'm sorry I didn't call. I can see it scared you.",
    "I was late and didn't tell you. That broke what I said I'd do.",
    "I want to adjust how I tell you things. Justice, butter, a rebuttal, iffy.",
    "",
])
def test_neutral_apologies_give_no_hint(text):
    w = RepairPlanner()
    w.set_answer("apologise", text)
    assert w.hints == []


def test_hints_are_only_hints_and_only_for_the_apology():
    w = RepairPlanner()
    w.set_answer("acknowledge", "I said I'd be home, but I wasn't.")
    assert w.hints == []
    w.set_answer("apologise", "Sorry, but you made me wait, and I just snapped if you ask me.")
    assert len(w.hints) == 4
    assert w.save()  # a hint never blocks saving
    assert list(saved().values())[0]["answers"]["apologise"].startswith("Sorry, but")


def test_save_list_reopen_and_change_a_plan():
    w = RepairPlanner(name="Missed call")
    w.set_answer("acknowledge", "I didn't call when I said I would.")
    assert w.save()
    key = f"Missed call · {date.today().isoformat()}"
    assert w.key == key and "Saved “Missed call”" in w.status and not w.error
    assert saved()[key] == {"name": "Missed call", "answers": {**dict.fromkeys(M.STEP_IDS, ""),
                                                                "acknowledge": "I didn't call when I said I would."}}
    w.new_plan()
    assert w.key == "" and w.name == "" and w.answers["acknowledge"] == ""
    w.set_answer("adjust", "I'll text before the time we agreed.")
    assert w.save()  # unnamed, same day: a second plan, not a replacement
    assert [p["title"] for p in w.plans] == ["My repair plan", "Missed call"]

    other = RepairPlanner()  # e.g. after a reload
    assert [p["key"] for p in other.plans] == [w.key, key]
    other.open_plan(key)
    assert other.name == "Missed call" and other.answers["acknowledge"] == "I didn't call when I said I would."
    other.set_answer("ask", "How was that evening for you?")
    assert other.save()
    assert len(saved()) == 2 and saved()[key]["answers"]["ask"] == "How was that evening for you?"


def test_same_name_same_day_gets_its_own_key():
    first, second = RepairPlanner(name="Friday"), RepairPlanner(name="Friday")
    assert first.save() and second.save()
    assert second.key == f"{first.key} (2)" and len(saved()) == 2


def test_delete_a_plan_keeps_the_text_on_screen_and_saves_anew():
    w = RepairPlanner(name="Friday")
    w.set_answer("apologise", "I'm sorry.")
    w.save()
    assert w.delete_plan(w.key) is True
    assert saved() == {} and w.plans == [] and w.key == ""
    assert w.answers["apologise"] == "I'm sorry."
    assert w.delete_plan("Friday · 2000-01-01") is False
    with pytest.raises(ValueError, match="no longer saved"):
        w.open_plan("Friday · 2000-01-01")


def test_requests_from_the_browser_report_in_status():
    w = RepairPlanner(name="Talk")
    assert command(w, "save") == {"ok": True, "value": True}
    key = w.key
    assert command(w, "new_plan")["ok"]
    assert w.status == "Started a new, empty plan." and w.key == ""
    assert command(w, "open_plan", key=key)["ok"]
    assert w.status == "Opened “Talk”." and w.key == key
    reply = command(w, "open_plan", key="gone · 2000-01-01")
    assert not reply["ok"] and "no longer saved" in reply["error"]
    assert w.error and "no longer saved" in w.status
    assert command(w, "delete_plan", key=key) == {"ok": True, "value": True}
    assert w.status == "Deleted the plan." and not w.error
    assert command(w, "delete_plan", key=key)["ok"] and w.status == "That plan was already gone."


def test_typing_reaches_python_through_actions():
    """dispatch() where an argument is called `name` (tests.widgets.command takes `name` itself)."""
    w = RepairPlanner()
    assert w.dispatch("set_name", {"name": "Friday"})["ok"] and w.name == "Friday"
    assert command(w, "set_answer", step="apologise", text="Sorry, but")["ok"]
    assert w.answers["apologise"] == "Sorry, but" and w.hints == [BUT_HINT]
    reply = w.dispatch("set_name", {"name": "two\nlines"})
    assert not reply["ok"] and "one line" in w.status and w.name == "Friday"


def test_save_and_print_messages_carry_the_texts_as_typed():
    w = RepairPlanner()
    assert w.dispatch("save", {"name": "Just typed", "answers": {"ask": "How was it?"}})["ok"]
    assert saved()[w.key] == {"name": "Just typed", "answers": {**dict.fromkeys(M.STEP_IDS, ""), "ask": "How was it?"}}
    reply = w.dispatch("printable", {"name": "Just typed", "answers": {"ask": "How was it? <b>really</b>"}})
    assert reply["ok"] and "How was it? &lt;b&gt;really&lt;/b&gt;" in reply["value"]
    reply = w.dispatch("save", {"name": "x" * 61})
    assert not reply["ok"] and w.error and "at most 60" in w.status and w.status.startswith("Not saved:")


def test_checks_reject_what_cannot_be_a_plan():
    w = RepairPlanner()
    with pytest.raises(ValueError, match="A step must be one of acknowledge, apologise, ask, adjust"):
        w.set_answer("excuse", "x")
    with pytest.raises(ValueError, match="at most 60"):
        w.name = "x" * 61
    with pytest.raises(ValueError, match="one line"):
        w.name = "two\nlines"
    with pytest.raises(ValueError, match="at most 20,000"):
        w.set_answer("ask", "x" * 20_001)


def test_a_damaged_saved_plan_opens_with_what_can_be_read_and_is_kept_until_saved():
    odd = {"name": 5, "answers": {"ask": "How was it for you?", "adjust": ["not", "text"]}}
    with open_store() as store:
        store.put_record(M.KIND, "odd", odd)
    w = RepairPlanner()
    assert command(w, "open_plan", key="odd")["ok"]
    assert w.error and "could not be read" in w.status and w.key == "odd"
    assert w.name == "" and w.answers["ask"] == "How was it for you?" and w.answers["adjust"] == ""
    with open_store() as store:
        assert store.get_record(M.KIND, "odd") == odd


def test_store_problems_are_shown(steady_ground_home):
    (steady_ground_home / "steady-ground.sqlite3").write_bytes(b"not a database at all" * 100)
    w = RepairPlanner()
    assert w.error and "damaged" in w.status
    assert command(w, "save")["ok"] is False and w.status.startswith("Not saved:")


def test_markdown_and_html_escape_the_learners_text():
    w = RepairPlanner(name="<b>Friday</b>")
    w.set_answer("acknowledge", "<script>alert(1)</script> & *bold* [link](x)\n# not a heading\n1. not a list")
    md, page = w.to_markdown(), w.to_html()
    assert "# Repair plan: &lt;b&gt;Friday&lt;/b&gt;" in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "\\*bold\\* \\[link\\]\\(x\\)" in md and "<br>\\# not a heading<br>1\\. not a list" in md
    assert "_(not filled in)_" in md and "## 4. Say what you will do differently" in md
    assert "<script>" not in page and "<b>Friday" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *bold*" in page
    assert page.startswith("<!doctype html>") and "<title>Repair plan: &lt;b&gt;Friday&lt;/b&gt;</title>" in page
    assert command(w, "printable") == {"ok": True, "value": page}
    assert M.PRINT_CSS.read_text(encoding="utf-8") in page and 'class="sg-widget' in page  # the theme's palette
    assert not re.search(r"#[0-9a-f]{3,6}\b", M.PRINT_CSS.read_text(encoding="utf-8"), re.I)  # no colours of its own


odd_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200) | st.sampled_from([
    "🌱💔➡️❤️‍🩹 sorry", "אני מצטער/ת שלא התקשרתי", "آسف لأنني تأخرت", "<img src=x onerror=alert(1)>",
    "a\r\nb\n\n  c\t", "\u200f\u202eRTL override", "",
])


@given(texts=st.lists(odd_text, min_size=4, max_size=4),
       name=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60))
def test_odd_text_round_trips_through_the_store_unchanged(texts, name):
    with open_store() as store:
        store.forget()
    w = RepairPlanner(name=name)
    for step, text in zip(M.STEP_IDS, texts, strict=True):
        w.set_answer(step, text)
    assert w.save(), w.status
    again = RepairPlanner()
    again.open_plan(again.plans[0]["key"])
    assert again.name == name and [again.answers[s] for s in M.STEP_IDS] == texts
    assert "<img" not in again.to_html()
