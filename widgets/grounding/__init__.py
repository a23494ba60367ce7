"""Grounding: the 5-4-3-2-1 senses exercise, one step at a time.

grounding.js shows the steps and keeps anything typed in the page only. When
the learner finishes, the page calls the ``record_session`` action
(widgets/base.py) with ``started_at`` (ISO 8601), ``duration_s``, ``before``
and ``after`` (0-10 or None) and ``answers``: the five texts only when the
learner ticked "Save my answers to my private journal", otherwise None, so
the typed text never leaves the page.
"""
from __future__ import annotations

import traitlets as t

from course import validate
from course.store import StoreError, open_store
from widgets.base import SteadyWidget, action
from widgets.breathing.patterns import ratings_words, say_seconds, session_details

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


class Grounding(SteadyWidget):
    """5-4-3-2-1 grounding: see, touch, hear, smell, taste. Every part is optional."""

    JS = "grounding.js"
    CSS = "grounding.css"

    steps = t.List(t.Dict(), read_only=True,
                   help='The five steps: [{"count", "sense", "title", "prompt", "label"}].').tag(sync=True)
    swap_note = t.Unicode(SWAP_NOTE, read_only=True,
                          help="The kind note that any sense can be swapped for another.").tag(sync=True)
    module = t.Unicode("m03", help="Module id saved with journal answers, e.g. m03.").tag(sync=True)
    sessions_saved = t.Int(0, help="How many finished sessions this widget has saved.").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.set_trait("steps", [dict(s) for s in STEPS])

    @staticmethod
    def _answers(answers) -> list[tuple[str, str]]:
        """(prompt, text) for each answer worth keeping; text is kept exactly as typed."""
        if answers is None:
            return []
        if not isinstance(answers, (list, tuple)) or len(answers) != len(STEPS):
            raise ValueError(f"The answers must be a list of {len(STEPS)} texts.")
        kept = []
        for step, text in zip(STEPS, answers, strict=True):
            text = validate.text(text, f"The answer for \"{step['title']}\"")
            if text and text.strip():
                kept.append((f"5-4-3-2-1 grounding: {step['title']}", text))
        return kept

    @action(failed="Not saved:")
    def record_session(self, started_at, duration_s, before=None, after=None, answers=None) -> int:
        """Save a finished session (and, if given, the answers to the journal); returns the practice row id.

        All is checked before anything is stored: bad input raises ValueError
        in plain words, which the page's status line shows after "Not saved:".
        """
        start, length, before, after = session_details(started_at, duration_s, before, after)
        kept = self._answers(answers)
        with open_store() as store:
            row = store.add_practice(exercise=EXERCISE, pattern=PATTERN, started_at=start,
                                     duration_s=length, cycles=1, before=before, after=after)
        self.sessions_saved += 1
        done = f"Saved: 5-4-3-2-1 grounding, {say_seconds(length)}.{ratings_words(before, after)}"
        saved = 0
        try:
            with open_store() as store:
                for prompt, text in kept:
                    store.add_journal(text, module=self.module or None, prompt=prompt)
                    saved += 1
        except (StoreError, ValueError) as err:  # the session is saved; say which answers are not
            self.report(f"{done} Only {saved} of {len(kept)} answers reached your journal: {err}", error=True)
            return row
        if kept:
            done += f" {saved} {'answer' if saved == 1 else 'answers'} added to your private journal."
        self.report(done)
        return row


__all__ = ["Grounding"]
