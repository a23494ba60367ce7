"""RepairPlanner: plan a repair conversation in four steps (module 8).

Acknowledge what happened, say sorry for the impact without excuses, ask for
feedback, adjust. One box per step, with a short explanation and kinder
phrasings. A gentle check (in Python, see ``model.py``) points out excuse
words in the apology: a hint, never a block. Plans are saved privately, can be
reopened or deleted, and printed. In the static book the front end shows a
printable worksheet instead.

Messages from the browser (answered by a change of ``status``):
    {"type": "save", "name": str, "answers": {...}} | {"type": "new"} | {"type": "refresh"}
    {"type": "open", "key": str} | {"type": "delete", "key": str}
    {"type": "printable", "mode": "open"|"download", "name": str, "answers": {...}}: answered by
        a custom message {"type": "printable", "mode": ..., "html": str}.
Save and printable carry the texts as the browser has them: ipywidgets may hold back trait
updates while the kernel is busy, but not custom messages, so what was just typed is never lost.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import anywidget
import traitlets as t

from course.store import StoreError, open_store

from . import model as M
from widgets.esm import esm

HERE = Path(__file__).parent


class RepairPlanner(anywidget.AnyWidget):
    """Write what you will say in each step of a repair, save it, print it."""

    _esm = esm(HERE / "repair.js")
    _css = (HERE.parent / "theme.css").read_text(encoding="utf-8") + (HERE / "repair.css").read_text(encoding="utf-8")

    steps = t.List(t.Dict(), list(M.STEPS), read_only=True,
                   help="The four steps: id, title, short explanation, [instead, try] examples.").tag(sync=True)
    name = t.Unicode("", help="The plan's name (optional), e.g. 'Missed call on Friday'.").tag(sync=True)
    answers = t.Dict(help="What the learner wrote, one text per step id, kept as typed.").tag(sync=True)
    hints = t.List(t.Unicode(), read_only=True, help="Kind hints about excuse words in the apology (computed).").tag(sync=True)
    key = t.Unicode("", help="Store key of the plan being edited; empty for a plan not saved yet.").tag(sync=True)
    plans = t.List(t.Dict(), read_only=True, help='Saved plans, newest first: [{"key", "title", "saved"}].').tag(sync=True)
    status = t.Unicode("", help="What happened on the last action, in plain words.").tag(sync=True)
    error = t.Bool(False, help="True when status reports a problem.").tag(sync=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("answers", {step: "" for step in M.STEP_IDS})
        super().__init__(**kwargs)
        self.on_msg(self._on_msg)
        self.observe(self._recompute, names=["answers", "name"])
        self._recompute()
        self.refresh()

    @t.validate("answers")
    def _check_answers(self, proposal):
        return M.check_answers(proposal["value"])

    @t.validate("name")
    def _check_name(self, proposal):
        return M.check_name(proposal["value"])

    def _recompute(self, _change=None) -> None:
        self.set_trait("hints", M.excuse_hints(self.answers.get("apologise", "")))

    def _report(self, message: str, error: bool = False) -> None:
        self.error = error
        self.status = message

    # -- what a notebook, a test or the browser can do
    def set_answer(self, step: str, text: str) -> None:
        """Write one step's text (kept exactly as typed)."""
        if step not in M.STEP_IDS:
            raise ValueError(f"There is no step {step!r}; the steps are {', '.join(M.STEP_IDS)}.")
        self.answers = {**self.answers, step: text}

    def plan(self) -> dict:
        """What is saved and printed: the name and the four texts, checked."""
        return M.check_plan({"name": self.name, "answers": self.answers})

    def to_markdown(self) -> str:
        return M.to_markdown(self.plan())

    def to_html(self) -> str:
        return M.to_html(self.plan())

    def refresh(self) -> None:
        """Reload the list of saved plans."""
        try:
            with open_store() as store:
                rows = store.records(M.KIND)
        except (StoreError, ValueError) as exc:
            self._report(f"Your saved plans could not be listed: {exc}", error=True)
            return
        listed = []
        for row in reversed(rows):
            when = row["updated_at"].astimezone()
            title = row["data"].get("name", "") if isinstance(row["data"], dict) else ""
            listed.append({"key": row["key"], "title": str(title).strip() or M.DEFAULT_NAME,
                           "saved": f"{when:%b} {when.day}, {when.year}, {when:%H:%M}"})
        self.set_trait("plans", listed)

    def save(self) -> bool:
        """Save the plan (a new one gets a key with its name and today's date); True when saved."""
        try:
            data = self.plan()
            with open_store() as store:
                key = self.key or M.new_key(data["name"], date.today(), {r["key"] for r in store.records(M.KIND)})
                store.put_record(M.KIND, key, data)
        except (StoreError, ValueError) as exc:
            self._report(f"Not saved: {exc}", error=True)
            return False
        self.key = key
        self.refresh()
        self._report(f"Saved “{M.title_of(data)}”. Only you can see it, on this device.")
        return True

    def open_plan(self, key: str) -> None:
        """Reopen a saved plan for reading or changing; ValueError if it is gone."""
        try:
            with open_store() as store:
                data = store.get_record(M.KIND, key)
        except StoreError as exc:
            raise ValueError(f"The plan could not be opened: {exc}") from None
        if data is None:
            self.refresh()
            raise ValueError("That plan is no longer saved here.")
        data = M.check_plan(data)
        self.name, self.answers, self.key = data["name"], data["answers"], key

    def delete_plan(self, key: str) -> bool:
        """Delete a saved plan for good; True when there was one. The open text stays on screen."""
        with open_store() as store:
            gone = store.delete_record(M.KIND, key)
        if key == self.key:
            self.key = ""  # saving again makes a new plan
        self.refresh()
        return gone

    def new_plan(self) -> None:
        """Start an empty plan (saved plans are kept)."""
        self.key, self.name = "", ""
        self.answers = {step: "" for step in M.STEP_IDS}

    def _on_msg(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict):
            return
        kind, key = content.get("type"), content.get("key")
        try:
            if kind in ("save", "printable"):
                if "name" in content:
                    self.name = content["name"]
                if "answers" in content:
                    self.answers = content["answers"]
            if kind == "save":
                self.save()
            elif kind == "open":
                self.open_plan(key)
                self._report(f"Opened “{M.title_of(self.plan())}”.")
            elif kind == "delete":
                self._report("Deleted the plan." if self.delete_plan(key) else "That plan was already gone.")
            elif kind == "new":
                self.new_plan()
                self._report("Started a new, empty plan.")
            elif kind == "refresh":
                self.refresh()
            elif kind == "printable":
                self.send({"type": "printable", "mode": content.get("mode"), "html": self.to_html()})
        except (StoreError, ValueError, t.TraitError) as exc:
            self._report(str(exc), error=True)
