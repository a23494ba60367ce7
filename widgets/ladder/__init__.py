"""ReconnectionLadder: steps back to touch, written by the couple (or one learner).

Module 7 (sensate focus, Masters & Johnson; Weiner & Avery-Clark 2017). Steps
start from non-sexual closeness. A step opens only when every partner says
they are ready for it, so the pace is that of the slower partner; steps above
the next one stay locked; "Step back" needs no reason. A sensation diary per
open step records sensations, emotions and how safe it felt (never outcomes).

Later steps (REVIEW M6): the ideas come in two groups. First steps are
non-sexual rituals and touch that leaves out the genitals. Later steps, offered
only in a closed group of their own, bring in genital touch, arousal, touch to
orgasm and intercourse, each "only if you both want it". A step added from that
group is marked ``later``: it follows the same rule as every step (it opens when
every partner says ready, "Step back" closes it), it stays above the steps you
add after it while it is not open yet (so sex is never the next step because of
the order ideas were clicked in), and when it is next the page points back to
module 7's "Sexual health first" (the couple's ladder) or says it is only if
and when you want it (the solo ladder's own later steps: self-touch, arousal
allowed, on your own terms).

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

from datetime import UTC, datetime

import traitlets as t

from course import validate
from course.crisis import checkin_values
from course.crisis import phrases as crisis_phrase_list
from course.safety import load_resources
from widgets.base import action
from widgets.gated import CouplesWidget

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
    data = store.get_record(ReconnectionLadder.KIND, f"{ReconnectionLadder.KEY}-solo") or {}
    rows = []
    for step in data.get("steps") or []:
        for entry in step.get("diary") or []:
            try:
                at = datetime.strptime(entry["when"], WHEN).astimezone(UTC)  # written in local time
                value = validate.rating(entry["safety"])
            except (KeyError, TypeError, ValueError):
                continue  # an entry this version cannot read is left out, not guessed
            rows.append({"at": at, "value": value})
    return sorted(rows, key=lambda row: row["at"])


class ReconnectionLadder(CouplesWidget):
    """A ladder of closeness you write yourselves; each step opens when all of you are ready."""

    JS = "ladder.js"
    CSS = "ladder.css"
    KIND, KEY = "ladder", "mine"

    steps = t.List(t.Dict(), help="Steps, lowest first: text, ready (one flag per partner), diary entries, "
                   "later (added from the later steps).").tag(sync=True)
    opened = t.Int(0, help="How many steps are open; step number `opened` (from 0) is the next one.").tag(sync=True)
    suggestions = t.List(t.Unicode(), list(FIRST_STEPS),
                         help="Example first steps, added with one click (the solo ladder has its own).").tag(sync=True)
    later_suggestions = t.List(t.Unicode(), list(LATER_STEPS),
                               help="Optional later steps, offered in a group of their own and added as "
                               "later steps (add_step(later=True)).").tag(sync=True)
    crisis_phrases = t.List(t.Unicode(), help="Diary words that show the crisis resources (course/crisis.yml); "
                            "the browser checks its own text and tells no one.").tag(sync=True)
    crisis_safety = t.List(t.Int(), help="'How safe' ratings that show the crisis resources once saved "
                           "(course/crisis.yml, the safety gauge); the same for everyone.").tag(sync=True)
    resources = t.List(t.Dict(), help="Crisis resources shown inline (public, from resources.yml).").tag(sync=True)

    def __init__(self, partners=("Partner A", "Partner B"), country: str = "US", **kwargs):
        super().__init__(partners=partners, crisis_phrases=crisis_phrase_list(), crisis_safety=checkin_values("safety"),
                         resources=load_resources(country)["resources"], **kwargs)

    # -- storage
    def _load(self, data: dict) -> None:
        steps = data.get("steps") or []
        self.steps = [{"text": s["text"], "ready": list(s.get("ready", [])), "diary": list(s.get("diary", [])),
                       "later": s.get("later") is True} for s in steps]
        self.opened = min(int(data.get("opened", 0)), len(self.steps))
        self.suggestions = list(SOLO_FIRST_STEPS if self.solo else FIRST_STEPS)
        self.later_suggestions = list(SOLO_LATER_STEPS if self.solo else LATER_STEPS)

    def _data(self) -> dict:
        return {"steps": self.steps, "opened": self.opened}

    def _resize(self) -> None:
        n = len(self.partners)
        self.steps = [{**s, "ready": s["ready"] if len(s["ready"]) == n else [i < self.opened] * n}
                      for i, s in enumerate(self.steps)]

    def _step(self, index) -> dict:
        return self.steps[validate.index(index, "step", len(self.steps))]

    def _commit(self, steps: list[dict], message: str, opened: int | None = None) -> None:
        self.steps = steps
        if opened is not None:
            self.opened = opened
        self._save(message)

    # -- the ladder's steps
    @action(failed="Not saved:")
    def add_step(self, text: str, later: bool = False) -> int:
        """Add a step; returns its number (from 0).

        A later step goes at the top. Any other step goes at the top too, except
        that it stays below the later steps that are not open yet: those move up
        one, and whoever had said ready for the next step says so again, since
        the next step is now another one.
        """
        self._check_open()
        text = validate.words(text, "A step", MAX_STEP_TEXT)
        later = validate.flag(later, "Later step")
        if len(self.steps) >= MAX_STEPS:
            raise ValueError(f"A ladder can have at most {MAX_STEPS} steps.")
        n = len(self.partners)
        at = len(self.steps)
        if not later:
            at = next((i for i in range(self.opened, len(self.steps)) if self.steps[i]["later"]), at)
        step = {"text": text, "ready": [False] * n, "diary": [], "later": later}
        above = [{**s, "ready": [False] * n} for s in self.steps[at:]]
        message = f"Step {at + 1} added."
        if above:
            message += " It goes below your later steps."
        elif later:
            message += (" It is a later step. It opens only when you say you are ready." if self.solo
                        else " It is a later step. It opens only when you are both ready, like every step.")
        self._commit([*self.steps[:at], step, *above], message)
        return at

    @action(failed="Not saved:")
    def edit_step(self, index: int, text: str) -> None:
        """Change the words of a step; whether it is open stays as it was."""
        self._check_open()
        self._step(index)
        text = validate.words(text, "A step", MAX_STEP_TEXT)
        self._commit([{**s, "text": text} if i == index else s for i, s in enumerate(self.steps)],
                     f"Step {index + 1} changed.")

    @action(failed="Not saved:")
    def remove_step(self, index: int) -> None:
        """Remove a step and its diary (the page asks first)."""
        self._check_open()
        self._step(index)
        opened = self.opened - 1 if index < self.opened else self.opened
        self._commit([s for i, s in enumerate(self.steps) if i != index], f"Step {index + 1} removed.", opened)

    # -- readiness: the rule
    @action(failed="Not saved:")
    def set_ready(self, index: int, partner: int, ready: bool = True) -> bool:
        """Mark one partner ready (or not) for the next step; True when the step opened."""
        self._check_open()
        step = self._step(index)
        validate.index(partner, "partner", len(self.partners))
        if index < self.opened:
            raise ValueError(f"Step {index + 1} is already open.")
        if index > self.opened:
            raise ValueError(f"Step {index + 1} is still locked. Steps open one at a time, from the bottom.")
        ready = validate.flag(ready, "Ready")
        flags = [ready if p == partner else f for p, f in enumerate(step["ready"])]
        steps = [{**s, "ready": flags} if i == index else s for i, s in enumerate(self.steps)]
        if all(flags):
            who = "You said" if self.solo else "You both said"
            self._commit(steps, f"Step {index + 1} is open. {who} you are ready.", index + 1)
            return True
        name = self.partners[partner]
        waiting = "" if self.solo else " The step opens when you are both ready."
        self._commit(steps, f"{name} is {'ready' if ready else 'not ready yet'} for step {index + 1}.{waiting}")
        return False

    @action(failed="Not saved:")
    def step_back(self) -> None:
        """Close the highest open step and clear readiness above; no reason needed."""
        self._check_open()
        if self.opened == 0:
            raise ValueError("No step is open yet, so there is nothing to step back from.")
        opened = self.opened - 1
        n = len(self.partners)
        steps = [{**s, "ready": [False] * n} if i >= opened else s for i, s in enumerate(self.steps)]
        self._commit(steps, BACK_MESSAGE, opened)

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
           "BACK_MESSAGE", "SOLO_GAUGE", "solo_diary_ratings"]
