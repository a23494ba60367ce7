"""SafetyCheck: the private check for two that comes before every couples section.

CONTENT.md safety rule 1; the rules themselves live in ``course.gate``. On the
page it is a small panel: "Start the check" (or "open, close them any time",
or "closed for now"). The check itself is two private turns on one screen:

    intro -> turn 1 -> "thank you" -> hand over -> turn 2 -> "thank you" -> result

Each turn's answers leave the browser once, in one message, are judged by
``course.gate.assess`` and dropped. Every screen of a turn, and the screen
after it, is the same whatever was answered, and the result only appears when
both partners look at it together. Nothing about anyone's answers is a trait,
a stored record, a log line or a notebook output: the panel's view reaches the
browser in messages, and the only traits are the questions and the helplines.

Messages from the browser, each answered with {"type": "view", ...}:
    {"type": "ready"}            the current view
    {"type": "start"}            begin a check (turn 1)
    {"type": "answer", "turn": n, "answers": {id: value}}   one person's turn
    {"type": "answer", "turn": n, "skip": true}             "not today" (no reason)
    {"type": "finish"}           both answered: show the result together
    {"type": "close"}            close couples exercises for now
Problems are answered with {"type": "error", "message": str}.
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t

from course import gate as gates
from course.gate import LATER_TEXT, QUESTIONS, WORKSHOP_TEXT, CouplesGate, GateError
from course.safety import load_resources
from widgets.esm import esm

HERE = Path(__file__).parent
THEME = HERE.parent / "theme.css"


class SafetyCheck(anywidget.AnyWidget):
    """A private check for two, one turn each; the couples exercises open only when both are clear.

    ``ask_again=True`` (module 7): couples exercises on this page open only
    after a check taken on this page, whatever the device remembers.
    """

    _esm = esm(HERE / "safety_check.js")
    _css = THEME.read_text(encoding="utf-8") + (HERE / "safety_check.css").read_text(encoding="utf-8")

    questions = t.List(t.Dict(), help="The questions: id, text and [value, label] options. Never the answers.").tag(sync=True)
    resources = t.List(t.Dict(), help="Free, private helplines, shown to everyone after each turn (from resources.yml).").tag(sync=True)
    ask_again = t.Bool(False, help="Module 7: only a check taken on this page opens the couples exercises here.").tag(sync=True)

    def __init__(self, country: str = "US", ask_again: bool = False, gate: CouplesGate | None = None, **kwargs):
        super().__init__(questions=QUESTIONS, resources=load_resources(country)["resources"],
                         ask_again=bool(ask_again), **kwargs)
        self._gate = gate or gates.gate  # this page's gate, looked up when the widget is made
        if ask_again:
            self._gate.ask_again = True
        self._gate.observe(self._on_gate)
        self.on_msg(self._on_msg)

    # -- what a notebook or a test can call
    def start(self) -> None:
        """Begin a check for two (turn 1), in this panel."""
        self._gate.begin_check(owner=self)

    def answer(self, turn: int, answers: dict | None) -> None:
        """One person's turn; ``answers=None`` is "not today". The answers are judged and dropped."""
        check = self._gate.check
        if check is None:
            raise GateError("There is no check going on. Start the check first.")
        if turn != check.turn:
            raise GateError("That answer came after the turn ended, so it was not kept.")
        check.answer(answers)

    def finish(self) -> bool:
        """Both have answered: the shared result; True when couples exercises are open."""
        check = self._gate.check
        if check is None:
            raise GateError("There is no check going on. Start the check first.")
        return check.finish()

    def close_couples(self) -> None:
        """Close couples exercises for now (anyone, any time, no reason)."""
        self._gate.close()

    # -- the browser
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

    def _tell(self, extra: dict | None = None) -> None:
        if self.comm is not None:
            self.send({"type": "view", **self._view(), **(extra or {})})

    def _on_gate(self, _status: str) -> None:
        self._tell()

    def _on_msg(self, _widget, content, _buffers) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        try:
            if kind == "start":
                self.start()
            elif kind == "answer":
                self.answer(content.get("turn"), None if content.get("skip") is True else content.get("answers"))
                self._tell({"done": content.get("turn")})
                return
            elif kind == "finish":
                self.finish()
                self._tell({"result": True})
                return
            elif kind == "close":
                self.close_couples()
            elif kind != "ready":
                return
        except ValueError as exc:  # GateError too; the message never repeats an answer
            self.send({"type": "error", "message": str(exc)})
        self._tell()

    def close(self) -> None:
        self._gate.unobserve(self._on_gate)
        super().close()
