"""CheckIn: a labelled 0-10 personal gauge with an optional note and a trend."""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from course.crisis import checkin_values
from course.safety import load_resources
from course.store import StoreError, open_store
from widgets.charts import trend_chart
from widgets.esm import esm

HERE = Path(__file__).parent
THEME = HERE.parent / "theme.css"


class CheckIn(anywidget.AnyWidget):
    """Rate how you feel from 0 to 10, optionally add a note, see your trend.

    A personal gauge for reflection, not a test or a diagnosis. Saving goes
    through the learner's private store only.

    CONTENT.md safety rule 6: a saved rating in `crisis_values` (course/crisis.yml,
    e.g. distress 9-10) shows the crisis resources inline. The browser decides
    that from the value it saved; nothing about it is sent back, synced or stored.
    """

    _esm = esm(HERE / "checkin.js")
    _css = THEME.read_text(encoding="utf-8") + (HERE / "checkin.css").read_text(encoding="utf-8")

    gauge = traitlets.Unicode("calm", help="Store name of the gauge, e.g. calm, distress, trust.").tag(sync=True)
    label = traitlets.Unicode("How do you feel right now?", help="The question shown above the slider.").tag(sync=True)
    low = traitlets.Unicode("0: not at all", help="What 0 means, shown under the slider's start.").tag(sync=True)
    high = traitlets.Unicode("10: completely", help="What 10 means, shown under the slider's end.").tag(sync=True)
    value = traitlets.Int(5, help="The rating the learner picked, 0-10.").tag(sync=True)
    note = traitlets.Unicode("", help="Optional note saved with the rating (stored verbatim).").tag(sync=True)
    status = traitlets.Unicode("", help="What happened on the last save, in plain words.").tag(sync=True)
    error = traitlets.Bool(False, help="True when status reports a problem.").tag(sync=True)
    saved_count = traitlets.Int(0, help="Check-ins of this gauge in the store.").tag(sync=True)
    chart_png = traitlets.Unicode("", help="Trend chart of past values, base64 PNG.").tag(sync=True)
    chart_alt = traitlets.Unicode("", help="Alt text describing the trend chart.").tag(sync=True)
    crisis_values = traitlets.List(traitlets.Int(), help="Saved values of this gauge that show the crisis resources "
                                   "(course/crisis.yml); the same for everyone, never the learner's.").tag(sync=True)
    resources = traitlets.List(traitlets.Dict(), help="Crisis resources shown inline (public, from resources.yml).").tag(sync=True)

    def __init__(self, gauge: str = "calm", country: str = "US", **kwargs):
        super().__init__(gauge=gauge, crisis_values=checkin_values(gauge),
                         resources=load_resources(country)["resources"], **kwargs)
        self.observe(self._on_gauge, names=["gauge"])
        self.on_msg(self._on_msg)
        self.refresh()

    def _on_gauge(self, change) -> None:
        self.crisis_values = checkin_values(change["new"])

    @traitlets.validate("value")
    def _check_value(self, proposal):
        value = proposal["value"]
        if not 0 <= value <= 10:
            raise traitlets.TraitError(f"A rating must be from 0 to 10; got {value}.")
        return value

    def _on_msg(self, _widget, content, _buffers):
        if not isinstance(content, dict) or content.get("type") != "save":
            return
        # The page sends what it shows: a synced change still queued behind an earlier
        # one (quick keys on the slider) arrives after this message and must not be missed.
        value, note = content.get("value", self.value), content.get("note", self.note)
        if isinstance(value, bool) or not isinstance(value, int) or not isinstance(note, str):
            self._report("Not saved: the rating must be a whole number and the note text.", error=True)
            ok = False
        else:
            try:
                self.value, self.note = value, note
            except traitlets.TraitError as exc:
                self._report(f"Not saved: {exc}", error=True)
                ok = False
            else:
                ok = self.save()
        # Always answered, even when nothing synced changed (the same value saved twice).
        self.send({"type": "done", "ok": ok})

    def _report(self, message: str, error: bool = False) -> None:
        self.error = error
        self.status = message

    def refresh(self) -> None:
        """Reload the trend chart from the store (no error if the store is unreadable)."""
        try:
            with open_store() as store:
                frame = store.checkins_frame(self.gauge)
        except (StoreError, ValueError) as exc:
            self.chart_png, self.chart_alt = "", ""
            self._report(str(exc), error=True)
            return
        self.saved_count = len(frame)
        self.chart_png, self.chart_alt = trend_chart(frame, self.gauge)

    def save(self) -> bool:
        """Store the current value and note; True when saved."""
        note = self.note.strip() or None
        try:
            with open_store() as store:
                store.add_checkin(self.gauge, self.value, note)
        except (StoreError, ValueError) as exc:
            self._report(f"Not saved: {exc}", error=True)
            return False
        self.note = ""
        self.refresh()
        self._report(f"Saved: {self.value} out of 10. Only you can see this, on this device.")
        return True
