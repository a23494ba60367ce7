"""Every widget's message handler survives any message the page (or a hostile page) can send.

Messages go through the real path, ``widget._on_custom_msg(widget, content, [])``, as the comm
delivers them. For each command envelope (``{"kind": "anywidget-command", ...}``) the page gets
exactly one reply, with the request's id, that it can read: ``ok`` True, or an error of one short
line that names the problem without echoing a long slice of what was sent, and never the
"something went wrong on our side" line of a bug. No exception escapes, nothing the page sent
reaches the log, and the widget still does its job afterwards.

Widgets are built as the module notebooks build them; couples widgets with the couples gate open
(the private check for two taken), so their actions run instead of stopping at the gate.
"""
from __future__ import annotations

import inspect
import json
import logging
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.gate import _PAGE_GATES, GATE_KEY, GATE_KIND, page_gate
from course.store import open_store
from tests.gates import open_gate
from tests.reliability.conftest import FUZZ, size
from widgets import widget_classes
from widgets.base import BUG, REFUSED, SteadyWidget

MAX_ERROR = 200
"""The longest error a reply may carry: one short line."""
ECHO = 40
"""A reply may not repeat this many characters of any text the page sent."""

JOURNAL_PROMPTS = ["What are your first signs?", "Which tool felt best?"]
BUILD = {  # as the module notebooks build them (modules/*.md)
    "BrakesAndAccelerators": lambda cls: cls(),
    "BreathingPacer": lambda cls: cls(pattern="box", minutes=3),
    "CheckIn": lambda cls: cls(gauge="calm", label="How calm do you feel right now?", low="Not calm at all",
                               high="Completely calm"),
    "ConsentList": lambda cls: cls(),
    "Grounding": lambda cls: cls(),
    "Journal": lambda cls: cls(module="m03", prompts=JOURNAL_PROMPTS),
    "MuscleRelaxation": lambda cls: cls(),
    "OurAgreements": lambda cls: cls(),
    "ProgressReview": lambda cls: cls(weeks=8),
    "Quiz": lambda cls: cls("m03"),
    "ReconnectionLadder": lambda cls: cls(partners=("Partner A", "Partner B")),
    "RepairPlanner": lambda cls: cls(),
    "SafetyBar": lambda cls: cls(),
    "SafetyCheck": lambda cls: cls(),
    "SaveNotes": lambda cls: cls(),
    "TransparencyPlan": lambda cls: cls(partners=("Partner A", "Partner B")),
    "TriggerPlan": lambda cls: cls(partners=("Partner A", "Partner B")),
}
CLASSES = {cls.__name__: cls for cls in widget_classes()}
NOW = "2026-11-26T19:00:00.000Z"
CLEAR = {"tension": "some", "arguments": "some-difficulty", "harmed": "no", "afraid": "no"}
GOOD = {  # calls a learner makes, with good details: they move each widget into the states worth fuzzing
    "BrakesAndAccelerators": [("add", {"side": "brake", "text": "Tired after work"}), ("save", {}),
                              ("set_weight", {"text": "Tired after work", "weight": 3}),
                              ("set_present", {"text": "Tired after work", "present": True})],
    "BreathingPacer": [("record_session", {"started_at": NOW, "duration_s": 60, "cycles": 4})],
    "CheckIn": [("save", {"value": 5, "note": "ok"}), ("refresh", {})],
    "ConsentList": [("start", {}), ("answer", {"item": "Holding hands", "value": "yes", "turn": "a"}),
                    ("done", {}), ("answer", {"item": "Holding hands", "value": "maybe", "turn": "b"}),
                    ("agree", {"partner": "a"}), ("agree", {"partner": "b"}), ("save", {}), ("restart", {}),
                    ("add_item", {"text": "A walk"}), ("use_solo", {})],
    "Grounding": [("record_session", {"started_at": NOW, "duration_s": 90, "before": 3, "after": 6,
                                      "answers": ["a", "b", "c", "d", "e"]})],
    "Journal": [("save_draft", {"slot": 0, "text": "My jaw gets tight"}), ("edit_entry", {"entry_id": 1, "text": "x"}),
                ("delete_entry", {"entry_id": 1})],
    "MuscleRelaxation": [("record_session", {"started_at": NOW, "duration_s": 300, "groups_done": 3})],
    "OurAgreements": [("add_agreement", {"text": "We check in at 8"}), ("looked_again", {"index": 0}),
                      ("edit_agreement", {"index": 0, "text": "We check in at 9"}), ("remove_agreement", {"index": 0}),
                      ("use_solo", {})],
    "ProgressReview": [("set_gauges", {"gauges": ["calm"]}), ("refresh", {"quiet": True})],
    "Quiz": [("check", {"answers": {"window": [0]}}), ("clear", {})],
    "ReconnectionLadder": [("add_step", {"text": "A walk together"}), ("ask_ready", {"index": 0}),
                           ("answer_ready", {"turn": 1, "ready": True}), ("answer_ready", {"turn": 2, "ready": True}),
                           ("finish_round", {}), ("add_entry", {"index": 0, "sensations": "warm", "safety": 7}),
                           ("add_step", {"text": "Holding hands", "later": True}), ("step_back", {}),
                           ("cancel_round", {}), ("use_solo", {}), ("set_ready", {"index": 0})],
    "RepairPlanner": [("set_name", {"name": "After the dinner"}), ("set_answer", {"step": "acknowledge", "text": "x"}),
                      ("save", {}), ("new_plan", {})],
    "SafetyBar": [],
    "SafetyCheck": [("start", {}), ("answer", {"turn": 1, "answers": CLEAR}), ("answer", {"turn": 2, "answers": CLEAR}),
                    ("finish", {}), ("close_couples", {})],
    "SaveNotes": [("check", {}), ("notes", {})],
    "TransparencyPlan": [("add_item", {"what": "My plans for the day"}), ("edit_item", {"index": 0, "how": "A text"}),
                         ("set_review", {"review_date": "2026-12-01", "review_weeks": 2}),
                         ("remove_item", {"index": 0}), ("use_solo", {})],
    "TriggerPlan": [("save", {"signal": "Pause", "need": "Twenty minutes", "talk_time": "19:30"}),
                    ("printable", {"signal": "Pause"}), ("use_solo", {})],
}


def test_every_widget_class_is_fuzzed():
    """A new widget class must be added to BUILD (and so to every test below)."""
    assert set(CLASSES) == set(BUILD)
    assert all(issubclass(cls, SteadyWidget) for cls in CLASSES.values())


# -- what the page can send ----------------------------------------------------------------------

ODD_TEXT = ["", " ", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "\u202e\u200f", "nul\x00byte",
            "🌱💔🫶🏽", "\ud800", "a" * 5000, "2026-11-26T19:00:00Z", "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-14:00", "25:99", "yes", "maybe", "no", "a", "b", "Me", "Partner A", "weekly",
            "daily", "signal", "calm", "box", "m03", "true", "null", "NaN"]
HUGE = [2 ** 63, -(2 ** 63) - 1, 2 ** 64, 10 ** 30, -(10 ** 30), 2 ** 31, -1, 0, 1, 2, 10, 11, 52, 53]
text = st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=60), st.text(min_size=300, max_size=2000))
numbers = st.one_of(st.sampled_from(HUGE), st.integers(), st.floats(allow_nan=False, allow_infinity=False))
scalars = st.one_of(st.none(), st.booleans(), numbers, text)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(text, st.sampled_from(["id", "what", "text"])),
                                                  inner, max_size=4)), max_leaves=12)


TIMES = st.one_of(st.sampled_from([NOW, "0001-01-01T00:00:00+14:00", "0001-01-01T00:30:00", "9999-12-31T23:59:59-14:00",
                                   "9999-12-31T23:59:59", "2026-02-30T10:00:00Z", "2026-11-26", "1970-01-01T00:00:00Z",
                                   "2026-11-26T19:00:00+25:00", "2026-11-26T19:00"]),
                  st.datetimes().map(lambda d: d.isoformat()), text)
INTS = st.one_of(st.sampled_from(HUGE), st.integers(), st.booleans(), st.floats(allow_nan=False), st.just("3"))


def typed(cls, action: str, param: str):
    """Values of the right kind for a parameter, most of them wrong: from its annotation and its name."""
    sig = inspect.signature(getattr(cls, action)).parameters.get(param)
    note = str(sig.annotation) if sig is not None else ""
    if param in ("started_at", "at") or "date" in param:
        return TIMES
    if "int" in note or param in ("index", "slot", "entry", "entry_id", "turn", "weight", "value", "cycles",
                                  "groups_done", "before", "after", "safety") or param.endswith(("_minutes",
                                                                                                 "_weeks", "_s")):
        return st.one_of(INTS, st.sampled_from(["yes", "a", "b"])) if param in ("value", "turn") else INTS
    if "bool" in note:
        return st.one_of(st.booleans(), st.sampled_from([0, 1, "false", "true", None]))
    if "str" in note:
        return st.one_of(text, st.none())
    return json_values


def params(cls, name: str) -> list[str]:
    """The keyword arguments an action takes (``**changes`` gives a few known field names)."""
    found = []
    for p in inspect.signature(getattr(cls, name)).parameters.values():
        if p.name == "self":
            continue
        if p.kind is p.VAR_KEYWORD:
            found += ["what", "how", "often", "added_by", "who"]
        else:
            found.append(p.name)
    return found


def command_of(name, msg, ref) -> dict:
    return {"kind": "anywidget-command", "id": ref, "name": name, "msg": msg}


IDS = st.one_of(st.text(max_size=20), st.integers(), st.none(), st.lists(st.integers(), max_size=2),
                st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def good(widget: str):
    """A call a learner makes, as the page sends it."""
    calls = GOOD[widget] or [("refresh", {})]
    return st.tuples(st.sampled_from(calls), IDS).map(lambda c: command_of(c[0][0], dict(c[0][1]), c[1]))


def mutated(widget: str):
    """A good call, or any action, with one or two details of the right kind and a wrong value (or unknown)."""
    cls = CLASSES[widget]
    calls = (GOOD[widget] or []) + [(name, {}) for name in sorted(cls.ACTIONS)]

    def change(call):
        name, args = call
        names = params(cls, name) + ["extra"]
        return st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True).flatmap(
            lambda keys: st.fixed_dictionaries({k: typed(cls, name, k) for k in keys}).map(
                lambda new: (name, {**args, **new})))
    return st.tuples(st.sampled_from(calls).flatmap(change), IDS).map(lambda c: command_of(*c[0], c[1]))


def anything(widget: str):
    """Any action name (known, private, of any JSON type) with details of any shape."""
    cls = CLASSES[widget]
    names = st.one_of(st.sampled_from(sorted(cls.ACTIONS)),
                      st.sampled_from(["__init__", "close", "send", "_save", "report", "dispatch", "_on_custom_msg",
                                       "keys", "status", "__class__", "_load", "reload"]),
                      json_values)
    # a page speaks JSON, whose keys are text; a caller in Python (a test, a tool) may not
    details = st.one_of(json_values, json_values, st.dictionaries(st.one_of(st.integers(), st.none()), json_values,
                                                                   min_size=1, max_size=2))
    return st.tuples(names, details, IDS).map(lambda c: command_of(*c))


def not_commands():
    """Messages that are not commands: the handler answers nothing, and raises nothing."""
    return st.one_of(json_values, st.dictionaries(st.sampled_from(["kind", "name", "msg", "id", "type"]),
                                                  json_values, max_size=4)).map(
        lambda m: {**m, "kind": "not-a-command"} if isinstance(m, dict) and m.get("kind") == "anywidget-command"
        else m)


def messages(widget: str):
    """What a page (a buggy or hostile one) sends in one visit: a few messages in a row."""
    one = st.one_of(good(widget), good(widget), mutated(widget), mutated(widget), anything(widget), not_commands())
    return st.lists(one, min_size=1, max_size=4)


# -- what the page gets back ---------------------------------------------------------------------

class Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@contextmanager
def listening(*widgets):
    """A Captured handler on the widgets' logs while the block runs: what the page sent must never reach them."""
    logged = Captured()
    for widget in widgets:
        widget.log.addHandler(logged)
    try:
        yield logged
    finally:
        for widget in widgets:
            widget.log.removeHandler(logged)


@pytest.fixture(autouse=True)
def steady_ground_home(monkeypatch, tmp_path):
    """The learner's folder in memory (/dev/shm) when there is one: the same store, without waiting for the disk.

    What is checked here is the replies, not what survives a power cut (test_kill.py and others do that).
    """
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else tmp_path) as home:
        monkeypatch.setenv("STEADY_GROUND_HOME", home)
        yield Path(home)


def fresh(name: str) -> SteadyWidget:
    """A widget as a new page shows it; couples widgets on a page where the check for two opened them."""
    cls = CLASSES[name]
    if cls.COUPLES and not page_gate().is_open():
        _PAGE_GATES.clear()  # a new page, after the sitting of the last example ended
        with open_store() as store:
            store.delete_record(GATE_KIND, GATE_KEY)
        open_gate()
    return BUILD[name](cls)


def packed(content) -> dict:
    """What the kernel does with a message to the page (jupyter_client's json_packer): it must not fail."""
    wire = json.dumps(content, ensure_ascii=False, allow_nan=False).encode("utf8", errors="surrogateescape")
    return json.loads(wire)


def texts_in(value) -> list[str]:
    """Every text in a JSON value (keys included), for the echo and log checks."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in texts_in(k) + texts_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in texts_in(v)]
    return [str(value)] if isinstance(value, int) and not isinstance(value, bool) else []


def check_reply(content: dict, out: list, logged: Captured) -> None:
    replies = [m for m in out if m.get("kind") == "anywidget-command-response"]
    assert len(replies) == 1, f"expected one reply, got {len(replies)}"
    reply = replies[0]
    assert reply["id"] == json.loads(json.dumps(content["id"])), "the reply must carry the request's id"
    response = reply["response"]
    assert isinstance(response.get("ok"), bool)
    if not response["ok"]:
        error = response.get("error")
        assert isinstance(error, str)
        assert error != BUG, "bad input reached the bug handler (an exception the widget did not expect)"
        assert "\n" not in error and len(error) <= MAX_ERROR, f"error not one short line: {error[:300]!r}"
        for sent_text in texts_in(content.get("msg")) + texts_in(content.get("name")):
            for start in range(0, max(len(sent_text) - ECHO, 0) + 1, ECHO):
                piece = sent_text[start:start + ECHO]
                assert len(piece) < ECHO or piece not in error, f"error echoes what was sent: {error!r}"
    for line in logged.lines:
        for sent_text in texts_in(content.get("msg")):
            assert len(sent_text) < 8 or sent_text not in line, "what the page sent reached the log"


def still_works(widget) -> None:
    """A normal action afterwards gets an ordinary answer, and the page can still be sent the state."""
    assert widget.dispatch("refresh", {})["ok"] is True
    synced = [name for name in widget.keys if name not in ("_esm", "_css")]
    packed(widget.get_state(synced))


WIDGET_NAMES = sorted(BUILD)


@pytest.mark.parametrize("name", WIDGET_NAMES)
@FUZZ
@given(data=st.data())
def test_any_message_gets_one_short_reply(name, data):
    """Good, wrong-valued and malformed messages in a row: one short, clean reply to each command."""
    widget = fresh(name)
    out: list = []
    widget.send = lambda content, buffers=None: out.append(packed(content))
    try:
        with listening(widget) as logged:
            for message in data.draw(messages(name)):
                out.clear()
                widget._on_custom_msg(widget, message, [])
                if isinstance(message, dict) and message.get("kind") == "anywidget-command":
                    check_reply(message, out, logged)
                else:
                    assert not [m for m in out if m.get("kind") == "anywidget-command-response"]
                packed({"status": widget.status})
        still_works(widget)
    finally:
        widget.close()


def state_updates(widget: str):
    """What a page (or a hostile one) can send as a state update: any synced trait, or none, with any value."""
    # every trait of ours; ipywidgets' own layout takes a Layout widget's model id and is left to ipywidgets
    traits = sorted(n for n in CLASSES[widget].class_trait_names(sync=True) if not n.startswith("_") and n != "layout")
    return st.dictionaries(st.one_of(st.sampled_from(traits), st.sampled_from(["_esm", "comm", "nothing"])),
                           json_values, min_size=1, max_size=3)


@pytest.mark.parametrize("name", WIDGET_NAMES)
@settings(FUZZ, max_examples=size(25, 400))  # an update runs the widget's observers (charts): fewer, longer examples
@given(data=st.data())
def test_any_state_update_is_kept_or_refused_in_words(name, data):
    """A state update goes through ipywidgets' own handler: nothing escapes, a refusal repeats nothing."""
    widget = fresh(name)
    widget.send_state = lambda key=None: None  # no comm in a test: the page would be sent the kept values
    try:
        for state in data.draw(st.lists(state_updates(name), min_size=1, max_size=3)):
            widget._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})
            if widget.status in (REFUSED, BUG):
                assert widget.status == REFUSED, "a refused value reached the bug handler"
            packed({"status": widget.status})
        still_works(widget)
    finally:
        widget.close()


@pytest.mark.parametrize("name, command", [
    ("ConsentList", command_of("add_item", {0: None}, 1)),  # 'wrong details' sorted and joined the keys: TypeError
    ("Journal", command_of("delete_entry", {"\ud800": None}, 2)),  # a lone surrogate in the status: no sync
    ("BreathingPacer", command_of("record_session", {"started_at": NOW, "duration_s": 60, "cycles": 4,
                                                     "pattern": [None]}, 3)),  # 'in PATTERNS': TypeError
    ("Journal", command_of("edit_entry", {"entry_id": 2 ** 64, "text": "x"}, 4)),  # int too large for SQLite
    ("Grounding", command_of("record_session", {"started_at": "0001-01-01T00:00:00+14:00", "duration_s": 60}, 5)),
])
def test_commands_the_fuzz_and_the_issue_found(name, command):
    widget = fresh(name)
    out: list = []
    widget.send = lambda content, buffers=None: out.append(packed(content))
    with listening(widget) as logged:
        widget._on_custom_msg(widget, command, [])
    check_reply(command, out, logged)
    assert out[-1]["response"]["ok"] is False
    still_works(widget)


@pytest.mark.parametrize("name, state", [
    ("BrakesAndAccelerators", {"items": [{}]}),  # the chart's observer saw the item before it was refused
    ("RepairPlanner", {"answers": {"\ud800": None}}),  # kept, then no state could go to the page again
    ("ConsentList", {"current": {"Holding hands": "yes"}}),  # refused outside a turn, without the item's words
])
def test_state_updates_the_fuzz_found(name, state):
    widget = fresh(name)
    widget.send_state = lambda key=None: None
    widget._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})
    assert widget.status == REFUSED and widget.error
    still_works(widget)


PAGE = ("SafetyCheck", "ConsentList", "ReconnectionLadder", "TransparencyPlan", "TriggerPlan", "OurAgreements")
"""Module pages put the check for two and couples exercises on one page: they share its gate, so a close or
a check in one reaches the others (their observers run inside the first one's action)."""


@settings(FUZZ, max_examples=size(60, 1000))  # six widgets an example
@given(data=st.data())
def test_a_page_of_couples_widgets_answers_every_message(data):
    """Messages to any widget of a page that shares one gate: each command to each gets one clean reply."""
    widgets = [fresh(name) for name in PAGE]
    outs: list[list] = []
    for widget in widgets:
        out: list = []
        widget.send = lambda content, buffers=None, out=out: out.append(packed(content))
        outs.append(out)
    try:
        steps = data.draw(st.lists(st.sampled_from(range(len(PAGE))).flatmap(
            lambda i: st.tuples(st.just(i), st.one_of(good(PAGE[i]), mutated(PAGE[i]), anything(PAGE[i])))),
            min_size=1, max_size=5))
        for index, message in steps:
            for out in outs:
                out.clear()
            with listening(*widgets) as logged:
                widgets[index]._on_custom_msg(widgets[index], message, [])
            check_reply(message, outs[index], logged)
            for other, out in enumerate(outs):  # the others hear the gate change, and reply to nothing
                assert other == index or not [m for m in out if m.get("kind") == "anywidget-command-response"]
        for widget in widgets:
            still_works(widget)
    finally:
        for widget in widgets:
            widget.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
