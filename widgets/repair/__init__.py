"""RepairPlanner: plan a repair conversation in four steps (module 8).

Acknowledge what happened, say sorry for the impact without excuses, ask for
feedback, adjust. One box per step, with a short explanation and kinder
phrasings. A gentle check (in Python, see ``model.py``) points out excuse
words in the apology: a hint, never a block. Plans are saved privately, can be
reopened or deleted, and printed. In the static book the front end shows a
printable worksheet instead.

The page calls the actions (widgets/base.py) ``set_name``, ``set_answer``,
``save``, ``new_plan``, ``open_plan``, ``delete_plan``, ``printable`` (the
printable page's HTML is the reply's value) and ``refresh``. Save and
printable carry the texts as the page has them, so what was just typed is
never lost to a request still on its way.
"""
from __future__ import annotations

from datetime import date

import traitlets as t

from course.store import StoreError, open_store
from widgets.base import SteadyWidget, action

from . import model as M

LIST_FAILED = "Your saved plans could not be listed:"
UNREAD = "Part of this plan could not be read. It is kept as it was until you save it."


class RepairPlanner(SteadyWidget):
    """Write what you will say in each step of a repair, save it, print it."""

    JS = "repair.js"
    CSS = "repair.css"

    steps = t.List(t.Dict(), list(M.STEPS), read_only=True,
                   help="The four steps: id, title, short explanation, [instead, try] examples.").tag(sync=True)
    name = t.Unicode("", help="The plan's name (optional), e.g. 'Missed call on Friday'.").tag(sync=True)
    answers = t.Dict(help="What the learner wrote, one text per step id, kept as typed.").tag(sync=True)
    hints = t.List(t.Unicode(), read_only=True,
                   help="Kind hints about excuse words in the apology (computed).").tag(sync=True)
    key = t.Unicode("", help="Store key of the plan being edited; empty for a plan not saved yet.").tag(sync=True)
    plans = t.List(t.Dict(), read_only=True,
                   help='Saved plans, newest first: [{"key", "title", "saved"}].').tag(sync=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("answers", dict.fromkeys(M.STEP_IDS, ""))
        super().__init__(**kwargs)
        self.observe(self._recompute, names=["answers", "name"])
        self._recompute()
        self._relist()

    @t.validate("name", "answers")
    def _check(self, proposal):
        """A notebook or an action sets these: the plan's rules (model.py), ValueError in plain words."""
        check = M.check_name if proposal["trait"].name == "name" else M.check_answers
        return check(proposal["value"])

    def _recompute(self, _change=None) -> None:
        self.set_trait("hints", M.excuse_hints(self.answers.get("apologise", "")))

    def _take(self, name: str | None, answers: dict | None) -> None:
        """The texts as the page has them (either may be left out)."""
        if name is not None:
            self.name = name
        if answers is not None:
            self.answers = answers

    # -- what a notebook, a test or the page can do
    @action
    def set_name(self, name: str) -> None:
        """Name the plan (optional; one line of at most 60 characters)."""
        self.name = name

    @action
    def set_answer(self, step: str, text: str) -> None:
        """Write one step's text (kept exactly as typed)."""
        self.answers = {**self.answers, M.check_step(step): text}

    def plan(self) -> dict:
        """What is saved and printed: the name and the four texts, checked."""
        return M.check_plan({"name": self.name, "answers": self.answers})

    def to_markdown(self) -> str:
        return M.to_markdown(self.plan())

    def to_html(self) -> str:
        return M.to_html(self.plan())

    @action
    def printable(self, name: str | None = None, answers: dict | None = None) -> str:
        """The plan as a standalone printable page (HTML), with the texts as the page has them."""
        self._take(name, answers)
        return self.to_html()

    @action(failed=LIST_FAILED)
    def refresh(self) -> None:
        """Reload the list of saved plans."""
        with open_store() as store:
            rows = store.records(M.KIND)
        listed = []
        for row in reversed(rows):
            when = row["updated_at"].astimezone()
            title = row["data"].get("name", "") if isinstance(row["data"], dict) else ""
            listed.append({"key": row["key"], "title": str(title).strip() or M.DEFAULT_NAME,
                           "saved": f"{when:%b} {when.day}, {when.year}, {when:%H:%M}"})
        self.set_trait("plans", listed)

    def _relist(self) -> None:
        """Refresh the list after a change; a problem listing goes to the status line, not to the change."""
        self.attempt(LIST_FAILED, self.refresh)

    @action(failed="Not saved:")
    def save(self, name: str | None = None, answers: dict | None = None) -> bool:
        """Save the plan (a new one gets a key with its name and today's date); True when saved.

        ``name`` and ``answers``, when given, replace the texts first (the page sends what it shows).
        """
        self._take(name, answers)
        data = self.plan()
        with open_store() as store:
            key = self.key or M.new_key(data["name"], date.today(), {r["key"] for r in store.records(M.KIND)})
            store.put_record(M.KIND, key, data)
        self.key = key
        self._relist()
        self.report(f"Saved “{M.title_of(data)}”. Only you can see it, on this device.")
        return True

    @action
    def open_plan(self, key: str) -> None:
        """Reopen a saved plan for reading or changing; ValueError if it is gone or damaged."""
        try:
            with open_store() as store:
                data = store.get_record(M.KIND, key)
        except StoreError as exc:
            raise ValueError(f"The plan could not be opened: {exc}") from None
        if data is None:
            self._relist()
            raise ValueError("That plan is no longer saved here.")
        data, whole = M.read_plan(data)  # what cannot be read stays in the store until this plan is saved
        self.name, self.answers, self.key = data["name"], data["answers"], key
        if whole:
            self.report(f"Opened “{M.title_of(data)}”.")
        else:
            self.report(f"Opened “{M.title_of(data)}”. {UNREAD}", error=True)

    @action(failed="Not deleted:")
    def delete_plan(self, key: str) -> bool:
        """Delete a saved plan for good; True when there was one. The open text stays on screen."""
        with open_store() as store:
            gone = store.delete_record(M.KIND, key)
        if key == self.key:
            self.key = ""  # saving again makes a new plan
        self._relist()
        self.report("Deleted the plan." if gone else "That plan was already gone.")
        return gone

    @action
    def new_plan(self) -> None:
        """Start an empty plan (saved plans are kept)."""
        self.key, self.name = "", ""
        self.answers = dict.fromkeys(M.STEP_IDS, "")
        self.report("Started a new, empty plan.")
