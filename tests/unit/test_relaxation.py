"""MuscleRelaxation (progressive muscle relaxation), Python side: settings, steps, saving.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
from datetime import datetime, timezone

import anywidget
import pytest
import traitlets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course.store import StoreError, open_store
from widgets import MuscleRelaxation
from widgets.relaxation import GROUPS, SAFETY

START = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
ISO = "2025-03-01T09:30:00.000Z"
EVERY_EXAMPLE = settings(max_examples=40, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture])


def practices():
    with open_store() as store:
        return store.practices()


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


@EVERY_EXAMPLE
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_timings_are_only_ever_in_range(tense, release):
    ok = 5 <= tense <= 7 and 30 <= release <= 40
    try:
        widget = MuscleRelaxation(tense_s=tense, release_s=release)
    except traitlets.TraitError:
        assert not ok
    else:
        assert ok and (widget.tense_s, widget.release_s) == (tense, release)


def test_every_trait_explains_itself_and_syncs():
    widget = MuscleRelaxation()
    own = {n for n in widget.traits() if not n.startswith("_")} - set(anywidget.AnyWidget.class_traits())
    for name in own:
        trait = widget.traits()[name]
        assert trait.help, f"{name} has no help text"
        assert trait.metadata.get("sync"), f"{name} is not synced"


# -- saving ------------------------------------------------------------------------

def test_a_finished_session_is_saved_with_groups_as_cycles():
    widget = MuscleRelaxation()
    widget._on_msg(widget, {"type": "session", "started_at": ISO, "duration_s": 240.0, "groups_done": 6,
                            "completed": True, "before": None, "after": None}, [])
    [row] = practices()
    assert (row["exercise"], row["pattern"], row["cycles"], row["duration_s"]) == ("muscle-relaxation", "pmr", 6, 240.0)
    assert (row["before"], row["after"], row["started_at"]) == (None, None, START)
    assert widget.status_message == "Saved: 6 muscle groups, 4 min."
    assert widget.sessions_saved == 1 and not widget.status_error


def test_a_stopped_session_with_ratings_is_saved_as_stopped_early():
    widget = MuscleRelaxation()
    assert isinstance(widget.record_session(START, 85.3, 2, completed=False, before=7, after=4), int)
    [row] = practices()
    assert (row["cycles"], row["before"], row["after"]) == (2, 7, 4)
    assert widget.status_message == "Saved (stopped early): 2 muscle groups, 1 min 25 s. Calm before: 7, after: 4 (out of 10)."


def test_less_than_one_group_saves_nothing():
    widget = MuscleRelaxation()
    assert widget.record_session(START, 12, 0, completed=False) is None
    assert practices() == [] and "no muscle group was finished" in widget.status_message


@pytest.mark.parametrize("content, words", [
    ({"before": 11}, "'before' rating must be a whole number from 0 to 10"),
    ({"after": -3}, "'after' rating"),
    ({"after": 2.5}, "'after' rating"),
    ({"groups_done": 7}, "does not look right"),
    ({"groups_done": "2"}, "does not look right"),
    ({"duration_s": -1}, "does not look right"),
    ({"started_at": None}, "start time is missing"),
])
def test_bad_messages_are_reported_and_nothing_is_stored(content, words):
    widget = MuscleRelaxation()
    widget._on_msg(widget, {"type": "session", "started_at": ISO, "duration_s": 80, "groups_done": 2, **content}, [])
    assert widget.status_message.startswith("Not saved") and widget.status_error
    assert words in widget.status_message
    assert practices() == []


def test_a_store_error_becomes_a_shown_message(monkeypatch):
    class Broken:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def add_practice(self, **kwargs):
            raise StoreError("Your course data file is damaged. Nothing was changed.")

    monkeypatch.setattr("widgets.relaxation.open_store", Broken)
    widget = MuscleRelaxation()
    assert widget.record_session(START, 80, 2) is None
    assert widget.status_message == "Not saved: Your course data file is damaged. Nothing was changed."
    assert widget.status_error and widget.sessions_saved == 0


@EVERY_EXAMPLE
@given(st.one_of(st.none(), st.integers(-50, 50)), st.one_of(st.none(), st.integers(-50, 50)),
       st.integers(-3, 9))
def test_only_valid_ratings_and_group_counts_reach_the_store(before, after, done):
    with open_store() as store:
        store.forget()
    row = MuscleRelaxation().record_session(START, 100, done, before=before, after=after)
    ok = all(v is None or 0 <= v <= 10 for v in (before, after)) and 1 <= done <= 6
    rows = practices()
    if ok:
        assert isinstance(row, int) and (rows[0]["before"], rows[0]["after"], rows[0]["cycles"]) == (before, after, done)
    else:
        assert row is None and rows == []


@EVERY_EXAMPLE
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 200_000), st.booleans(), st.text(max_size=5)))
def test_only_sensible_lengths_reach_the_store(seconds):
    with open_store() as store:
        store.forget()
    widget = MuscleRelaxation()
    row = widget.record_session(START, seconds, 1)
    ok = not isinstance(seconds, (bool, str)) and 0 < seconds < 86_400
    rows = practices()
    if ok:
        assert isinstance(row, int) and rows[0]["duration_s"] == float(seconds)
    else:
        assert row is None and rows == [] and "does not look right" in widget.status_message
