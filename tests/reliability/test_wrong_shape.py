"""A saved record that is valid JSON but not the shape a widget wrote never stops the widget from opening.

An older or newer version, a hand edit or a half-understood import can leave a record the widget does
not expect: a list for a mapping, a number for a text, a field missing, one too many, nulls inside, huge
numbers. The widget opens anyway, shows what it can read, says on its status line in plain words that
part of what was saved could not be read, and leaves the stored record exactly as it was (byte for
byte, its time too) until the learner saves something new. A record of the right shape opens silently.

The wrong shapes are made from a real record, written by the widget itself: each field in turn, and
each field of the first item of each list, is replaced, dropped or doubled with an unknown one.
"""
from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from pathlib import Path

import pytest

from course.gate import _PAGE_GATES, GATE_KEY, GATE_KIND
from course.store import store_path
from tests.gates import open_gate
from tests.reliability.conftest import size
from widgets import (
    BrakesAndAccelerators,
    OurAgreements,
    ProgressReview,
    Quiz,
    ReconnectionLadder,
    RepairPlanner,
    SafetyCheck,
    SaveNotes,
    TransparencyPlan,
    TriggerPlan,
)

UNREAD = re.compile(r"could not be (read|loaded|opened)", re.IGNORECASE)
MAX_MESSAGE = 200


@pytest.fixture(autouse=True)
def steady_ground_home(monkeypatch, tmp_path):
    """The learner's folder in memory (/dev/shm) when there is one; what is checked here is not durability."""
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else tmp_path) as home:
        monkeypatch.setenv("STEADY_GROUND_HOME", home)
        yield Path(home)


# -- each record-loading widget: how a page builds it, how a learner writes its record, and a new save --

def ladder(partners):
    def write():
        w = ReconnectionLadder(partners=partners)
        w.add_step("A walk together")
        w.add_step("Holding hands")
        if len(partners) == 1:
            w.set_ready(0)
        else:
            w.ask_ready(0), w.answer_ready(1, True), w.answer_ready(2, True), w.finish_round()
        w.add_entry(0, sensations="warm", emotions="calm", safety=7, note="slow")
        w.add_step("Touch with no goal", later=True)
    return write


def plan(partners):
    def write():
        w = TransparencyPlan(partners=partners)
        w.add_item("My plans for the day", how="A text", often="daily")
        w.set_review("2026-12-01", 2)
    return write


def trigger(partners):
    def write():
        TriggerPlan(partners=partners).save(signal="Pause", need="Twenty minutes", you_do="I step out",
                                            reconnect="A hug", talk_time="19:30")
    return write


def agreements():
    OurAgreements().add_agreement("We check in at eight", area="Technology", missed="check-in")


def quiz():
    Quiz("m03").check({"window": [0]})


def brakes():
    w = BrakesAndAccelerators()
    w.add("brake", "Tired after work", 3)
    w.set_present("Tired after work", True)
    w.save()


def repair():
    w = RepairPlanner()
    w.set_name("After the dinner")
    w.set_answer("acknowledge", "I was late")
    w.save()


CASES = {  # name: (kind, key or None for the only record of its kind, write a good record, build, save anew)
    "ladder": ("ladder", "mine", ladder(("Partner A", "Partner B")),
               lambda: ReconnectionLadder(partners=("Partner A", "Partner B")), lambda w: w.add_step("A long hug")),
    "ladder-solo": ("ladder", "mine-solo", ladder(("Me",)), lambda: ReconnectionLadder(partners=("Me",)),
                    lambda w: w.add_step("A slow stretch")),
    "plan": ("transparency-plan", "main", plan(("Partner A", "Partner B")),
             lambda: TransparencyPlan(partners=("Partner A", "Partner B")),
             lambda w: w.add_item("Changes to my plans")),
    "plan-solo": ("transparency-plan", "main-solo", plan(("Me",)), lambda: TransparencyPlan(partners=("Me",)),
                  lambda w: w.add_item("Changes to my plans")),
    "trigger": ("trigger-plan", "main", trigger(("Partner A", "Partner B")),
                lambda: TriggerPlan(partners=("Partner A", "Partner B")), lambda w: w.save(signal="Stop")),
    "trigger-solo": ("trigger-plan", "main-solo", trigger(("Me",)), lambda: TriggerPlan(partners=("Me",)),
                     lambda w: w.save(signal="Stop")),
    "agreements": ("agreements", "main", agreements, OurAgreements, lambda w: w.add_agreement("We talk on Sundays")),
    "quiz": ("quiz", "m03", quiz, lambda: Quiz("m03"), lambda w: w.check({"window": [0]})),
    "brakes": ("brakes-accelerators", "mine", brakes, BrakesAndAccelerators,
               lambda w: (w.add("accelerator", "Feeling close"), w.save())),
    "repair": ("repair-plan", None, repair, RepairPlanner, lambda w: w.save(answers={"ask": "How was it?"})),
}


def record_row(kind: str, key: str | None):
    """The stored record as the file holds it: its key, its JSON text and its times."""
    with sqlite3.connect(store_path()) as conn:
        sql = "SELECT key, data, created_at, updated_at FROM records WHERE kind = ?"
        rows = conn.execute(sql + (" AND key = ?" if key else ""), (kind, key) if key else (kind,)).fetchall()
    assert len(rows) == 1
    return rows[0]


def put_raw(kind: str, key: str, value) -> None:
    """Write a record's JSON text as another version or a hand edit would (the store itself refuses non-mappings)."""
    with sqlite3.connect(store_path()) as conn:
        conn.execute("UPDATE records SET data = ? WHERE kind = ? AND key = ?", (json.dumps(value), kind, key))


READ_AS_NONE = {  # by design these parts read as "none" without a word, and nothing is lost by it
    "partners: missing": "the names are never read back: each page names its partners",
    "agreements[0].added": "a missing or bad day is read as no day, never a reason to drop the agreement",
    "agreements[0].changed": "the same",
    "agreements[0].missed: missing": "an older agreement has no missed line: none",
    "steps[0].later: missing": "an older ladder's steps have no later mark: not a later step",
    "steps[0].diary: missing": "an older ladder's steps may have no diary yet",
}


def read_as_none(what: str) -> bool:
    return any(what == part or what.startswith(part + ":") for part in READ_AS_NONE)


def good_record(case: str):
    kind, key, write, _build, _save = CASES[case]
    open_gate()  # the couples widgets' actions need the check for two taken; the others do not mind
    write()
    key, data, *_ = record_row(kind, key)
    return key, json.loads(data)


BAD = [None, [], {}, "a text", 10 ** 30, -1, 1.5, True, [None], {"?": None}, [[["deep"]]]]
"""Values a field can hold that the widget never wrote: another type than it wrote (a text for a text may be
a good one), or a number out of any range it writes."""


def wrong_for(value) -> list:
    return [bad for bad in BAD if type(bad) is not type(value) or isinstance(bad, int) and bad in (10 ** 30, -1)]


def wrong_shapes(record: dict) -> list[tuple[str, object]]:
    """(what was changed, the whole record): each field replaced, dropped, or joined by an unknown one;
    the same inside the first item of each list; the whole record as a list, a text, a number."""
    shapes = [("whole: list", [record]), ("whole: empty list", []), ("whole: text", "a ladder"),
              ("whole: number", 10 ** 30), ("extra field", {**record, "unknown": {"nested": [None]}})]
    for field, value in record.items():
        shapes.append((f"{field}: missing", {k: v for k, v in record.items() if k != field}))
        shapes += [(f"{field}: {bad!r:.20}", {**record, field: bad}) for bad in wrong_for(value)]
        if isinstance(value, list) and value and isinstance(value[0], dict):
            first = value[0]
            for inner, inner_value in first.items():
                shapes += [(f"{field}[0].{inner}: {bad!r:.20}", {**record, field: [{**first, inner: bad}, *value[1:]]})
                           for bad in wrong_for(inner_value)]
                shapes.append((f"{field}[0].{inner}: missing",
                               {**record, field: [{k: v for k, v in first.items() if k != inner}, *value[1:]]}))
            shapes.append((f"{field}[0]: extra field", {**record, field: [{**first, "unknown": None}, *value[1:]]}))
            shapes.append((f"{field}: a null item", {**record, field: [None, *value]}))
        if isinstance(value, dict):
            for inner in value:
                shapes += [(f"{field}.{inner}: {bad!r:.20}", {**record, field: {**value, inner: bad}})
                           for bad in wrong_for(value[inner])]
    return shapes


def sample(shapes: list, count: int) -> list:
    """Every shape in make test-deep; an even spread of `count` of them in make test."""
    if len(shapes) <= count:
        return shapes
    step = len(shapes) / count
    return [shapes[int(i * step)] for i in range(count)]


def readable(widget) -> None:
    """What the page shows reaches it: every synced trait can be sent as JSON."""
    synced = [name for name in widget.keys if name not in ("_esm", "_css")]
    json.dumps(widget.get_state(synced), allow_nan=False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_record_of_the_right_shape_opens_silently(case):
    kind, key, _write, build, _save = CASES[case]
    key, _record = good_record(case)
    widget = build()
    assert not widget.error and not UNREAD.search(widget.status), widget.status


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_record_of_the_wrong_shape_opens_says_so_and_is_kept_untouched(case):
    kind, _key, _write, build, save = CASES[case]
    key, record = good_record(case)
    failures = []
    for what, shape in sample(wrong_shapes(record), size(25, 10_000)):
        put_raw(kind, key, shape)
        before = record_row(kind, key)
        try:
            widget = build()
            widget.dispatch("refresh", {})
            if case == "repair":  # a saved plan is read when the learner opens it from the list
                assert [plan["key"] for plan in widget.plans] == [key]
                widget.dispatch("open_plan", {"key": key})
            readable(widget)
            status = widget.status
            said = widget.error and UNREAD.search(status) and len(status) <= MAX_MESSAGE and "\n" not in status
            if not said and not read_as_none(what):
                failures.append(f"{what}: the status line says {status!r}")
            if record_row(kind, key) != before:
                failures.append(f"{what}: the stored record changed before anything new was saved")
            if save is not None:
                save(widget)
                assert record_row(kind, key) != before, "a new save replaces what could not be read"
                again = build()
                if again.error:
                    failures.append(f"{what}: after a new save, the widget still says {again.status!r}")
                widget.close(), again.close()
        except Exception as exc:  # noqa: BLE001 (the point: nothing may stop the widget from opening)
            failures.append(f"{what}: {type(exc).__name__}: {str(exc)[:120]}")
    assert not failures, f"{len(failures)} wrong shapes:\n" + "\n".join(failures[:20])


@pytest.mark.parametrize("case, field, shown", [("ladder", "steps", "Holding hands"), ("plan-solo", "items", None),
                                               ("agreements", "agreements", None)])
def test_what_can_be_read_is_shown(case, field, shown):
    """One unreadable item among good ones: the good ones show, the status says the rest could not be read."""
    kind, _key, _write, build, _save = CASES[case]
    key, record = good_record(case)
    good = record[field]
    put_raw(kind, key, {**record, field: [{"text": ["not text"]}, *good]})
    widget = build()
    assert widget.error and UNREAD.search(widget.status)
    kept = getattr(widget, field)
    assert len(kept) == len(good) and (shown is None or kept[1]["text"] == shown)


def test_the_couples_gate_never_opens_on_a_record_it_did_not_write():
    """The gate's record (course/gate.py): any other shape reads as "not checked" or "closed", never "open"
    for longer than a check opens it, and the private check still starts."""
    open_gate()
    _key, record = record_row(GATE_KIND, GATE_KEY)[0], json.loads(record_row(GATE_KIND, GATE_KEY)[1])
    shapes = wrong_shapes(record) + [("open for ever", {"open_until": "9999-12-31T23:59:59+00:00"}),
                                     ("open, no zone", {"open_until": "2099-01-01T00:00:00"}),
                                     ("closed, a number", {"closed_until": 10 ** 30})]
    failures = []
    for what, shape in sample(shapes, size(30, 10_000)):
        put_raw(GATE_KIND, GATE_KEY, shape)
        before = record_row(GATE_KIND, GATE_KEY)
        _PAGE_GATES.clear()  # a new page
        try:
            panel = SafetyCheck()
            view = panel.dispatch("refresh", {})["value"]["view"]
            if view == "open" and what != "extra field":
                failures.append(f"{what}: the gate opened")
            if record_row(GATE_KIND, GATE_KEY) != before:
                failures.append(f"{what}: the record changed before anyone acted")
            started = panel.dispatch("start", {})
            if not started["ok"] and view != "open":
                failures.append(f"{what}: the check for two did not start ({started['error']!r})")
            panel.close()
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{what}: {type(exc).__name__}")
    assert not failures, "\n".join(failures[:20])


def test_the_progress_review_and_save_notes_open_on_wrong_shaped_records():
    """The review reads the solo ladder's diary; Save my notes reads every record: neither stops."""
    good_record("ladder-solo")
    record = json.loads(record_row("ladder", "mine-solo")[1])
    failures = []
    for what, shape in sample(wrong_shapes(record), size(20, 10_000)):
        put_raw("ladder", "mine-solo", shape)
        try:
            review = ProgressReview(weeks=8)
            reviewed = review.dispatch("refresh", {})
            if not reviewed["ok"] and not UNREAD.search(reviewed["error"]):
                failures.append(f"{what}: the review said {reviewed['error']!r}")
            notes = SaveNotes()
            reply = notes.dispatch("notes", {})
            if not reply["ok"] and not UNREAD.search(reply["error"]):
                failures.append(f"{what}: save notes said {reply['error']!r}")
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{what}: {type(exc).__name__}: {str(exc)[:120]}")
    assert not failures, "\n".join(failures[:20])
