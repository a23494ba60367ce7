"""CheckIn, Python side: what a learner does (save a rating, with or without a note)
and what they keep (their check-ins, the trend on their own local days), the
crisis rule (CONTENT.md safety rule 6) leaving no trace, and problems said in words.

A saved rating in `crisis_values` shows the crisis resources in the browser.
Python's part is only to hand the browser the public rule and resources; a
crisis rating must be stored, synced and answered exactly like any other.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
import base64
import sqlite3
import time
from datetime import UTC, datetime

import pytest

from course.safety import load_resources
from course.store import StoreError, open_store, store_path
from tests.widgets import command, sent
from widgets import CheckIn

SAVED = "Only you can see this, on this device."


def snapshot() -> dict:
    """Every table of the learner's store, without the time stamps."""
    if not store_path().exists():
        return {}
    conn = sqlite3.connect(f"file:{store_path()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {}
        for table in tables:
            cursor = conn.execute(f"SELECT * FROM {table}")  # noqa: S608 - names from sqlite_master
            names = [d[0] for d in cursor.description]
            out[table] = [{k: v for k, v in zip(names, row, strict=True) if k not in ("at", "created_at", "updated_at")}
                          for row in cursor]
        return out
    finally:
        conn.close()


def kept(gauge: str | None = None) -> list[tuple]:
    """What the store keeps: (gauge, value, note, UTC time) of each check-in, oldest first."""
    with open_store() as store:
        return [(r["gauge"], r["value"], r["note"], r["at"]) for r in store.checkins(gauge)]


def save_from_browser(widget, value, note: str = "", **more) -> dict:
    """What the page sends on "Save check-in": the value and note it shows. Returns the reply."""
    return command(widget, "save", value=value, note=note, **more)


@pytest.fixture
def los_angeles(monkeypatch):
    """This computer's clock set to Los Angeles (UTC-8 in winter), for the length of one test."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# -- saving a rating ------------------------------------------------------------

def test_a_new_check_in_shows_its_question_and_no_trend_yet():
    widget = CheckIn(gauge="calm", label="How calm do you feel right now?", low="Not calm at all", high="Completely")
    assert (widget.label, widget.low, widget.high, widget.value) == ("How calm do you feel right now?",
                                                                     "Not calm at all", "Completely", 5)
    assert widget.saved_count == 0 and widget.chart_png == "" and widget.chart_alt == "No calm check-ins yet."
    assert widget.status == "" and not widget.error and kept() == []


def test_saving_a_rating_without_a_note_keeps_the_rating_alone():
    widget = CheckIn(gauge="calm")
    reply = save_from_browser(widget, 7)
    [(gauge, value, note, at)] = kept()
    assert reply == {"ok": True, "value": 1}
    assert (gauge, value, note) == ("calm", 7, None)
    assert abs((datetime.now(UTC) - at).total_seconds()) < 60, "saved now, kept in UTC"
    assert widget.status == f"Saved: 7 out of 10. {SAVED}" and not widget.error
    assert widget.value == 7 and widget.saved_count == 1
    assert base64.b64decode(widget.chart_png).startswith(b"\x89PNG")
    assert "latest 7 out of 10" in widget.chart_alt


@pytest.mark.parametrize("note, stored", [("slept badly, calmer after the walk", "slept badly, calmer after the walk"),
                                          ("  <b>tense</b> 🌱 שלום\n", "<b>tense</b> 🌱 שלום"),
                                          ("   \n ", None)])
def test_saving_a_rating_with_a_note_keeps_the_note_as_typed(note, stored):
    widget = CheckIn(gauge="distress")
    widget.note = "what a notebook put in the box"
    assert save_from_browser(widget, 3, note)["ok"]
    assert kept() == [("distress", 3, stored, kept()[0][3])]
    assert widget.note == "", "a kept note leaves the box"
    assert widget.status == f"Saved: 3 out of 10. {SAVED}"


def test_a_notebook_saves_with_the_same_method():
    widget = CheckIn(gauge="trust", note="from the notebook")
    assert widget.save(6) == 1
    assert kept() == [("trust", 6, "from the notebook", kept()[0][3])]


def test_saving_the_same_rating_twice_is_answered_both_times():
    """The page clears "Saving…" on the answer, even when no synced trait changed."""
    widget = CheckIn(gauge="calm")
    assert save_from_browser(widget, 4) == {"ok": True, "value": 1}
    assert save_from_browser(widget, 4) == {"ok": True, "value": 2}
    assert widget.status == f"Saved: 4 out of 10. {SAVED}"
    assert [value for _g, value, _n, _a in kept("calm")] == [4, 4] and widget.saved_count == 2


def test_the_value_on_the_page_is_saved_even_when_its_synced_change_is_still_queued():
    """Quick keys on the slider: the page's last state update may arrive after "save"."""
    widget = CheckIn(gauge="safety")
    widget.value = 0  # the state Python last heard of
    save_from_browser(widget, 1, "typed just now")
    assert [(value, note) for _g, value, note, _a in kept("safety")] == [(1, "typed just now")]
    assert widget.value == 1 and widget.status == f"Saved: 1 out of 10. {SAVED}"


@pytest.mark.parametrize("args, words", [
    ({"value": 11}, "A rating must be a whole number from 0 to 10; got 11."),
    ({"value": -1}, "A rating must be a whole number from 0 to 10; got -1."),
    ({"value": "9"}, "A rating must be a whole number from 0 to 10; got '9'."),
    ({"value": True}, "A rating must be a whole number from 0 to 10; got True."),
    ({"value": 7.5}, "A rating must be a whole number from 0 to 10; got 7.5."),
    ({"value": None}, "A rating must be a whole number from 0 to 10; got None."),
    ({"value": 9, "note": 5}, "A note must be text; got int."),
    ({"value": 9, "at": "yesterday"}, "The check-in time 'yesterday' is not a date and time."),
])
def test_a_bad_save_is_refused_in_words_and_nothing_is_stored(args, words):
    widget = CheckIn(gauge="distress")
    before = widget.value
    reply = command(widget, "save", **args)
    assert reply == {"ok": False, "error": f"Not saved: {words}"}
    assert widget.error and widget.status == f"Not saved: {words}"
    assert kept() == [] and widget.saved_count == 0 and widget.value == before
    with pytest.raises(ValueError, match="^" + words.split(";")[0]):
        widget.save(**args)


def test_a_rating_outside_0_to_10_cannot_be_set_either():
    widget = CheckIn(gauge="calm")
    with pytest.raises(ValueError, match="from 0 to 10"):
        widget.value = 12
    with pytest.raises(ValueError, match="gauge name"):
        CheckIn(gauge="Calm right now")
    with pytest.raises(ValueError, match="empty"):
        CheckIn(gauge="calm", label=" ")
    assert widget.value == 5 and kept() == []


# -- the trend: the learner's own days ------------------------------------------

def test_the_trend_after_several_check_ins_across_days():
    widget = CheckIn(gauge="calm")
    for day, value in [(3, 4), (4, 6), (6, 2), (9, 8)]:
        assert save_from_browser(widget, value, at=f"2026-02-{day:02d}T09:30")["ok"]
    with open_store() as store:
        store.add_checkin("distress", 10)  # another gauge: not in this trend
    assert CheckIn(gauge="calm").chart_alt == widget.chart_alt == (
        "Line chart of your calm check-ins: 4 from Feb 3, 2026 to Feb 9, 2026. "
        "Lowest 2, highest 8, latest 8 out of 10.")
    assert widget.saved_count == 4 and base64.b64decode(widget.chart_png).startswith(b"\x89PNG")


def test_a_check_in_made_earlier_goes_into_its_place_in_the_trend():
    widget = CheckIn(gauge="calm")
    save_from_browser(widget, 5, at="2026-02-10T09:00")
    save_from_browser(widget, 1, at="2026-02-01T09:00")  # from the paper scale, entered later
    assert widget.chart_alt.endswith("2 from Feb 1, 2026 to Feb 10, 2026. Lowest 1, highest 5, latest 5 out of 10.")


@pytest.mark.parametrize("times, utc, span", [
    # 23:50 and 00:10 in Los Angeles: two local days, one UTC day (07:50 and 08:10 on 4 March).
    (["2026-03-03T23:50", "2026-03-04T00:10"], ["2026-03-04T07:50", "2026-03-04T08:10"],
     "2 from Mar 3, 2026 to Mar 4, 2026."),
    # 15:50 and 16:10 in Los Angeles: one local day, two UTC days (23:50 on 5 March, 00:10 on 6 March).
    (["2026-03-05T15:50", "2026-03-05T16:10"], ["2026-03-05T23:50", "2026-03-06T00:10"],
     "2 from Mar 5, 2026."),
    # The same moments sent with their zone: the same days.
    (["2026-03-04T07:50:00Z", "2026-03-04T08:10:00+00:00"], ["2026-03-04T07:50", "2026-03-04T08:10"],
     "2 from Mar 3, 2026 to Mar 4, 2026."),
])
def test_check_ins_around_midnight_count_on_the_learners_local_day(los_angeles, times, utc, span):
    """The store keeps UTC; the trend shows the learner's own days (a time without a zone is local)."""
    widget = CheckIn(gauge="distress")
    for value, at in zip((6, 3), times, strict=True):
        assert save_from_browser(widget, value, at=at)["ok"]
    assert [at for *_rest, at in kept()] == [datetime.fromisoformat(u).replace(tzinfo=UTC) for u in utc]
    assert widget.chart_alt == f"Line chart of your distress check-ins: {span} Lowest 3, highest 6, latest 3 out of 10."


def test_a_check_in_just_after_local_midnight_is_today_not_yesterday(los_angeles):
    widget = CheckIn(gauge="calm")
    save_from_browser(widget, 2, at=datetime(2026, 1, 15, 0, 5))  # 08:05 UTC
    save_from_browser(widget, 7, at=datetime(2026, 1, 15, 23, 55))  # 07:55 UTC the next day
    assert "2 from Jan 15, 2026. Lowest 2" in widget.chart_alt


# -- crisis rule: the public rule and resources reach the page; a crisis rating leaves no other trace ----------

@pytest.mark.parametrize("gauge, values", [("distress", [9, 10]), ("safety", [0, 1]), ("calm", [0, 1]),
                                           ("trust", []), ("closeness", [])])
def test_the_browser_gets_the_crisis_values_of_its_gauge(gauge, values):
    assert CheckIn(gauge=gauge).crisis_values == values


def test_the_crisis_rule_and_resources_are_synced_to_the_page():
    widget = CheckIn(gauge="distress")
    state = widget.get_state()
    names = [r["name"] for r in state["resources"]]
    assert names == [r["name"] for r in load_resources("US")["resources"]]
    assert "988 Suicide & Crisis Lifeline" in names and "Find a Helpline" in names
    assert state["crisis_values"] == [9, 10]
    assert all(widget.trait_metadata(name, "sync") for name in ("resources", "crisis_values"))


def test_changing_the_gauge_changes_its_crisis_values_and_trend():
    with open_store() as store:
        store.add_checkin("distress", 9)
    widget = CheckIn(gauge="trust")
    assert widget.saved_count == 0
    widget.gauge = "distress"
    assert widget.crisis_values == [9, 10] and widget.saved_count == 1 and "latest 9" in widget.chart_alt


def test_a_crisis_rating_is_stored_as_exactly_the_same_row_as_any_rating():
    with open_store() as store:
        store.add_checkin("distress", 3, None)
        store.add_journal("an older note", module="m01")
        store.put_record("plan", "mine", {"step": 1})
    widget = CheckIn(gauge="distress")
    before = snapshot()
    save_from_browser(widget, 9, "rough night")
    after = snapshot()
    assert after["checkins"] == [*before["checkins"], {"id": 2, "gauge": "distress", "value": 9, "note": "rough night"}]
    del before["checkins"], after["checkins"]
    assert after == before, "nothing else is written"


@pytest.mark.parametrize("gauge, crisis, other", [("distress", 9, 8), ("distress", 10, 5), ("safety", 1, 2),
                                                  ("calm", 0, 7)])
def test_saving_a_crisis_rating_changes_nothing_synced_that_another_rating_does_not(gauge, crisis, other):
    """No trait and no reply records that the resources were shown; the browser decides that alone."""
    seen = {}
    for value in (crisis, other):
        widget = CheckIn(gauge=gauge)
        widget.saved_count = 5  # the same starting point for both saves
        rule, resources = list(widget.crisis_values), list(widget.resources)
        changes = []
        widget.observe(lambda change, changes=changes: changes.append(change["name"]))
        out = sent(widget)
        reply = save_from_browser(widget, value)
        assert widget.crisis_values == rule and widget.resources == resources
        seen[value] = (sorted(set(changes) - {"value"}), out, reply["ok"], widget.error)
        with open_store() as store:
            store.forget()
    assert seen[crisis] == seen[other]
    assert seen[crisis][1:] == ([], True, False)


# -- what the page may ask, and problems in words ---------------------------------

def test_an_unknown_action_is_refused_in_words_and_nothing_is_stored():
    widget = CheckIn(gauge="calm")
    out = sent(widget)
    widget._on_custom_msg(widget, {"type": "save", "value": 3, "note": ""}, [])  # an old page's message: left alone
    assert out == [] and kept() == []
    reply = command(widget, "delete_everything")
    assert reply["ok"] is False and "does not do" in reply["error"] and widget.error
    assert command(widget, "save", value=3, colour="blue")["ok"] is False
    assert kept() == []


def test_a_damaged_store_is_reported_in_words_and_nothing_is_lost(steady_ground_home):
    widget = CheckIn(gauge="calm")
    save_from_browser(widget, 6, "before the damage")
    damaged = b"this is not a database" * 100
    (steady_ground_home / "steady-ground.sqlite3").write_bytes(damaged)
    for name in ("steady-ground.sqlite3-wal", "steady-ground.sqlite3-shm"):
        (steady_ground_home / name).unlink(missing_ok=True)

    reply = save_from_browser(widget, 2, "written after")
    assert reply["ok"] is False and reply["error"] == widget.status and widget.error
    assert widget.status.startswith("Not saved: Your course data file is damaged")
    assert "left exactly as it is" in widget.status
    assert widget.saved_count == 1 and widget.value == 6, "nothing changes as if it were saved"
    with pytest.raises(StoreError, match="damaged"):
        widget.save(2, "written after")

    assert command(widget, "refresh")["ok"] is False
    assert widget.status.startswith("Your past check-ins could not be shown: Your course data file is damaged")
    assert widget.chart_png == "" and widget.chart_alt == ""
    again = CheckIn(gauge="calm")  # a new visit says so too, and does not fail
    assert again.error and again.status.startswith("Your past check-ins could not be shown:")
    assert (steady_ground_home / "steady-ground.sqlite3").read_bytes() == damaged, "the file is left for recovery"


def test_a_save_that_cannot_reach_the_data_folder_says_so(monkeypatch):
    widget = CheckIn(gauge="distress")
    monkeypatch.setenv("STEADY_GROUND_HOME", "/proc/no-such-place")
    reply = save_from_browser(widget, 9)
    assert reply["ok"] is False and widget.error and widget.status.startswith("Not saved:")


def test_a_first_visit_keeps_pandas_and_matplotlib_out_of_the_kernel(steady_ground_home):
    """Lean kernels (issue 9): with nothing to draw, the page's kernel loads no chart library;
    the first check-in draws the trend and loads them then."""
    import os
    import subprocess
    import sys

    code = ("import sys; from widgets import SafetyBar, CheckIn; w = CheckIn(gauge='trust', label='Trust?'); "
            "loaded = lambda: sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules); print(loaded()); "
            "w.save(value=6); print(loaded(), bool(w.chart_png), w.saved_count)")
    env = {**os.environ, "STEADY_GROUND_HOME": str(steady_ground_home)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.splitlines() == ["[]", "['matplotlib', 'pandas'] True 1"]
