"""BrakesAndAccelerators: the Dual Control Model made personal.

The learner picks what presses their accelerator and their brakes, adds their
own, says how much each weighs (1-3), then ticks which are present in one
situation and sees how they add up. Python checks every change (see
``model.py``); the browser only asks, through the actions ``add``,
``remove``, ``set_weight``, ``set_present``, ``save`` and ``refresh``
(widgets/base.py). In the static book the front end shows a printable
worksheet instead.
"""
from __future__ import annotations

import traitlets as t

from course import validate
from course.store import open_store
from widgets.base import SteadyWidget, action

from . import model as M

LOAD_FAILED = "Your saved lists could not be loaded:"
UNREAD = "Part of your saved lists could not be read. It is kept as it was until you save something new."


_DRAWN: dict[tuple, tuple[str, str]] = {}
"""The last few situation charts of this kernel, by what they show: a page shown again is not drawn again."""


def _chart(items: list[dict], situation: list[str], shown: tuple) -> tuple[str, str]:
    if shown not in _DRAWN:
        if len(_DRAWN) >= 4:
            _DRAWN.pop(next(iter(_DRAWN)))
        _DRAWN[shown] = M.situation_chart(items, situation)
    return _DRAWN[shown]


class BrakesAndAccelerators(SteadyWidget):
    """Your accelerators and brakes, how much each weighs, and how one situation adds up."""

    JS = "brakes.js"
    CSS = "brakes.css"

    accelerator_suggestions = t.List(t.Unicode(), list(M.ACCELERATORS),
                                     help="Accelerators offered as tick boxes.").tag(sync=True)
    brake_suggestions = t.List(t.Unicode(), list(M.BRAKES), help="Brakes offered as tick boxes.").tag(sync=True)
    weight_names = t.Dict({str(k): v for k, v in M.WEIGHTS.items()}, read_only=True,
                          help='Words for the weights: {"1": "a little", ...}.').tag(sync=True)
    items = t.List(t.Dict(), help='Chosen items, in order: [{"text", "side", "weight"}]; text kept as typed.'
                   ).tag(sync=True)
    situation = t.List(t.Unicode(), help="Texts of the items present in the situation being described.").tag(sync=True)
    summary = t.Unicode("", read_only=True, help="One plain sentence on how the situation adds up (computed)."
                        ).tag(sync=True)
    chart_png = t.Unicode("", read_only=True, help="The situation as two stacked bars, base64 PNG (computed)."
                          ).tag(sync=True)
    chart_alt = t.Unicode("", read_only=True, help="Alt text of the chart, with both sums (computed).").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._drawn = None
        self._saved: dict | None = None  # the record as last loaded or saved: refresh keeps unsaved changes
        self.attempt(LOAD_FAILED, self.refresh)
        self.observe(self._redraw, names=["items", "situation"])
        self._redraw()

    @t.validate("items", "situation")
    def _check(self, proposal):
        """Nothing invalid ever reaches the traits or the store (the rules are in model.py)."""
        if proposal["trait"].name == "items":
            return M.check_items(proposal["value"])
        return M.check_situation(proposal["value"], self.items)

    def _redraw(self, _change=None) -> None:
        kept = [text for text in self.situation if text in {i["text"] for i in self.items}]
        if kept != self.situation:
            self.situation = kept  # observing again redraws
            return
        shown = [(i["side"], i["text"], i["weight"]) for i in self.items if i["text"] in self.situation]
        if shown == self._drawn:
            return  # the situation adds up as before: no need to draw again
        self._drawn = shown
        png, alt = _chart(self.items, self.situation, tuple(shown))
        self.set_trait("chart_png", png)
        self.set_trait("chart_alt", alt)
        self.set_trait("summary", M.summary(self.items, self.situation))

    # -- what a notebook, a test or the page can do
    @action
    def add(self, side: str, text: str, weight: int = 2) -> None:
        """Add one accelerator or brake; ValueError says why not."""
        item = {"text": M.check_text(text), "side": M.check_side(side), "weight": M.check_weight(weight)}
        self.items = [*self.items, item]
        self.report(f"Added “{text}”.")

    @action
    def remove(self, text: str) -> None:
        """Take an item off the lists (and out of the situation)."""
        index = M.find(self.items, text)
        self.items = self.items[:index] + self.items[index + 1:]
        self.report(f"Removed “{text}”.")

    @action
    def set_weight(self, text: str, weight: int) -> None:
        """How much an item weighs: 1 a little, 2 some, 3 a lot."""
        index, weight = M.find(self.items, text), M.check_weight(weight)
        items = [dict(i) for i in self.items]
        items[index]["weight"] = weight
        self.items = items
        self.report(f"“{text}” now weighs {M.WEIGHTS[weight]}.")

    @action
    def set_present(self, text: str, present: bool = True) -> None:
        """Tick (or untick) an item as present in the situation."""
        M.find(self.items, text)
        present = validate.flag(present, "Present")
        others = [s for s in self.situation if s != text]
        self.situation = [*others, text] if present else others
        self.report("")

    def record(self) -> dict:
        """What is saved: the items and the situation, checked."""
        return M.check_record({"items": self.items, "situation": self.situation})

    @action(failed="Not saved:")
    def save(self) -> bool:
        """Store the lists privately on this device; True when saved (ValueError or StoreError if not)."""
        data = self.record()
        with open_store() as store:
            store.put_record(M.KIND, M.KEY, data)
        self._saved = data
        n = len(data["items"])
        self.report(f"Saved {n} item{'s' if n != 1 else ''}. Only you can see them, on this device.")
        return True

    @action(failed=LOAD_FAILED)
    def refresh(self) -> None:
        """Reload the saved lists, unless this page has changes not saved yet.

        What cannot be read of a record is left out, said on the status line, and left alone in the store.
        """
        if self._saved is not None and self.record() != self._saved:
            return  # the learner's unsaved changes win over a reload (a second view of the widget)
        with open_store() as store:
            data = store.get_record(M.KIND, M.KEY)
        if data is None:  # nothing saved yet: what is shown stays
            self._saved = self.record()
            return
        try:
            if not isinstance(data, dict) or set(data) != {"items", "situation"}:
                raise ValueError("not the shape this version saves")
            data = M.check_record(data)
            unread = False
        except ValueError:
            data, unread = M.readable_part(data), True
        self._saved = data
        self.situation = []
        self.items = data["items"]
        self.situation = data["situation"]
        if unread:
            self.report(UNREAD, error=True)
