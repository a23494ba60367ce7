"""The matplotlib drawings of module 2's figures: one function a figure, each returning a matplotlib figure.

Imported only when a figure must be drawn: ``course notebooks`` draws them
once into the build's cache (widgets/response_models.py), and a page that
finds them there never loads matplotlib or numpy. Figures are built without
pyplot, so the inline backend never shows them twice. The words a reader
needs (alt text, caption, source) live in response_models.py.
"""
from __future__ import annotations

import math
import textwrap

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from widgets.response_models import BASSON_STEPS, CONCORDANCE, SCHEMATIC

# Okabe-Ito colours (safe for common colour-vision differences), darkened where
# text sits on them; shapes are always labelled in words too.
BLUE, ORANGE, GREEN, INK, MUTED = "#0072B2", "#B35900", "#00785A", "#1f2a30", "#4a5a63"
SOFT = ("#e4eff7", "#fbeede", "#e2f2ec", "#f1eef7")
FONT = 13


def _figure(width: float, height: float):
    fig = Figure(figsize=(width, height), facecolor="white")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _bare(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xticks([])
    ax.set_yticks([])


def _ease(t0: float, t1: float, y0: float, y1: float, n: int = 60):
    t = np.linspace(t0, t1, n)
    return t, y0 + (y1 - y0) * (1 - np.cos(np.pi * (t - t0) / (t1 - t0))) / 2


def _curve(points):
    parts = [_ease(t0, t1, y0, y1) for (t0, y0), (t1, y1) in zip(points, points[1:], strict=False)]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _phase_chart(phases, points, title: str):
    """Phase bands with labels, a schematic arousal curve and the 'not data' note."""
    fig, ax = _figure(9, 4.4)
    for i, (name, t0, t1) in enumerate(phases):
        ax.axvspan(t0, t1, color=SOFT[i % len(SOFT)], zorder=0)
        ax.text((t0 + t1) / 2, 1.12, name, ha="center", va="bottom", fontsize=FONT, color=INK,
                fontweight="bold")
    t, y = _curve(points)
    ax.plot(t, y, color=BLUE, linewidth=3, zorder=2)
    ax.set_xlim(phases[0][1], phases[-1][2])
    ax.set_ylim(0, 1.3)
    ax.set_xlabel("Time", fontsize=FONT)
    ax.set_ylabel("Arousal (body)", fontsize=FONT)
    ax.set_title(title, fontsize=FONT + 1, loc="left", pad=12)
    ax.text(0.99, 0.02, SCHEMATIC, transform=ax.transAxes, ha="right", va="bottom",
            fontsize=FONT - 2, color=MUTED, style="italic")
    _bare(ax)
    fig.tight_layout()
    return fig


def four_phase() -> Figure:
    """Masters & Johnson (1966): excitement, plateau, orgasm, resolution, in a line."""
    phases = [("Excitement", 0, 4), ("Plateau", 4, 6.4), ("Orgasm", 6.4, 7.6), ("Resolution", 7.6, 10)]
    points = [(0, 0.08), (4, 0.72), (6.4, 0.8), (7.0, 1.0), (7.6, 0.62), (10, 0.08)]
    return _phase_chart(phases, points, "Masters and Johnson's four phases (1966)")


def _box(ax, x, y, text, colour, fill):
    return ax.text(x, y, text, ha="center", va="center", fontsize=FONT, color=INK,
                   bbox={"boxstyle": "round,pad=0.5", "facecolor": fill, "edgecolor": colour, "linewidth": 2})


def _connect(ax, boxes, pairs, colours, rad=0.0) -> None:
    """Arrows between text boxes, clipped to the measured boxes so they never cover words."""
    ax.figure.canvas.draw()
    renderer, inv = ax.figure.canvas.get_renderer(), ax.transData.inverted()
    rects = []
    for box in boxes:
        (x0, y0), (x1, y1) = inv.transform(box.get_bbox_patch().get_window_extent(renderer).get_points())
        rects.append(Rectangle((x0 - 0.1, y0 - 0.1), x1 - x0 + 0.2, y1 - y0 + 0.2, transform=ax.transData))
    for (i, j), colour in zip(pairs, colours, strict=False):
        ax.add_patch(FancyArrowPatch(boxes[i].get_position(), boxes[j].get_position(),
                                     patchA=rects[i], patchB=rects[j], connectionstyle=f"arc3,rad={rad}",
                                     arrowstyle="-|>", mutation_scale=20, lw=2.2, color=colour))


def _row(ax, y, xs, names, colour, fill, highlight=None):
    boxes = [_box(ax, x, y, name, colour, SOFT[2] if name == highlight else fill)
             for x, name in zip(xs, names, strict=True)]
    _connect(ax, boxes, [(i, i + 1) for i in range(len(boxes) - 1)], [colour] * len(boxes))


def kaplan() -> Figure:
    """Kaplan (1979): desire added before arousal, giving desire, excitement, orgasm."""
    fig, ax = _figure(9, 3.4)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 3.4)
    ax.axis("off")
    ax.text(0.2, 3.3, "Masters and Johnson (1966): the body's phases", fontsize=FONT, color=MUTED, va="top")
    _row(ax, 2.55, [2.7, 4.8, 6.8, 9.1], ["Excitement", "Plateau", "Orgasm", "Resolution"], MUTED, "#f4f6f7")
    ax.text(0.2, 1.6, "Kaplan (1979): desire comes first", fontsize=FONT, color=INK, va="top",
            fontweight="bold")
    _row(ax, 0.85, [0.8, 3.75, 6.8], ["Desire", "Excitement", "Orgasm"], BLUE, SOFT[0], highlight="Desire")
    ax.text(0.8, 0.2, "added", ha="center", va="center", fontsize=FONT - 2, color=GREEN, style="italic")
    ax.text(10, 0.05, SCHEMATIC, ha="right", va="bottom", fontsize=FONT - 2, color=MUTED, style="italic")
    fig.tight_layout()
    return fig


def basson() -> Figure:
    """Basson (2000): a circle in which desire can follow arousal."""
    fig, ax = _figure(9, 7)
    ax.set_xlim(-5, 5)
    ax.set_ylim(-4.2, 4.2)
    ax.set_aspect("equal")
    ax.axis("off")
    n = len(BASSON_STEPS)
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]
    pos = [(3.4 * math.cos(a), 3.0 * math.sin(a)) for a in angles]
    boxes = [_box(ax, x, y, text, BLUE if i else GREEN, SOFT[2] if i == 0 else SOFT[0])
             for i, ((x, y), text) in enumerate(zip(pos, BASSON_STEPS, strict=True))]
    ax.text(0, 0, "Desire can follow\narousal, not only\ncome before it", ha="center", va="center",
            fontsize=FONT, color=INK, fontweight="bold")
    ax.text(5, -4.2, SCHEMATIC, ha="right", va="bottom", fontsize=FONT - 2, color=MUTED, style="italic")
    _connect(ax, boxes, [(i, (i + 1) % n) for i in range(n)],
             [BLUE] * (n - 1) + [GREEN], rad=-0.25)
    ax.text(-3.1, 3.3, "satisfaction\nfeeds back", ha="center", va="center", fontsize=FONT - 1,
            color=GREEN, style="italic")
    return fig


def concordance() -> Figure:
    """Chivers et al. (2010): how closely genital and reported arousal agree, on average."""
    fig, ax = _figure(8, 4.6)
    names = list(CONCORDANCE)
    values = [CONCORDANCE[k] for k in names]
    bars = ax.bar(names, values, color=[BLUE, ORANGE], width=0.55, edgecolor="white")
    for bar, value in zip(bars, values, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, value + 0.03, f"r = {value:.2f}".replace("0.", "."),
                ha="center", va="bottom", fontsize=FONT + 1, fontweight="bold", color=INK)
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_yticklabels(["0", ".25", ".50", ".75", "1"], fontsize=FONT - 1)
    ax.tick_params(axis="x", labelsize=FONT)
    ax.set_ylabel("Agreement (correlation r)\n0 = none, 1 = perfect", fontsize=FONT)
    ax.set_title("How closely the body's response and felt arousal agree", fontsize=FONT + 1, loc="left", pad=12)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.01, 0.01, textwrap.fill(
        "Averages across many lab studies, grouped as the studies grouped people. They do not say "
        "anyone is wrong about their body: a body response is not desire, consent or safety.", 88),
        fontsize=FONT - 2, color=MUTED, va="bottom")
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    return fig
