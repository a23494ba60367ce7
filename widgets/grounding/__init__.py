"""Grounding: the 5-4-3-2-1 senses exercise, one step at a time.

grounding.js shows the steps, keeps anything typed in the page only, and
when the learner finishes sends one message:
    {"type": "finish", "started_at": ISO 8601 str, "duration_s": float,
     "before": int | None, "after": int | None, "answers": [str] * 5 | None}
`answers` is sent only when the learner ticked "Save my answers to my
private journal"; otherwise the typed text never leaves the page.
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t

from course.store import MAX_TEXT, StoreError, open_store
from widgets import practice as P
from widgets.esm import esm

_HERE = Path(__file__).parent

STEPS = (
    {"count": 5, "sense": "see", "title": "5 things you can see",
     "prompt": "Look around you. Name five things you can see. Take your time with each one: its colour, its shape.",
     "label": "Things I can see"},
    {"count": 4, "sense": "touch", "title": "4 things you can touch",
     "prompt": "Notice four things you can touch or feel, like your feet on the floor, the seat under you, "
               "or the cloth of your sleeve.",
     "label": "Things I can touch"},
    {"count": 3, "sense": "hear", "title": "3 things you can hear",
     "prompt": "Listen. Name three things you can hear, near or far. A quiet hum counts too.",
     "label": "Things I can hear"},
    {"count": 2, "sense": "smell", "title": "2 things you can smell",
     "prompt": "Notice two things you can smell. If you smell nothing, name two smells you like.",
     "label": "Things I can smell"},
    {"count": 1, "sense": "taste", "title": "1 thing you can taste",
     "prompt": "Notice one thing you can taste. Or take a sip of water and notice it.",
     "label": "Something I can taste"},
)
SWAP_NOTE = ("Use the senses that work for you. If you cannot see, hear or smell, or a sense does not "
             "feel right today, swap it for another: more things to touch or hear, or a movement you can feel.")
EXERCISE, PATTERN = "grounding", "5-4-3-2-1"


class Grounding(anywidget.AnyWidget):
    """5-4-3-2-1 grounding: see, touch, hear, smell, taste. Every part is optional."""

    _esm = esm(_HERE / "grounding.js")
    _css = (_HERE.parent / "theme.css").read_text(encoding="utf-8") + "\n" + \
        (_HERE / "grounding.css").read_text(encoding="utf-8")

    steps = t.List(t.Dict(), read_only=True, help='The five steps: [{"count", "sense", "title", "prompt", "label"}].').tag(sync=True)
    swap_note = t.Unicode(SWAP_NOTE, read_only=True, help="The kind note that any sense can be swapped for another.").tag(sync=True)
    module = t.Unicode("m03", help="Module id saved with journal answers, e.g. m03.").tag(sync=True)
    sessions_saved = t.Int(0, help="How many finished sessions this widget has saved.").tag(sync=True)
    status_message = t.Unicode("", help="Plain-language result of the last save, shown in the widget.").tag(sync=True)
    status_error = t.Bool(False, help="True when status_message reports a problem.").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.set_trait("steps", [dict(s) for s in STEPS])
        self.on_msg(self._on_msg)

    def _report(self, message: str, error: bool = False) -> None:
        self.status_error = error
        self.status_message = message

    @staticmethod
    def _answers(answers) -> list[tuple[str, str]]:
        """(prompt, text) for each answer worth keeping; text is kept exactly as typed."""
        if answers is None:
            return []
        if not isinstance(answers, (list, tuple)) or len(answers) != len(STEPS):
            raise ValueError(f"the answers must be a list of {len(STEPS)} texts.")
        kept = []
        for step, text in zip(STEPS, answers):
            if not isinstance(text, str):
                raise ValueError(f"the answer for \"{step['title']}\" is not text.")
            if len(text) > MAX_TEXT:
                raise ValueError(f"the answer for \"{step['title']}\" is too long (at most {MAX_TEXT:,} characters).")
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError(f"the answer for \"{step['title']}\" has characters that cannot be saved.") from None
            if text.strip():
                kept.append((f"5-4-3-2-1 grounding: {step['title']}", text))
        return kept

    def record_session(self, started_at, duration_s, before=None, after=None, answers=None):
        """Save a finished session (and, if given, the answers to the journal).

        Returns the practice row id, or None when nothing was saved. Every
        input is checked first, so bad input stores nothing; the reason goes
        to `status_message` in plain words instead of raising.
        """
        try:
            start, length = P.started(started_at), P.duration(duration_s)
            before, after = P.rating(before, "before"), P.rating(after, "after")
            kept = self._answers(answers)
        except ValueError as err:
            self._report(f"Not saved: {err}", error=True)
            return None
        try:
            with open_store() as store:
                row = store.add_practice(exercise=EXERCISE, pattern=PATTERN, started_at=start,
                                         duration_s=length, cycles=1, before=before, after=after)
        except (StoreError, ValueError) as err:
            self._report(f"Not saved: {err}", error=True)
            return None
        self.sessions_saved += 1
        done = f"Saved: 5-4-3-2-1 grounding, {P.say_seconds(length)}.{P.ratings_words(before, after)}"
        saved = 0
        try:
            with open_store() as store:
                for prompt, text in kept:
                    store.add_journal(text, module=self.module or None, prompt=prompt)
                    saved += 1
        except (StoreError, ValueError) as err:
            self._report(f"{done} Only {saved} of {len(kept)} answers reached your journal: {err}", error=True)
            return row
        if kept:
            done += f" {saved} {'answer' if saved == 1 else 'answers'} added to your private journal."
        self._report(done)
        return row

    def _on_msg(self, _widget, content, _buffers):
        if not isinstance(content, dict) or content.get("type") != "finish":
            return
        try:
            self.record_session(content.get("started_at"), content.get("duration_s"), content.get("before"),
                                content.get("after"), content.get("answers"))
        except Exception as err:  # a bug, not bad input: show it and log it, never crash the kernel
            self.log.exception("Grounding could not record a session")
            self._report(f"Not saved (unexpected error): {err}", error=True)


__all__ = ["Grounding"]
