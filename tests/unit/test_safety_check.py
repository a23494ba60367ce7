"""The SafetyCheck panel: two turns on one screen; what the browser is told never depends on the answers."""
import json

import pytest

from course.gate import CLOSED_TEXT, LATER_TEXT, OPEN_TEXT, QUESTIONS
from widgets.safety_check import SafetyCheck
from course.gate import CouplesGate
from tests.gates import CLEAR, CONCERN, FakeStore


@pytest.fixture
def panel(monkeypatch):
    widget = SafetyCheck()
    widget.sent = []
    monkeypatch.setattr(widget, "send", widget.sent.append)
    yield widget
    widget.close()


def browser(widget, **msg):
    """What the page sends; returns what it is told back."""
    before = len(widget.sent)
    widget._on_msg(widget, msg, [])
    return widget.sent[before:]


def play(widget, first, second):
    """Both partners, as they would use the panel; returns every message the page got."""
    told = browser(widget, type="ready") + browser(widget, type="start")
    told += browser(widget, type="answer", turn=1, **({"answers": first} if first else {"skip": True}))
    told += browser(widget, type="answer", turn=2, **({"answers": second} if second else {"skip": True}))
    return told, browser(widget, type="finish")


def test_what_each_turn_shows_is_identical_whatever_was_answered(monkeypatch):
    from widgets import ReconnectionLadder

    therapist = {**CLEAR, "tension": "a-lot", "arguments": "great-difficulty"}
    seen, heard = [], []
    for first, second in [(CLEAR, CLEAR), (CONCERN, CLEAR), (CLEAR, CONCERN), (None, CLEAR), (CLEAR, None),
                          (therapist, CLEAR), (CLEAR, therapist)]:
        records = {}  # each couple on a device of its own
        gate = CouplesGate(store=lambda: FakeStore(records))
        widget = SafetyCheck(gate=gate)
        ladder = ReconnectionLadder(partners=("Sam", "Alex"), gate=gate)   # a couples widget on the page
        widget.sent, ladder_heard = [], []
        monkeypatch.setattr(widget, "send", widget.sent.append)
        monkeypatch.setattr(ladder, "send", ladder_heard.append)
        during, _result = play(widget, first, second)
        seen.append(json.dumps(during))
        heard.append(json.dumps(ladder_heard[:-1]))   # everything before the shared result
        widget.close()
        ladder.close()
    assert len(set(seen)) == 1
    assert len(set(heard)) == 1                       # the couples widgets hear nothing that differs
    assert [m.get("done") for m in json.loads(seen[0]) if "done" in m] == [1, 2]


def test_the_shared_result_open(panel):
    _, result = play(panel, CLEAR, CLEAR)
    assert result[-1] == {"type": "view", "view": "open", "text": OPEN_TEXT, "result": True}


def test_the_shared_result_closed_says_nothing_about_why(panel):
    _, result = play(panel, CONCERN, CLEAR)
    assert result[-1] == {"type": "view", "view": "closed", "text": CLOSED_TEXT, "note": LATER_TEXT, "result": True}


def test_answers_are_never_widget_state_or_told_back(panel):
    before = json.dumps(panel.get_state(), default=str)
    told, result = play(panel, {"tension": "a-lot", "arguments": "great-difficulty", "harmed": "not-sure",
                                "afraid": "sometimes"}, CLEAR)
    assert json.dumps(panel.get_state(), default=str) == before     # the synced state never moves
    for value in ("a-lot", "great-difficulty", "not-sure", "sometimes", "concern"):
        assert value not in json.dumps(told + result)
    synced = {name for name in panel.trait_names(sync=True) if not name.startswith("_")}
    assert synced - {"layout", "tabbable", "tooltip"} == {"questions", "resources", "ask_again"}
    assert panel.questions == QUESTIONS


def test_a_late_answer_from_an_ended_turn_is_refused_without_echoing_it(panel):
    browser(panel, type="start")
    browser(panel, type="answer", turn=1, answers=CLEAR)
    told = browser(panel, type="answer", turn=1, answers=CONCERN)
    assert told[0]["type"] == "error" and "after the turn ended" in told[0]["message"]
    assert "sometimes" not in json.dumps(told)


def test_missing_answers_get_a_plain_message(panel):
    browser(panel, type="start")
    told = browser(panel, type="answer", turn=1, answers={"tension": "some"})
    assert told[0] == {"type": "error", "message": "Please answer every question first (still to answer: 2, 3, 4)."}


def test_close_from_the_panel(panel):
    play(panel, CLEAR, CLEAR)
    told = browser(panel, type="close")
    assert told[-1]["view"] == "closed"


def test_a_second_panel_on_the_page_does_not_show_the_turns(panel, monkeypatch):
    other = SafetyCheck()
    other.sent = []
    monkeypatch.setattr(other, "send", other.sent.append)
    browser(panel, type="start")
    assert browser(other, type="ready")[-1] == {"type": "view", "view": "elsewhere"}
    other.close()


def test_ask_again_makes_this_page_ask():
    from tests.gates import open_gate

    open_gate(CouplesGate())                    # module 0's page, earlier today
    touch = CouplesGate()                       # module 7's page
    assert touch.is_open()
    SafetyCheck(ask_again=True, gate=touch).close()
    assert touch.status() == "unchecked"
