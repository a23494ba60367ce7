"""CheckIn, Python side: saving, and the crisis rule (CONTENT.md safety rule 6) leaving no trace.

A saved rating in `crisis_values` shows the crisis resources in the browser.
Python's part is only to hand the browser the public rule and resources; a
crisis rating must be stored, synced and answered exactly like any other.
"""
import sqlite3

import pytest

from course.safety import load_resources
from course.store import open_store, store_path
from widgets import CheckIn


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
            out[table] = [{k: v for k, v in zip(names, row) if k not in ("at", "created_at", "updated_at")}
                          for row in cursor]
        return out
    finally:
        conn.close()


def watch(widget):
    """Record every trait change and every message the widget sends to the browser."""
    changes, sent = [], []
    widget.observe(lambda change: changes.append(change["name"]))
    widget.send = lambda content, buffers=None: sent.append(content)
    return changes, sent


def save_from_browser(widget, value: int, note: str = "") -> None:
    """What the page sends on "Save check-in": the value and note it shows."""
    widget._on_msg(widget, {"type": "save", "value": value, "note": note}, [])


@pytest.mark.parametrize("gauge, values", [("distress", [9, 10]), ("safety", [0, 1]), ("calm", [0, 1]),
                                           ("trust", []), ("closeness", [])])
def test_the_browser_gets_the_crisis_values_of_its_gauge(gauge, values):
    assert CheckIn(gauge=gauge).crisis_values == values


def test_the_browser_gets_the_public_crisis_resources():
    names = [r["name"] for r in CheckIn(gauge="distress").resources]
    assert names == [r["name"] for r in load_resources("US")["resources"]]
    assert "988 Suicide & Crisis Lifeline" in names and "Find a Helpline" in names


def test_changing_the_gauge_changes_its_crisis_values():
    widget = CheckIn(gauge="trust")
    widget.gauge = "distress"
    assert widget.crisis_values == [9, 10]


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
        changes, sent = watch(widget)
        save_from_browser(widget, value)
        assert widget.crisis_values == rule and widget.resources == resources
        seen[value] = (sorted(set(changes) - {"value"}), sent, widget.error)
        with open_store() as store:
            store.forget()
    assert seen[crisis] == seen[other]
    assert seen[crisis][1] == [{"type": "done", "ok": True}] and seen[crisis][2] is False


def test_saving_the_same_rating_twice_is_answered_both_times():
    """The page clears "Saving…" on the answer, even when no synced trait changed."""
    widget = CheckIn(gauge="calm")
    _changes, sent = watch(widget)
    save_from_browser(widget, 4)
    save_from_browser(widget, 4)
    assert sent == [{"type": "done", "ok": True}] * 2
    assert widget.status == "Saved: 4 out of 10. Only you can see this, on this device."
    with open_store() as store:
        assert [r["value"] for r in store.checkins("calm")] == [4, 4]


def test_a_failed_save_is_answered_as_failed(monkeypatch):
    widget = CheckIn(gauge="distress")
    _changes, sent = watch(widget)
    monkeypatch.setenv("STEADY_GROUND_HOME", "/proc/no-such-place")
    save_from_browser(widget, 9)
    assert sent == [{"type": "done", "ok": False}]
    assert widget.error and widget.status.startswith("Not saved:")


def test_the_value_on_the_page_is_saved_even_when_its_synced_change_is_still_queued():
    """Quick keys on the slider: the page's last state update may arrive after "save"."""
    widget = CheckIn(gauge="safety")
    widget.value = 0  # the state Python last heard of
    save_from_browser(widget, 1, "typed just now")
    with open_store() as store:
        [row] = store.checkins("safety")
    assert (row["value"], row["note"]) == (1, "typed just now")
    assert widget.status == "Saved: 1 out of 10. Only you can see this, on this device."


@pytest.mark.parametrize("content", [{"value": 11}, {"value": -1}, {"value": "9"}, {"value": True},
                                     {"value": 9, "note": 5}])
def test_a_bad_save_message_is_refused_and_nothing_is_stored(content):
    widget = CheckIn(gauge="distress")
    _changes, sent = watch(widget)
    widget._on_msg(widget, {"type": "save", **content}, [])
    assert sent == [{"type": "done", "ok": False}]
    assert widget.error and widget.status.startswith("Not saved:")
    with open_store() as store:
        assert store.checkins() == []
