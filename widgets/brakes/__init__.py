"""BrakesAndAccelerators: the Dual Control Model made personal.

The learner picks what presses their accelerator and their brakes, adds their
own, says how much each weighs (1-3), then ticks which are present in one
situation and sees how they add up. Python checks every change (see
``model.py``); the browser only asks. In the static book the front end shows a
printable worksheet instead.

Messages from the browser (answered by a change of ``status``):
    {"type": "add", "side": "accelerator"|"brake", "text": str, "weight": 1-3}
    {"type": "remove", "text": str}
    {"type": "weight", "text": str, "weight": 1-3}
    {"type": "present", "text": str, "present": bool}
    {"type": "save"}
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t

from course.store import StoreError, open_store

from . import model as M
from widgets.esm import esm

HERE = Path(__file__).parent


class BrakesAndAccelerators(anywidget.AnyWidget):
    """Your accelerators and brakes, how much each weighs, and how one situation adds up."""

    _esm = esm(HERE / "brakes.js")
    _css = (HERE.parent / "theme.css").read_text(encoding="utf-8") + (HERE / "brakes.css").read_text(encoding="utf-8")

    accelerator_suggestions = t.List(t.Unicode(), list(M.ACCELERATORS), help="Accelerators offered as tick boxes.").tag(sync=True)
    brake_suggestions = t.List(t.Unicode(), list(M.BRAKES), help="Brakes offered as tick boxes.").tag(sync=True)
    weight_names = t.Dict({str(k): v for k, v in M.WEIGHTS.items()}, read_only=True, help='Words for the weights: {"1": "a little", ...}.').tag(sync=True)
    items = t.List(t.Dict(), help='Chosen items, in order: [{"text", "side", "weight"}]; text kept as typed.').tag(sync=True)
    situation = t.List(t.Unicode(), help="Texts of the items present in the situation being described.").tag(sync=True)
    summary = t.Unicode("", read_only=True, help="One plain sentence on how the situation adds up (computed).").tag(sync=True)
    chart_png = t.Unicode("", read_only=True, help="The situation as two stacked bars, base64 PNG (computed).").tag(sync=True)
    chart_alt = t.Unicode("", read_only=True, help="Alt text of the chart, with both sums (computed).").tag(sync=True)
    status = t.Unicode("", help="What happened on the last change or save, in plain words.").tag(sync=True)
    error = t.Bool(False, help="True when status reports a problem.").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._drawn = None
        self.on_msg(self._on_msg)
        self.load()
        self.observe(self._redraw, names=["items", "situation"])
        self._redraw()

    # -- checks: nothing invalid ever reaches the traits or the store
    @t.validate("items")
    def _check_items(self, proposal):
        return M.check_items(proposal["value"])

    @t.validate("situation")
    def _check_situation(self, proposal):
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
        png, alt = M.situation_chart(self.items, self.situation)
        self.set_trait("chart_png", png)
        self.set_trait("chart_alt", alt)
        self.set_trait("summary", M.summary(self.items, self.situation))

    def _report(self, message: str, error: bool = False) -> None:
        self.error = error
        self.status = message

    # -- what a notebook, a test or the browser can do
    def add(self, side: str, text: str, weight: int = 2) -> None:
        """Add one accelerator or brake; ValueError says why not."""
        item = {"text": M.check_text(text), "side": M.check_side(side), "weight": M.check_weight(weight)}
        self.items = [*self.items, item]

    def remove(self, text: str) -> None:
        """Take an item off the lists (and out of the situation)."""
        index = M.find(self.items, text)
        self.items = self.items[:index] + self.items[index + 1:]

    def set_weight(self, text: str, weight: int) -> None:
        """How much an item weighs: 1 a little, 2 some, 3 a lot."""
        index, weight = M.find(self.items, text), M.check_weight(weight)
        items = [dict(i) for i in self.items]
        items[index]["weight"] = weight
        self.items = items

    def set_present(self, text: str, present: bool = True) -> None:
        """Tick (or untick) an item as present in the situation."""
        M.find(self.items, text)
        others = [s for s in self.situation if s != text]
        self.situation = [*others, text] if present else others

    def record(self) -> dict:
        """What is saved: the items and the situation, checked."""
        return M.check_record({"items": self.items, "situation": self.situation})

    def save(self) -> bool:
        """Store the lists privately on this device; True when saved."""
        try:
            data = self.record()
            with open_store() as store:
                store.put_record(M.KIND, M.KEY, data)
        except (StoreError, ValueError) as exc:
            self._report(f"Not saved: {exc}", error=True)
            return False
        n = len(data["items"])
        self._report(f"Saved {n} item{'s' if n != 1 else ''}. Only you can see them, on this device.")
        return True

    def load(self) -> None:
        """Reload the saved lists, if any; a damaged record is reported and left alone."""
        try:
            with open_store() as store:
                data = store.get_record(M.KIND, M.KEY)
            if data is None:
                return
            data = M.check_record(data)
        except (StoreError, ValueError) as exc:
            self._report(f"Your saved lists could not be loaded: {exc}", error=True)
            return
        self.situation = []
        self.items = data["items"]
        self.situation = data["situation"]

    def _on_msg(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict):
            return
        kind, text = content.get("type"), content.get("text")
        try:
            if kind == "add":
                self.add(content.get("side"), text, content.get("weight", 2))
                self._report(f"Added “{text}”.")
            elif kind == "remove":
                self.remove(text)
                self._report(f"Removed “{text}”.")
            elif kind == "weight":
                self.set_weight(text, content.get("weight"))
                self._report(f"“{text}” now weighs {M.WEIGHTS[content.get('weight')]}.")
            elif kind == "present":
                self.set_present(text, bool(content.get("present")))
                self._report("")
            elif kind == "save":
                self.save()
        except (ValueError, t.TraitError) as exc:
            self._report(str(exc), error=True)
