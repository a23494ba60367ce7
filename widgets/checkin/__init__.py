"""CheckIn: a labelled 0-10 personal gauge with an optional note and a trend.

The page calls the methods marked ``@action`` (widgets/base.py); a notebook or
a test calls the same methods. They raise ValueError in plain words, which the
page sees on its status line.
"""
from __future__ import annotations

import time

import traitlets as t

from course import validate
from course.crisis import checkin_values
from course.safety import load_resources
from course.store import StoreError, open_store
from course.validate import moment
from widgets.base import SteadyWidget, action

PAST_FAILED = "Your past check-ins could not be shown:"


class CheckIn(SteadyWidget):
    """Rate how you feel from 0 to 10, optionally add a note, see your trend.

    A personal gauge for reflection, not a test or a diagnosis. Saving goes
    through the learner's private store only. The trend's days are the
    learner's local days; the store keeps each time in UTC.

    CONTENT.md safety rule 6: a saved rating in `crisis_values` (course/crisis.yml,
    e.g. distress 9-10) shows the crisis resources inline. The browser decides
    that from the value it saved; nothing about it is sent back, synced or stored.
    """

    JS = "checkin.js"
    CSS = "checkin.css"

    gauge = t.Unicode("calm", help="Store name of the gauge, e.g. calm, distress, trust.").tag(sync=True)
    label = t.Unicode("How do you feel right now?", help="The question shown above the slider.").tag(sync=True)
    low = t.Unicode("0: not at all", help="What 0 means, shown under the slider's start.").tag(sync=True)
    high = t.Unicode("10: completely", help="What 10 means, shown under the slider's end.").tag(sync=True)
    value = t.Int(5, help="Where the slider is, 0-10 (the page keeps it up to date).").tag(sync=True)
    note = t.Unicode("", help="A note to start the box with; the page sends the note it shows with each save, "
                     "and a save empties this.").tag(sync=True)
    saved_count = t.Int(0, help="Check-ins of this gauge in the store.").tag(sync=True)
    chart_png = t.Unicode("", help="Trend chart of past values (local days), base64 PNG.").tag(sync=True)
    chart_alt = t.Unicode("", help="Alt text describing the trend chart.").tag(sync=True)
    crisis_values = t.List(t.Int(), help="Saved values of this gauge that show the crisis resources "
                           "(course/crisis.yml); the same for everyone, never the learner's.").tag(sync=True)
    resources = t.List(t.Dict(), help="Crisis resources shown inline (public, from resources.yml).").tag(sync=True)

    # Set from a notebook or synced from the page: the same rules, ValueError in plain words.
    @t.validate("gauge")
    def _valid_gauge(self, proposal):
        return validate.gauge(proposal["value"])

    @t.validate("value")
    def _valid_value(self, proposal):
        return validate.rating(proposal["value"])

    @t.validate("label", "low", "high")
    def _valid_words(self, proposal):
        return validate.words(proposal["value"], f"The check-in's {proposal['trait'].name}")

    def __init__(self, gauge: str = "calm", country: str = "US", **kwargs):
        gauge = validate.gauge(gauge)
        super().__init__(gauge=gauge, crisis_values=checkin_values(gauge),
                         resources=load_resources(country)["resources"], **kwargs)
        self.observe(self._on_gauge, names=["gauge"])
        self.attempt(PAST_FAILED, self.refresh)

    def _on_gauge(self, change) -> None:
        self.crisis_values = checkin_values(change["new"])
        self.attempt(PAST_FAILED, self.refresh)

    @action(failed=PAST_FAILED)
    def refresh(self) -> None:
        """Reload the count and the trend chart of this gauge from the store."""
        try:
            with open_store() as store:
                count = len(store.checkins(self.gauge))
                frame = store.checkins_frame(self.gauge) if count else None
        except (StoreError, ValueError):
            self.chart_png, self.chart_alt = "", ""
            raise
        self.saved_count = count
        if frame is None:  # nothing to draw: pandas and matplotlib stay out of this page's kernel
            self.chart_png, self.chart_alt = "", f"No {self.gauge} check-ins yet."
            return
        self.chart_png, self.chart_alt = _chart(frame, self.gauge)

    @action(failed="Not saved:")
    def save(self, value: int, note: str | None = None, at=None) -> int:
        """Store a rating with an optional note; returns the check-in's number.

        The page sends the value and note it shows (a slider change may still be
        on its way); `note` defaults to the widget's `note`. `at`, a date and
        time (local when it has no zone), is for a check-in made earlier, e.g.
        on the book's paper scale; it defaults to now.
        """
        value = validate.rating(value)
        note = validate.text(self.note if note is None else note, "A note")
        when = None if at is None else moment(at, "The check-in time")
        with open_store() as store:
            number = store.add_checkin(self.gauge, value, note.strip() or None, at=when)
        self.value, self.note = value, ""
        self.attempt(PAST_FAILED, self.refresh)
        self.report(f"Saved: {value} out of 10. Only you can see this, on this device.")
        return number


_DRAWN: dict[tuple, tuple[str, str]] = {}
"""The last few trend charts of this kernel, by what they show: a page shown again is not drawn again."""


def _chart(frame, gauge: str) -> tuple[str, str]:
    from widgets.charts import trend_chart

    shown = frame.sort_values("at").tail(30)
    key = (gauge, tuple(shown["at"].astype(str)), tuple(shown["value"].tolist()), time.tzname)
    if key not in _DRAWN:
        if len(_DRAWN) >= 4:
            _DRAWN.pop(next(iter(_DRAWN)))
        _DRAWN[key] = trend_chart(frame, gauge)
    return _DRAWN[key]


__all__ = ["CheckIn"]
