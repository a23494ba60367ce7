"""ProgressReview: the learner's own check-ins and practice over the last weeks (module 9).

Reads the private store only: check-ins of every gauge, practice sessions, and
the "how safe" ratings of the solo ladder's sensation diary (module 7), read
from that diary's record as a series of their own, "solo ladder safety". The
couple's ladder diary is shared by two people, so its ratings are never part
of one person's review. The numbers, the sentences and the chart's alt text
come from ``model.py`` (pure functions of DataFrames). In the static book the
front end shows a printable weekly tracking table instead.

The page calls the actions (widgets/base.py) ``refresh`` (``quiet``: no "Up
to date." on the status line) and ``set_gauges``. pandas and matplotlib are
imported only when the store holds something to show: a learner who has not
checked in or practised yet gets the kind empty message from a kernel that
never loads them (lean kernels, issue 9).
"""
from __future__ import annotations

import traitlets as t

from course import validate
from course.store import open_store
from widgets.base import SteadyWidget, action

READ_FAILED = "Your progress could not be read:"
PRACTICE_COLUMNS = ["started_at", "exercise", "duration_s"]
CHECKIN_COLUMNS = ["at", "gauge", "value"]
MAX_WEEKS = 52
EMPTY = "Nothing here yet. Your check-ins and practice will show here."


def _model():
    """model.py, imported on first use: it brings pandas and matplotlib."""
    from . import model
    return model


def _ordered(gauges) -> list[str]:
    """model.ordered(gauges); no gauges at all need no pandas."""
    return _model().ordered(gauges) if len(gauges) else []


class ProgressReview(SteadyWidget):
    """Your check-ins and practice minutes, week by week, in a chart and a few plain sentences."""

    JS = "progress.js"
    CSS = "progress.css"

    weeks = t.Int(8, help=f"How many weeks to show, this week last (1-{MAX_WEEKS}).").tag(sync=True)
    choices = t.List(t.Unicode(), read_only=True, help="Gauges that have check-ins in the store.").tag(sync=True)
    gauges = t.List(t.Unicode(), help="The gauges shown (ticked boxes), a subset of choices.").tag(sync=True)
    summary = t.Unicode("", read_only=True,
                        help="A few plain sentences about the weeks shown (computed).").tag(sync=True)
    care = t.Unicode("", read_only=True,
                     help="Where help is, shown when the latest safety rating is low.").tag(sync=True)
    empty = t.Bool(True, read_only=True, help="True when there is nothing to show in these weeks.").tag(sync=True)
    chart_png = t.Unicode("", read_only=True, help="The small multiples chart, base64 PNG (computed).").tag(sync=True)
    chart_alt = t.Unicode("", read_only=True, help="Alt text of the chart, week by week (computed).").tag(sync=True)
    table = t.Dict(read_only=True,
                   help='The chart\'s numbers: {"head": [...], "rows": [[...]]} (computed).').tag(sync=True)

    def __init__(self, weeks: int = 8, tz=None, **kwargs):
        self._tz = tz
        self._data = None  # (check-ins, practices) DataFrames once read; () when the store holds neither
        self._seen: set[str] = set()
        super().__init__(weeks=weeks, **kwargs)
        self.observe(self._recompute, names=["weeks", "gauges"])
        self.attempt(READ_FAILED, self.refresh, quiet=True)

    @t.validate("weeks")
    def _check_weeks(self, proposal):
        return validate.whole(proposal["value"], "The number of weeks in the review", 1, MAX_WEEKS)

    @t.validate("gauges")
    def _check_gauges(self, proposal):
        unknown = [g for g in proposal["value"] if g not in self.choices]
        if unknown:
            raise ValueError(f"There are no check-ins for {', '.join(map(repr, unknown))} yet.")
        return _ordered(proposal["value"])

    @action
    def set_gauges(self, gauges: list) -> None:
        """Show these gauges (the ticked boxes); each must have check-ins."""
        if not isinstance(gauges, list):
            raise ValueError("The gauges to show must be a list of names.")
        self.gauges = gauges

    @action(failed=READ_FAILED)
    def refresh(self, quiet: bool = False) -> bool:
        """Read the store again and redraw; True when read. A problem clears the review and raises.

        ``quiet``: leave the status line empty instead of saying "Up to date." (the page opening).
        """
        quiet = validate.flag(quiet, "Quiet")
        try:
            data = self._read()
        except Exception:
            for name in ("chart_png", "chart_alt", "summary", "care"):
                self.set_trait(name, "")
            raise
        self._data = data
        choices = _ordered(data[0]["gauge"]) if data else []
        fresh = [g for g in choices if g not in self._seen]
        self._seen.update(choices)
        self.set_trait("choices", choices)
        gauges = _ordered([g for g in self.gauges if g in choices] + fresh)
        if gauges != self.gauges:
            self.gauges = gauges  # observed: redraws
        else:
            self._recompute()
        self.report("" if quiet else "Up to date.")
        return True

    def _read(self) -> tuple:
        """(check-ins, practice sessions) from the store, as DataFrames; the solo diary is a gauge of its own.

        () when the store holds none of them: then pandas is not even imported.
        """
        from widgets.ladder import SOLO_GAUGE, solo_diary_ratings

        with open_store() as store:
            diary, practices = solo_diary_ratings(store), store.practices()
            if not (diary or practices or store.checkins()):
                return ()
            checkins = store.checkins_frame()
        import pandas as pd

        diary = pd.DataFrame(diary, columns=["at", "value"])
        practices = pd.DataFrame(practices, columns=PRACTICE_COLUMNS)
        practices["started_at"] = pd.to_datetime(practices["started_at"], utc=True)
        if len(diary):
            diary = diary.assign(at=pd.to_datetime(diary["at"], utc=True), gauge=SOLO_GAUGE)[CHECKIN_COLUMNS]
            checkins = pd.concat([checkins[CHECKIN_COLUMNS], diary], ignore_index=True) if len(checkins) else diary
        return checkins, practices

    def _recompute(self, _change=None) -> None:
        if self._data is None:
            return  # the store could not be read: nothing to draw
        if not self._data:  # nothing kept yet: what model.py says of an empty review, without loading it
            self._show("", EMPTY, EMPTY, "", {"head": [], "rows": []}, True)
            return
        M = _model()
        r = M.review(*self._data, self.gauges, self.weeks, tz=self._tz)
        png, alt = M.chart(r)
        self._show(png, alt, M.summary(r), M.care(r), M.table(r) if not r.empty else {"head": [], "rows": []},
                   r.empty)

    def _show(self, png: str, alt: str, summary: str, care: str, table: dict, empty: bool) -> None:
        for name, value in (("chart_png", png), ("chart_alt", alt), ("summary", summary), ("care", care),
                            ("table", table), ("empty", empty)):
            self.set_trait(name, value)
