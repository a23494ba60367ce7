"""MuscleRelaxation (progressive muscle relaxation), Python side: settings, steps, saving.

What it checks like grounding does (ratings, lengths, start times, store problems, traits) is
tested for both in test_grounding.py. conftest.py points STEADY_GROUND_HOME at a temporary folder.
"""
import pytest
import traitlets
from hypothesis import given
from hypothesis import strategies as st

from course.store import open_store
from tests.widgets import command
from widgets import MuscleRelaxation
from widgets.relaxation import GROUPS, SAFETY


def practices():
    with open_store() as store:
        return store.practices()


def save(widget, **args):
    """The page's record_session at the end of a session, with these changes."""
    return command(widget, "record_session", **{"started_at": "2025-03-01T09:30:00Z", "duration_s": 80,
                                                 "groups_done": 2, **args})

# -- settings and steps ------------------------------------------------------------

def test_defaults_are_six_groups_hands_to_feet():
    widget = MuscleRelaxation()
    assert (widget.tense_s, widget.release_s) == (6.0, 30.0)
    assert [s["name"] for s in widget.steps] == [
        "Hands and forearms", "Upper arms", "Shoulders", "Face", "Stomach", "Legs and feet"]
    first = widget.steps[0]
    assert first["tense"].startswith("Make a fist") and first["release"].startswith("Now let go")
    for step in widget.steps:
        assert step["tense"] and step["release"].startswith("Now let go")


def test_the_safety_line_is_shown_word_for_word():
    assert MuscleRelaxation().safety == SAFETY == (
        "Tense gently, not to the point of pain. Skip any part that is hurt or sore.")


def test_a_short_version_keeps_the_order_given_and_updates_the_steps():
    widget = MuscleRelaxation(groups=["shoulders", "hands"], tense_s=5, release_s=40)
    assert [s["key"] for s in widget.steps] == ["shoulders", "hands"]
    widget.groups = ["face"]
    assert [s["name"] for s in widget.steps] == ["Face"]


@pytest.mark.parametrize("kwargs, words", [
    ({"tense_s": 4.9}, "Tensing must last 5 to 7 seconds"),
    ({"tense_s": 8}, "Tensing must last 5 to 7 seconds"),
    ({"tense_s": float("nan")}, "Tensing"),
    ({"release_s": 29}, "Letting go must last 30 to 40 seconds"),
    ({"release_s": 41}, "Letting go must last 30 to 40 seconds"),
    ({"groups": []}, "one or more of hands"),
    ({"groups": ["hands", "neck"]}, "one or more of hands"),
    ({"groups": ["face", "face"]}, "each once"),
])
def test_bad_settings_are_refused_in_plain_words(kwargs, words):
    with pytest.raises(traitlets.TraitError, match=words):
        MuscleRelaxation(**kwargs)


def test_a_refused_change_keeps_the_old_value():
    widget = MuscleRelaxation()
    with pytest.raises(traitlets.TraitError):
        widget.release_s = 10
    with pytest.raises(traitlets.TraitError):
        widget.groups = ["toes"]
    assert widget.release_s == 30 and len(widget.steps) == len(GROUPS)
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_timings_are_only_ever_in_range(tense, release):
    ok = 5 <= tense <= 7 and 30 <= release <= 40
    try:
        widget = MuscleRelaxation(tense_s=tense, release_s=release)
    except traitlets.TraitError:
        assert not ok
    else:
        assert ok and (widget.tense_s, widget.release_s) == (tense, release)


# -- saving ------------------------------------------------------------------------

def test_a_finished_session_is_saved_with_groups_as_cycles():
    widget = MuscleRelaxation()
    reply = save(widget, duration_s=240.0, groups_done=6, completed=True, before=None, after=None)
    [row] = practices()
    assert reply == {"ok": True, "value": row["id"]}
    assert (row["exercise"], row["pattern"], row["cycles"], row["duration_s"]) == ("muscle-relaxation", "pmr", 6, 240.0)
    assert (row["before"], row["after"], row["started_at"].isoformat()) == (None, None, "2025-03-01T09:30:00+00:00")
    assert widget.status == "Saved: 6 muscle groups, 4 min."
    assert widget.sessions_saved == 1 and not widget.error


def test_a_stopped_session_with_ratings_is_saved_as_stopped_early():
    widget = MuscleRelaxation()
    assert isinstance(widget.record_session("2025-03-01T09:30:00Z", 85.3, 2, completed=False, before=7, after=4), int)
    [row] = practices()
    assert (row["cycles"], row["before"], row["after"]) == (2, 7, 4)
    assert widget.status == "Saved (stopped early): 2 muscle groups, 1 min 25 s. Calm before: 7, after: 4 (out of 10)."


def test_less_than_one_group_saves_nothing():
    widget = MuscleRelaxation()
    assert widget.record_session("2025-03-01T09:30:00Z", 12, 0, completed=False) is None
    assert practices() == [] and "no muscle group was finished" in widget.status


@pytest.mark.parametrize("groups, done", [(None, 7), (None, -1), (["face", "hands"], 3), (None, "2"), (None, 2.0)])
def test_more_groups_than_the_session_had_are_refused(groups, done):
    widget = MuscleRelaxation(groups=groups)
    reply = save(widget, groups_done=done)
    assert reply["ok"] is False and widget.error
    assert widget.status.startswith("Not saved: The number of muscle groups done must be a whole number from 0 to")
    assert practices() == []
@given(st.integers(-3, 9))
def test_only_group_counts_the_session_can_have_reach_the_store(done):
    with open_store() as store:
        store.forget()
    reply = save(MuscleRelaxation(), groups_done=done)
    rows = practices()
    if 1 <= done <= 6:
        assert reply["ok"] and rows[0]["cycles"] == done
    else:
        assert rows == [] and reply["ok"] == (done == 0)
