"""The couples gate (CONTENT.md safety rule 1): two private turns, one shared result.

Partner A and partner B share one device. These tests play both of them.
"""
import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest

from course.gate import (
    CLOSED_TEXT,
    GATE_KEY,
    GATE_KIND,
    OPEN_DAYS,
    QUESTIONS,
    SITTING_HOURS,
    CouplesGate,
    GateError,
    assess,
)
from course.store import StoreError, open_store
from tests.gates import CLEAR, CONCERN, FakeStore, take_check

OPTIONS = {q["id"]: [value for value, _label in q["options"]] for q in QUESTIONS}
EVERY_ANSWER = [dict(zip(OPTIONS, combo, strict=True)) for combo in itertools.product(*OPTIONS.values())]
THERAPIST = {"tension": "a-lot", "arguments": "great-difficulty", "harmed": "no", "afraid": "no"}


def expected(a: dict) -> str:
    """The rule, written out once more in the plainest way."""
    if a["harmed"] in ("yes", "not-sure") or a["afraid"] in ("yes", "sometimes"):
        return "concern"
    if a["tension"] == "a-lot" and a["arguments"] == "great-difficulty":
        return "therapist"
    return "clear"


def test_the_questions_are_the_ones_the_course_promises():
    texts = [q["text"] for q in QUESTIONS]
    assert ("Has your partner ever hit, pushed, choked or physically hurt you, threatened you, pressured or forced "
            "you into sexual activity, or controlled your money, friends or where you go?") in texts
    assert "Are you afraid of what your partner might do if you disagree or say no?" in texts
    assert not any("ever hurt you," in t or "your phone" in t for t in texts)  # every betrayed partner was "hurt"


@pytest.mark.parametrize("answers", EVERY_ANSWER, ids=lambda a: "-".join(a.values()))
def test_one_persons_answers_for_every_combination(answers):
    assert assess(answers) == expected(answers)


def test_every_pair_of_answers_for_both_partners_opens_only_when_both_are_clear(clock):
    """81 x 81 answer pairs, plus "not today" from either partner, each on a device of its own."""
    turns = [*EVERY_ANSWER, None]
    for first, second in itertools.product(turns, turns):
        records = {}
        gate = CouplesGate(store=lambda records=records: FakeStore(records), now=clock)
        opened = take_check(first, second, gate)
        both_clear = first is not None and second is not None and expected(first) == expected(second) == "clear"
        assert opened is both_clear, (first, second)
        assert gate.status() == ("open" if both_clear else "closed")
        # What the device keeps says nothing about anyone's answers, and a closed record
        # is the one the close button writes.
        (kept,) = records.values()
        assert set(kept) == ({"open_until"} if both_clear else {"closed_until", "mark"})


def test_partner_a_concern_then_partner_b_clear_stays_closed(new_page):
    gate = new_page()
    check = gate.begin_check()
    check.answer(CONCERN)
    assert gate.status() == "checking" and not gate.is_open()
    check.answer(CLEAR)
    assert check.finish() is False
    assert gate.status() == "closed" and gate.text() == CLOSED_TEXT


def test_one_partner_alone_cannot_open_them(new_page):
    check = new_page().begin_check()
    check.answer(CLEAR)
    with pytest.raises(GateError, match="each of you answers"):
        check.finish()


@pytest.mark.parametrize("hour", [0, 3, 8, 13, 19, 23])
def test_a_close_lasts_into_another_day_and_at_least_12_hours(hour):
    now = datetime(2026, 11, 26, hour, 30).astimezone()     # local time, as the learner lives it
    end = CouplesGate().sitting_end(now.astimezone(UTC)).astimezone()
    assert end - now >= timedelta(hours=SITTING_HOURS)

    def day(t):                                                # a night up past midnight is still that day
        return (t - timedelta(hours=4)).date()

    assert day(end) > day(now)                                 # "another day": never the same evening
    assert end - now <= timedelta(hours=24)


def test_a_concern_holds_for_the_sitting_on_every_page_and_nobody_can_lift_it(new_page, clock):
    gate = new_page()
    take_check(CLEAR, CONCERN, gate)
    with pytest.raises(GateError, match="another day"):
        gate.begin_check()                       # not on this page
    other = new_page()                               # nor on another module's page
    assert other.status() == "closed"
    with pytest.raises(GateError):
        other.begin_check()
    end = gate.sitting_end(clock.now)
    clock.now = end - timedelta(seconds=1)
    assert new_page().status() == "closed"
    clock.later(seconds=2)                       # a later sitting: a new check for two can open them
    later = new_page()
    assert later.status() == "unchecked"
    assert take_check(CLEAR, CLEAR, later) is True


def test_an_unfinished_check_leaves_them_closed(new_page):
    gate = new_page()
    gate.begin_check().answer(CONCERN)           # the tab is closed before partner B's turn
    assert new_page().status() == "closed"


def test_either_partner_can_close_them_at_any_time_without_a_reason(new_page):
    gate = new_page()
    take_check(CLEAR, CLEAR, gate)
    assert new_page().is_open()
    new_page().close()                               # from any couples widget, on any page
    assert gate.status() == "closed" and new_page().status() == "closed"
    with pytest.raises(GateError):
        gate.begin_check()


def test_closing_during_a_check_wins_over_two_clear_answers(new_page):
    gate = new_page()
    check = gate.begin_check()
    check.answer(CLEAR)
    new_page().close()                               # someone closes them from another page meanwhile
    check.answer(CLEAR)
    assert check.finish() is False and gate.status() == "closed"


def test_closed_looks_the_same_whatever_closed_it(new_page, clock):
    seen = []
    for how in ("concern", "therapist", "not today", "button", "unfinished"):
        clock.later(days=1, hours=1)               # a later sitting each time
        gate = new_page()
        if how == "button":
            take_check(CLEAR, CLEAR, gate)
            gate.close()
        elif how == "unfinished":
            gate.begin_check().answer(CLEAR)
            gate = new_page()
        else:
            take_check({"concern": CONCERN, "therapist": THERAPIST}.get(how), CLEAR, gate)
        with open_store() as store:
            record = store.get_record(GATE_KIND, GATE_KEY)
        seen.append((gate.status(), gate.text(), sorted(record)))
    assert len(set(map(str, seen))) == 1, seen


def test_open_is_remembered_for_14_days_only(new_page, clock):
    take_check(CLEAR, CLEAR, new_page())
    clock.later(days=OPEN_DAYS - 1)
    assert new_page().is_open()
    clock.later(days=1, seconds=1)
    assert new_page().status() == "unchecked"


def test_module_7_always_asks_again(new_page):
    take_check(CLEAR, CLEAR, new_page())
    touch = new_page()
    touch.ask_again = True
    assert touch.status() == "unchecked"         # a remembered "open" is not enough here
    assert take_check(CLEAR, CLEAR, touch) is True and touch.is_open()


def test_nothing_of_the_answers_reaches_the_store_or_the_log(new_page, caplog):
    caplog.set_level("DEBUG")
    answers = {"tension": "a-lot", "arguments": "great-difficulty", "harmed": "not-sure", "afraid": "sometimes"}
    take_check(answers, CLEAR, new_page())
    with open_store() as store:
        everything = json.dumps(store.records(), default=str)
    for value in ("a-lot", "great-difficulty", "not-sure", "sometimes", "concern", "therapist"):
        assert value not in everything and value not in caplog.text


def test_pages_hear_every_change(new_page):
    gate = new_page()
    heard = []
    gate.observe(heard.append)
    take_check(CLEAR, CLEAR, gate)
    gate.close()
    assert heard == ["checking", "open", "closed"]


def test_an_unreadable_store_never_opens_them(tmp_path, monkeypatch, new_page):
    bad = tmp_path / "home"
    bad.mkdir()
    (bad / "steady-ground.sqlite3").write_bytes(b"not a database" * 100)
    monkeypatch.setenv("STEADY_GROUND_HOME", str(bad))
    gate = new_page()
    assert gate.status() == "unchecked"
    with pytest.raises(GateError, match="could not start.*stay closed"):
        gate.begin_check()
    assert gate.status() == "closed" and not gate.is_open()


class ReadOnly(FakeStore):
    """A device that can be read (an earlier "open" is on it) but no longer written."""

    def put_record(self, *_args):
        raise StoreError("The data folder is read-only.")

    swap_record = put_record


def test_a_device_that_cannot_save_never_opens_and_says_a_close_did_not_reach_other_pages(clock):
    records = {}
    take_check(CLEAR, CLEAR, CouplesGate(store=lambda: FakeStore(records), now=clock))   # open, earlier today
    gate = CouplesGate(store=lambda: ReadOnly(records), now=clock)
    assert gate.is_open()
    with pytest.raises(GateError, match="could not save it.*read-only"):
        gate.close()                                   # the person is told plainly...
    assert gate.status() == "closed"                   # ...and this page is closed all the same
    other = CouplesGate(store=lambda: ReadOnly(records), now=clock)
    assert other.is_open()                             # the limit the message warns about
    with pytest.raises(GateError, match="could not start"):
        other.begin_check()                            # and no new check where "closed" cannot be kept


def test_a_check_that_cannot_save_open_stays_closed(clock):
    records = {}
    gate = CouplesGate(store=lambda records=records: FakeStore(records), now=clock)
    check = gate.begin_check()
    check.answer(CLEAR)
    check.answer(CLEAR)
    gate._store = lambda: ReadOnly(records)            # the disk fills up before the result
    with pytest.raises(GateError, match="could not save"):
        check.finish()
    assert gate.status() == "closed"


def test_in_a_workshop_couples_exercises_are_for_home(monkeypatch):
    monkeypatch.setenv("STEADY_GROUND_WORKSHOP", "1")
    gate = CouplesGate()
    assert gate.status() == "closed" and gate.text() == CLOSED_TEXT
    with pytest.raises(GateError, match="done at home"):
        gate.begin_check()


def test_bad_answers_are_refused_in_plain_words_and_keep_the_turn(new_page):
    check = new_page().begin_check()
    with pytest.raises(ValueError, match="still to answer: 3, 4"):
        check.answer({"tension": "some", "arguments": "some-difficulty"})
    with pytest.raises(ValueError, match="not one of the answers"):
        check.answer({**CLEAR, "afraid": "<b>no</b>"})
    assert check.turn == 1


def test_an_old_remembered_concern_is_deleted_when_the_store_opens(tmp_path):
    """Before the check for two, "Remember my result" could keep "concern" on the device."""
    import sqlite3

    from course.store import MIGRATIONS, Store

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statement in (s for m in MIGRATIONS[:3] for s in m):
        conn.execute(statement)
    conn.execute("INSERT INTO records (kind, key, data, created_at, updated_at) VALUES "
                 "('safety-check', 'latest', '{\"result\": \"concern\"}', '2026-01-01', '2026-01-01')")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.records() == []
    assert b"concern" not in path.read_bytes()
