"""Times on a computer that is not on UTC: the store and the export keep UTC, people read local time.

Each test runs with the process's time zone set to a zone west of UTC (Los Angeles)
and one east of it with a half-hour offset (Kolkata), so code that mixes local time
and UTC up gives a wrong answer here. Expected values are written out by hand.

What is local and what is UTC:
- the store keeps every time as ISO 8601 UTC text and gives back UTC datetimes;
- ``course.validate.moment`` takes a time without a zone as this computer's local time;
- the journal's "when" and "edited" are the reader's local time;
- a close of the couples exercises lasts 12 hours and into 4 a.m. local time of another day;
- the export writes UTC, and says so.
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone

import pytest

from course import store as store_mod
from course import validate
from course.gate import CouplesGate

LA, KOLKATA = "America/Los_Angeles", "Asia/Kolkata"
OFFSET = {LA: timedelta(hours=-8), KOLKATA: timedelta(hours=5, minutes=30)}  # in November and early March
T0 = datetime(2026, 3, 3, 20, 2, tzinfo=UTC)


@pytest.fixture(params=[LA, KOLKATA])
def zone(request, monkeypatch):
    """Run the test with the process's local time zone set to this one (restored afterwards)."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    try:
        if datetime(2026, 11, 26, 12).astimezone().utcoffset() != OFFSET[request.param]:
            pytest.fail(f"this machine has no time zone data for {request.param}")
        yield request.param
    finally:
        monkeypatch.undo()
        time.tzset()


def stored_at(when: datetime):
    """Make the store's clock say `when` (UTC) for the writes that follow."""
    return lambda: validate.utc_text(when)


# -- course.validate.moment


def test_a_time_without_a_zone_is_local_time(zone):
    for value in (datetime(2026, 11, 26, 9, 0), "2026-11-26T09:00", "2026-11-26 09:00:00"):
        moment = validate.moment(value)
        assert moment.utcoffset() == OFFSET[zone], value
        assert (moment.hour, moment.minute) == (9, 0)
    assert validate.utc_text(datetime(2026, 11, 26, 9, 0)) == {
        LA: "2026-11-26T17:00:00.000000+00:00", KOLKATA: "2026-11-26T03:30:00.000000+00:00"}[zone]


def test_a_time_with_a_zone_keeps_it(zone):
    assert validate.moment("2026-11-26T09:00Z") == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert validate.moment("2026-11-26T09:00+01:00").utcoffset() == timedelta(hours=1)
    assert validate.utc_text("2026-11-26T09:00:00+01:00") == "2026-11-26T08:00:00.000000+00:00"


# -- the store keeps UTC


def test_the_store_keeps_utc_and_gives_back_utc(zone, store):
    local_nine = datetime(2026, 11, 26, 9, 0)  # as a notebook might pass it: no zone, so local
    store.add_checkin("calm", 5, at=local_nine)
    store.add_practice("breathing", "box", started_at=T0, duration_s=60, cycles=4)
    with closing(sqlite3.connect(store.path)) as conn:
        (kept,) = conn.execute("SELECT at FROM checkins").fetchone()
        (started,) = conn.execute("SELECT started_at FROM practices").fetchone()
    expected = {LA: datetime(2026, 11, 26, 17, 0, tzinfo=UTC), KOLKATA: datetime(2026, 11, 26, 3, 30, tzinfo=UTC)}[zone]
    assert kept == expected.isoformat(timespec="microseconds")
    assert started == "2026-03-03T20:02:00.000000+00:00"
    at = store.checkins()[0]["at"]
    assert at == expected and at.utcoffset() == timedelta(0)
    assert store.practices()[0]["started_at"] == T0


def test_the_store_stamps_writes_in_utc(zone, store):
    before = datetime.now(UTC)
    store.add_journal("A note.", module="m00")
    created = store.journal_entries()[0]["created_at"]
    assert created.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=5) <= created <= datetime.now(UTC) + timedelta(seconds=5)


# -- the journal shows local time


def test_the_journal_says_when_in_local_time(zone, store, monkeypatch):
    from widgets import Journal

    monkeypatch.setattr(store_mod, "_now", stored_at(T0))
    entry = store.add_journal("First words.", module="m00")
    monkeypatch.setattr(store_mod, "_now", stored_at(T0 + timedelta(hours=3)))
    store.update_journal(entry, "First words, changed.")
    journal = Journal(module="m00", prompts=["What made you open this course today?"])
    shown = journal.entries[0]
    assert shown["when"] == {LA: "3 Mar 2026, 12:02", KOLKATA: "4 Mar 2026, 01:32"}[zone]
    assert shown["edited"] == {LA: "3 Mar 2026, 15:02", KOLKATA: "4 Mar 2026, 04:32"}[zone]
    journal.close()


# -- the couples gate: a close lasts into another day, by the clock on the wall


@pytest.mark.parametrize("wall, expected_wall", [
    ("2026-11-26 15:00", "2026-11-27 04:00"),  # 12 hours would end at 3 a.m.: 4 a.m. the next day
    ("2026-11-26 02:00", "2026-11-26 14:00"),  # after midnight: 12 hours, past 4 a.m. the same day
    ("2026-11-26 20:30", "2026-11-27 08:30"),  # 12 hours go past 4 a.m. of the next day
])
def test_a_close_lasts_twelve_hours_and_into_4_am_local_time(zone, wall, expected_wall):
    now = datetime.fromisoformat(wall).replace(tzinfo=timezone(OFFSET[zone])).astimezone(UTC)
    end = CouplesGate(now=lambda: now).sitting_end(now)
    expected = datetime.fromisoformat(expected_wall).replace(tzinfo=timezone(OFFSET[zone]))
    assert end == expected and end.utcoffset() == timedelta(0)


def test_a_close_made_the_evening_clocks_go_back_still_lasts_until_4_am(monkeypatch):
    """Los Angeles, 31 October 2026, 15:30 PDT; clocks go back at 2 a.m.: 4 a.m. PST is 12:00 UTC."""
    monkeypatch.setenv("TZ", LA)
    time.tzset()
    try:
        now = datetime(2026, 10, 31, 22, 30, tzinfo=UTC)
        assert CouplesGate(now=lambda: now).sitting_end(now) == datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_close_made_the_evening_clocks_go_forward_lasts_until_4_am(monkeypatch):
    """Los Angeles, 7 March 2026, 20:00 PST; clocks go forward at 2 a.m.: 4 a.m. PDT is 11:00 UTC."""
    monkeypatch.setenv("TZ", LA)
    time.tzset()
    try:
        now = datetime(2026, 3, 8, 4, 0, tzinfo=UTC)
        assert CouplesGate(now=lambda: now).sitting_end(now) == datetime(2026, 3, 8, 16, 0, tzinfo=UTC)  # 12 h
        late = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 23:30 PST: 12 h is later than 4 a.m.
        assert CouplesGate(now=lambda: late).sitting_end(late) == late + timedelta(hours=12)
        night = datetime(2026, 3, 7, 20, 0, tzinfo=UTC)  # 12:00 PST: 4 a.m. PDT next day is after 12 h
        assert CouplesGate(now=lambda: night).sitting_end(night) == datetime(2026, 3, 8, 11, 0, tzinfo=UTC)
    finally:
        monkeypatch.undo()
        time.tzset()


# -- the export writes UTC and says so


def test_the_export_writes_utc_and_says_so(zone, store, monkeypatch, tmp_path):
    monkeypatch.setattr(store_mod, "_now", stored_at(T0))
    store.add_checkin("calm", 5, at=T0)
    store.add_practice("breathing", "box", started_at=T0 + timedelta(minutes=1), duration_s=60, cycles=4)
    store.add_journal("Evening words.", module="m00")
    store.put_record("quiz", "m00", {"answers": [1]})
    json_path, md_path = store.export(tmp_path)

    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["exported_at"] == "2026-03-03T20:02:00.000000+00:00"
    assert data["checkins"][0]["at"] == "2026-03-03T20:02:00+00:00"
    assert data["practices"][0]["started_at"] == "2026-03-03T20:03:00+00:00"
    assert data["journal"][0]["created_at"] == "2026-03-03T20:02:00+00:00"
    assert data["records"][0]["updated_at"] == "2026-03-03T20:02:00+00:00"

    markdown = md_path.read_text(encoding="utf-8")
    assert "Exported 2026-03-03 20:02 UTC." in markdown
    assert "| when (UTC) |" in markdown and "| 2026-03-03 20:02 |" in markdown
    assert "| started (UTC) |" in markdown and "| 2026-03-03 20:03 |" in markdown
    assert "### 2026-03-03 20:02 (m00)" in markdown
    assert "(saved 2026-03-03 20:02)" in markdown
    local = T0.astimezone().strftime("%Y-%m-%d %H:%M")
    assert local not in markdown  # no local time slipped in
