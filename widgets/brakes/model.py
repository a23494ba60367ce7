"""Accelerators and brakes (the Dual Control Model, Bancroft & Janssen; Nagoski 2015):
the learner's items, their checks, and the chart of one situation.

A record is ``{"items": [{"text", "side", "weight"}, ...], "situation": [text, ...]}``.
Item text is kept exactly as typed; two items may not differ only by case or spaces.
"""
from __future__ import annotations

import unicodedata
import warnings

from course import validate

KIND, KEY = "brakes-accelerators", "mine"
SIDES = ("accelerator", "brake")
MAX_ITEMS, MAX_CHARS = 40, validate.MAX_LABEL
WEIGHTS = {1: "a little", 2: "some", 3: "a lot"}
ACCELERATORS = ("Feeling close", "Being appreciated", "Privacy", "A relaxed body", "Novelty",
                "A partner's kindness", "Feeling safe", "Time without rushing")
BRAKES = ("Stress", "Worry about being hurt again", "Body image worries", "Tiredness",
          "Reminders of the betrayal", "Feeling pressured", "Kids in the next room")
COLOURS = {"accelerator": ("#0072B2", "#005a8c"), "brake": ("#B35900", "#8a4500")}  # Okabe-Ito, labelled
ROUGH = "The weights are your own guesses: this is a rough picture, not a measurement."
BRAKES_HEAVIER = ("In this situation your brakes weigh more than your accelerators. "
                  "That is common after a betrayal, and it is not a fault. " + ROUGH)


def _same(text: str) -> str:
    return text.strip().casefold()


def check_text(text) -> str:
    """A short label (validate.label: 1-80 characters) on one line, returned unchanged."""
    text = validate.label(text, "An item")
    if any(unicodedata.category(c) == "Cc" for c in text):  # the chart and the lists show one line
        raise ValueError("An item must be one line of ordinary text (no line breaks or control characters).")
    return text


def check_weight(weight) -> int:
    """1, 2 or 3 (validate.whole), said with the words the page shows."""
    try:
        return validate.whole(weight, "How much an item weighs", 1, len(WEIGHTS))
    except ValueError:
        raise ValueError("How much an item weighs must be 1 (a little), 2 (some) or 3 (a lot); "
                         f"got {weight!r}.") from None


def check_side(side) -> str:
    return validate.choice(side, SIDES, "An item's side")


def check_items(items) -> list[dict]:
    """At most 40 well-formed items with no duplicates; returns fresh copies."""
    if not isinstance(items, (list, tuple)):
        raise ValueError(f"The items must be a list; got {type(items).__name__}.")
    if len(items) > MAX_ITEMS:
        raise ValueError(f"You can keep at most {MAX_ITEMS} items; remove one first.")
    seen, clean = set(), []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"text", "side", "weight"}:
            raise ValueError(f"An item needs exactly a text, a side and a weight; got {item!r}.")
        text = check_text(item["text"])
        if _same(text) in seen:
            raise ValueError(f"“{text}” is already on your lists.")
        seen.add(_same(text))
        clean.append({"text": text, "side": check_side(item["side"]), "weight": check_weight(item["weight"])})
    return clean


def check_situation(situation, items) -> list[str]:
    """Texts of the learner's own items, each at most once."""
    if not isinstance(situation, (list, tuple)):
        raise ValueError(f"A situation must be a list of items; got {type(situation).__name__}.")
    known = {i["text"] for i in items}
    for text in situation:
        if not isinstance(text, str) or text not in known:
            raise ValueError(f"{text!r} is not one of your items, so it cannot be part of a situation.")
    if len(set(situation)) != len(situation):
        raise ValueError("An item can be ticked only once in a situation.")
    return list(situation)


def check_record(data) -> dict:
    """A whole saved record, checked as on save; raises ValueError."""
    if not isinstance(data, dict):
        raise ValueError("The saved lists are not in the expected form.")
    items = check_items(data.get("items", []))
    return {"items": items, "situation": check_situation(data.get("situation", []), items)}


def readable_part(data) -> dict:
    """What can be read of a saved record that check_record refuses: the good items, the situation's
    items among them. The rest is left out (the record keeps it until the next save)."""
    data = data if isinstance(data, dict) else {}
    items, seen = [], set()
    saved = data.get("items")
    for item in saved[:MAX_ITEMS] if isinstance(saved, list) else []:
        try:
            [clean] = check_items([item])
        except ValueError:
            continue
        if _same(clean["text"]) not in seen:
            seen.add(_same(clean["text"]))
            items.append(clean)
    known, situation = {i["text"] for i in items}, data.get("situation")
    chosen = [s for s in (situation if isinstance(situation, list) else []) if isinstance(s, str) and s in known]
    return {"items": items, "situation": list(dict.fromkeys(chosen))}


def find(items: list[dict], text: str) -> int:
    for index, item in enumerate(items):
        if item["text"] == text:
            return index
    raise ValueError(f"{text!r} is not one of your items.")


def present(items: list[dict], situation: list[str], side: str) -> list[dict]:
    chosen = set(situation)
    return [i for i in items if i["side"] == side and i["text"] in chosen]


def totals(items: list[dict], situation: list[str]) -> dict[str, int]:
    return {side: sum(i["weight"] for i in present(items, situation, side)) for side in SIDES}


def summary(items: list[dict], situation: list[str]) -> str:
    total = totals(items, situation)
    go, stop = total["accelerator"], total["brake"]
    if not go and not stop:
        return "Tick which of your items are present in a situation to see how they add up."
    if stop > go:
        return BRAKES_HEAVIER
    if go > stop:
        return ("In this situation your accelerators weigh more than your brakes. "
                "Even so, a body response is not a yes: you still choose. " + ROUGH)
    return "In this situation your accelerators and brakes weigh the same. " + ROUGH


def _listing(chosen: list[dict]) -> str:
    return "; ".join(f"{i['text']}, {WEIGHTS[i['weight']]}" for i in chosen) or "none ticked"


def chart_alt(items: list[dict], situation: list[str]) -> str:
    total = totals(items, situation)
    parts = [f"{name} add up to {total[side]} ({_listing(present(items, situation, side))})"
             for side, name in (("accelerator", "accelerators"), ("brake", "brakes"))]
    return f"Bar chart of this situation: {parts[0]}; {parts[1]}. {summary(items, situation)}"


def _fit(text_artist, width_px: float, renderer) -> None:
    """Shorten a label with an ellipsis until it fits inside its bar segment (or hide it)."""
    full = text_artist.get_text()
    for end in range(len(full), 0, -1):
        if text_artist.get_window_extent(renderer).width <= width_px:
            return
        text_artist.set_text(full[: end - 1].rstrip() + "…")
    text_artist.set_text("")


def situation_chart(items: list[dict], situation: list[str]) -> tuple[str, str]:
    """Two stacked bars (accelerators, brakes) as (base64 PNG, alt text); no ticks gives ("", alt)."""
    alt = chart_alt(items, situation)
    total = totals(items, situation)
    if not any(total.values()):
        return "", alt
    with warnings.catch_warnings():  # emoji and some scripts have no glyph here; the list and alt text show them
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        warnings.filterwarnings("ignore", message="Matplotlib currently does not support", category=UserWarning)
        return _draw(items, situation, total), alt


def _draw(items: list[dict], situation: list[str], total: dict[str, int]) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # here: importing the widget stays cheap
    from matplotlib.figure import Figure

    from widgets.charts import figure_png

    fig = Figure(figsize=(7.5, 2.6), facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    top = max(max(total.values()), 6)
    size = 11
    fig.subplots_adjust(left=0.2, right=0.97, top=0.95, bottom=0.25)
    renderer = fig.canvas.get_renderer()
    px_per_unit = ax.get_window_extent(renderer).width / (top * 1.1)
    for row, side in enumerate(("brake", "accelerator")):
        left = 0
        for n, item in enumerate(present(items, situation, side)):
            w = item["weight"]
            ax.barh(row, w, left=left, height=0.6, color=COLOURS[side][n % 2], edgecolor="white", linewidth=2)
            label = ax.text(left + w / 2, row, item["text"], ha="center", va="center", color="white",
                            fontsize=size, parse_math=False)
            _fit(label, w * px_per_unit - 8, renderer)
            left += w
        ax.text(left + top * 0.02, row, f"{total[side]}", va="center", fontsize=size + 2, fontweight="bold",
                color="#1f2a30")
    ax.set_yticks([0, 1], ["Brakes", "Accelerators"], fontsize=size + 1)
    ax.set_xlim(0, top * 1.1)
    ax.set_ylim(-0.5, 1.5)
    ax.set_xlabel("How much they weigh (a little = 1, some = 2, a lot = 3)", fontsize=size)
    ax.tick_params(axis="x", labelsize=size - 1)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return figure_png(fig)
