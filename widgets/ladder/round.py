"""One round of "are we both ready for step N?": two private turns on one screen, one result.

Built like the private check for two (``course.gate.TwoPersonCheck``, CONTENT.md
safety rule 1): partner 1 answers while partner 2 looks away, the screen is
cleared and handed over, partner 2 answers, then both see one result together.

What a round keeps, in kernel memory only: the step it asks about (its number
and words), whose turn it is, and one bit: has everyone so far said yes? A
single answer lives only for the length of :meth:`Round.answer`. Nothing here
is a trait, a stored record, a log line or a status line, and what the page is
told after each turn is the same whatever was answered. The result is all that
anyone ever sees: open, or "not this time" with no reason, the same words
whoever said not yet.
"""
from __future__ import annotations

from course import validate

TURNS = 2
NOT_NOW = "Not this time. You stay where you are. No one needs to say why."
NOT_NOW_MORE = "You can ask again another day."
OPEN = "Step {n} is open."
OPEN_FOR_NOW = "Step {n} is open for now."
LATER_AGAIN = "Later steps are asked again each time, because a yes is only for now."
BACK_ANY_TIME = "Either of you can step back at any time, with no reason."


class Round:
    """Asking both partners, one at a time, whether they are ready for step ``index``."""

    def __init__(self, index: int, text: str):
        self.index = index
        self.text = text        # the step's words when the round began: a changed step is a new question
        self.turn = 1           # whose turn: 1, 2, then 3 = both answered
        self._all_yes = True

    @property
    def answered(self) -> bool:
        return self.turn > TURNS

    def answer(self, turn, ready) -> None:
        """One partner's yes (True) or not yet (False). The answer goes no further than this call."""
        if self.answered:
            raise ValueError("Both of you have answered. Look at the result together.")
        if turn != self.turn:
            raise ValueError("That answer came after the turn ended, so it was not kept.")
        ready = validate.flag(ready, "The answer")
        self._all_yes = self._all_yes and ready
        self.turn += 1

    def result(self) -> bool:
        """True when every partner said yes. Only once both have answered."""
        if not self.answered:
            raise ValueError("Each of you answers on your own turn first.")
        return self._all_yes

    def view(self) -> dict:
        """What the page shows now: a turn, or "both answered". The same whatever was answered."""
        if self.answered:
            return {"round": "answered", "step": self.index}
        return {"round": "turn", "turn": self.turn, "step": self.index}


def result_view(index: int, opened: bool, later: bool) -> dict:
    """The one shared result: open, or the neutral "not this time"."""
    n = index + 1
    if not opened:
        return {"round": "result", "step": index, "open": False, "text": NOT_NOW, "more": NOT_NOW_MORE}
    if later:
        return {"round": "result", "step": index, "open": True, "text": OPEN_FOR_NOW.format(n=n),
                "more": f"{LATER_AGAIN} {BACK_ANY_TIME}"}
    return {"round": "result", "step": index, "open": True, "text": OPEN.format(n=n), "more": BACK_ANY_TIME}
