"""The progress review's numbers and words (module 9): pure functions of DataFrames.

Check-ins (columns at, gauge, value) and practice sessions (started_at, exercise,
duration_s) have UTC times; they are grouped into local weeks that start on a
Monday with pandas resampling. Empty weeks are gaps for ratings and zeros for
minutes. Every sentence describes; none judges.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from dateutil.tz import tzlocal
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from widgets.charts import ACCENT, figure_png
from widgets.progress import EMPTY  # the widget says it too, without loading this module

WEEK = {"rule": "W-MON", "label": "left", "closed": "left"}  # weeks from Monday 00:00, named by that Monday
CARE = ("Your latest safety rating is low. If you do not feel safe right now, help is one click away: "
        "“Get help now” at the top of the page.")
LOW_SAFETY = 3
SAFETY_GAUGES = ("safety", "solo-ladder-safety")  # check-ins, and the solo ladder's diary (module 7)
ORDER = ("calm", *SAFETY_GAUGES, "distress", "trust", "closeness", "desire")
COLOURS = ("#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#E69F00")  # Okabe-Ito


def ordered(gauges) -> list[str]:
    """Gauge names once each, the usual ones first in ORDER, then the rest alphabetically."""
    return sorted(set(gauges), key=lambda g: (ORDER.index(g) if g in ORDER else len(ORDER), g))


def label(name: str) -> str:
    """A gauge or exercise name as words: "muscle-relaxation" -> "muscle relaxation"."""
    return name.replace("-", " ").replace("_", " ")


def number(x: float) -> str:
    """4.0 -> "4", 4.25 -> "4.3"."""
    return f"{x:.1f}".removesuffix(".0")


def _local(times: pd.Series, tz) -> pd.Series:
    """UTC times as local wall-clock times (naive), so weeks follow the learner's calendar."""
    return pd.to_datetime(times, utc=True).dt.tz_convert(tz).dt.tz_localize(None)


@dataclass
class Review:
    weeks: pd.DatetimeIndex      # Monday of each week shown, oldest first
    minutes: pd.DataFrame        # week x exercise, 0 for weeks without practice
    ratings: pd.DataFrame        # week x gauge, weekly mean, NaN for weeks without ratings
    values: dict                 # gauge -> every rating in the window, oldest first (pd.Series)
    days: int                    # days with at least one practice session
    sessions: int

    @property
    def total_minutes(self) -> float:
        return float(self.minutes.to_numpy().sum())

    @property
    def empty(self) -> bool:
        return self.sessions == 0 and not any(len(v) for v in self.values.values())


def review(checkins: pd.DataFrame, practices: pd.DataFrame, gauges: list[str], weeks: int = 8,
           now=None, tz=None) -> Review:
    """Group the learner's data into the last ``weeks`` local weeks (this week last)."""
    tz = tz or tzlocal()
    today = pd.Timestamp.now(tz=tz) if now is None else pd.Timestamp(now)
    today = today.tz_localize(tz) if today.tzinfo is None else today.tz_convert(tz)
    today = today.tz_localize(None).normalize()
    index = pd.date_range(end=today - pd.Timedelta(days=today.weekday()), periods=weeks, freq="7D")
    start, end = index[0], index[-1] + pd.Timedelta(days=7)

    checks = checkins.assign(local=_local(checkins["at"], tz))
    checks = checks[(checks["local"] >= start) & (checks["local"] < end)].sort_values("local")
    ratings, values = pd.DataFrame(index=index), {}
    for gauge in gauges:
        mine = checks[checks["gauge"] == gauge].set_index("local")["value"].astype(float)
        values[gauge] = mine
        ratings[gauge] = mine.resample(**WEEK).mean().reindex(index)

    done = practices.assign(local=_local(practices["started_at"], tz),
                            minutes=practices["duration_s"].astype(float) / 60)
    done = done[(done["local"] >= start) & (done["local"] < end)]
    minutes = (done.groupby([pd.Grouper(key="local", freq=WEEK["rule"], label="left", closed="left"), "exercise"])
               ["minutes"].sum().unstack("exercise", fill_value=0.0).reindex(index, fill_value=0.0)
               if len(done) else pd.DataFrame(index=index))
    return Review(index, minutes, ratings, values, int(done["local"].dt.date.nunique()), len(done))


def _day(ts: pd.Timestamp, year: bool = False) -> str:
    return f"{ts:%b} {ts.day}, {ts.year}" if year else f"{ts:%b} {ts.day}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def rating_sentence(gauge: str, values: pd.Series) -> str:
    name, n = label(gauge), len(values)
    if n == 0:
        return f"There are no {name} ratings in these weeks."
    if n == 1:
        return f"You gave one {name} rating: {number(values.iloc[0])}."
    low, high = (values.min(), values.max()) if n <= 4 else (values.quantile(0.25), values.quantile(0.75))
    low, high = round(low), round(high)
    if values.min() == values.max():
        return f"You gave {n} {name} ratings, all {number(values.iloc[0])}."
    if n <= 4:
        return f"You gave {n} {name} ratings, from {low} to {high}."
    if low == high:
        return f"You gave {n} {name} ratings, mostly around {low}."
    return f"You gave {n} {name} ratings, mostly between {low} and {high}."


def summary(r: Review) -> str:
    """A few plain sentences, no judgement."""
    if r.empty:
        return EMPTY
    span = f"Over the last {_plural(len(r.weeks), 'week')}"
    if r.sessions:
        total = r.total_minutes
        amount = "less than a minute" if round(total) < 1 else f"about {_plural(round(total), 'minute')}"
        parts = [f"{span} you practised on {_plural(r.days, 'day')}, {amount} in all."]
    else:
        parts = [f"{span} there is no practice recorded."]
    return " ".join(parts + [rating_sentence(g, v) for g, v in r.values.items()])


def care(r: Review) -> str:
    """Safety rule 6: a low latest safety rating (check-in or solo diary) shows where help is, nothing more."""
    shown = [r.values[g] for g in SAFETY_GAUGES if g in r.values and len(r.values[g])]
    if not shown:
        return ""
    latest = pd.concat(shown).sort_index(kind="stable")
    return CARE if latest.iloc[-1] <= LOW_SAFETY else ""


def trend(series: pd.Series) -> str:
    """How weekly values moved, in neutral words."""
    known = series.dropna()
    if known.empty:
        return "no ratings in these weeks"
    if len(known) == 1:
        return f"one week with ratings, the week of {_day(known.index[0])}"
    first, last = known.iloc[0], known.iloc[-1]
    if last - first >= 1:
        return f"went up from {number(first)} to {number(last)}"
    if first - last >= 1:
        return f"went down from {number(first)} to {number(last)}"
    return f"stayed about the same, around {number(known.mean())}"


def alt_text(r: Review) -> str:
    """What the chart shows, week by week, for screen readers."""
    if r.empty:
        return EMPTY
    weekly = r.minutes.sum(axis=1) if len(r.minutes.columns) else pd.Series(0.0, index=r.weeks)
    parts = [f"Chart of the last {_plural(len(r.weeks), 'week')}, from the week of {_day(r.weeks[0], True)} "
             f"to the week of {_day(r.weeks[-1], True)}.",
             f"Practice minutes per week: {', '.join(str(round(m)) for m in weekly)}."]
    for gauge in r.ratings.columns:
        shown = ", ".join("no ratings" if pd.isna(v) else number(v) for v in r.ratings[gauge])
        parts.append(f"{label(gauge).capitalize()} ratings, weekly average out of 10: {shown}; "
                     f"{trend(r.ratings[gauge])}.")
    return " ".join(parts)


def table(r: Review) -> dict:
    """The chart's numbers as a table: {"head": [...], "rows": [[...], ...]}, newest week last."""
    head = ["Week of", "Practice minutes", *[f"{label(g).capitalize()} (0-10)" for g in r.ratings.columns]]
    weekly = r.minutes.sum(axis=1) if len(r.minutes.columns) else pd.Series(0.0, index=r.weeks)
    rows = [[_day(week), str(round(weekly[week])),
             *["no ratings" if pd.isna(v) else number(v) for v in r.ratings.loc[week]]] for week in r.weeks]
    return {"head": head, "rows": rows}


def chart(r: Review) -> tuple[str, str]:
    """Small multiples: practice minutes (stacked by exercise), then one 0-10 panel per gauge."""
    alt = alt_text(r)
    if r.empty:
        return "", alt
    gauges = list(r.ratings.columns)
    fig = Figure(figsize=(6.4, 1.2 + 1.5 * (1 + len(gauges))), facecolor="white")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1 + len(gauges), 1, sharex=True, squeeze=False)[:, 0]
    x = range(len(r.weeks))
    bottom = pd.Series(0.0, index=r.weeks)
    for n, exercise in enumerate(r.minutes.columns):
        axes[0].bar(x, r.minutes[exercise], bottom=bottom, color=COLOURS[n % len(COLOURS)],
                    label=label(exercise), edgecolor="white")
        bottom += r.minutes[exercise]
    axes[0].set_ylabel("minutes")
    axes[0].set_title("Practice minutes per week", loc="left", fontsize=10)
    axes[0].set_ylim(0, max(5.0, float(bottom.max()) * 1.4))
    if len(r.minutes.columns):
        axes[0].legend(fontsize=8, frameon=False, loc="upper left", ncols=min(3, len(r.minutes.columns)))
    for ax, gauge in zip(axes[1:], gauges, strict=True):
        ax.plot(x, r.ratings[gauge], marker="o", color=ACCENT, linewidth=2)
        ax.set_ylim(-0.5, 10.5)
        ax.set_yticks([0, 5, 10])
        ax.set_title(f"{label(gauge).capitalize()}: weekly average (0-10)", loc="left", fontsize=10)
        if r.ratings[gauge].isna().all():
            ax.text(0.5, 0.5, "no ratings in these weeks", transform=ax.transAxes, ha="center", color="#4a5a63")
    for ax in axes:
        ax.grid(axis="y", alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[-1].set_xticks(list(x), [_day(w) for w in r.weeks], rotation=45, ha="right", fontsize=8)
    axes[-1].set_xlabel("week starting")
    fig.tight_layout()
    return figure_png(fig), alt
