"""SafetyCheck: the private check for two that comes before every couples section.

CONTENT.md safety rule 1; the rules themselves live in ``course.gate``. On the
page it is a small panel: "Start the check" (or "open, close them any time",
or "closed for now"). The check itself is two private turns on one screen:

    intro -> turn 1 -> "thank you" -> hand over -> turn 2 -> "thank you" -> result

Each turn's answers leave the browser once, in one request, are judged by
``course.gate.assess`` and dropped. Every screen of a turn, and the screen
after it, is the same whatever was answered, and the result only appears when
both partners look at it together. Nothing about anyone's answers is a trait,
a stored record, a log line or a notebook output, and neither is the gate's
state: the panel's view reaches the browser only in messages (a reply's
value, or {"type": "view", ...} when the gate changes elsewhere on the page),
and the only traits are the questions, the helplines, ``ask_again`` and the
base's status line, which this panel never writes (a problem is said in the
reply, see :meth:`SafetyCheck._failed`).

Actions the page calls (widgets/lib/core.js ``request``), each answered with
the view to show, ``{"view": ...}``:
    refresh()                      the current view
    start()                        begin a check (turn 1)
    answer(turn, answers)          one person's turn; ``answers=None`` is "not today" (no reason);
                                   the view carries ``"done": turn``
    finish()                       both answered: the result, together (``"result": True``)
    close_couples()                close couples exercises for now
"""
from __future__ import annotations

import traitlets as t

from course.gate import LATER_TEXT, QUESTIONS, WORKSHOP_TEXT, CouplesGate, GateError, page_gate
from course.safety import load_resources
from widgets.base import SteadyWidget, action


class SafetyCheck(SteadyWidget):
    """A private check for two, one turn each; the couples exercises open only when both are clear.

    ``ask_again=True`` (module 7): couples exercises on this page open only
    after a check taken on this page, whatever the device remembers.
    ``gate``: the couples gate it answers to (by default the page's, ``course.gate.page_gate()``).
    """

    JS = "safety_check.js"
    CSS = "safety_check.css"

    questions = t.List(t.Dict(), help="The questions: id, text and [value, label] options. Never the answers.").tag(
        sync=True)
    resources = t.List(t.Dict(), help="Free, private helplines, shown to everyone after each turn "
                                      "(from resources.yml).").tag(sync=True)
    ask_again = t.Bool(False, help="Module 7: only a check taken on this page opens the couples exercises "
                                   "here.").tag(sync=True)

    def __init__(self, country: str = "US", ask_again: bool = False, gate: CouplesGate | None = None, **kwargs):
        super().__init__(questions=QUESTIONS, resources=load_resources(country)["resources"],
                         ask_again=bool(ask_again), **kwargs)
        self._gate = gate or page_gate()
        if ask_again:
            self._gate.ask_again = True
        self._gate.observe(self._on_gate)

    @property
    def gate(self) -> CouplesGate:
        """The couples gate this panel opens and closes."""
        return self._gate

    # -- what the page, a notebook or a test can call; each returns the view to show
    @action
    def refresh(self) -> dict:
        """The view to show now (the page asks when it is shown)."""
        return self._view()

    @action
    def start(self) -> dict:
        """Begin a check for two (turn 1), in this panel."""
        self._gate.begin_check(owner=self)
        return self._view()

    @action
    def answer(self, turn: int, answers: dict | None) -> dict:
        """One person's turn; ``answers=None`` is "not today". The answers are judged and dropped.

        The view that follows is the same whatever was answered.
        """
        check = self._gate.check
        if check is None:
            raise GateError("There is no check going on. Start the check first.")
        if turn != check.turn:
            raise GateError("That answer came after the turn ended, so it was not kept.")
        check.answer(answers)
        return {**self._view(), "done": turn}

    @action
    def finish(self) -> dict:
        """Both have answered: the shared result (``view`` is "open" when couples exercises opened)."""
        check = self._gate.check
        if check is None:
            raise GateError("There is no check going on. Start the check first.")
        check.finish()
        return {**self._view(), "result": True}

    @action
    def close_couples(self) -> dict:
        """Close couples exercises for now (anyone, any time, no reason)."""
        self._gate.close()
        return self._view()

    # -- the view
    def _view(self) -> dict:
        check = self._gate.check
        if check is not None:
            if check.owner is not self:
                return {"view": "elsewhere"}
            if check.answered:
                return {"view": "answered"}
            return {"view": "turn", "turn": check.turn}
        status = self._gate.status()
        view = {"view": status, "text": self._gate.text(status)}
        if status == "closed":
            view["note"] = WORKSHOP_TEXT if self._gate.workshop else LATER_TEXT
        return view

    def _on_gate(self, _status: str) -> None:
        if self.comm is not None:
            self.send({"type": "view", **self._view()})

    # -- problems go in the reply, with the view, never into the synced status line
    def _failed(self, name: str, options: dict, exc: Exception) -> dict:
        """A step that cannot happen now: said in the reply only (never a trait), with the current view.

        The message never repeats an answer; the status trait is never written, so a saved
        notebook or the browser's widget state says nothing about the check or the gate.
        """
        return {"ok": False, "error": str(exc), "value": self._view()}

    def _refuse(self, message: str) -> dict:
        return {"ok": False, "error": message}

    def close(self) -> None:
        if getattr(self, "_gate", None) is not None:  # also when __init__ failed part way
            self._gate.unobserve(self._on_gate)
        super().close()
