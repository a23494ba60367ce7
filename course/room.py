"""The workshop room's shared state, held only in the server's memory (issue 10).

* **The pulse**: one closed question at a time, answered anonymously with one click.
  The room keeps counts only: no text, no times, nothing about who chose what. While a
  question is open it remembers, to refuse a second answer from the same browser, a keyed
  hash of each browser that answered (never next to its answer), and forgets it when the
  question closes. The facilitator sees how many answered; the counts only after the
  question is closed, and only when at least ``threshold`` people answered.
* **The end of the session**: the facilitator ends it; participants' pages are told and
  offered their notes; the server stops their kernels when the grace time is up.

Nothing here is written to disk or to a log; it is gone when the server stops.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import statistics
import time
from dataclasses import dataclass, field

GAUGE = [str(n) for n in range(11)]
PRESETS = ({"question": "How settled do you feel right now?", "kind": "gauge"},
           {"question": "How useful was this part?", "kind": "gauge"})
MIN_THRESHOLD = 3
DEFAULT_THRESHOLD = 5
DEFAULT_GRACE_S = 300
QUESTION_CHARS = 120
OPTION_CHARS = 40
TOO_FEW = "Too few answers to show"


class RoomError(ValueError):
    """A request the room refuses, with a plain message and the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _one_line(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise RoomError(f"{what} must be text.")
    text = " ".join(value.split())
    if not text:
        raise RoomError(f"{what} is empty.")
    if len(text) > limit:
        raise RoomError(f"{what} is too long: keep it to {limit} characters.")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text):
        raise RoomError(f"{what} has characters that cannot be shown.")
    return text


@dataclass
class Pulse:
    question: str
    kind: str
    options: list[str]
    id: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    open: bool = True
    counts: list[int] = field(default_factory=list)
    _answered: set[bytes] = field(default_factory=set)

    def __post_init__(self):
        self.counts = [0] * len(self.options)

    @property
    def answered(self) -> int:
        return sum(self.counts)

    def median(self) -> float | None:
        """The median answer of a 0-10 gauge (a choice question's options have no order)."""
        if self.kind != "gauge" or not self.answered:
            return None
        values = [value for value, count in enumerate(self.counts) for _ in range(count)]
        return float(statistics.median(values))


class Room:
    def __init__(self, threshold: int = DEFAULT_THRESHOLD, grace_s: int = DEFAULT_GRACE_S,
                 clock=time.monotonic):
        if threshold < MIN_THRESHOLD:
            raise ValueError(f"the pulse needs at least {MIN_THRESHOLD} answers before it shows any")
        self.threshold = threshold
        self.grace_s = grace_s
        self.pulse: Pulse | None = None
        self.stop_at: float | None = None
        self._clock = clock
        self._key = secrets.token_bytes(32)  # per question hashes of browsers; never leaves memory

    # -- the facilitator
    def open_question(self, question: object, kind: object = "gauge", options: object = None) -> Pulse:
        if self.ended:
            raise RoomError("The session has ended.", 409)
        text = _one_line(question, "The question", QUESTION_CHARS)
        if kind == "gauge":
            choices = list(GAUGE)
        elif kind == "choice":
            if not isinstance(options, list) or not 2 <= len(options) <= 5:
                raise RoomError("Give 2 to 5 answers to choose from.")
            choices = [_one_line(o, f"Answer {i}", OPTION_CHARS) for i, o in enumerate(options, 1)]
            if len({c.casefold() for c in choices}) != len(choices):
                raise RoomError("Two answers are the same.")
        else:
            raise RoomError("A question is a 0-10 gauge or a choice of 2 to 5 answers.")
        self.close_question()
        self.pulse = Pulse(text, str(kind), choices)
        self._key = secrets.token_bytes(32)
        return self.pulse

    def close_question(self) -> None:
        if self.pulse and self.pulse.open:
            self.pulse.open = False
            self.pulse._answered = set()  # who answered is forgotten; the counts stay

    def end(self, now: bool = False) -> None:
        self.close_question()
        at = self._clock() + (0 if now else self.grace_s)
        self.stop_at = at if self.stop_at is None else min(self.stop_at, at)

    @property
    def ended(self) -> bool:
        return self.stop_at is not None

    def stops_in(self) -> int | None:
        return None if self.stop_at is None else max(0, round(self.stop_at - self._clock()))

    def pulse_view(self) -> dict | None:
        """What the facilitator may see: a count while open; after closing, the counts and
        median only when at least ``threshold`` answered."""
        p = self.pulse
        if p is None:
            return None
        view = {"id": p.id, "question": p.question, "kind": p.kind, "options": list(p.options), "open": p.open,
                "answered": p.answered, "result": None}
        if not p.open:
            shown = p.answered >= self.threshold
            view["result"] = {"shown": shown, "counts": list(p.counts) if shown else None,
                              "median": p.median() if shown else None,
                              "message": "" if shown else TOO_FEW}
        return view

    # -- a participant
    def participant_view(self) -> dict:
        p = self.pulse
        question = ({"id": p.id, "question": p.question, "kind": p.kind, "options": list(p.options)}
                    if p and p.open and not self.ended else None)
        return {"ended": self.ended, "stops_in": self.stops_in(), "pulse": question}

    def answer(self, pulse_id: object, choice: object, seat: str | None) -> None:
        p = self.pulse
        if p is None or not p.open or not isinstance(pulse_id, str) or not hmac.compare_digest(p.id, pulse_id):
            raise RoomError("This question is closed.", 409)
        if not seat:
            raise RoomError("Open the module page first.", 409)
        if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < len(p.options):
            raise RoomError("Choose one of the answers.")
        mark = hmac.new(self._key, seat.encode(), hashlib.sha256).digest()
        if mark in p._answered:
            raise RoomError("You have already answered this question.", 409)
        p._answered.add(mark)
        p.counts[choice] += 1
