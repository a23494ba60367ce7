"""Grounding (5-4-3-2-1), Python side: steps, saving sessions and journal answers; and, for both
guided practices with a calm rating (grounding and muscle relaxation), what they check alike.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
from datetime import UTC, datetime

import anywidget
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.store import StoreError, open_store
from tests.widgets import command, sent
from widgets import Grounding, MuscleRelaxation
from widgets.grounding import STEPS

START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
ISO = "2025-03-01T09:30:00.000Z"
PRACTICES = {
    "grounding": (Grounding, {}, "widgets.grounding.open_store"),
    "muscle-relaxation": (MuscleRelaxation, {"groups_done": 2}, "widgets.relaxation.open_store"),
}
"""Each practice with a calm rating: its class, what else its record_session needs, where it opens the store."""


def saved():
    with open_store() as store:
        return store.practices(), store.journal_entries()


def finish(widget, **args):
    """What the page sends at the end (the record_session action), with these changes."""
    return command(widget, "record_session", **{"started_at": ISO, "duration_s": 95.0, **args})


def forget():
    with open_store() as store:
        store.forget()


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


def test_steps_data_is_not_shared_between_widgets():
    one = Grounding()
    one.steps[0]["title"] = "changed"
    assert Grounding().steps[0]["title"] == STEPS[0]["title"] == "5 things you can see"


# -- saving ------------------------------------------------------------------------

def test_a_finished_session_without_ratings_or_answers_saves_one_row():
    widget = Grounding()
    reply = finish(widget, before=None, after=None, answers=None)
    practices, journal = saved()
    [row] = practices
    assert reply == {"ok": True, "value": row["id"]}
    assert (row["exercise"], row["pattern"], row["cycles"]) == ("grounding", "5-4-3-2-1", 1)
    assert (row["before"], row["after"], row["duration_s"], row["started_at"]) == (None, None, 95.0, START)
    assert journal == []
    assert widget.status == "Saved: 5-4-3-2-1 grounding, 1 min 35 s."
    assert not widget.error and widget.sessions_saved == 1


def test_ratings_are_saved_when_given():
    widget = Grounding()
    assert isinstance(widget.record_session(START, 60, before=3, after=6), int)
    [row], _ = saved()
    assert (row["before"], row["after"]) == (3, 6)
    assert "Calm before: 3, after: 6" in widget.status


def test_answers_reach_the_journal_only_when_sent_and_blank_ones_are_left_out():
    widget = Grounding()
    widget.record_session(START, 60, answers=["the lamp, a mug", "", "   \n", "coffee", "mint"])
    _, journal = saved()
    assert [e["text"] for e in journal] == ["the lamp, a mug", "coffee", "mint"]
    assert [e["prompt"] for e in journal] == [
        "5-4-3-2-1 grounding: 5 things you can see", "5-4-3-2-1 grounding: 2 things you can smell",
        "5-4-3-2-1 grounding: 1 thing you can taste"]
    assert {e["module"] for e in journal} == {"m03"}
    assert widget.status.endswith("3 answers added to your private journal.")


@pytest.mark.parametrize("content, words", [
    ({"answers": ["a", "b"]}, "list of 5 texts"),
    ({"answers": ["a", 2, "c", "d", "e"]}, 'The answer for "4 things you can touch" must be text'),
    ({"answers": ["\ud800", "", "", "", ""]}, "cannot be saved"),
])
def test_bad_answers_are_reported_and_nothing_is_stored(content, words):
    widget = Grounding()
    reply = finish(widget, **content)
    assert reply["ok"] is False and widget.status.startswith("Not saved") and widget.error
    assert words in widget.status
    assert saved() == ([], [])
    assert widget.sessions_saved == 0


def test_the_status_line_never_shows_what_was_typed():
    widget = Grounding()
    finish(widget, answers=["my private words", 2, "", "", ""])
    assert "private words" not in widget.status


def test_a_journal_problem_after_the_session_is_saved_says_so(monkeypatch):
    widget = Grounding()

    def refuse(*args, **kwargs):
        raise StoreError("Your course data is in use by another program. Nothing was changed.")

    monkeypatch.setattr("course.store.Store.add_journal", refuse, raising=False)
    reply = finish(widget, answers=["the lamp", "", "", "", "mint"])
    practices, journal = saved()
    assert len(practices) == 1 and journal == []
    assert reply["ok"] is True and widget.error
    assert widget.status.startswith("Saved: 5-4-3-2-1 grounding")
    assert "Only 0 of 2 answers reached your journal" in widget.status


# -- both practices with a calm rating ------------------------------------------------

@pytest.fixture(params=sorted(PRACTICES))
def practice(request):
    """(widget, record) for each practice: record(**args) is the page's record_session with the usual details."""
    cls, needs, _ = PRACTICES[request.param]
    widget = cls()
    return widget, lambda **args: finish(widget, **{**needs, **args})


def test_every_trait_explains_itself_and_syncs(practice):
    widget, _ = practice
    own = {n for n in widget.traits() if not n.startswith("_")} - set(anywidget.AnyWidget.class_traits())
    assert own
    for name in own:
        trait = widget.traits()[name]
        assert trait.help, f"{name} has no help text"
        assert trait.metadata.get("sync"), f"{name} is not synced"


@pytest.mark.parametrize("content, words", [
    ({"before": 11}, "'before' rating must be a whole number from 0 to 10"),
    ({"after": -1}, "'after' rating"),
    ({"before": 5.5}, "'before' rating"),
    ({"after": True}, "'after' rating"),
    ({"before": "7"}, "'before' rating"),
    ({"duration_s": -1}, "from 0 seconds to under 24 hours"),
    ({"duration_s": 86_400}, "from 0 seconds to under 24 hours"),
    ({"duration_s": float("nan")}, "from 0 seconds to under 24 hours"),
    ({"started_at": "today"}, "not a date and time"),
    ({"started_at": None}, "start time must be a date and time"),
])
def test_bad_input_is_reported_and_nothing_is_stored(practice, content, words):
    widget, record = practice
    reply = record(**content)
    assert reply["ok"] is False and reply["error"] == widget.status
    assert widget.status.startswith("Not saved") and widget.error
    assert words in widget.status
    assert saved() == ([], [])
    assert widget.sessions_saved == 0


@pytest.mark.parametrize("name", sorted(PRACTICES))
def test_a_store_error_becomes_a_shown_message(monkeypatch, name):
    cls, needs, where = PRACTICES[name]

    def broken():
        raise StoreError("Your course data is in use by another program. Nothing was changed.")

    monkeypatch.setattr(where, broken)
    widget = cls()
    reply = finish(widget, before=4, **needs)
    assert reply["ok"] is False
    assert widget.status == "Not saved: Your course data is in use by another program. Nothing was changed."
    assert widget.error and widget.sessions_saved == 0


def test_other_messages_are_ignored_or_refused(practice):
    widget, _ = practice
    out = sent(widget)
    widget._on_custom_msg(widget, {"type": "finish", "started_at": ISO, "duration_s": 95.0}, [])
    widget._on_custom_msg(widget, "finish", [])
    assert out == [] and widget.status == ""
    assert command(widget, "hello")["ok"] is False and "does not do" in widget.status
    assert saved() == ([], [])


# -- properties: every input that reaches the store ---------------------------------
@given(st.lists(st.text(max_size=300), min_size=5, max_size=5))
def test_typed_answers_round_trip_exactly(answers):
    forget()
    Grounding().record_session(START, 42.5, answers=answers)
    _, journal = saved()
    assert [e["text"] for e in journal] == [a for a in answers if a.strip()]
@given(st.one_of(st.none(), st.integers(-1000, 1000)), st.one_of(st.none(), st.integers(-1000, 1000)))
def test_only_ratings_from_0_to_10_are_stored(practice, before, after):
    forget()
    _, record = practice
    reply = record(before=before, after=after)
    practices, _ = saved()
    if all(v is None or 0 <= v <= 10 for v in (before, after)):
        assert reply["ok"] and isinstance(reply["value"], int)
        assert (practices[0]["before"], practices[0]["after"]) == (before, after)
    else:
        assert not reply["ok"] and practices == []
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 200_000), st.booleans(),
                 st.text(max_size=5)))
def test_only_sensible_lengths_reach_the_store(practice, seconds):
    forget()
    widget, record = practice
    reply = record(duration_s=seconds)
    ok = not isinstance(seconds, (bool, str)) and 0 <= seconds < 86_400
    practices, _ = saved()
    if ok:
        assert reply["ok"] and practices[0]["duration_s"] == float(seconds)
    else:
        assert not reply["ok"] and practices == [] and "from 0 seconds to under 24 hours" in widget.status
