"""MuscleRelaxation: guided progressive muscle relaxation, timed in the browser.

Python owns the settings (muscle groups, tense and release seconds, checked
here) and saves finished sessions; relaxation.js runs the clock (frameClock
of widgets/lib/practice.js, the same as the breathing pacer's), so it does
not drift and still works in the static book.

When a session ends (after the learner rates or skips the "after" rating),
the page calls the ``record_session`` action (widgets/base.py) with
``started_at`` (ISO 8601), ``duration_s``, ``groups_done``, ``completed``,
``before`` and ``after`` (0-10 or None).
"""
from __future__ import annotations

import math

import traitlets as t

from course import validate
from course.store import open_store
from widgets.base import SteadyWidget, action
from widgets.breathing.patterns import ratings_words, say_seconds, session_details

GROUPS = {
    "hands": ("Hands and forearms", "Make a fist with both hands. Squeeze.",
              "Now let go. Let your fingers open and go soft."),
    "upper-arms": ("Upper arms", "Bend your elbows and tighten the tops of your arms.",
                   "Now let go. Let your arms drop and rest."),
    "shoulders": ("Shoulders", "Lift your shoulders up toward your ears.",
                  "Now let go. Let your shoulders drop down."),
    "face": ("Face", "Scrunch up your face. Squeeze your eyes and press your lips together.",
             "Now let go. Let your forehead, eyes and jaw go smooth."),
    "stomach": ("Stomach", "Tighten your stomach, as if to brace. Keep breathing.",
                "Now let go. Let your belly go soft."),
    "legs-feet": ("Legs and feet", "Press your feet into the floor and tighten your legs.",
                  "Now let go. Let your legs and feet go heavy and loose."),
}
TENSE_RANGE, RELEASE_RANGE = (5.0, 7.0), (30.0, 40.0)
PREPARE_S = 4.0  # "Next: hands and forearms. Get ready." before each tense
SAFETY = "Tense gently, not to the point of pain. Skip any part that is hurt or sore."
EXERCISE, PATTERN = "muscle-relaxation", "pmr"


def _seconds(value, what: str, span: tuple[float, float], why: str) -> float:
    lo, hi = span
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not lo <= value <= hi:
        raise t.TraitError(f"{what} must last {lo:g} to {hi:g} seconds; you asked for {value!r}. {why}")
    return float(value)


class MuscleRelaxation(SteadyWidget):
    """Tense each muscle group gently for a few seconds, then let go and notice."""

    JS = "relaxation.js"
    CSS = "relaxation.css"

    groups = t.List(t.Unicode(), help=f"Muscle groups in order, from: {', '.join(GROUPS)}.").tag(sync=True)
    tense_s = t.Float(6.0, help="Seconds to tense each group, 5 to 7.").tag(sync=True)
    release_s = t.Float(30.0, help="Seconds to let go and notice, 30 to 40.").tag(sync=True)
    prepare_s = t.Float(PREPARE_S, read_only=True, help="Seconds to get ready before each group.").tag(sync=True)
    steps = t.List(t.Dict(), read_only=True,
                   help='One entry a group: [{"key", "name", "tense", "release"}] (computed).').tag(sync=True)
    safety = t.Unicode(SAFETY, read_only=True, help="The safety line shown above the exercise.").tag(sync=True)
    reduced_motion = t.Bool(False, help="Calm view: a progress bar instead of a moving shape.").tag(sync=True)
    sessions_saved = t.Int(0, help="How many sessions this widget has saved.").tag(sync=True)

    def __init__(self, groups=None, tense_s: float = 6.0, release_s: float = 30.0, **kwargs):
        super().__init__(groups=list(GROUPS) if groups is None else groups,
                         tense_s=tense_s, release_s=release_s, **kwargs)
        self._recompute()
        self.observe(self._recompute, names=["groups"])

    @t.validate("groups")
    def _v_groups(self, proposal):
        value = list(proposal["value"])
        unknown = [g for g in value if g not in GROUPS]
        if unknown or not value or len(set(value)) != len(value):
            raise t.TraitError(f"Muscle groups must be one or more of {', '.join(GROUPS)}, each once; "
                               f"got {value!r}.")
        return value

    @t.validate("tense_s")
    def _v_tense(self, proposal):
        return _seconds(proposal["value"], "Tensing", TENSE_RANGE, "Longer can strain or cramp.")

    @t.validate("release_s")
    def _v_release(self, proposal):
        return _seconds(proposal["value"], "Letting go", RELEASE_RANGE, "This gives the muscles time to soften.")

    def _recompute(self, change=None):
        self.set_trait("steps", [{"key": k, "name": GROUPS[k][0], "tense": GROUPS[k][1], "release": GROUPS[k][2]}
                                 for k in self.groups])

    @action(failed="Not saved:")
    def record_session(self, started_at, duration_s, groups_done, completed=True, before=None,
                       after=None) -> int | None:
        """Save one session; returns the row id, or None when no muscle group was finished.

        Bad input raises ValueError in plain words before the store is touched
        (from the page, the status line says it after "Not saved:").
        """
        start, length, before, after = session_details(started_at, duration_s, before, after)
        groups_done = validate.whole(groups_done, "The number of muscle groups done", 0, len(self.groups))
        completed = validate.flag(completed, "Whether the session was finished")
        if groups_done < 1:
            self.report("Nothing saved: no muscle group was finished.")
            return None
        with open_store() as store:
            row = store.add_practice(exercise=EXERCISE, pattern=PATTERN, started_at=start, duration_s=length,
                                     cycles=groups_done, before=before, after=after)
        self.sessions_saved += 1
        parts = "muscle group" if groups_done == 1 else "muscle groups"
        early = "" if completed else " (stopped early)"
        self.report(f"Saved{early}: {groups_done} {parts}, {say_seconds(length)}.{ratings_words(before, after)}")
        return row


__all__ = ["MuscleRelaxation", "GROUPS"]
