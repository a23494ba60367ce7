"""The couples gate: a private safety check for two people on one device.

CONTENT.md safety rule 1. Couples exercises open only when both partners,
each on their own turn, gave a "clear" answer in the same sitting. The rules:

- Starting a check closes the couples exercises until it ends. Nothing on the
  page changes when one person answers, so the partner whose turn comes next
  learns nothing from the screen.
- The check opens them only if both turns were clear and nobody closed them
  while it ran. Any other ending (a concern, a "not today", a check left
  unfinished, a tab closed) leaves them closed for the rest of the sitting, and
  no later answer from anyone lifts that.
- Either partner can close them at any time, with one button and no reason.
  So a closed state never tells anyone that someone reported danger.

What the device keeps: one record, kind ``couples-gate``, that is either
"open until" (at most 14 days) or "closed until" (the end of the sitting, 12
hours) with a random mark that tells one close from the next. Both are
neutral: a closed record is exactly what the close button writes, so it cannot
tell a concern from a click. It holds no answers and no reason, is never
exported (``course.store.PRIVATE_KINDS``), and expires by itself. A sitting spans every page of the
course on this device: without the closed record, a partner could open another
module's page (a new kernel) and ask for the check again at once.

Answers live only in :meth:`TwoPersonCheck.answer` for the length of one call;
the check keeps one bit (were all turns so far clear?) in kernel memory.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

GATE_KIND, GATE_KEY = "couples-gate", "device"
OPEN_DAYS = 14
SITTING_HOURS = 12   # a close lasts at least this long, and always into another day
NEW_DAY_HOUR = 4     # ... until 4 a.m. local time at the earliest
TURNS = 2

# What every screen says. The same words whatever anyone answered.
CLOSED_TEXT = "Couples exercises are closed for now. The solo version is below."
LATER_TEXT = ("You can take the check together again another day. "
              "Many couples start this work with a couples therapist.")
WORKSHOP_TEXT = "In a workshop, couples exercises are done at home, not in the room."
UNCHECKED_TEXT = ("This part is for couples. First, each of you answers the private check for two, "
                  "on your own turn. Until then, the solo version is below.")
OPEN_TEXT = ("Couples exercises are open. Either of you can close them at any time, "
             "without saying why.")

# -- the questions ------------------------------------------------------------------
# Two items in the style of the WAST-short (Brown et al. 1996/2000: tension in the
# relationship, how arguments are worked out), written fresh, and two screening
# items for violence, sexual coercion, control and fear, worded so that being
# hurt by an affair is not a "yes".
QUESTIONS = [
    {"id": "tension", "text": "In general, how much tension is there in your relationship?",
     "options": [["a-lot", "A lot of tension"], ["some", "Some tension"], ["none", "No tension"]]},
    {"id": "arguments", "text": "When the two of you argue, how do you work it out?",
     "options": [["great-difficulty", "With great difficulty"], ["some-difficulty", "With some difficulty"],
                 ["no-difficulty", "With no difficulty"]]},
    {"id": "harmed", "text": ("Has your partner ever hit, pushed, choked or physically hurt you, threatened you, "
                              "pressured or forced you into sexual activity, or controlled your money, friends "
                              "or where you go?"),
     "options": [["yes", "Yes"], ["not-sure", "Not sure"], ["no", "No"]]},
    {"id": "afraid", "text": "Are you afraid of what your partner might do if you disagree or say no?",
     "options": [["yes", "Yes"], ["sometimes", "Sometimes"], ["no", "No"]]},
]
_VALUES = {q["id"]: {value for value, _label in q["options"]} for q in QUESTIONS}
VERDICTS = ("clear", "therapist", "concern")


def assess(answers: dict) -> str:
    """One person's answers -> "concern", "therapist" or "clear". Nothing is kept.

    concern:   harmed is yes or not sure, or afraid is yes or sometimes.
    therapist: a lot of tension together with great difficulty in arguments
               (a positive WAST-short) and no concern: start with a couples therapist.
    clear:     anything else.
    ValueError, in plain words, for a missing or unknown answer.
    """
    if not isinstance(answers, dict):
        raise ValueError("The answers must be a mapping of question to answer.")
    unknown = sorted(set(answers) - set(_VALUES), key=str)
    if unknown:
        raise ValueError(f"There is no question called {unknown[0]!r}.")
    missing = [n for n, q in enumerate(QUESTIONS, 1) if answers.get(q["id"]) is None]
    if missing:
        raise ValueError(f"Please answer every question first (still to answer: {', '.join(map(str, missing))}).")
    for key, value in answers.items():
        if not isinstance(value, str) or value not in _VALUES[key]:
            raise ValueError(f"{value!r} is not one of the answers to the {key!r} question.")
    if answers["harmed"] in ("yes", "not-sure") or answers["afraid"] in ("yes", "sometimes"):
        return "concern"
    if answers["tension"] == "a-lot" and answers["arguments"] == "great-difficulty":
        return "therapist"
    return "clear"


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _default_store():
    from course.store import open_store

    return open_store()


class GateError(ValueError):
    """A step of the check that cannot happen now (said in plain words)."""


class TwoPersonCheck:
    """One sitting's check: two private turns, then one shared result.

    Keeps only the turn number and whether every turn so far was clear.
    """

    def __init__(self, gate: CouplesGate):
        self._gate = gate
        self.mark: dict = {}  # the closed record that began it
        self.turn = 1  # whose turn: 1, 2, then 3 = both answered
        self._all_clear = True
        self.finished = False
        self.owner: object = None  # the panel that shows it

    @property
    def answered(self) -> bool:
        return self.turn > TURNS

    def answer(self, answers: dict | None) -> None:
        """This turn's answers, or None for "not today" (closes, no reason asked)."""
        if self.finished or self.answered:
            raise GateError("Both of you have answered. Look at the result together.")
        verdict = "not-today" if answers is None else assess(answers)  # answers go no further
        self._all_clear = self._all_clear and verdict == "clear"
        self.turn += 1

    def finish(self) -> bool:
        """Both turns done: open the couples exercises or keep them closed; True when open."""
        if not self.answered:
            raise GateError("The check is not finished: each of you answers on your own turn first.")
        if not self.finished:
            self.finished = True
            self._gate._end_check(self, self._all_clear)
        return self._gate.is_open()


class CouplesGate:
    """Whether the couples exercises are open on this device, for this page.

    ``store`` makes the learner's store (a context manager); ``now`` gives the
    time in UTC. Both are injectable for tests. ``ask_again`` (module 7):
    only a check taken on this page opens the couples exercises here.
    """

    def __init__(self, store: Callable = _default_store, now: Callable[[], datetime] = _utcnow,
                 workshop: bool | None = None):
        from course.store import WORKSHOP_ENV

        self._store = store
        self._now = now
        self._listeners: list[Callable[[str], None]] = []
        self._check: TwoPersonCheck | None = None
        self._closed_here = False        # closed on this page (also when the store cannot be written)
        self._opened_here: datetime | None = None  # a check on this page opened them (for ask_again)
        self.ask_again = False
        # In a workshop each page keeps its data in its own memory, so a close could not hold
        # across pages; couples exercises are for home there (the facilitator guides say so).
        self.workshop = os.environ.get(WORKSHOP_ENV) == "1" if workshop is None else workshop

    # -- the device record
    def _record(self) -> dict:
        from course.store import StoreError

        try:
            with self._store() as store:
                data = store.get_record(GATE_KIND, GATE_KEY)
        except (StoreError, ValueError):
            return {}  # an unreadable store never opens the gate
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict, expect: dict | None = None) -> bool:
        """Save the record; with ``expect``, only if the device still holds exactly that, in one
        transaction (False when it does not). GateError, in plain words, when the device cannot save.
        """
        from course.store import StoreError

        try:
            with self._store() as store:
                if expect is None:
                    store.put_record(GATE_KIND, GATE_KEY, data)
                    return True
                return store.swap_record(GATE_KIND, GATE_KEY, expect, data)
        except (StoreError, ValueError) as exc:
            raise GateError(f"This device could not save it. {exc}") from exc

    def sitting_end(self, now: datetime) -> datetime:
        """When a close made at ``now`` ends: at least 12 hours, and never before 4 a.m. of another day."""
        local = now.astimezone()
        day = local.date() if local.hour < NEW_DAY_HOUR else local.date() + timedelta(days=1)
        # A naive wall time made aware with astimezone() takes that day's own offset, so the
        # next 4 a.m. stays 4 a.m. across a daylight-saving change.
        new_day = datetime.combine(day, datetime.min.time()).replace(hour=NEW_DAY_HOUR).astimezone()
        return max(now + timedelta(hours=SITTING_HOURS), new_day.astimezone(UTC))

    def _until(self, data: dict, key: str) -> datetime | None:
        try:
            until = datetime.fromisoformat(data[key])
        except (KeyError, TypeError, ValueError):
            return None
        return until if until.tzinfo and until > self._now() else None

    # -- what the page asks
    def status(self) -> str:
        """"checking", "closed", "open" or "unchecked" (no record, or it expired)."""
        if self._check is not None:
            return "checking"
        if self.workshop:
            return "closed"
        data = self._record()
        if self._closed_here or self._until(data, "closed_until"):
            return "closed"
        open_until = self._until(data, "open_until")
        if open_until and open_until > self._now() + timedelta(days=OPEN_DAYS):
            open_until = None  # no check opens them for longer: this record was not written by one
        if self.ask_again:
            return "open" if self._opened_here and open_until else "unchecked"
        return "open" if open_until else "unchecked"

    def is_open(self) -> bool:
        return self.status() == "open"

    def text(self, status: str | None = None) -> str:
        status = status or self.status()
        return {"open": OPEN_TEXT, "unchecked": UNCHECKED_TEXT}.get(status, CLOSED_TEXT)

    # -- what the partners do
    def close(self) -> None:
        """Close the couples exercises for this sitting. Anyone, any time, no reason.

        Always closed on this page. GateError when the device could not save it, so that
        the person knows other pages may not have heard.
        """
        self._check = None
        try:
            self._close()
        finally:
            self._changed()

    def begin_check(self, owner: object = None) -> TwoPersonCheck:
        """Start a check for two. The couples exercises stay closed until it ends."""
        if self._check is not None:
            raise GateError("A check is already going on. Finish it, or close couples exercises for now.")
        if self.workshop:
            raise GateError(WORKSHOP_TEXT)
        if self.status() == "closed":
            raise GateError(f"Couples exercises are closed for now. {LATER_TEXT}")
        check = TwoPersonCheck(self)
        check.owner = owner
        try:
            check.mark = self._close()  # an unfinished check leaves them closed for the sitting
        except GateError as exc:
            self._changed()
            raise GateError("The check could not start: it needs to save one note on this device, "
                            f"and could not. Couples exercises stay closed. {exc}") from exc
        self._check = check
        self._changed()
        return check

    @property
    def check(self) -> TwoPersonCheck | None:
        """The check going on in this page, if any."""
        return self._check

    def _close(self) -> dict:
        """Closed until the sitting ends, here at once and on the device; returns the record."""
        self._closed_here, self._opened_here = True, None
        record = {"closed_until": self.sitting_end(self._now()).isoformat(),
                  "mark": secrets.token_hex(8)}  # tells one close from the next; says nothing else
        self._write(record)
        return record

    def _end_check(self, check: TwoPersonCheck, all_clear: bool) -> None:
        if check is not self._check:
            return  # closed (or restarted) while it ran: that close stands
        self._check = None
        try:
            if all_clear:
                # Only if nobody closed them while it ran, here or on another page of this device;
                # a device that cannot save "open" keeps them closed.
                now = self._now()
                if self._write({"open_until": (now + timedelta(days=OPEN_DAYS)).isoformat()}, expect=check.mark):
                    self._closed_here, self._opened_here = False, now
        finally:
            self._changed()

    # -- listeners: widgets on this page hear every change
    def observe(self, callback: Callable[[str], None]) -> None:
        if callback not in self._listeners:
            self._listeners.append(callback)

    def unobserve(self, callback: Callable[[str], None]) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def _changed(self) -> None:
        status = self.status()
        for callback in list(self._listeners):
            callback(status)


_PAGE_GATES: dict[tuple[str, bool], CouplesGate] = {}


def page_gate() -> CouplesGate:
    """The gate of this page (one Voila page is one kernel) for the learner's current store.

    Widgets take theirs with ``gate=``; without one they share this one, so a
    close in one widget reaches every widget on the page. It is keyed by the
    store's folder and workshop mode, so a test or a tool that points
    STEADY_GROUND_HOME elsewhere gets a fresh gate and never needs to reset one.
    """
    from course.store import WORKSHOP_ENV, data_dir

    key = (str(data_dir()), os.environ.get(WORKSHOP_ENV) == "1")
    if key not in _PAGE_GATES:
        _PAGE_GATES[key] = CouplesGate()
    return _PAGE_GATES[key]
