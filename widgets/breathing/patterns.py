"""Breathing patterns for the pacer: settings checks and phase lists.

Pure functions, no widget code, so the rules are easy to read and test.
Safety rule 5 (CONTENT.md): no hold longer than 7 s, no fast breathing.
What every guided practice (pacer, grounding, muscle relaxation) shares
lives here too: `session_details` checks a finished session as the page
sends it (course.validate), `say_seconds` and `ratings_words` put it in the
plain words of the status line.
"""
from __future__ import annotations

import math
from datetime import datetime

from course import validate
from course.validate import moment
from widgets.base import shown

MAX_CYCLES = 10_000
"""More cycles than any pattern fits in a day (a session is under 24 hours)."""
PATTERNS = {
    "resonance": "Resonance breathing",
    "cyclic_sigh": "Cyclic sighing",
    "box": "Box breathing",
    "478": "4-7-8 breathing",
    "custom": "Your own pattern",
}
BPM_RANGE = (4.5, 7.0)
IN_OUT_RANGE = (2.0, 10.0)
MAX_HOLD = 7.0
MINUTES_RANGE = (1, 20)
MAX_CYCLES_478 = 4

CUES = {
    "inhale": "Breathe in gently",
    "top-up inhale": "A small extra sip of air",
    "hold": "Hold softly",
    "exhale": "Breathe out slowly",
}
HOLD_AFTER_EXHALE = "Rest, lungs easy"
HOLD_478 = "Pause softly, or skip the hold"
NOTE_478 = "Holds are short and optional. If a hold feels hard, just breathe out."
NOTE_SIGH = "Breathe in twice through the nose, then breathe out long and slow."


def _num(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a number, not {value!r}.")
    return float(value)


def check_pattern(value) -> str:
    if not isinstance(value, str) or value not in PATTERNS:
        names = ", ".join(f'"{p}"' for p in PATTERNS)
        raise ValueError(f"Unknown breathing pattern {shown(value)}. Choose one of {names}.")
    return value


def check_bpm(value) -> float:
    bpm = _num(value, "Breaths per minute")
    lo, hi = BPM_RANGE
    if not lo <= bpm <= hi:
        raise ValueError(
            f"Breaths per minute must be between {lo:g} and {hi:g} (6 is a good start); "
            f"you asked for {bpm:g}. Faster breathing can make you dizzy."
        )
    return bpm


def check_in_out(value, what: str) -> float:
    sec = _num(value, what)
    lo, hi = IN_OUT_RANGE
    if not lo <= sec <= hi:
        raise ValueError(f"{what} must last between {lo:g} and {hi:g} seconds; you asked for {sec:g}.")
    return sec


def check_hold(value, what: str) -> float:
    sec = _num(value, what)
    if not 0 <= sec <= MAX_HOLD:
        raise ValueError(
            f"{what} can be 0 to {MAX_HOLD:g} seconds; you asked for {sec:g}. "
            "Longer holds are not safe for everyone."
        )
    return sec


def check_minutes(value) -> int:
    lo, hi = MINUTES_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"A session lasts {lo} to {hi} whole minutes; you asked for {value!r}.")
    return value


def check_max_cycles(value, pattern: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"The number of cycles must be a whole number, 0 or more (0 means no limit); got {value!r}.")
    if pattern == "478" and value > MAX_CYCLES_478:
        raise ValueError(
            f"4-7-8 breathing stops after at most {MAX_CYCLES_478} cycles; you asked for {value}. "
            f"Choose {MAX_CYCLES_478} or fewer (0 means {MAX_CYCLES_478})."
        )
    return value


def _phase(name: str, seconds: float, cue: str | None = None) -> dict:
    return {"name": name, "seconds": float(seconds), "cue": cue or CUES[name]}


def phases(pattern: str, bpm: float = 6.0, inhale: float = 4.0, hold_in: float = 0.0,
           exhale: float = 6.0, hold_out: float = 0.0) -> list[dict]:
    """The phases of one breath cycle for these settings."""
    check_pattern(pattern)
    if pattern == "resonance":
        half = 60.0 / check_bpm(bpm) / 2
        return [_phase("inhale", half), _phase("exhale", half)]
    if pattern == "cyclic_sigh":
        return [_phase("inhale", 2), _phase("top-up inhale", 1), _phase("exhale", 6)]
    if pattern == "box":
        return [_phase("inhale", 4), _phase("hold", 4), _phase("exhale", 4),
                _phase("hold", 4, HOLD_AFTER_EXHALE)]
    if pattern == "478":
        return [_phase("inhale", 4), _phase("hold", 7, HOLD_478), _phase("exhale", 8)]
    out = [_phase("inhale", check_in_out(inhale, "Breathing in"))]
    if check_hold(hold_in, "The hold after breathing in"):
        out.append(_phase("hold", hold_in))
    out.append(_phase("exhale", check_in_out(exhale, "Breathing out")))
    if check_hold(hold_out, "The hold after breathing out"):
        out.append(_phase("hold", hold_out, HOLD_AFTER_EXHALE))
    return out


def session_cycles(phase_list: list[dict], minutes: int, max_cycles: int, pattern: str) -> int:
    """Whole cycles in a session: the length rounded to full cycles, then any cap."""
    cycle = sum(p["seconds"] for p in phase_list)
    n = max(1, round(minutes * 60 / cycle))
    if pattern == "478":
        max_cycles = min(max_cycles or MAX_CYCLES_478, MAX_CYCLES_478)
    return min(n, max_cycles) if max_cycles else n


def session_details(started_at, duration_s, before=None, after=None) -> tuple[datetime, float, int | None, int | None]:
    """A finished session's start, length and optional 0-10 calm ratings, checked; ValueError in plain words."""
    return (moment(started_at, "The start time"), validate.seconds(duration_s, "The session length"),
            validate.rating(before, "The 'before' rating", optional=True),
            validate.rating(after, "The 'after' rating", optional=True))


def say_seconds(seconds: float) -> str:
    """70 -> '1 min 10 s'; plain words for status lines."""
    total = int(round(seconds))
    mins, secs = divmod(total, 60)
    if mins and secs:
        return f"{mins} min {secs} s"
    return f"{mins} min" if mins else f"{secs} s"


def ratings_words(before: int | None, after: int | None) -> str:
    """' Calm before: 4, after: 6 (out of 10).' or '' when both were skipped."""
    parts = [f"{name}: {v}" for name, v in (("before", before), ("after", after)) if v is not None]
    return f" Calm {', '.join(parts)} (out of 10)." if parts else ""


def summary(pattern: str, phase_list: list[dict], cycles: int) -> str:
    parts = []
    for p in phase_list:
        sec = f"{p['seconds']:.3g} s"
        parts.append({"inhale": f"{sec} in", "top-up inhale": f"{sec} top-up in",
                      "exhale": f"{sec} out", "hold": f"hold {sec}"}[p["name"]])
    length = say_seconds(cycles * sum(p["seconds"] for p in phase_list))
    times = "cycle" if cycles == 1 else "cycles"
    return f"{PATTERNS[pattern]}: {', '.join(parts)}. {cycles} {times}, about {length}."
