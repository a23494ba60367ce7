"""SafetyCheck: the private screen that comes before any couples exercise.

CONTENT.md safety rule 1. Each partner answers alone. Four questions: two in
the style of the WAST-short (Brown et al. 2000: tension in the relationship,
how arguments are worked out), written fresh in plain words, plus "do you ever
feel afraid of your partner" and "has your partner hurt, threatened or tried
to control you".

The rule (see :func:`assess`): any of
    afraid   = "yes" or "sometimes"
    harmed   = "yes" or "not-sure"
    tension  = "a-lot" together with arguments = "great-difficulty"
is a worrying answer and gives "concern"; anything else gives "clear".

Privacy: the answers arrive in one message, are judged, and are dropped. They
are never a trait, never kept on the widget, never stored, never shown back.
Only the result goes to ``course.safety.gate`` (stored only when the learner
ticks "Remember my result"). The result itself is not a synced trait either: it
reaches the browser in a message, so a saved notebook cannot capture it.

Messages from the browser:
    {"type": "ready"}                                          -> {"type": "result", ...}
    {"type": "submit", "answers": {id: value}, "remember": bool} -> {"type": "result", ...}
    {"type": "clear"}                                          -> {"type": "result", "result": "unchecked"}
A problem is answered with {"type": "error", "message": str}.
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t

from course.safety import gate, load_resources
from course.store import StoreError
from widgets.esm import esm

HERE = Path(__file__).parent
THEME = HERE.parent / "theme.css"

ALONE = "Answer this on your own, where your partner cannot see the screen."
CONCERN = ("Couples exercises are not advised when there is fear, harm, threats or control. "
           "They can make things less safe. The rest of the course is still here for you.")
QUESTIONS = [
    {"id": "tension", "text": "In general, how much tension is there in your relationship?",
     "options": [["a-lot", "A lot of tension"], ["some", "Some tension"], ["none", "No tension"]]},
    {"id": "arguments", "text": "When the two of you argue, how do you work it out?",
     "options": [["great-difficulty", "With great difficulty"], ["some-difficulty", "With some difficulty"],
                 ["no-difficulty", "With no difficulty"]]},
    {"id": "afraid", "text": "Do you ever feel afraid of your partner?",
     "options": [["yes", "Yes"], ["sometimes", "Sometimes"], ["no", "No"]]},
    {"id": "harmed", "text": ("Has your partner ever hurt you, threatened you, or tried to control you? "
                              "For example, your phone, your money, your friends, or where you go."),
     "options": [["yes", "Yes"], ["not-sure", "Not sure"], ["no", "No"]]},
]
_VALUES = {q["id"]: {value for value, _label in q["options"]} for q in QUESTIONS}


def assess(answers: dict) -> str:
    """"concern" for any worrying answer, else "clear"; ValueError for missing or unknown answers."""
    if not isinstance(answers, dict):
        raise ValueError("The answers must be a mapping of question to answer.")
    unknown = sorted(set(answers) - set(_VALUES), key=str)
    if unknown:
        raise ValueError(f"There is no question called {unknown[0]!r}.")
    missing = [n for n, q in enumerate(QUESTIONS, 1) if answers.get(q["id"]) is None]
    if missing:
        raise ValueError(f"Please answer every question first (still to answer: {', '.join(map(str, missing))}).")
    for key, value in answers.items():
        if value not in _VALUES[key]:
            raise ValueError(f"{value!r} is not one of the answers to the {key!r} question.")
    worrying = (answers["afraid"] in ("yes", "sometimes")
                or answers["harmed"] in ("yes", "not-sure")
                or (answers["tension"] == "a-lot" and answers["arguments"] == "great-difficulty"))
    return "concern" if worrying else "clear"


class SafetyCheck(anywidget.AnyWidget):
    """A private four-question check; a worrying answer closes the couples exercises only."""

    _esm = esm(HERE / "safety_check.js")
    _css = THEME.read_text(encoding="utf-8") + (HERE / "safety_check.css").read_text(encoding="utf-8")

    questions = t.List(t.Dict(), help="The questions: id, text and [value, label] options. Never the answers.").tag(sync=True)
    resources = t.List(t.Dict(), help="Crisis resources shown with a worrying answer (from resources.yml).").tag(sync=True)

    def __init__(self, country: str = "US", **kwargs):
        super().__init__(questions=QUESTIONS, resources=load_resources(country)["resources"], **kwargs)
        self.on_msg(self._on_msg)
        gate.observe(self._on_gate)

    def submit(self, answers: dict, remember: bool = False) -> str:
        """Judge the answers, pass only the result to the gate, forget the answers; returns the result."""
        result = assess(answers)  # the answers go no further than this line
        gate.set(result, remember=bool(remember))
        return result

    def clear(self) -> None:
        """Start again: the gate goes back to "unchecked" and any remembered result is forgotten."""
        gate.set("unchecked")

    def _tell(self, state: str | None = None) -> None:
        state = state or gate.state
        self.send({"type": "result", "result": state, "concern": CONCERN if state == "concern" else ""})

    def _on_gate(self, state: str) -> None:
        if self.comm is not None:
            self._tell(state)

    def _on_msg(self, _widget, content, _buffers) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        try:
            if kind == "submit":
                self.submit(content.get("answers"), remember=content.get("remember") is True)
            elif kind == "clear":
                self.clear()
            elif kind == "ready":
                self._tell()
        except ValueError as exc:
            self.send({"type": "error", "message": str(exc)})
        except StoreError as exc:  # the result still holds for this page; only remembering failed
            self.send({"type": "error", "message": f"Your result could not be remembered on this device: {exc}"})
            self._tell()

    def close(self) -> None:
        gate.unobserve(self._on_gate)
        super().close()
