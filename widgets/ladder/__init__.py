"""ReconnectionLadder: steps back to touch, written by the couple (or one learner).

Module 7 (sensate focus, Masters & Johnson; Weiner & Avery-Clark 2017). Steps
start from non-sexual closeness. A step opens only when every partner says
they are ready for it, so the pace is that of the slower partner; steps above
the next one stay locked; "Step back" needs no reason and no one's say-so.
A sensation diary per open step records sensations, emotions and how safe it
felt (never outcomes).

Asking if you are both ready (CONTENT.md safety rules 1 and 8): the couple's
ladder asks in a round of private turns on the one screen, as the check for
two does (``widgets/ladder/round.py``): "Ask if we're both ready for step N",
partner 1's turn while partner 2 looks away, a cleared hand-over screen,
partner 2's turn, then one shared result. Both said yes: the step opens.
Otherwise the result is the same neutral, reason-free words whoever said not
yet, and that step is not asked again on this page (another day). Either
partner can stop the round at any time. No single answer is kept anywhere: not
in the store, not in a trait, not in the status line; the page learns the
round's screens from the replies to its requests, and they are the same
whatever was answered. A "not this time" is kept with the step's words, not its
number, and without case, spaces or punctuation (:func:`same_words`), so a small
edit or a step added below it does not ask again; it follows the step when its
words are changed. A yes is to that step: when one partner changes the words or
the later mark of an open step, it closes, with every step above it, until a new
round (a removal likewise never turns a yes for now into a saved one). The solo
ladder has one person, so one "I'm ready".

Later steps (REVIEW M6): the ideas come in two groups. First steps are
non-sexual rituals and touch that leaves out the genitals. Later steps, offered
only in a closed group of their own, bring in genital touch, arousal, touch to
orgasm and intercourse. A step is marked ``later`` when it comes from that
group, or when the learners say that a step they wrote includes genital touch
or sex. Every step at or above the first later step (``later_from``) is a
later step: the page shows it with module 7's "Sexual health first" (the
couple's ladder) or "only if you want it" (the solo ladder), and a yes to it
is only for now. Such a step opened in this sitting (this widget, this
kernel) is never saved as open: the device keeps the ladder open up to the
highest ordinary step, and the next sitting asks again. A later step not open
yet stays above the ordinary steps you add after it, so sex is never the next
step because of the order ideas were clicked in.

Who can read the diary (CONTENT.md safety rule 8, REVIEW H4): the couple's
ladder has one diary per step, and it is shared. Its page says so where you
write, and points to the solo ladder and the journal for notes of your own.
Its ratings go nowhere else: not into check-ins, not into the progress review,
since two people's ratings are not one person's trend, and a rating someone
may see is not always an honest one. The solo ladder's diary is one person's;
the progress review (module 9) reads its ratings from this record
(:func:`solo_diary_ratings`) as a series of their own, "solo ladder safety".
They are never copied into check-ins, so a removed entry is gone from the
review too, and they never mix with the "How safe do you feel in your
relationship?" check-in of module 4.

The page calls the methods marked ``@action`` (widgets/base.py); a notebook or
a test calls the same methods. Each checks its input with :mod:`course.validate`.
"""
from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import traitlets as t

from course import validate
from course.crisis import checkin_values
from course.store import StoreError, open_store
from widgets.base import CrisisWatch, action, crisis_help
from widgets.gated import CouplesWidget, GateClosed, holds
from widgets.ladder.round import LATER_AGAIN, NOT_NOW, NOT_NOW_MORE, OPEN, OPEN_FOR_NOW, Round, result_view

MAX_STEPS, MAX_STEP_TEXT, MAX_DIARY_TEXT, MAX_ENTRIES = 30, 200, 1000, 100
FIRST_STEPS = (  # the couple's: closeness that is not sexual, then touch that leaves out the genitals
    "A ten-minute talk about our day",
    "A walk together",
    "Cooking a meal together",
    "Dancing in the kitchen, or playing a game",
    "A shared bath, with no sex",
    "A long hug",
    "Holding hands",
    "Sitting close while watching something",
    "A back rub with clothes on",
    "Taking turns to touch hands, arms, and face",
    "Taking turns to touch with clothes off, leaving out breasts, chest, and genitals",
)
LATER_STEPS = (  # the couple's later steps, each only if both want it (module 7, "Later steps")
    "Taking turns to touch, now including breasts, chest, and genitals, with no goal",
    "Touching each other at the same time, still with no goal",
    "Taking turns to touch the genitals, with arousal allowed",
    "Touching each other at the same time, to orgasm if we both want",
    "Intercourse or other sex we both choose, only if we are both ready",
)
SOLO_FIRST_STEPS = (
    "A warm shower or bath, noticing the water on my skin",
    "A slow stretch",
    "Lotion on my hands and feet, noticing the touch",
    "A hand resting on my chest or belly, noticing the warmth",
)
SOLO_LATER_STEPS = (
    "Touching my own breasts, chest, or genitals, with no goal",
    "Touching myself with arousal allowed, on my own terms",
    "Trying different kinds of touch, and noticing what I like",
)
BACK_MESSAGE = "Going back a step is part of the plan, not a failure."
SOLO_GAUGE = "solo-ladder-safety"  # the progress review's name for the solo diary's ratings
WHEN = "%Y-%m-%d %H:%M"  # a diary entry's time, local, as shown


def solo_diary_ratings(store) -> list[dict]:
    """The solo ladder's diary ratings, oldest first: [{"at": UTC datetime, "value": 0-10}].

    Read by the progress review (module 9). Only the solo ladder's record: the
    couple's diary is shared and never counts as one person's ratings.
    """
    data = store.get_record(ReconnectionLadder.KIND, f"{ReconnectionLadder.KEY}-solo")
    steps = data.get("steps") if isinstance(data, dict) and isinstance(data.get("steps"), list) else []
    rows = []
    for step in filter(None, map(_read_step, steps)):  # a step or entry this version cannot read is left out
        for entry in step["diary"]:
            try:
                at = datetime.strptime(entry["when"], WHEN).astimezone(UTC)  # written in local time
                value = validate.rating(entry["safety"])
            except (KeyError, TypeError, ValueError, OverflowError, OSError):
                continue  # not guessed
            rows.append({"at": at, "value": value})
    return sorted(rows, key=lambda row: row["at"])


DIARY_TEXTS = ("sensations", "emotions", "note", "when")


def _read_step(saved) -> dict | None:
    """A saved step as the ladder keeps it, or None when it cannot be read (the record keeps it until a save).

    Diary entries that cannot be read are left out the same way.
    """
    if not isinstance(saved, dict) or not isinstance(saved.get("text"), str) or not saved["text"].strip():
        return None
    diary = saved.get("diary", [])
    entries = [dict(e) for e in (diary if isinstance(diary, list) else [])
               if isinstance(e, dict) and all(isinstance(e.get(k), str) for k in DIARY_TEXTS)
               and isinstance(e.get("safety"), int) and not isinstance(e["safety"], bool) and 0 <= e["safety"] <= 10]
    return {"text": saved["text"], "diary": entries, "later": saved.get("later") is True}


def _without_answers(steps: list) -> list:
    """An older ladder's steps without the per-partner "ready" flags it kept; nothing else changes."""
    return [{k: v for k, v in s.items() if k != "ready"} if isinstance(s, dict) else s for s in steps]


def _as_now(steps: list) -> list:
    """An older ladder's steps as this version writes them: no "ready" flags, no later mark is not later."""
    return [{"diary": [], "later": False, **s} if isinstance(s, dict) else s for s in _without_answers(steps)]


def first_later(steps: list[dict]) -> int:
    """The number (from 0) of the first later step; every step from there up is a later step."""
    return next((i for i, s in enumerate(steps) if s.get("later")), len(steps))


def same_words(text: str) -> str:
    """A step's words without case, spaces or punctuation: "A long hug." is "A long hug"."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _signature(steps: list[dict], count: int) -> tuple | None:
    """The first ``count`` steps' words and marks: what a sitting's open later steps were opened on."""
    if count > len(steps):
        return None
    return tuple((s["text"], s["later"]) for s in steps[:count])


class ReconnectionLadder(CrisisWatch, CouplesWidget):
    """A ladder of closeness you write yourselves; each step opens when all of you are ready."""

    JS = "ladder.js"
    CSS = "ladder.css"
    KIND, KEY = "ladder", "mine"
    NOUN = "ladder"
    ROUND_ACTIONS = ("ask_ready", "answer_ready", "finish_round", "cancel_round")

    steps = t.List(t.Dict(), help="Steps, lowest first: text, diary entries, later (genital touch or sex). "
                   "Nothing about anyone's answer to whether they are ready.").tag(sync=True)
    opened = t.Int(0, help="How many steps are open; step number `opened` (from 0) is the next one.").tag(sync=True)
    later_from = t.Int(0, help="The number (from 0) of the first later step, or the number of steps when there "
                       "is none: every step from there up is a later step, open only for this sitting.").tag(sync=True)
    suggestions = t.List(t.Unicode(), list(FIRST_STEPS),
                         help="Example first steps, added with one click (the solo ladder has its own).").tag(sync=True)
    later_suggestions = t.List(t.Unicode(), list(LATER_STEPS),
                               help="Optional later steps, offered in a group of their own and added as "
                               "later steps (add_step(later=True)).").tag(sync=True)
    crisis_safety = t.List(t.Int(), help="'How safe' ratings that show the crisis resources once saved "
                           "(course/crisis.yml, the safety gauge); the same for everyone.").tag(sync=True)

    def __init__(self, partners=("Partner A", "Partner B"), country: str = "US", **kwargs):
        # Kernel memory only, never a trait or a record: the round going on, the later steps
        # opened in this sitting (record, how many open, the steps they were opened on), and
        # the steps that got "not this time" on this page (record, the step's words as same_words
        # gives them: not its number, so a small edit or a step added below it asks nothing again).
        self._round: Round | None = None
        self._sitting: tuple | None = None
        self._not_now: set[tuple[str, str]] = set()
        super().__init__(partners=partners, crisis_safety=checkin_values("safety"),
                         **crisis_help(country), **kwargs)

    # -- storage
    def _load(self, data: dict) -> None:
        """Read a record; an older ladder's per-partner "ready" flags are dropped, unread, and at once
        from the device too (:meth:`_forget_old_answers`), whatever the gate says."""
        self._round = None  # a page that reads the ladder again never carries a round half done
        saved_steps = data.get("steps") if isinstance(data.get("steps"), list) else []
        steps = [step for step in map(_read_step, saved_steps) if step is not None]
        later_from = first_later(steps)
        saved = data.get("opened")
        opened = min(saved if isinstance(saved, int) and not isinstance(saved, bool) and saved > 0 else 0, later_from)
        if any(isinstance(s, dict) and "ready" in s for s in saved_steps):
            self._forget_old_answers(data, steps, opened)
        if self._sitting and self._sitting[0] == self.record_key and self._sitting[1] > opened \
                and _signature(steps, self._sitting[1]) == self._sitting[2]:
            opened = self._sitting[1]  # later steps opened in this sitting stay open in it
        else:
            self._sitting = None
        with self.hold_sync():
            self.steps, self.later_from, self.opened = steps, later_from, opened
            self.suggestions = list(SOLO_FIRST_STEPS if self.solo else FIRST_STEPS)
            self.later_suggestions = list(SOLO_LATER_STEPS if self.solo else LATER_STEPS)

    def _forget_old_answers(self, data: dict, steps: list[dict], opened: int) -> None:
        """Rewrite an older record without its per-partner "ready" flags, straight away.

        A plain rewrite of this one record at the store (``swap_record``: only if no other page
        changed it meanwhile), not :meth:`_save`, which would put a "Saved" line on the shared
        status. Only the steps (text, diary, later mark) and ``opened`` change; the rest of the
        record stays as it was. The store overwrites replaced text (secure_delete, checkpoint).
        """
        tidy = {**data, "steps": steps, "opened": opened}
        if not holds({**data, "steps": _as_now(data["steps"])}, {"steps": steps, "opened": opened}):
            # part of it cannot be read: take out the answers only, and leave the rest as it was
            tidy = {**data, "steps": _without_answers(data["steps"])}
        try:
            with open_store() as store:
                store.swap_record(self.KIND, self.record_key, data, tidy)
        except (StoreError, ValueError) as exc:
            self.report(f"An older copy of this ladder could not be tidied on this device: {exc}", error=True)

    def _read_whole(self, record) -> bool:
        """As the base's, once an older record is taken as this version writes it (see _as_now)."""
        if isinstance(record, dict) and isinstance(record.get("steps"), list):
            record = {**record, "steps": _as_now(record["steps"])}
        return super()._read_whole(record)

    def _data(self) -> dict:
        """What the device keeps: later steps are never saved as open."""
        return {"steps": self.steps, "opened": min(self.opened, self.later_from)}

    def _remember_sitting(self) -> None:
        if self.opened > self.later_from:
            self._sitting = (self.record_key, self.opened, _signature(self.steps, self.opened))
        else:
            self._sitting = None

    def _step(self, index) -> dict:
        return self.steps[validate.index(index, "step", len(self.steps))]

    def _commit(self, steps: list[dict], message: str, opened: int | None = None) -> None:
        self._round = None  # the ladder changed: a round going on was about another ladder
        with self.hold_sync():
            self.steps = steps
            self.later_from = first_later(steps)
            if opened is not None:
                self.opened = opened
        self._save(message)
        self._remember_sitting()

    def _on_gate(self, status: str) -> None:
        """Couples exercises closed: the round stops, and later steps opened for now close."""
        if status != "open" and not self.solo:
            self._round = None
            self._sitting = None
            self.opened = min(self.opened, self.later_from)
        super()._on_gate(status)

    # -- the ladder's steps
    def _later_words(self) -> str:
        ask = "It opens when you say you are ready." if self.solo else \
            "It opens only when you both say yes, each on your own turn."
        return f"It is a later step. {ask} {LATER_AGAIN}"

    @action(failed="Not saved:")
    def add_step(self, text: str, later: bool = False) -> int:
        """Add a step; returns its number (from 0). ``later``: it includes genital touch or sex.

        A later step goes at the top. Any other step goes at the top too, except
        that it stays below the later steps that are not open yet. A step above a
        later step is a later step too.
        """
        self._check_open()
        text = validate.words(text, "A step", MAX_STEP_TEXT)
        later = validate.flag(later, "Later step")
        if len(self.steps) >= MAX_STEPS:
            raise ValueError(f"A ladder can have at most {MAX_STEPS} steps.")
        at = len(self.steps)
        if not later:
            at = next((i for i in range(self.opened, len(self.steps)) if self.steps[i]["later"]), at)
        step = {"text": text, "diary": [], "later": later}
        message = f"Step {at + 1} added."
        if at < len(self.steps):
            message += " It goes below your later steps."
        elif later:
            message += f" {self._later_words()}"
        elif self.later_from < len(self.steps):
            message += f" It comes after a later step, so it is a later step too. {LATER_AGAIN}"
        self._commit([*self.steps[:at], step, *self.steps[at:]], message)
        return at

    def _again(self) -> str:
        return "until you say you are ready again" if self.solo else "until you both say yes again"

    @action(failed="Not saved:")
    def edit_step(self, index: int, text: str, later: bool | None = None) -> None:
        """Change the words of a step (and, with ``later``, whether it includes genital touch or sex).

        An open step whose words or later mark change is closed, with every step above it:
        both said yes to the old step, not to the new one, so it opens only after a new round.
        A step that got "not this time" on this page keeps it under its new words.
        """
        self._check_open()
        old = self._step(index)
        step = {**old, "text": validate.words(text, "A step", MAX_STEP_TEXT)}
        if later is not None:
            step["later"] = validate.flag(later, "Later step")
        if (self.record_key, same_words(old["text"])) in self._not_now:
            self._not_now.add((self.record_key, same_words(step["text"])))
        message, opened = f"Step {index + 1} changed.", None
        if index < self.opened and (step["text"], step["later"]) != (old["text"], old["later"]):
            message, opened = f"Step {index + 1} changed, so it is closed {self._again()}.", index
            if self.opened > index + 1:
                message += " The steps above it are closed too."
        steps = [step if i == index else s for i, s in enumerate(self.steps)]
        if first_later(steps) > self.later_from:  # no yes for now becomes a saved yes (closed above already)
            opened = min(self.opened if opened is None else opened, self.later_from)
        self._commit(steps, message, opened)

    @action(failed="Not saved:")
    def remove_step(self, index: int) -> None:
        """Remove a step and its diary (the page asks first).

        The steps that were open only for now stay so: when the first later step goes and
        the steps above it are no longer later steps, those open for now are closed, so
        one partner's removal never turns a yes for now into a saved yes.
        """
        self._check_open()
        self._step(index)
        steps = [s for i, s in enumerate(self.steps) if i != index]
        opened = self.opened - 1 if index < self.opened else self.opened
        for_now = self.later_from - 1 if index < self.later_from else self.later_from  # where "for now" began
        message = f"Step {index + 1} removed."
        if first_later(steps) > for_now and opened > for_now:
            which = f"Step {for_now + 1} was" if opened == for_now + 1 else f"Steps {for_now + 1} to {opened} were"
            message += f" {which} open only for now, so {'it is' if opened == for_now + 1 else 'they are'} " \
                       f"closed {self._again()}."
            opened = for_now
        self._commit(steps, message, opened)

    # -- readiness: the couple's round of private turns, the solo "I'm ready"
    def _next(self, index) -> dict:
        """The step, when it is the next one (the only one anyone can be asked about)."""
        step = self._step(index)
        if index < self.opened:
            raise ValueError(f"Step {index + 1} is already open.")
        if index > self.opened:
            raise ValueError(f"Step {index + 1} is still locked. Steps open one at a time, from the bottom.")
        return step

    def _open(self, index: int) -> None:
        """Open the next step: an ordinary one is saved open, a later one is open for this sitting only."""
        if index >= self.later_from:
            self.opened = index + 1
            self._remember_sitting()
            self.report(f"{OPEN_FOR_NOW.format(n=index + 1)} {LATER_AGAIN}")
        else:
            self._commit(self.steps, OPEN.format(n=index + 1), index + 1)

    @action(failed="Not saved:")
    def set_ready(self, index: int) -> None:
        """The solo ladder's "I'm ready": the next step opens. The couple's ladder asks in a round."""
        self._check_open()
        if not self.solo:
            raise ValueError("Each of you answers on your own turn: use \"Ask if we're both ready\".")
        self._next(index)
        self._open(index)

    @action(failed="Not asked:")
    def ask_ready(self, index: int) -> dict:
        """Start a round for the next step: partner 1's turn. Returns the round's view."""
        self._check_open()
        if self.solo:
            raise ValueError("On your own, press \"I'm ready for this step\".")
        step = self._next(index)
        if (self.record_key, same_words(step["text"])) in self._not_now:
            raise ValueError(f"Not this time for step {index + 1}. {NOT_NOW_MORE}")
        self._round = Round(index, step["text"])
        self.report("")  # an older line ("Step 3 added") never sits under the question
        return self._round.view()

    def _live_round(self) -> Round:
        if self._round is None:
            raise ValueError("No one is being asked now. Start again from the ladder if you both want to.")
        return self._round

    @action(failed="Not kept:")
    def answer_ready(self, turn: int, ready: bool) -> dict:
        """One partner's yes (True) or not yet (False), on their turn. The view after it is the same either way."""
        self._check_open()
        current = self._live_round()
        current.answer(turn, ready)
        return {**current.view(), "done": turn}

    @action(failed="Not asked:")
    def finish_round(self) -> dict:
        """Both have answered: the one shared result. The step opens only when both said yes."""
        self._check_open()
        current = self._live_round()
        yes = current.result()
        self._round = None
        if yes:
            self._open(current.index)
        else:
            self._not_now.add((self.record_key, same_words(current.text)))
        return result_view(current.index, yes, current.index >= self.later_from)

    @action
    def cancel_round(self) -> None:
        """Stop asking, at any time, for both of you: nothing was kept and nothing changes."""
        self._check_open()
        self._round = None

    def _failed(self, name: str, options: dict, exc: Exception) -> dict:
        """A round's problem is said in the reply only, never on the synced status line."""
        if name in self.ROUND_ACTIONS and not isinstance(exc, GateClosed):
            return {"ok": False, "error": str(exc)}
        return super()._failed(name, options, exc)

    @action(failed="Not saved:")
    def step_back(self) -> None:
        """Close the highest open step. Either partner, any time, no reason and no round."""
        self._check_open()
        if self.opened == 0:
            raise ValueError("No step is open yet, so there is nothing to step back from.")
        self._commit(self.steps, BACK_MESSAGE, self.opened - 1)

    # -- the sensation diary
    @action(failed="Not saved:")
    def add_entry(self, index: int, sensations: str = "", emotions: str = "", safety: int = 5,
                  note: str = "") -> None:
        """Add a diary entry to an open step. It stays in this diary: no check-in is written.

        The couple's diary is shared (both partners can read it); the solo diary's
        ratings are read by the progress review from this record.
        """
        self._check_open()
        step = self._step(index)
        if index >= self.opened:
            raise ValueError(f"Step {index + 1} is not open yet, so it has no diary.")
        entry = {"sensations": validate.text(sensations, "Sensations", limit=MAX_DIARY_TEXT) or "",
                 "emotions": validate.text(emotions, "Emotions", limit=MAX_DIARY_TEXT) or "",
                 "safety": validate.rating(safety, "How safe it felt"),
                 "note": validate.text(note, "The note", limit=MAX_DIARY_TEXT) or "",
                 "when": f"{datetime.now():{WHEN}}"}
        if len(step["diary"]) >= MAX_ENTRIES:
            raise ValueError(f"A step's diary can hold {MAX_ENTRIES} entries. Remove an old one first.")
        steps = [{**s, "diary": [*s["diary"], entry]} if i == index else s for i, s in enumerate(self.steps)]
        self._commit(steps, f"Diary entry added to step {index + 1}.")

    @action(failed="Not saved:")
    def remove_entry(self, index: int, entry: int) -> None:
        """Remove one diary entry; the solo diary's rating leaves the progress review with it."""
        self._check_open()
        diary = self._step(index)["diary"]
        validate.index(entry, f"diary entry in step {index + 1} with the", len(diary))
        steps = [{**s, "diary": [d for j, d in enumerate(diary) if j != entry]} if i == index else s
                 for i, s in enumerate(self.steps)]
        self._commit(steps, "Diary entry removed.")


__all__ = ["ReconnectionLadder", "FIRST_STEPS", "LATER_STEPS", "SOLO_FIRST_STEPS", "SOLO_LATER_STEPS",
           "BACK_MESSAGE", "SOLO_GAUGE", "LATER_AGAIN", "NOT_NOW", "first_later", "solo_diary_ratings"]
