"""BreathingPacer: a paced-breathing widget whose clock runs in the browser.

Python owns the settings (checked here, turned into a list of phases) and
saves finished sessions; pacer.js animates the phases with
requestAnimationFrame, so timing does not drift and the static book (no
kernel) still animates.

Message from the browser when a session ends (after at least one full cycle):
    {"type": "session", "started_at": ISO 8601 str, "duration_s": float,
     "cycles": int, "pattern": str, "completed": bool}
"""
from __future__ import annotations

import math
from contextlib import closing
from datetime import datetime
from pathlib import Path

import anywidget
import traitlets as t

from course.store import StoreError, open_store

from . import patterns as P
from widgets.esm import esm

_HERE = Path(__file__).parent
STATES = ("idle", "running", "paused", "done")


class BreathingPacer(anywidget.AnyWidget):
    """Paced breathing: resonance, cyclic sighing, box, 4-7-8 or your own."""

    _esm = esm(_HERE / "pacer.js")
    _css = (_HERE.parent / "theme.css").read_text() + "\n" + (_HERE / "pacer.css").read_text()

    pattern = t.Unicode("resonance", help='Breathing pattern: "resonance", "cyclic_sigh", "box", "478" or "custom".').tag(sync=True)
    breaths_per_minute = t.Float(6.0, help="Resonance only: breaths a minute, 4.5 to 7; each breath is half in, half out.").tag(sync=True)
    inhale = t.Float(4.0, help="Custom only: seconds breathing in, 2 to 10.").tag(sync=True)
    hold_in = t.Float(0.0, help="Custom only: seconds holding after breathing in, 0 to 7.").tag(sync=True)
    exhale = t.Float(6.0, help="Custom only: seconds breathing out, 2 to 10.").tag(sync=True)
    hold_out = t.Float(0.0, help="Custom only: seconds resting after breathing out, 0 to 7.").tag(sync=True)
    minutes = t.Int(5, help="Session length in minutes, 1 to 20 (rounded to whole cycles).").tag(sync=True)
    max_cycles = t.Int(0, help="Stop after this many cycles; 0 means when the time is up. 4-7-8 allows at most 4.").tag(sync=True)

    phases = t.List(t.Dict(), read_only=True, help='One cycle, computed from the settings: [{"name", "seconds", "cue"}, ...].').tag(sync=True)
    session_cycles = t.Int(0, read_only=True, help="Full cycles this session will run (computed).").tag(sync=True)
    summary = t.Unicode("", read_only=True, help="One plain line describing the pattern and length (computed).").tag(sync=True)
    pattern_note = t.Unicode("", read_only=True, help="Extra safety or how-to line for this pattern, or empty (computed).").tag(sync=True)

    reduced_motion = t.Bool(False, help="Calm view: text and a progress bar instead of a moving shape. Mirrors the checkbox.").tag(sync=True)
    state = t.Unicode("idle", help='Set by the browser: "idle", "running", "paused" or "done".').tag(sync=True)
    save = t.Bool(True, help="Save finished sessions to this computer's private course store; False saves nothing.").tag(sync=True)
    sessions_saved = t.Int(0, help="How many sessions this widget has saved.").tag(sync=True)
    status_message = t.Unicode("", help="Plain-language result of the last save, shown in the widget.").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._recompute()
        self.observe(self._recompute, names=["pattern", "breaths_per_minute", "inhale", "hold_in",
                                             "exhale", "hold_out", "minutes", "max_cycles"])
        self.on_msg(self._on_msg)

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
    def record_session(self, started_at, duration_s, cycles, completed=True, pattern=None):
        """Save one session; returns the new row id, or None when nothing was saved.

        Bad input (ValueError) or a store problem (StoreError) never raises:
        the reason goes to `status_message` in plain language instead.
        """
        try:
            row = self._record(started_at, duration_s, cycles, completed, pattern or self.pattern)
        except (ValueError, StoreError) as err:
            self.status_message = f"Not saved: {err}"
            return None
        return row

    def _record(self, started_at, duration_s, cycles, completed, pattern):
        P.check_pattern(pattern)
        if isinstance(started_at, str):
            try:
                started_at = datetime.fromisoformat(started_at)
            except ValueError:
                raise ValueError(f"the start time {started_at!r} is not a date and time.") from None
        if not isinstance(started_at, datetime):
            raise ValueError("the start time is missing.")
        if isinstance(duration_s, bool) or not isinstance(duration_s, (int, float)) \
                or not math.isfinite(duration_s) or not 0 < duration_s <= 3 * 3600:
            raise ValueError(f"the session length {duration_s!r} seconds does not look right.")
        if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 0:
            raise ValueError(f"the number of cycles {cycles!r} does not look right.")
        if pattern == "478" and cycles > P.MAX_CYCLES_478:
            raise ValueError(f"4-7-8 sessions have at most {P.MAX_CYCLES_478} cycles, not {cycles}.")
        length = P.say_seconds(duration_s)
        times = "cycle" if cycles == 1 else "cycles"
        if cycles < 1:
            self.status_message = f"Nothing saved: the session ({length}) was shorter than one full cycle."
            return None
        if not self.save:
            self.status_message = f"Done: {cycles} {times}, {length}. Saving is off, so nothing was stored."
            return None
        with closing(open_store()) as store:
            row = store.add_practice(exercise="breathing", pattern=pattern, started_at=started_at,
                                     duration_s=float(duration_s), cycles=cycles)
        self.sessions_saved += 1
        early = "" if completed else " (stopped early)"
        self.status_message = f"Saved{early}: {cycles} {times}, {length}."
        return row

    def _on_msg(self, _widget, content, _buffers):
        if not isinstance(content, dict) or content.get("type") != "session":
            return
        try:
            self.record_session(content.get("started_at"), content.get("duration_s"),
                                content.get("cycles"), completed=bool(content.get("completed", True)),
                                pattern=content.get("pattern") or self.pattern)
        except Exception as err:  # a bug, not bad input: show it and log it, never crash the kernel
            self.log.exception("BreathingPacer could not record a session")
            self.status_message = f"Not saved (unexpected error): {err}"


__all__ = ["BreathingPacer"]
