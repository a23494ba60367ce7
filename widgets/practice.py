"""Shared checks for the guided practice widgets (grounding, muscle relaxation).

Everything the browser sends is checked here, in plain words, before any of
it reaches the learner's store. Ratings are optional personal gauges (0-10),
never a test.
"""
from __future__ import annotations

import math
from datetime import datetime

from widgets.breathing.patterns import say_seconds

DAY_SECONDS = 86_400  # the store keeps practices shorter than a day


def rating(value, when: str) -> int | None:
    """None (skipped) or a whole number 0-10; anything else is a ValueError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"the '{when}' rating must be a whole number from 0 to 10, or skipped; got {value!r}.")
    return value


def started(value) -> datetime:
    """A datetime, or ISO 8601 text as the browser sends it."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"the start time {value!r} is not a date and time.") from None
    if not isinstance(value, datetime):
        raise ValueError("the start time is missing.")
    return value


def duration(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or not 0 < value < DAY_SECONDS:
        raise ValueError(f"the length {value!r} seconds does not look right.")
    return float(value)


def ratings_words(before: int | None, after: int | None) -> str:
    """' Calm before: 4, after: 6.' or '' when both were skipped."""
    parts = [f"{name}: {v}" for name, v in (("before", before), ("after", after)) if v is not None]
    return f" Calm {', '.join(parts)} (out of 10)." if parts else ""


__all__ = ["rating", "started", "duration", "ratings_words", "say_seconds"]
