"""Small matplotlib charts for widgets, always paired with alt text.

Importing this module loads neither pandas nor matplotlib (lean kernels,
issue 9): ``figure_png`` only asks a figure to save itself, and
``trend_chart`` imports what it draws with. Figures are made with
matplotlib's object API, never pyplot, so the notebook's inline backend
never shows them a second time and nothing needs closing.
"""
from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

ACCENT = "#1d5f5a"


def figure_png(fig) -> str:
    """Render a matplotlib figure to a base64 PNG string."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _day(ts: pd.Timestamp) -> str:
    return f"{ts:%b} {ts.day}, {ts.year}"


def local_times(times: pd.Series) -> pd.Series:
    """Times as this computer's local wall-clock times (naive), so days are the learner's days.

    Aware times (the store's are UTC) are converted with the zone rules of each
    moment (summer time included); naive times are taken as local already.
    """
    if times.dt.tz is None:
        return times
    import pandas as pd

    return pd.Series([ts.to_pydatetime().astimezone().replace(tzinfo=None) for ts in times],
                     index=times.index, dtype="datetime64[ns]")


def trend_alt(frame: pd.DataFrame, label: str) -> str:
    """Plain-language description of a 0-10 trend, for screen readers; dates are local days."""
    if frame.empty:
        return f"No {label} check-ins yet."
    values = frame["value"]
    local = local_times(frame["at"])
    first, last = local.iloc[0], local.iloc[-1]
    span = _day(first) if first.date() == last.date() else f"{_day(first)} to {_day(last)}"
    count = len(frame)
    noun = "check-in" if count == 1 else "check-ins"
    return (
        f"Line chart of your {label} {noun}: {count} from {span}. "
        f"Lowest {values.min()}, highest {values.max()}, latest {values.iloc[-1]} out of 10."
    )


def trend_chart(frame: pd.DataFrame, label: str, last: int = 30) -> tuple[str, str]:
    """A small 0-10 line chart of the last check-ins, on local days: (base64 PNG, alt text).

    An empty frame gives ("", alt) so callers show the alt text alone.
    """
    frame = frame.sort_values("at").tail(last)
    alt = trend_alt(frame, label)
    if frame.empty:
        return "", alt
    import matplotlib.dates as mdates
    import pandas as pd
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    local = local_times(frame["at"])
    fig = Figure(figsize=(5.2, 2.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(local, frame["value"], marker="o", color=ACCENT, linewidth=2)
    if local.iloc[-1] - local.iloc[0] < pd.Timedelta(days=2):  # a day or two: show the days around them
        ax.set_xlim(local.iloc[0].normalize() - pd.Timedelta(days=1), local.iloc[-1].normalize() + pd.Timedelta(days=2))
    ax.set_ylim(-0.5, 10.5)
    ax.set_yticks([0, 5, 10])
    ax.set_ylabel(f"{label} (0-10)")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %d"))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=5))
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.autofmt_xdate()
    return figure_png(fig), alt
