"""BreathingPacer: a paced-breathing widget whose clock runs in the browser.

Python owns the settings (checked here, turned into a list of phases) and
saves finished sessions; pacer.js animates the phases with
requestAnimationFrame, so timing does not drift and the static book (no
kernel) still animates.

When a session of at least one full cycle ends, the page calls the
``record_session`` action (widgets/base.py) with ``started_at`` (ISO 8601),
``duration_s``, ``cycles``, ``pattern`` and ``completed``.
"""
from __future__ import annotations

from contextlib import closing

import traitlets as t

from course import validate
from course.store import open_store
from widgets.base import SteadyWidget, action

from . import patterns as P

STATES = ("idle", "running", "paused", "done")


class BreathingPacer(SteadyWidget):
    """Paced breathing: resonance, cyclic sighing, box, 4-7-8 or your own."""

    JS = "pacer.js"
    CSS = "pacer.css"

    pattern = t.Unicode("resonance",
        help='Breathing pattern: "resonance", "cyclic_sigh", "box", "478" or "custom".').tag(sync=True)
    breaths_per_minute = t.Float(6.0,
        help="Resonance only: breaths a minute, 4.5 to 7; each breath is half in, half out.").tag(sync=True)
    inhale = t.Float(4.0, help="Custom only: seconds breathing in, 2 to 10.").tag(sync=True)
    hold_in = t.Float(0.0, help="Custom only: seconds holding after breathing in, 0 to 7.").tag(sync=True)
    exhale = t.Float(6.0, help="Custom only: seconds breathing out, 2 to 10.").tag(sync=True)
    hold_out = t.Float(0.0, help="Custom only: seconds resting after breathing out, 0 to 7.").tag(sync=True)
    minutes = t.Int(5, help="Session length in minutes, 1 to 20 (rounded to whole cycles).").tag(sync=True)
    max_cycles = t.Int(0,
        help="Stop after this many cycles; 0 means when the time is up. 4-7-8 allows at most 4.").tag(sync=True)

    phases = t.List(t.Dict(), read_only=True,
        help='One cycle, computed from the settings: [{"name", "seconds", "cue"}, ...].').tag(sync=True)
    session_cycles = t.Int(0, read_only=True, help="Full cycles this session will run (computed).").tag(sync=True)
    summary = t.Unicode("", read_only=True,
        help="One plain line describing the pattern and length (computed).").tag(sync=True)
    pattern_note = t.Unicode("", read_only=True,
        help="Extra safety or how-to line for this pattern, or empty (computed).").tag(sync=True)

    reduced_motion = t.Bool(False,
        help="Calm view: text and a progress bar instead of a moving shape. Mirrors the checkbox.").tag(sync=True)
    state = t.Unicode("idle", help='Set by the browser: "idle", "running", "paused" or "done".').tag(sync=True)
    save = t.Bool(True,
        help="Save finished sessions to this computer's private course store; False saves nothing.").tag(sync=True)
    sessions_saved = t.Int(0, help="How many sessions this widget has saved.").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._recompute()
        self.observe(self._recompute, names=["pattern", "breaths_per_minute", "inhale", "hold_in",
                                             "exhale", "hold_out", "minutes", "max_cycles"])

    # -- validation: plain-language TraitErrors -----------------------------
    def _check(self, func, *args):
        try:
            return func(*args)
        except ValueError as err:
            raise t.TraitError(str(err)) from None

    @t.validate("pattern")
    def _v_pattern(self, proposal):
        value = self._check(P.check_pattern, proposal["value"])
        self._check(P.check_max_cycles, self.max_cycles, value)
        return value

    @t.validate("breaths_per_minute")
    def _v_bpm(self, proposal):
        return self._check(P.check_bpm, proposal["value"])

    @t.validate("inhale", "exhale")
    def _v_in_out(self, proposal):
        what = "Breathing in" if proposal["trait"].name == "inhale" else "Breathing out"
        return self._check(P.check_in_out, proposal["value"], what)

    @t.validate("hold_in", "hold_out")
    def _v_hold(self, proposal):
        what = "The hold after breathing " + ("in" if proposal["trait"].name == "hold_in" else "out")
        return self._check(P.check_hold, proposal["value"], what)

    @t.validate("minutes")
    def _v_minutes(self, proposal):
        return self._check(P.check_minutes, proposal["value"])

    @t.validate("max_cycles")
    def _v_max_cycles(self, proposal):
        return self._check(P.check_max_cycles, proposal["value"], self.pattern)

    @t.validate("state")
    def _v_state(self, proposal):
        if proposal["value"] not in STATES:
            raise t.TraitError(f"state must be one of {', '.join(STATES)}; got {proposal['value']!r}.")
        return proposal["value"]

    def _recompute(self, change=None):
        phases = P.phases(self.pattern, self.breaths_per_minute, self.inhale, self.hold_in,
                          self.exhale, self.hold_out)
        cycles = P.session_cycles(phases, self.minutes, self.max_cycles, self.pattern)
        note = {"478": P.NOTE_478, "cyclic_sigh": P.NOTE_SIGH}.get(self.pattern, "")
        with self.hold_trait_notifications():
            self.set_trait("phases", phases)
            self.set_trait("session_cycles", cycles)
            self.set_trait("summary", P.summary(self.pattern, phases, cycles))
            self.set_trait("pattern_note", note)

    # -- saving -------------------------------------------------------------
    @action(failed="Not saved:")
    def record_session(self, started_at, duration_s, cycles, completed=True, pattern=None) -> int | None:
        """Save one session; returns the new row id, or None when nothing was to be saved.

        Bad input raises ValueError in plain words (from the page, the status
        line says it, after "Not saved:"); the result is said on the status line.
        """
        pattern = P.check_pattern(pattern or self.pattern)
        start, length, _, _ = P.session_details(started_at, duration_s)
        cycles = validate.whole(cycles, "The number of cycles", 0, P.MAX_CYCLES)
        completed = validate.flag(completed, "Whether the session was finished")
        if pattern == "478" and cycles > P.MAX_CYCLES_478:
            raise ValueError(f"4-7-8 sessions have at most {P.MAX_CYCLES_478} cycles, not {cycles}.")
        said = P.say_seconds(length)
        times = "cycle" if cycles == 1 else "cycles"
        if cycles < 1:
            self.report(f"Nothing saved: the session ({said}) was shorter than one full cycle.")
            return None
        if not self.save:
            self.report(f"Done: {cycles} {times}, {said}. Saving is off, so nothing was stored.")
            return None
        with closing(open_store()) as store:
            row = store.add_practice(exercise="breathing", pattern=pattern, started_at=start,
                                     duration_s=length, cycles=cycles)
        self.sessions_saved += 1
        early = "" if completed else " (stopped early)"
        self.report(f"Saved{early}: {cycles} {times}, {said}.")
        return row


__all__ = ["BreathingPacer"]
