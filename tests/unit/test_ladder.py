"""ReconnectionLadder: the readiness round, later steps, the diary, the couples gate, saving."""
import json
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.gate import CLOSED_TEXT, UNCHECKED_TEXT
from course.store import open_store
from tests.gates import close_gate, open_gate
from tests.widgets import command, sent
from widgets.ladder import (
    BACK_MESSAGE,
    FIRST_STEPS,
    LATER_AGAIN,
    LATER_STEPS,
    NOT_NOW,
    SOLO_LATER_STEPS,
    ReconnectionLadder,
    solo_diary_ratings,
)

COUPLE = ("Sam", "Alex")
PERFORMANCE = ("arousal", "orgasm", "duration", "success", "erection", "climax", "minutes")


@pytest.fixture
def couple():
    open_gate()
    return ReconnectionLadder(partners=COUPLE)


def saved(key="mine"):
    with open_store() as store:
        return store.get_record("ladder", key)


def synced(widget) -> dict:
    """What the page, and a saved notebook's widget state, hold (but the front end and the layout's own id)."""
    return {k: v for k, v in widget.get_state().items() if k not in ("_esm", "_css", "layout")}


def ask(ladder, index, *answers, finish=True) -> list[dict]:
    """The page's requests for one round: ask, one answer per turn (True = yes), then the result."""
    replies = [command(ladder, "ask_ready", index=index)]
    replies += [command(ladder, "answer_ready", turn=turn, ready=yes) for turn, yes in enumerate(answers, 1)]
    if finish:
        replies.append(command(ladder, "finish_round"))
    return replies


def open_step(ladder, index):
    """Open the next step as the page does: the solo "I'm ready", or a round where both say yes."""
    if ladder.solo:
        assert command(ladder, "set_ready", index=index)["ok"]
    else:
        assert ask(ladder, index, True, True)[-1]["value"]["open"] is True
    assert ladder.opened == index + 1


# -- the couple's round: private turns on one screen, one shared result

def test_both_yes_opens_the_step_one_turn_after_the_other(couple):
    couple.add_step("A walk together")
    replies = ask(couple, 0, True, True)
    assert replies[:3] == [{"ok": True, "value": {"round": "turn", "turn": 1, "step": 0}},
                           {"ok": True, "value": {"round": "turn", "turn": 2, "step": 0, "done": 1}},
                           {"ok": True, "value": {"round": "answered", "step": 0, "done": 2}}]
    assert replies[3] == {"ok": True, "value": {"round": "result", "step": 0, "open": True,
                                                "text": "Step 1 is open.", "more": replies[3]["value"]["more"]}}
    assert "step back at any time" in replies[3]["value"]["more"]
    assert couple.opened == 1 and saved()["opened"] == 1
    assert couple.status == "Step 1 is open. Saved on this device only."


def test_any_not_yet_gives_one_neutral_result_whoever_said_it():
    """The result is the same words, and leaves the same page, store and status, whoever said not yet."""
    open_gate()
    seen = set()
    for answers in [(False, True), (True, False), (False, False)]:
        with open_store() as store:
            store.delete_record("ladder", "mine")
        ladder = ReconnectionLadder(partners=COUPLE)
        ladder.add_step("A long hug")
        replies = ask(ladder, 0, *answers)
        assert replies[-1]["value"]["text"] == NOT_NOW
        assert NOT_NOW == "Not this time. You stay where you are. No one needs to say why."
        assert replies[-1]["value"]["open"] is False and ladder.opened == 0
        seen.add(json.dumps([replies, synced(ladder), saved()], sort_keys=True))
        ladder.close()
    assert len(seen) == 1


def test_what_each_turn_leaves_is_the_same_whatever_was_answered():
    """Until the shared result, every reply, the synced state, the store and the status line are the same
    for a yes and a not yet: the partner whose turn comes next learns nothing from the screen."""
    open_gate()
    seen = set()
    for answers in product((True, False), repeat=2):
        with open_store() as store:
            store.delete_record("ladder", "mine")
        ladder = ReconnectionLadder(partners=COUPLE)
        ladder.add_step("Holding hands")
        trail = []
        for reply in ask(ladder, 0, *answers, finish=False):
            trail.append([reply, synced(ladder), saved()])
        seen.add(json.dumps(trail, sort_keys=True))
        ladder.close()
    assert len(seen) == 1


def test_no_single_answer_is_kept_in_the_page_the_store_or_the_status(couple):
    couple.add_step("A walk together")
    couple.add_step("Holding hands")
    open_step(couple, 0)
    before, record = synced(couple), saved()
    command(couple, "ask_ready", index=1)
    asked = synced(couple)
    assert asked == {**before, "status": ""}                   # asking clears an old line, nothing more
    command(couple, "answer_ready", turn=1, ready=True)
    assert synced(couple) == asked and saved() == record
    command(couple, "answer_ready", turn=2, ready=False)
    assert synced(couple) == asked and saved() == record
    command(couple, "finish_round")
    text = json.dumps([synced(couple), saved()])
    assert "ready" not in text.replace("only if we are both ready", "")  # no flag, no name beside an answer
    assert not any(name in couple.status for name in COUPLE) and couple.status == ""
    assert all(set(step) == {"text", "diary", "later"} for step in couple.steps + saved()["steps"])


@pytest.mark.parametrize("answer", ["false", "yes", 1, None])
def test_only_a_real_yes_or_not_yet_counts(couple, answer):
    """Text or a number from the page is never an answer, and the turn does not move on."""
    couple.add_step("A walk together")
    command(couple, "ask_ready", index=0)
    status = couple.status
    reply = command(couple, "answer_ready", turn=1, ready=answer)
    assert reply["ok"] is False and "true or false" in reply["error"]
    assert couple.status == status and couple.error is False   # a round's problem stays in the reply
    assert command(couple, "answer_ready", turn=1, ready=True)["value"]["done"] == 1
    assert command(couple, "answer_ready", turn=1, ready=True)["ok"] is False  # turn 1 is over
    assert couple.opened == 0


def test_either_partner_can_stop_asking_at_any_time(couple):
    couple.add_step("A long hug")
    for answers in [(), (True,), (True, True)]:
        ask(couple, 0, *answers, finish=False)
        assert command(couple, "cancel_round") == {"ok": True, "value": None}
        reply = command(couple, "finish_round")
        assert reply["ok"] is False and "No one is being asked now" in reply["error"]
        assert couple.opened == 0 and couple.status == ""
    assert ask(couple, 0, True, True)[-1]["value"]["open"] is True  # stopping is not a "not yet"


def test_a_not_yet_is_not_asked_again_on_this_page(couple):
    couple.add_step("A long hug")
    ask(couple, 0, True, False)
    reply = command(couple, "ask_ready", index=0)
    assert reply == {"ok": False, "error": "Not this time for step 1. You can ask again another day."}
    assert couple.status == ""
    another_day = ReconnectionLadder(partners=COUPLE)
    assert ask(another_day, 0, True, True)[-1]["value"]["open"] is True


def test_steps_above_the_next_one_stay_locked(couple):
    for text in ("A ten-minute talk", "Holding hands", "A long hug"):
        couple.add_step(text)
    assert "still locked" in command(couple, "ask_ready", index=2)["error"]
    open_step(couple, 0)
    assert "already open" in command(couple, "ask_ready", index=0)["error"]
    assert couple.opened == 1


def test_a_change_to_the_ladder_ends_the_round(couple):
    couple.add_step("A walk together")
    ask(couple, 0, True, finish=False)
    couple.edit_step(0, "A walk by the river")
    assert command(couple, "answer_ready", turn=2, ready=True)["ok"] is False
    assert couple.opened == 0


def test_the_couple_ladder_has_no_ready_box_and_the_solo_one_no_round(couple):
    couple.add_step("A walk together")
    reply = command(couple, "set_ready", index=0)
    assert reply["ok"] is False and "own turn" in reply["error"] and couple.opened == 0
    solo = ReconnectionLadder(partners=("Me",))
    solo.add_step("A slow bath")
    assert command(solo, "ask_ready", index=0)["ok"] is False and solo.opened == 0


def test_step_back_needs_no_reason_and_no_round(couple):
    couple.add_step("A walk together")
    couple.add_step("Holding hands")
    open_step(couple, 0)
    open_step(couple, 1)
    assert command(couple, "step_back") == {"ok": True, "value": None}
    assert couple.opened == 1 and couple.status.startswith(BACK_MESSAGE)
    assert ask(couple, 1, True, False)[-1]["value"]["open"] is False   # both are asked again
    couple.step_back()
    with pytest.raises(ValueError, match="nothing to step back"):
        couple.step_back()
    assert couple.opened == 0


def test_closing_couples_exercises_ends_the_round_and_the_later_steps_open_for_now(couple):
    couple.add_step("A walk together")
    couple.add_step(LATER_STEPS[0], later=True)
    couple.add_step(LATER_STEPS[1], later=True)
    open_step(couple, 0)
    open_step(couple, 1)
    ask(couple, 2, True, finish=False)                          # a round going on
    couple.close_couples()                                      # either of you, any time, no reason
    assert couple.opened == 1
    assert command(couple, "answer_ready", turn=2, ready=True) == {"ok": False, "gate": True, "error": ""}


def test_solo_opens_with_one_and_ignores_the_gate():
    close_gate()
    solo = ReconnectionLadder(partners=("Me",))
    assert solo.is_open
    solo.add_step("A slow bath")
    solo.set_ready(0)
    assert solo.opened == 1 and saved("mine-solo")["opened"] == 1
def test_a_step_that_could_not_be_saved_does_not_stay_on_the_page(couple, monkeypatch):
    from course.store import Store, StoreError

    couple.add_step("A walk together")
    def full_disk(*_args, **_kwargs):
        raise StoreError("The disk is full.")
    monkeypatch.setattr(Store, "put_record", full_disk)
    reply = command(couple, "add_step", text="Holding hands")
    assert reply == {"ok": False, "error": "Not saved: The disk is full."}
    assert [s["text"] for s in couple.steps] == ["A walk together"]  # what is really kept
    assert couple.error and couple.status == reply["error"]


def test_diary_has_no_performance_fields_and_checks_ratings(couple):
    couple.add_step("A back rub with clothes on")
    open_step(couple, 0)
    couple.add_entry(0, sensations="warm hands", emotions="shy, then calm", safety=7)
    [entry] = couple.steps[0]["diary"]
    assert set(entry) == {"sensations", "emotions", "safety", "note", "when"}
    assert not any(word in key for key in entry for word in PERFORMANCE)
    for bad in (-1, 11, 5.5, "7", True, None):
        with pytest.raises(ValueError, match="0 to 10"):
            couple.add_entry(0, safety=bad)
    assert len(couple.steps[0]["diary"]) == 1


def test_diary_only_for_open_steps(couple):
    couple.add_step("Holding hands")
    with pytest.raises(ValueError, match="not open yet"):
        couple.add_entry(0, sensations="x", safety=5)


def test_a_couples_diary_entry_adds_no_check_in_and_stays_out_of_the_review(couple):
    """REVIEW H4: the shared diary is not one person's record; its ratings go nowhere else."""
    couple.add_step("A long hug")
    open_step(couple, 0)
    couple.add_entry(0, sensations="pressure", safety=2, note="just for me")
    with open_store() as store:
        assert store.checkins() == []
        assert solo_diary_ratings(store) == []
    assert couple.steps[0]["diary"][0]["safety"] == 2  # kept in the diary itself


def test_the_solo_diary_feeds_the_review_from_its_own_record_only():
    """The solo diary is one person's: the progress review reads its ratings, no check-in is copied."""
    solo = ReconnectionLadder(partners=("Me",))
    solo.add_step("A warm bath")
    open_step(solo, 0)
    solo.add_entry(0, sensations="warm water", safety=7)
    solo.add_entry(0, emotions="calm", safety=9)
    with open_store() as store:
        assert store.checkins() == []
        ratings = solo_diary_ratings(store)
    assert [r["value"] for r in ratings] == [7, 9]
    assert all(r["at"].utcoffset().total_seconds() == 0 for r in ratings)
    solo.remove_entry(0, 0)  # removed from the diary, so gone from the review as well
    with open_store() as store:
        assert [r["value"] for r in solo_diary_ratings(store)] == [9]


@pytest.mark.parametrize("close", [False, True])
def test_closed_gate_shows_the_neutral_line_for_couples(close):
    if close:
        close_gate()
    ladder = ReconnectionLadder(partners=COUPLE)
    told = sent(ladder)
    assert command(ladder, "refresh") == {"ok": True, "value": None}
    assert told[0] == {"type": "gate", "open": False, "solo": False,
                       "text": CLOSED_TEXT if close else UNCHECKED_TEXT}
    with pytest.raises(ValueError, match="solo version is below"):
        ladder.add_step("A walk together")
    ladder.use_solo()
    assert ladder.partners == ["Me"] and ladder.is_open
    ladder.add_step("A walk on my own")


def test_gate_changes_reach_the_widget_live_and_either_partner_can_close(monkeypatch):
    ladder = ReconnectionLadder(partners=COUPLE)
    other = ReconnectionLadder(partners=COUPLE)
    told = []
    monkeypatch.setattr(other, "send", told.append)
    before = ladder.get_state()
    open_gate()
    assert ladder.is_open and told[-1]["open"] is True
    assert ladder.get_state() == before          # the gate is never part of the synced state
    assert command(ladder, "close_couples")["ok"]                    # one button, no reason
    assert not other.is_open and told[-1] == {"type": "gate", "open": False, "solo": False, "text": CLOSED_TEXT}
    other.close()
    count = len(told)
    ladder.close_couples()
    assert len(told) == count                    # a closed widget stops listening


def test_save_and_reload(couple):
    couple.add_step("A ten-minute talk")
    couple.add_step("Sitting close while watching something")
    open_step(couple, 0)
    ask(couple, 1, True, finish=False)                      # a round left half done is never kept
    couple.add_entry(0, emotions="relief", safety=6)
    again = ReconnectionLadder(partners=COUPLE)
    assert again.steps == couple.steps and again.opened == 1
    assert command(again, "answer_ready", turn=2, ready=True)["ok"] is False
    assert saved()["partners"] == list(COUPLE)


def test_step_validation(couple):
    for bad in ("", "   ", "x" * 201, 5):
        with pytest.raises(ValueError):
            couple.add_step(bad)
    for i in range(30):
        couple.add_step(f"Step {i}")
    with pytest.raises(ValueError, match="at most 30"):
        couple.add_step("One more")
    couple.edit_step(0, "Changed")
    couple.remove_step(1)
    assert couple.steps[0]["text"] == "Changed" and len(couple.steps) == 29


def test_messages_from_the_browser_report_errors(couple):
    reply = command(couple, "add_step", text="")
    assert reply == {"ok": False, "error": "Not saved: A step is empty; write something first."}
    assert couple.error and couple.status == reply["error"] and couple.steps == []
    assert command(couple, "add_step", text="A walk") == {"ok": True, "value": 0}
    assert couple.steps[0]["text"] == "A walk" and not couple.error
    assert [r["ok"] for r in ask(couple, 0, True, True)] == [True] * 4 and couple.opened == 1
    reply = command(couple, "add_entry", index=0, sensations="warm", emotions="", safety=11, note="")
    assert reply["ok"] is False and reply["error"].startswith("Not saved: How safe it felt must be")
    assert couple.steps[0]["diary"] == [] and saved()["steps"][0]["diary"] == []
    assert command(couple, "step_back")["ok"] and couple.opened == 0 and couple.status.startswith(BACK_MESSAGE)
    assert command(couple, "open_everything")["ok"] is False     # only what the class marks as an action


ODD = st.text(min_size=1, max_size=200).filter(lambda s: s.strip())
NO_STORE_RESET = settings(max_examples=25)  # the shared profile (tests/unit/conftest.py), fewer examples


@NO_STORE_RESET
@given(step=ODD, sensations=st.text(max_size=300), rating=st.integers(0, 10))
def test_odd_text_round_trips_exactly(step, sensations, rating):
    with open_store() as store:
        store.delete_record("ladder", "mine-solo")  # one tmp folder serves every example (solo record)
    ladder = ReconnectionLadder(partners=("Me",))
    ladder.add_step(step)
    ladder.set_ready(0)
    ladder.add_entry(0, sensations=sensations, safety=rating)
    again = ReconnectionLadder(partners=("Me",))
    assert again.steps[0]["text"] == step
    assert again.steps[0]["diary"][-1]["sensations"] == sensations


@NO_STORE_RESET
@given(rating=st.one_of(st.integers(max_value=-1), st.integers(min_value=11), st.floats(), st.booleans()))
def test_ratings_outside_0_to_10_store_nothing(rating):
    ladder = ReconnectionLadder(partners=("Me",))
    if not ladder.steps:
        ladder.add_step("A walk")
        ladder.set_ready(0)
    before, diary = saved(), list(ladder.steps[0]["diary"])
    with open_store() as store:
        checkins = len(store.checkins("safety"))
    with pytest.raises(ValueError):
        ladder.add_entry(0, sensations="x", safety=rating)
    assert saved() == before and ladder.steps[0]["diary"] == diary
    with open_store() as store:
        assert len(store.checkins("safety")) == checkins


def test_solo_and_couple_ladders_on_one_page_do_not_share_steps():
    """Module 7 shows both: a step opened alone must never open the couple's ladder."""
    from course.gate import CouplesGate

    gate = CouplesGate()
    open_gate(gate)
    couple = ReconnectionLadder(partners=("Sam", "Alex"), gate=gate)
    solo = ReconnectionLadder(partners=("Me",), gate=gate)
    solo.add_step("A walk on my own")
    open_step(solo, 0)
    assert ReconnectionLadder(partners=("Sam", "Alex"), gate=gate).steps == couple.steps == []
    assert ReconnectionLadder(partners=("Me",), gate=gate).steps[0]["text"] == "A walk on my own"


def test_a_refused_action_while_closed_says_nothing_in_the_synced_status():
    ladder = ReconnectionLadder(partners=COUPLE)
    told = sent(ladder)
    assert command(ladder, "add_step", text="A walk") == {"ok": False, "gate": True, "error": ""}
    assert ladder.status == "" and ladder.error is False          # the gate's words never become a trait
    assert told == [{"type": "gate", "open": False, "solo": False, "text": UNCHECKED_TEXT}]
    assert ladder.steps == [] and saved() is None


def test_either_partner_can_delete_the_couples_ladder_while_closed_without_a_check():
    open_gate()
    couple = ReconnectionLadder(partners=COUPLE)
    couple.add_step("A long hug")
    open_step(couple, 0)
    couple.add_entry(0, sensations="our shared words", safety=6)
    couple.close_couples()                                           # someone wants it to stop
    assert saved()["steps"]
    assert command(couple, "forget_couple") == {"ok": True, "value": None}
    assert saved() is None and couple.steps == []
    assert couple.status == "Deleted from this device."


# -- later steps (REVIEW M6): genital touch, arousal, sex; each only if both want it, and only for now

INTERCOURSE = LATER_STEPS[-1]


def test_the_ideas_offer_shared_rituals_first_and_sex_only_among_the_later_steps(couple):
    """Source 000: cooking, a shared bath with no sex, dancing or a game; the way back to sex is there, kept apart."""
    rituals = ("Cooking a meal together", "A shared bath, with no sex", "Dancing in the kitchen, or playing a game")
    assert set(rituals) <= set(couple.suggestions)
    assert not any("genitals" in s and "leaving out" not in s for s in couple.suggestions)
    assert not any("arousal allowed" in s or "orgasm" in s or "Intercourse" in s for s in couple.suggestions)
    assert any("arousal allowed" in s for s in couple.later_suggestions)
    assert any("orgasm" in s for s in couple.later_suggestions)
    assert "only if we are both ready" in INTERCOURSE


def test_a_later_step_opens_only_when_both_say_yes_and_only_for_this_sitting(couple):
    couple.add_step("A long hug")
    assert couple.add_step(INTERCOURSE, later=True) == 1
    assert couple.later_from == 1 and "both say yes, each on your own turn" in couple.status
    assert LATER_AGAIN == "Later steps are asked again each time, because a yes is only for now."
    assert LATER_AGAIN in couple.status
    open_step(couple, 0)
    assert ask(couple, 1, True, False)[-1]["value"]["open"] is False  # one yes is not enough
    sitting = ReconnectionLadder(partners=COUPLE)                      # the same ladder, a new page
    result = ask(sitting, 1, True, True)[-1]["value"]
    assert result["open"] is True and result["text"] == "Step 2 is open for now."
    assert LATER_AGAIN in result["more"] and sitting.opened == 2
    assert saved()["opened"] == 1                                      # never saved as open
    assert command(sitting, "refresh")["ok"] and sitting.opened == 2   # open for the rest of this sitting
    sitting.add_entry(1, sensations="warm", safety=7)                  # its diary is there while it is open
    next_time = ReconnectionLadder(partners=COUPLE)
    assert next_time.opened == 1 and next_time.steps[1]["diary"][0]["sensations"] == "warm"
    assert ask(next_time, 1, True, True)[-1]["value"]["open"] is True  # asked again, in a new round
    command(next_time, "step_back")                                    # no reason, same as any step
    assert next_time.opened == 1 and next_time.status.startswith(BACK_MESSAGE)


def test_a_step_you_write_with_genital_touch_or_sex_is_a_later_step(couple):
    """W2: the answer to "Does this step include genital touch or sex?" files it, wherever its words came from."""
    couple.add_step("A long hug")
    assert command(couple, "add_step", text="Touching each other's genitals", later=True) == {"ok": True, "value": 1}
    assert couple.steps[1]["later"] is True and couple.later_from == 1
    open_step(couple, 0)
    open_step(couple, 1)
    assert ReconnectionLadder(partners=COUPLE).opened == 1


def test_every_step_above_a_later_step_is_a_later_step(couple):
    """A step added above an open later step is asked again each time too."""
    couple.add_step("A long hug")
    couple.add_step(LATER_STEPS[2], later=True)
    open_step(couple, 0)
    open_step(couple, 1)
    assert couple.add_step("Cooking a meal together") == 2              # above: a new step is never open by itself
    assert "so it is a later step too" in couple.status and couple.later_from == 1 and couple.opened == 2
    open_step(couple, 2)
    again = ReconnectionLadder(partners=COUPLE)
    assert again.opened == 1 and again.later_from == 1


def test_marking_an_open_step_as_a_later_step_closes_it_until_both_say_yes_again(couple):
    couple.add_step("A long hug")
    couple.add_step("Touch with clothes off")
    open_step(couple, 0)
    open_step(couple, 1)
    assert command(couple, "edit_step", index=1, text="Touch with clothes off", later=True)["ok"]  # the mark alone
    assert couple.opened == 1 and couple.later_from == 1 and saved()["opened"] == 1
    assert couple.status.startswith("Step 2 changed, so it is closed until you both say yes again.")
    open_step(couple, 1)                                                # a new round: open for now
    assert ReconnectionLadder(partners=COUPLE).opened == 1
    assert command(couple, "edit_step", index=1, text="x", later="yes")["ok"] is False


def test_a_step_added_after_a_later_one_goes_below_it(couple):
    """Sex is never the next step only because its idea was clicked first."""
    couple.add_step(INTERCOURSE, later=True)
    ask(couple, 0, True, finish=False)                                 # a round going on
    assert couple.add_step("A walk together") == 0
    assert [s["text"] for s in couple.steps] == ["A walk together", INTERCOURSE]
    assert command(couple, "answer_ready", turn=2, ready=True)["ok"] is False  # the next step changed: ask again
    assert "below your later steps" in couple.status
    assert couple.add_step(LATER_STEPS[0], later=True) == 2                # later steps go on top
    assert couple.add_step("Holding hands") == 1
    assert [s["later"] for s in couple.steps] == [False, False, True, True]
    assert couple.opened == 0 and couple.later_from == 2


def test_an_old_ladder_with_ready_flags_loads_and_keeps_its_ordinary_open_steps(couple):
    """Saved before the round: per-partner "ready" flags are dropped, later steps are no longer open."""
    old = {"partners": list(COUPLE), "opened": 3, "steps": [
        {"text": "A hug", "ready": [True, True], "diary": [{"sensations": "warm", "emotions": "", "safety": 7,
                                                            "note": "", "when": "2026-01-02 20:00"}]},
        {"text": "Holding hands", "ready": [True, True], "diary": []},
        {"text": LATER_STEPS[0], "ready": [True, True], "diary": [], "later": True},
        {"text": LATER_STEPS[1], "ready": [True, False], "diary": [], "later": True}]}
    with open_store() as store:
        store.put_record("ladder", "mine", old)
    ladder = ReconnectionLadder(partners=COUPLE)
    assert ladder.opened == 2 and ladder.later_from == 2
    assert all(set(step) == {"text", "diary", "later"} for step in ladder.steps)
    assert ladder.steps[0]["diary"][0]["sensations"] == "warm"
    assert "ready" not in json.dumps(saved()).replace("only if we are both ready", "")  # gone from the device too
    with open_store() as store:                                         # a ladder saved before later steps existed
        store.put_record("ladder", "mine", {"partners": list(COUPLE), "opened": "x",
                                            "steps": [{"text": "A hug", "ready": [False, False], "diary": []}]})
    ladder = ReconnectionLadder(partners=COUPLE)
    assert ladder.steps[0]["later"] is False and ladder.opened == 0
    reply = command(couple, "add_step", text="A hug", later="yes")
    assert reply["ok"] is False and "true or false" in reply["error"]


def test_the_solo_ladder_offers_its_own_steps_and_its_own_later_steps():
    """Source 001: sensual touch on your own terms, arousal allowed, trying different kinds of touch."""
    solo = ReconnectionLadder(partners=("Me",))
    assert set(solo.suggestions).isdisjoint(FIRST_STEPS) and solo.later_suggestions == list(SOLO_LATER_STEPS)
    assert not any(word in s.split() for s in [*solo.suggestions, *solo.later_suggestions] for word in ("we", "our"))
    assert any("arousal allowed, on my own terms" in s for s in solo.later_suggestions)
    solo.add_step(SOLO_LATER_STEPS[1], later=True)
    assert "when you say you are ready" in solo.status
    open_step(solo, 0)
    assert solo.status == f"Step 1 is open for now. {LATER_AGAIN}"


def test_the_solo_ladders_later_steps_are_not_kept_open_either():
    solo = ReconnectionLadder(partners=("Me",))
    solo.add_step("A slow stretch")
    solo.add_step(SOLO_LATER_STEPS[0], later=True)
    open_step(solo, 0)
    open_step(solo, 1)
    assert saved("mine-solo")["opened"] == 1
    assert ReconnectionLadder(partners=("Me",)).opened == 1


def test_switching_to_the_solo_version_brings_the_solo_ideas():
    ladder = ReconnectionLadder(partners=COUPLE)
    assert ladder.later_suggestions == list(LATER_STEPS)
    ladder.use_solo()
    assert ladder.later_suggestions == list(SOLO_LATER_STEPS)
    assert "A ten-minute talk about our day" not in ladder.suggestions


# -- a change by one partner never opens, or keeps open, what both have not said yes to

def test_changing_an_open_step_closes_it_and_every_step_above_it(couple):
    """Both said yes to "Holding hands": one partner cannot turn it into something else that stays open."""
    couple.add_step("Holding hands")
    couple.add_step("A long hug")
    open_step(couple, 0)
    open_step(couple, 1)
    assert command(couple, "edit_step", index=0, text="Intercourse", later=False)["ok"]
    assert couple.opened == 0 and saved()["opened"] == 0
    assert couple.status == ("Step 1 changed, so it is closed until you both say yes again. "
                             "The steps above it are closed too. Saved on this device only.")
    assert ReconnectionLadder(partners=COUPLE).opened == 0
    assert ask(couple, 0, True, True)[-1]["value"]["open"] is True     # a new round, as for any step
    assert command(couple, "edit_step", index=0, text="Intercourse")["ok"]  # the same words: nothing changed
    assert couple.opened == 1 and saved()["opened"] == 1


def test_changing_a_later_step_open_for_now_closes_it_for_this_sitting_too(couple):
    couple.add_step("A long hug")
    couple.add_step(LATER_STEPS[0], later=True)
    open_step(couple, 0)
    open_step(couple, 1)
    assert command(couple, "edit_step", index=1, text=INTERCOURSE, later=True)["ok"]
    assert couple.opened == 1 and couple.status.startswith("Step 2 changed, so it is closed")
    assert command(couple, "refresh")["ok"] and couple.opened == 1     # not open again in this sitting
    assert ask(couple, 1, True, True)[-1]["value"]["text"] == "Step 2 is open for now."


def test_changing_an_open_step_on_the_solo_ladder_closes_it_too():
    solo = ReconnectionLadder(partners=("Me",))
    solo.add_step("A slow stretch")
    open_step(solo, 0)
    solo.edit_step(0, "Touching myself")
    assert solo.opened == 0 and saved("mine-solo")["opened"] == 0
    assert solo.status.startswith("Step 1 changed, so it is closed until you say you are ready again.")


def test_unmarking_a_later_step_open_for_now_never_keeps_it_open(couple):
    """Item 3: a yes that was only for now never becomes a saved yes through one partner's edit."""
    couple.add_step("A long hug")
    couple.add_step("Touch with clothes on", later=True)
    open_step(couple, 0)
    open_step(couple, 1)
    assert command(couple, "edit_step", index=1, text="Touch with clothes on", later=False)["ok"]
    assert couple.later_from == 2 and couple.opened == 1 and saved()["opened"] == 1
    assert ReconnectionLadder(partners=COUPLE).opened == 1


def test_removing_the_first_later_step_never_saves_the_steps_above_it_as_open(couple):
    couple.add_step("A long hug")
    couple.add_step(LATER_STEPS[0], later=True)
    open_step(couple, 0)
    open_step(couple, 1)
    couple.add_step("Cooking a meal together")                     # above a later step: open only for now
    open_step(couple, 2)
    assert command(couple, "remove_step", index=1)["ok"]
    assert [s["later"] for s in couple.steps] == [False, False] and couple.later_from == 2
    assert saved()["opened"] == 1 and ReconnectionLadder(partners=COUPLE).opened == 1
    assert couple.opened == 1
    assert couple.status == ("Step 2 removed. Step 2 was open only for now, so it is closed until you both "
                             "say yes again. Saved on this device only.")
    couple.remove_step(0)                                          # below: an ordinary open step goes, no more
    assert couple.opened == 0 and couple.status == "Step 1 removed. Saved on this device only."


def test_removing_a_step_keeps_the_steps_open_for_now_only_for_now(couple):
    couple.add_step("A walk together")
    couple.add_step("A long hug")
    couple.add_step(LATER_STEPS[0], later=True)
    for i in range(3):
        open_step(couple, i)
    couple.remove_step(0)                                          # a step below: nothing above it changes
    assert couple.opened == 2 and couple.later_from == 1 and saved()["opened"] == 1


@pytest.mark.parametrize("change", ["A long hug.", "a  LONG hug!", "  A long-hug "])
def test_a_not_yet_stays_with_the_steps_words_through_small_edits(couple, change):
    couple.add_step("A long hug")
    ask(couple, 0, False, True)
    couple.edit_step(0, change)
    reply = command(couple, "ask_ready", index=0)
    assert reply == {"ok": False, "error": "Not this time for step 1. You can ask again another day."}


def test_a_not_yet_stays_with_the_step_when_the_steps_below_it_change(couple):
    couple.add_step("A walk together")
    couple.add_step("A long hug")
    open_step(couple, 0)
    ask(couple, 1, True, False)
    couple.remove_step(0)                                          # the hug is step 1 now
    assert couple.opened == 0 and command(couple, "ask_ready", index=0)["ok"] is False
    couple.add_step("Holding hands")
    couple.edit_step(0, "Sitting close")                           # new words for the same step
    assert command(couple, "ask_ready", index=0)["ok"] is False
    couple.remove_step(0)
    couple.add_step("A long hug")                                  # written again, now step 2
    assert [s["text"] for s in couple.steps] == ["Holding hands", "A long hug"]
    assert ask(couple, 0, True, True)[-1]["value"]["open"] is True  # another step is asked as usual
    assert command(couple, "ask_ready", index=1)["ok"] is False
    another_day = ReconnectionLadder(partners=COUPLE)
    assert ask(another_day, 1, True, True)[-1]["value"]["open"] is True


@pytest.mark.parametrize("gate", ["open", "unchecked", "closed"])
def test_an_old_ladders_ready_flags_leave_the_store_when_the_widget_is_made(gate):
    """What `course export` reads never holds one partner's old yes or not yet, whatever the gate."""
    {"open": open_gate, "closed": close_gate, "unchecked": lambda: None}[gate]()
    old = {"partners": list(COUPLE), "opened": 1, "steps": [
        {"text": "A hug", "ready": [True, True], "diary": [{"sensations": "warm", "emotions": "", "safety": 7,
                                                            "note": "", "when": "2026-01-02 20:00"}]},
        {"text": "Holding hands", "ready": [True, False], "diary": []}]}
    for key in ("mine", "mine-solo"):
        with open_store() as store:
            store.put_record("ladder", key, old)
    ReconnectionLadder(partners=COUPLE)
    ReconnectionLadder(partners=("Me",))
    for key in ("mine", "mine-solo"):
        kept = saved(key)
        assert all(set(step) == {"text", "diary", "later"} for step in kept["steps"])
        assert kept["opened"] == 1 and kept["partners"] == list(COUPLE)
        assert kept["steps"][0]["diary"][0]["sensations"] == "warm"
