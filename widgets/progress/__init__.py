"""ProgressReview: the learner's own check-ins and practice over the last weeks (module 9).

Reads the private store only: check-ins of every gauge, practice sessions, and
the "how safe" ratings of the solo ladder's sensation diary (module 7), read
from that diary's record as a series of their own, "solo ladder safety". The
couple's ladder diary is shared by two people, so its ratings are never part
of one person's review. The numbers, the sentences and the chart's alt text
come from ``model.py`` (pure functions of DataFrames). In the static book the
front end shows a printable weekly tracking table instead.

Messages from the browser: {"type": "refresh", "quiet": bool} (quiet: no "Up to date." status).
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import pandas as pd
import traitlets as t

from course.store import StoreError, open_store

from . import model as M
from widgets.esm import esm
from widgets.ladder import SOLO_GAUGE, solo_diary_ratings

HERE = Path(__file__).parent
ORDER = ("calm", "safety", SOLO_GAUGE, "distress", "trust", "closeness", "desire")
PRACTICE_COLUMNS = ["started_at", "exercise", "duration_s"]
CHECKIN_COLUMNS = ["at", "gauge", "value"]


def _ordered(gauges) -> list[str]:
    return sorted(set(gauges), key=lambda g: (ORDER.index(g) if g in ORDER else len(ORDER), g))


class ProgressReview(anywidget.AnyWidget):
    """Your check-ins and practice minutes, week by week, in a chart and a few plain sentences."""

    _esm = esm(HERE / "progress.js")
    _css = (HERE.parent / "theme.css").read_text(encoding="utf-8") + (HERE / "progress.css").read_text(encoding="utf-8")

    weeks = t.Int(8, help="How many weeks to show, this week last (1-52).").tag(sync=True)
    choices = t.List(t.Unicode(), read_only=True, help="Gauges that have check-ins in the store.").tag(sync=True)
    gauges = t.List(t.Unicode(), help="The gauges shown (ticked boxes), a subset of choices.").tag(sync=True)
    summary = t.Unicode("", read_only=True, help="A few plain sentences about the weeks shown (computed).").tag(sync=True)
    care = t.Unicode("", read_only=True, help="Where help is, shown when the latest safety rating is low.").tag(sync=True)
    empty = t.Bool(True, read_only=True, help="True when there is nothing to show in these weeks.").tag(sync=True)
    chart_png = t.Unicode("", read_only=True, help="The small multiples chart, base64 PNG (computed).").tag(sync=True)
    chart_alt = t.Unicode("", read_only=True, help="Alt text of the chart, week by week (computed).").tag(sync=True)
    table = t.Dict(read_only=True, help='The chart\'s numbers: {"head": [...], "rows": [[...]]} (computed).').tag(sync=True)
    status = t.Unicode("", help="What happened on the last refresh, in plain words.").tag(sync=True)
    error = t.Bool(False, help="True when status reports a problem.").tag(sync=True)

    def __init__(self, weeks: int = 8, tz=None, **kwargs):
        self._tz = tz
        self._checkins = pd.DataFrame({"at": pd.to_datetime([], utc=True), "gauge": [], "value": []})
        self._practices = pd.DataFrame({"started_at": pd.to_datetime([], utc=True), "exercise": [], "duration_s": []})
        self._seen: set[str] = set()
        super().__init__(weeks=weeks, **kwargs)
        self.on_msg(self._on_msg)
        self.observe(self._recompute, names=["weeks", "gauges"])
        self.refresh()

    @t.validate("weeks")
    def _check_weeks(self, proposal):
        weeks = proposal["value"]
        if not 1 <= weeks <= 52:
            raise t.TraitError(f"The review shows from 1 to 52 weeks; got {weeks}.")
        return weeks

    @t.validate("gauges")
    def _check_gauges(self, proposal):
        unknown = [g for g in proposal["value"] if g not in self.choices]
        if unknown:
            raise t.TraitError(f"There are no check-ins for {', '.join(map(repr, unknown))} yet.")
        return _ordered(proposal["value"])

    def refresh(self) -> bool:
        """Read the store again and redraw; a problem is shown, never hidden. True when read."""
        try:
            with open_store() as store:
                checkins = store.checkins_frame()
                diary = pd.DataFrame(solo_diary_ratings(store), columns=["at", "value"])
                practices = pd.DataFrame(store.practices(), columns=PRACTICE_COLUMNS)
        except (StoreError, ValueError) as exc:
            for name, value in (("chart_png", ""), ("chart_alt", ""), ("summary", ""), ("care", "")):
                self.set_trait(name, value)
            self.error, self.status = True, f"Your progress could not be read: {exc}"
            return False
        practices["started_at"] = pd.to_datetime(practices["started_at"], utc=True)
        if len(diary):  # the solo diary's ratings, as a gauge of their own
            diary = diary.assign(at=pd.to_datetime(diary["at"], utc=True), gauge=SOLO_GAUGE)[CHECKIN_COLUMNS]
            checkins = pd.concat([checkins[CHECKIN_COLUMNS], diary], ignore_index=True) if len(checkins) else diary
        self._checkins, self._practices = checkins, practices
        choices = _ordered(checkins["gauge"])
        fresh = [g for g in choices if g not in self._seen]
        self._seen.update(choices)
        self.set_trait("choices", choices)
        gauges = _ordered([g for g in self.gauges if g in choices] + fresh)
        if gauges != self.gauges:
            self.gauges = gauges  # observed: redraws
        else:
            self._recompute()
        self.error, self.status = False, ""
        return True

    def _recompute(self, _change=None) -> None:
        r = M.review(self._checkins, self._practices, self.gauges, self.weeks, tz=self._tz)
        png, alt = M.chart(r)
        self.set_trait("chart_png", png)
        self.set_trait("chart_alt", alt)
        self.set_trait("summary", M.summary(r))
        self.set_trait("care", M.care(r))
        self.set_trait("table", M.table(r) if not r.empty else {"head": [], "rows": []})
        self.set_trait("empty", r.empty)

    def _on_msg(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == "refresh":
            if self.refresh() and not content.get("quiet"):
                self.status = "Up to date."
