"""BreathingPacer, Python side: phases, validation, saving sessions.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
from contextlib import closing
from datetime import UTC, datetime

import anywidget
import pytest
import traitlets

from course.store import StoreError, open_store
from tests.widgets import command, sent
from widgets.breathing import BreathingPacer, patterns

START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def seconds(pacer):
    return [p["seconds"] for p in pacer.phases]


def names(pacer):
    return [p["name"] for p in pacer.phases]


# -- phases ------------------------------------------------------------------

def test_resonance_default_is_five_in_five_out():
    pacer = BreathingPacer()
    assert pacer.pattern == "resonance"
    assert names(pacer) == ["inhale", "exhale"]
    assert seconds(pacer) == [5.0, 5.0]
    assert pacer.minutes == 5 and pacer.session_cycles == 30
    assert pacer.phases[0]["cue"] == "Breathe in gently"


def test_slower_resonance_splits_evenly():
    pacer = BreathingPacer(breaths_per_minute=4.5)
    assert seconds(pacer) == pytest.approx([6.67, 6.67], abs=0.005)
    pacer.breaths_per_minute = 7
    assert sum(seconds(pacer)) == pytest.approx(60 / 7)


def test_cyclic_sigh_has_two_inhales_and_a_long_exhale():
    pacer = BreathingPacer(pattern="cyclic_sigh")
    assert names(pacer) == ["inhale", "top-up inhale", "exhale"]
    inhale, top_up, exhale = seconds(pacer)
    assert top_up < inhale
    assert exhale >= 2 * (inhale + top_up)
    assert "twice through the nose" in pacer.pattern_note


def test_box_is_four_four_four_four():
    pacer = BreathingPacer(pattern="box")
    assert names(pacer) == ["inhale", "hold", "exhale", "hold"]
    assert seconds(pacer) == [4, 4, 4, 4]


def test_478_runs_at_most_four_cycles_whatever_the_length():
    pacer = BreathingPacer(pattern="478", minutes=20)
    assert seconds(pacer) == [4, 7, 8]
    assert pacer.session_cycles == 4
    assert "optional" in pacer.pattern_note
    pacer.max_cycles = 2
    assert pacer.session_cycles == 2


def test_custom_skips_zero_holds_and_updates_when_changed():
    pacer = BreathingPacer(pattern="custom", inhale=4, exhale=6)
    assert names(pacer) == ["inhale", "exhale"]
    pacer.hold_in = 2
    assert names(pacer) == ["inhale", "hold", "exhale"]
    assert seconds(pacer) == [4, 2, 6]
    assert "hold 2 s" in pacer.summary


def test_summary_says_the_pattern_and_length_plainly():
    assert BreathingPacer().summary == (
        "Resonance breathing: 5 s in, 5 s out. 30 cycles, about 5 min.")


# -- validation ----------------------------------------------------------------

@pytest.mark.parametrize("kwargs, words", [
    ({"breaths_per_minute": 8}, "between 4.5 and 7"),
    ({"breaths_per_minute": 4}, "between 4.5 and 7"),
    ({"hold_in": 8}, "0 to 7 seconds"),
    ({"hold_out": -1}, "0 to 7 seconds"),
    ({"inhale": 1}, "between 2 and 10 seconds"),
    ({"exhale": 12}, "between 2 and 10 seconds"),
    ({"minutes": 0}, "1 to 20 whole minutes"),
    ({"minutes": 21}, "1 to 20 whole minutes"),
    ({"pattern": "fast"}, "Unknown breathing pattern"),
    ({"pattern": "478", "max_cycles": 5}, "at most 4 cycles"),
    ({"max_cycles": -1}, "0 or more"),
])
def test_bad_settings_are_refused_in_plain_words(kwargs, words):
    with pytest.raises(traitlets.TraitError, match=words):
        BreathingPacer(**kwargs)


def test_478_cycle_cap_is_checked_both_ways_and_keeps_the_old_value():
    pacer = BreathingPacer(pattern="478")
    with pytest.raises(traitlets.TraitError, match="at most 4 cycles"):
        pacer.max_cycles = 6
    assert pacer.max_cycles == 0
    other = BreathingPacer(max_cycles=6)
    with pytest.raises(traitlets.TraitError, match="at most 4 cycles"):
        other.pattern = "478"
    assert other.pattern == "resonance"


def test_a_refused_value_leaves_the_phases_unchanged():
    pacer = BreathingPacer(pattern="custom")
    before = list(pacer.phases)
    with pytest.raises(traitlets.TraitError):
        pacer.hold_in = 8
    assert pacer.phases == before


def test_pattern_functions_check_every_hold():
    for pattern in patterns.PATTERNS:
        for phase in patterns.phases(pattern):
            if phase["name"] == "hold":
                assert phase["seconds"] <= patterns.MAX_HOLD


# -- saving --------------------------------------------------------------------

def test_record_session_saves_a_row():
    pacer = BreathingPacer(pattern="box")
    row = pacer.record_session(START, 100.0, 6)
    assert isinstance(row, int)
    with closing(open_store()) as store:
        [saved] = store.practices()
    assert saved["exercise"] == "breathing"
    assert saved["pattern"] == "box"
    assert saved["cycles"] == 6
    assert saved["duration_s"] == 100.0
    assert saved["started_at"] == START
    assert pacer.sessions_saved == 1
    assert pacer.status == "Saved: 6 cycles, 1 min 40 s." and not pacer.error


def test_the_page_saves_a_session_with_its_pattern():
    pacer = BreathingPacer()
    reply = command(pacer, "record_session", started_at="2025-03-01T09:30:00.000Z", duration_s=38.1,
                    cycles=2, pattern="478", completed=False)
    with closing(open_store()) as store:
        [saved] = store.practices()
    assert reply == {"ok": True, "value": saved["id"]}
    assert (saved["pattern"], saved["cycles"], saved["started_at"]) == ("478", 2, START)
    assert pacer.status == "Saved (stopped early): 2 cycles, 38 s."


def test_save_false_stores_nothing():
    pacer = BreathingPacer(save=False)
    assert pacer.record_session(START, 300, 30) is None
    with closing(open_store()) as store:
        assert store.practices() == []
    assert pacer.sessions_saved == 0
    assert "nothing was stored" in pacer.status


def test_a_store_error_becomes_a_message_not_a_crash(monkeypatch):
    class Broken:
        def close(self):
            pass

        def add_practice(self, **kwargs):
            raise StoreError("Your course data is in use by another program. Nothing was changed.")

    monkeypatch.setattr("widgets.breathing.open_store", lambda: Broken())
    pacer = BreathingPacer()
    reply = command(pacer, "record_session", started_at=START.isoformat(), duration_s=60, cycles=6)
    assert reply["ok"] is False
    assert pacer.status.startswith("Not saved: Your course data is in use") and pacer.error
    assert reply["error"] == pacer.status
    assert pacer.sessions_saved == 0


@pytest.mark.parametrize("content, words", [
    ({"started_at": "yesterday", "duration_s": 60, "cycles": 6}, "not a date and time"),
    ({"started_at": "2025-03-01T09:30:00Z", "duration_s": -5, "cycles": 6}, "from 0 seconds to under 24 hours"),
    ({"started_at": "2025-03-01T09:30:00Z", "duration_s": 60, "cycles": "six"}, "cycles must be a whole number"),
    ({"started_at": "2025-03-01T09:30:00Z", "duration_s": 95, "cycles": 5, "pattern": "478"}, "at most 4"),
    ({"started_at": "2025-03-01T09:30:00Z", "duration_s": 95, "cycles": 5, "pattern": "hyper"}, "Unknown"),
])
def test_bad_messages_are_reported_and_nothing_is_saved(content, words):
    pacer = BreathingPacer()
    reply = command(pacer, "record_session", **content)
    assert reply["ok"] is False and pacer.error
    assert pacer.status.startswith("Not saved")
    assert words in pacer.status
    with closing(open_store()) as store:
        assert store.practices() == []


def test_less_than_one_cycle_is_not_saved():
    pacer = BreathingPacer()
    assert pacer.record_session(START, 4.0, 0, completed=False) is None
    assert "shorter than one full cycle" in pacer.status
    with closing(open_store()) as store:
        assert store.practices() == []


def test_other_messages_are_ignored_or_refused():
    pacer = BreathingPacer()
    out = sent(pacer)
    pacer._on_custom_msg(pacer, {"type": "session", "started_at": "2025-03-01T09:30:00Z",
                                 "duration_s": 60, "cycles": 6}, [])
    pacer._on_custom_msg(pacer, ["not", "a", "dict"], [])
    assert out == [] and pacer.status == "" and pacer.sessions_saved == 0
    assert command(pacer, "hello")["ok"] is False
    with closing(open_store()) as store:
        assert store.practices() == []


def test_state_only_takes_known_values():
    pacer = BreathingPacer()
    pacer.state = "running"
    with pytest.raises(traitlets.TraitError, match="idle"):
        pacer.state = "sprinting"


def test_every_trait_explains_itself_and_syncs():
    pacer = BreathingPacer()
    own = {n for n in pacer.traits() if not n.startswith("_")} - set(anywidget.AnyWidget.class_traits())
    assert own, "no traits found"
    for name in own:
        trait = pacer.traits()[name]
        assert trait.help, f"{name} has no help text"
        assert trait.metadata.get("sync"), f"{name} is not synced"


def test_css_is_the_theme_plus_the_pacer_look():
    css = BreathingPacer._css
    assert ".sg-widget" in css and ".sg-pacer-shape" in css
