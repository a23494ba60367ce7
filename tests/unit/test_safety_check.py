"""The SafetyCheck panel: two turns on one screen; what the browser is told never depends on the answers."""
import json

import pytest

from course.gate import CLOSED_TEXT, LATER_TEXT, OPEN_TEXT, QUESTIONS, CouplesGate
from tests.gates import CLEAR, CONCERN, FakeStore
from tests.widgets import command, sent
from widgets.safety_check import SafetyCheck


@pytest.fixture
def panel(gate):
    widget = SafetyCheck(gate=gate)
    widget.sent = sent(widget)
    yield widget
    widget.close()


def browser(widget, name, **args):
    """What the page asks (an action); returns what it is told back: the messages, then the reply."""
    before = len(widget.sent)
    reply = command(widget, name, **args)
    return [*widget.sent[before:], reply]


def play(widget, first, second):
    """Both partners, as they would use the panel; returns everything the page was told."""
    told = browser(widget, "refresh") + browser(widget, "start")
    told += browser(widget, "answer", turn=1, answers=first)
    told += browser(widget, "answer", turn=2, answers=second)
    return told, browser(widget, "finish")


def test_what_each_turn_shows_is_identical_whatever_was_answered():
    from widgets import ReconnectionLadder

    therapist = {**CLEAR, "tension": "a-lot", "arguments": "great-difficulty"}
    seen, heard = [], []
    for first, second in [(CLEAR, CLEAR), (CONCERN, CLEAR), (CLEAR, CONCERN), (None, CLEAR), (CLEAR, None),
                          (therapist, CLEAR), (CLEAR, therapist)]:
        records = {}  # each couple on a device of its own
        gate = CouplesGate(store=lambda records=records: FakeStore(records))
        widget = SafetyCheck(gate=gate)
        ladder = ReconnectionLadder(partners=("Sam", "Alex"), gate=gate)   # a couples widget on the page
        widget.sent, ladder_heard = sent(widget), sent(ladder)
        during, _result = play(widget, first, second)
        seen.append(json.dumps(during))
        heard.append(json.dumps(ladder_heard[:-1]))   # everything before the shared result
        widget.close()
        ladder.close()
    assert len(set(seen)) == 1
    assert len(set(heard)) == 1                       # the couples widgets hear nothing that differs
    told = json.loads(seen[0])
    assert [m["value"]["done"] for m in told if "done" in m.get("value", {})] == [1, 2]


def test_the_shared_result_open(panel):
    _, result = play(panel, CLEAR, CLEAR)
    assert result[-1] == {"ok": True, "value": {"view": "open", "text": OPEN_TEXT, "result": True}}


def test_the_shared_result_closed_says_nothing_about_why(panel):
    _, result = play(panel, CONCERN, CLEAR)
    assert result[-1] == {"ok": True, "value": {"view": "closed", "text": CLOSED_TEXT, "note": LATER_TEXT,
                                                "result": True}}


def test_answers_are_never_widget_state_or_told_back(panel):
    before = json.dumps(panel.get_state(), default=str)
    told, result = play(panel, {"tension": "a-lot", "arguments": "great-difficulty", "harmed": "not-sure",
                                "afraid": "sometimes"}, CLEAR)
    assert json.dumps(panel.get_state(), default=str) == before     # the synced state never moves
    for value in ("a-lot", "great-difficulty", "not-sure", "sometimes", "concern"):
        assert value not in json.dumps(told + result)
    synced = {name for name in panel.trait_names(sync=True) if not name.startswith("_")}
    assert synced - {"layout", "tabbable", "tooltip"} == {"questions", "resources", "ask_again", "status", "error"}
    assert panel.questions == QUESTIONS
    assert panel.status == "" and panel.error is False   # the base's status line: never written by the check


def test_a_late_answer_from_an_ended_turn_is_refused_without_echoing_it(panel):
    browser(panel, "start")
    browser(panel, "answer", turn=1, answers=CLEAR)
    told = browser(panel, "answer", turn=1, answers=CONCERN)
    assert told[-1]["ok"] is False and "after the turn ended" in told[-1]["error"]
    assert told[-1]["value"] == {"view": "turn", "turn": 2}   # the page stays where it is
    assert "sometimes" not in json.dumps(told)
    assert panel.status == ""                                  # a problem is said in the reply only


def test_missing_answers_get_a_plain_message(panel):
    browser(panel, "start")
    told = browser(panel, "answer", turn=1, answers={"tension": "some"})
    assert told[-1]["error"] == "Please answer every question first (still to answer: 2, 3, 4)."
    assert panel.status == ""


def test_problems_never_reach_the_synced_status_line(panel, gate):
    """Not even "closed for now": the gate's state is never a trait."""
    from tests.gates import close_gate

    close_gate(gate)
    for name, args in (("start", {}), ("finish", {}), ("answer", {"turn": 1, "answers": None}),
                       ("no_such_thing", {}), ("answer", {"turn": 1})):
        reply = browser(panel, name, **args)[-1]
        assert reply["ok"] is False and reply["error"], name
    assert panel.status == "" and panel.error is False


def test_close_from_the_panel(panel):
    play(panel, CLEAR, CLEAR)
    told = browser(panel, "close_couples")
    assert told[-1]["value"]["view"] == "closed"


def test_a_second_panel_on_the_page_does_not_show_the_turns(panel, gate):
    other = SafetyCheck(gate=gate)
    other.sent = sent(other)
    browser(panel, "start")
    assert other.sent[-1] == {"type": "view", "view": "elsewhere"}      # told when the check began
    assert browser(other, "refresh")[-1] == {"ok": True, "value": {"view": "elsewhere"}}
    other.close()


def test_ask_again_makes_this_page_ask():
    from tests.gates import open_gate

    open_gate(CouplesGate())                    # module 0's page, earlier today
    touch = CouplesGate()                       # module 7's page
    assert touch.is_open()
    SafetyCheck(ask_again=True, gate=touch).close()
    assert touch.status() == "unchecked"
