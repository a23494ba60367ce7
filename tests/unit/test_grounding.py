"""Grounding (5-4-3-2-1), Python side: steps, saving sessions and journal answers.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
from datetime import datetime, timezone

import anywidget
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course.store import StoreError, open_store
from widgets import Grounding
from widgets.grounding import STEPS

START = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
ISO = "2025-03-01T09:30:00.000Z"
EVERY_EXAMPLE = settings(max_examples=40, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture])


def saved():
    with open_store() as store:
        return store.practices(), store.journal_entries()


def finish(widget, **content):
    widget._on_msg(widget, {"type": "finish", "started_at": ISO, "duration_s": 95.0, **content}, [])


# -- steps -----------------------------------------------------------------------

def test_five_senses_in_order_counting_down():
    steps = Grounding().steps
    assert [s["count"] for s in steps] == [5, 4, 3, 2, 1]
    assert [s["sense"] for s in steps] == ["see", "touch", "hear", "smell", "taste"]
    for step in steps:
        assert step["title"].startswith(str(step["count"]))
        assert step["prompt"] and step["label"]


def test_the_swap_note_is_kind_and_names_other_senses():
    note = Grounding().swap_note
    assert "cannot see" in note and "smell" in note and "swap" in note


def test_steps_are_computed_not_settable():
    widget = Grounding()
    with pytest.raises(Exception, match="read-only"):
        widget.steps = []


def test_every_trait_explains_itself_and_syncs():
    widget = Grounding()
    own = {n for n in widget.traits() if not n.startswith("_")} - set(anywidget.AnyWidget.class_traits())
    for name in own:
        trait = widget.traits()[name]
        assert trait.help, f"{name} has no help text"
        assert trait.metadata.get("sync"), f"{name} is not synced"


# -- saving ------------------------------------------------------------------------

def test_a_finished_session_without_ratings_or_answers_saves_one_row():
    widget = Grounding()
    finish(widget, before=None, after=None, answers=None)
    practices, journal = saved()
    [row] = practices
    assert (row["exercise"], row["pattern"], row["cycles"]) == ("grounding", "5-4-3-2-1", 1)
    assert (row["before"], row["after"], row["duration_s"], row["started_at"]) == (None, None, 95.0, START)
    assert journal == []
    assert widget.status_message == "Saved: 5-4-3-2-1 grounding, 1 min 35 s."
    assert not widget.status_error and widget.sessions_saved == 1


def test_ratings_are_saved_when_given():
    widget = Grounding()
    assert isinstance(widget.record_session(START, 60, before=3, after=6), int)
    [row], _ = saved()
    assert (row["before"], row["after"]) == (3, 6)
    assert "Calm before: 3, after: 6" in widget.status_message


def test_answers_reach_the_journal_only_when_sent_and_blank_ones_are_left_out():
    widget = Grounding()
    widget.record_session(START, 60, answers=["the lamp, a mug", "", "   \n", "coffee", "mint"])
    _, journal = saved()
    assert [e["text"] for e in journal] == ["the lamp, a mug", "coffee", "mint"]
    assert [e["prompt"] for e in journal] == [
        "5-4-3-2-1 grounding: 5 things you can see", "5-4-3-2-1 grounding: 2 things you can smell",
        "5-4-3-2-1 grounding: 1 thing you can taste"]
    assert {e["module"] for e in journal} == {"m03"}
    assert widget.status_message.endswith("3 answers added to your private journal.")


@pytest.mark.parametrize("content, words", [
    ({"before": 11}, "'before' rating must be a whole number from 0 to 10"),
    ({"after": -1}, "'after' rating"),
    ({"before": 5.5}, "'before' rating"),
    ({"after": True}, "'after' rating"),
    ({"before": "7"}, "'before' rating"),
    ({"duration_s": 0}, "does not look right"),
    ({"duration_s": float("nan")}, "does not look right"),
    ({"started_at": "today"}, "not a date and time"),
    ({"answers": ["a", "b"]}, "list of 5 texts"),
    ({"answers": ["a", 2, "c", "d", "e"]}, "is not text"),
    ({"answers": ["\ud800", "", "", "", ""]}, "cannot be saved"),
])
def test_bad_input_is_reported_and_nothing_is_stored(content, words):
    widget = Grounding()
    finish(widget, **{"answers": ["kept?", "", "", "", ""], **content})
    assert widget.status_message.startswith("Not saved") and widget.status_error
    assert words in widget.status_message
    assert saved() == ([], [])
    assert widget.sessions_saved == 0


def test_a_store_error_becomes_a_shown_message(monkeypatch):
    def broken():
        raise StoreError("Your course data is in use by another program. Nothing was changed.")

    monkeypatch.setattr("widgets.grounding.open_store", broken)
    widget = Grounding()
    assert widget.record_session(START, 60, before=4) is None
    assert widget.status_message.startswith("Not saved: Your course data is in use")
    assert widget.status_error and widget.sessions_saved == 0


def test_other_messages_are_ignored():
    widget = Grounding()
    widget._on_msg(widget, {"type": "hello"}, [])
    widget._on_msg(widget, "finish", [])
    assert widget.status_message == "" and saved() == ([], [])


# -- properties: every input that reaches the store ---------------------------------

@EVERY_EXAMPLE
@given(st.lists(st.text(max_size=300), min_size=5, max_size=5))
def test_typed_answers_round_trip_exactly(answers):
    with open_store() as store:
        store.forget()
    Grounding().record_session(START, 42.5, answers=answers)
    _, journal = saved()
    assert [e["text"] for e in journal] == [a for a in answers if a.strip()]


@EVERY_EXAMPLE
@given(st.one_of(st.none(), st.integers(-1000, 1000)), st.one_of(st.none(), st.integers(-1000, 1000)))
def test_only_ratings_from_0_to_10_are_stored(before, after):
    with open_store() as store:
        store.forget()
    row = Grounding().record_session(START, 30, before=before, after=after)
    practices, _ = saved()
    if all(v is None or 0 <= v <= 10 for v in (before, after)):
        assert isinstance(row, int)
        assert (practices[0]["before"], practices[0]["after"]) == (before, after)
    else:
        assert row is None and practices == []


def test_steps_data_is_not_shared_between_widgets():
    one = Grounding()
    one.steps[0]["title"] = "changed"
    assert Grounding().steps[0]["title"] == STEPS[0]["title"] == "5 things you can see"
