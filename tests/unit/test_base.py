"""widgets/base.py: the one dispatcher every widget answers the page with.

A small widget made here stands for all of them; tests/unit/test_widget_contract.py
checks the real widget classes against the same promises.
"""
from __future__ import annotations

import logging

import pytest
import traitlets as t

from course import validate
from course.store import StoreError
from tests.widgets import command
from widgets.base import BUG, SteadyWidget, action, lib_source


class Counter(SteadyWidget):
    """A widget with one saved-looking number, for testing the base."""

    count = t.Int(0, help="How many.").tag(sync=True)

    @action(failed="Not saved:")
    def add(self, by: int = 1) -> int:
        self.count += validate.whole(by, "The step", 1, 5)
        self.report("Added.")
        return self.count

    @action(failed="Not saved:")
    def store_down(self) -> None:
        raise StoreError("The notes file is locked by another program.")

    @action
    def bug(self, words: str = "") -> None:
        raise KeyError(words)  # a bug whose message holds what was typed

    @action
    def set_count(self, value) -> None:
        self.count = value  # traitlets checks the type

    def not_an_action(self) -> None:
        raise AssertionError("the page must not reach this")


def wire(widget) -> list[dict]:
    """What goes over the widget's comm, in order: state updates and custom messages."""
    out: list[dict] = []
    widget.comm.send = lambda data=None, buffers=None, **_: out.append(data)
    return out


def test_an_action_runs_changes_state_and_answers_ok():
    w = Counter()
    assert command(w, "add", by=2) == {"ok": True, "value": 2}
    assert (w.count, w.status, w.error) == (2, "Added.", False)


def test_the_page_sees_the_change_before_the_answer():
    w = Counter()
    frames = wire(w)
    w._on_custom_msg(w, {"kind": "anywidget-command", "id": "r1", "name": "add", "msg": {"by": 1}}, [])
    kinds = [f["method"] for f in frames]
    assert kinds == ["update", "custom"], frames
    assert frames[0]["state"]["count"] == 1 and frames[0]["state"]["status"] == "Added."
    assert frames[1]["content"] == {"id": "r1", "kind": "anywidget-command-response",
                                    "response": {"ok": True, "value": 1}}


def test_bad_input_is_refused_in_words_and_changes_nothing():
    w = Counter()
    reply = command(w, "add", by=9)
    assert reply == {"ok": False, "error": "Not saved: The step must be a whole number from 1 to 5; got 9."}
    assert w.count == 0 and w.error and w.status == reply["error"]


def test_a_store_problem_is_reported_in_words():
    w = Counter()
    reply = command(w, "store_down")
    assert reply == {"ok": False, "error": "Not saved: The notes file is locked by another program."}


@pytest.mark.parametrize("name, args", [
    ("delete_everything", {}), ("not_an_action", {}), ("__init__", {}), ("_on_custom_msg", {}),
    ("send", {"content": {}}), (None, {}), (42, {}),
])
def test_only_marked_methods_can_be_called(name, args):
    w = Counter()
    reply = command(w, name, **args)
    assert reply["ok"] is False and "does not do" in reply["error"]
    assert w.error and w.count == 0


@pytest.mark.parametrize("args", [{"by": 1, "extra": True}, {"step": 1}])
def test_wrong_details_are_refused_before_anything_runs(args):
    w = Counter()
    reply = command(w, "add", **args)
    assert reply["ok"] is False and "wrong details" in reply["error"] and w.count == 0


def test_details_that_are_not_a_mapping_are_refused():
    w = Counter()
    replies = wire(w)
    w._on_custom_msg(w, {"kind": "anywidget-command", "id": "r2", "name": "add", "msg": [1]}, [])
    response = replies[-1]["content"]["response"]
    assert response["ok"] is False and "without its details" in response["error"]


def test_a_bug_is_logged_and_reported_without_a_traceback_or_its_message(caplog):
    """An error's message may hold what the learner typed: it goes nowhere, not even the log."""
    w = Counter()
    with caplog.at_level(logging.DEBUG):
        reply = command(w, "bug", words="my private words")
    assert reply == {"ok": False, "error": BUG} and w.status == BUG and w.error
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "KeyError" in logged and "test_base.py" in logged  # the maintainer learns what and where
    assert "private" not in logged + w.status + str(reply)


def test_a_value_traitlets_refuses_is_reported_without_repeating_it():
    w = Counter()
    reply = command(w, "set_count", value="my secret words")
    assert reply["ok"] is False and "cannot keep" in reply["error"]
    assert "secret" not in reply["error"] + w.status and w.count == 0


def test_other_messages_are_left_alone():
    w = Counter()
    frames = wire(w)
    for content in ("text", {"type": "add"}, {"kind": "something-else", "name": "add"}, None):
        w._on_custom_msg(w, content, [])
    assert frames == [] and w.count == 0 and w.status == ""


def test_refresh_is_built_in_and_actions_are_listed_per_class():
    assert set(Counter.ACTIONS) == {"refresh", "add", "store_down", "bug", "set_count"}
    assert "add" not in SteadyWidget.ACTIONS
    assert command(Counter(), "refresh") == {"ok": True, "value": None}


def test_the_front_end_is_the_shared_helpers_then_the_widgets_own_module(tmp_path, monkeypatch):
    (tmp_path / "tiny.js").write_text("export default { render() {} };\n", encoding="utf-8")
    (tmp_path / "tiny.css").write_text(".sg-tiny { margin: 0; }\n", encoding="utf-8")
    (tmp_path / "tiny_widget.py").write_text(
        "from widgets.base import SteadyWidget\n\n"
        "class Tiny(SteadyWidget):\n    JS = 'tiny.js'\n    CSS = 'tiny.css'\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    from tiny_widget import Tiny

    assert Tiny._esm == lib_source() + "\n" + "export default { render() {} };\n"
    assert Tiny._css.endswith(".sg-tiny { margin: 0; }\n") and "--sg-" in Tiny._css  # the theme comes first
    assert lib_source().count("function request(") == 1
