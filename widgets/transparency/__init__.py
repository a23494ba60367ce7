"""TransparencyPlan: what each partner shares, how, how often, and when you review it.

Module 4: trust grows from consistent, predictable behaviour. The couple writes
the plan together; each item says who added it. Sharing is offered, never
taken (CONTENT.md safety rule 8): no example asks for access to a phone or an
account, and the printout is not a contract. It has no lines to sign or date,
and it says that either of you can reopen or end the plan at any time. A solo
learner writes a personal "what I'll share" plan. Learner text is escaped in
every export.

The page calls the methods marked ``@action`` (widgets/base.py); a notebook or
a test calls the same methods. Each checks its input with :mod:`course.validate`,
and the exports escape learner text with its ``html_text`` and ``markdown_text``.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import traitlets as t

from course import validate
from widgets.base import action, page_css
from widgets.gated import CouplesWidget, print_page

MAX_ITEMS, MAX_TEXT = 30, 200
OFTEN = ("daily", "weekly", "when it happens", "other")
WHAT_EXAMPLES = ("My plans for the day", "Changes to my plans", "Any contact from the person involved",
                 "A temptation or an old contact, when it shows up")
HOW_EXAMPLES = ("A shared calendar", "A text when plans change", "I show my messages at our check-in, when I choose")
NOT_A_CONTRACT = "Not a contract: either of you can reopen or end this plan at any time."
NOT_A_CONTRACT_SOLO = "Not a contract: you can reopen or end this plan at any time."
PAGE_CSS = page_css(Path(__file__).with_name("plan-page.css"))
"""The downloaded, printable plan's style (a page of its own, not the widget): the palette, then its own."""


class TransparencyPlan(CouplesWidget):
    """Build a sharing plan together (or a personal one) and print it; it is never a contract."""

    JS = "transparency.js"
    CSS = "transparency.css"
    KIND, KEY = "transparency-plan", "main"
    NOUN = "plan"

    items = t.List(t.Dict(), help="Plan items: what, how, often, added_by.").tag(sync=True)
    review_date = t.Unicode("", help="When you will next look at the plan together, YYYY-MM-DD "
                            "(or empty).").tag(sync=True)
    review_weeks = t.Int(4, help="Review the plan every this many weeks (1-52).").tag(sync=True)
    often_choices = t.List(t.Unicode(), list(OFTEN), help="How often something is shared.").tag(sync=True)
    what_examples = t.List(t.Unicode(), list(WHAT_EXAMPLES), help="Examples of what to share.").tag(sync=True)
    how_examples = t.List(t.Unicode(), list(HOW_EXAMPLES), help="Examples of how to share.").tag(sync=True)
    agreement_html = t.Unicode("", help="The printable plan as a whole HTML page (for the download).").tag(sync=True)

    # -- storage
    def _load(self, data: dict) -> None:
        """Read a record; an item, a date or a number this version would not save is left out (see reload)."""
        items = data.get("items", [])
        self.items = [dict(i) for i in (items if isinstance(items, list) else []) if _readable_item(i)]
        day = data.get("review_date", "")
        try:
            self.review_date = _day(day) if isinstance(day, str) else ""
        except ValueError:
            self.review_date = ""
        weeks = data.get("review_weeks", 4)
        ok = isinstance(weeks, int) and not isinstance(weeks, bool) and 1 <= weeks <= 52
        self.review_weeks = weeks if ok else 4

    def _data(self) -> dict:
        return {"items": self.items, "review_date": self.review_date, "review_weeks": self.review_weeks}

    def _resize(self) -> None:
        self._refresh_export()

    def _save(self, message: str) -> None:
        self._refresh_export()
        super()._save(message)

    def _refresh_export(self) -> None:
        # Always the plan as written: whether the gate is open is never part of the widget's state.
        self.agreement_html = self._html()

    # -- items
    def _item(self, what, how, often, added_by) -> dict:
        return {"what": validate.words(what, "What is shared", MAX_TEXT),
                "how": validate.text(how, "How it is shared", limit=MAX_TEXT) or "",
                "often": validate.choice(often, OFTEN, "How often"),
                "added_by": validate.choice(added_by, list(self.partners), "Added by")}

    def _index(self, index) -> int:
        return validate.index(index, "plan item", len(self.items))

    @action(failed="Not saved:")
    def add_item(self, what: str, how: str = "", often: str = "weekly", added_by: str | None = None) -> int:
        """Add an item; returns its number (from 0)."""
        self._check_open()
        item = self._item(what, how, often, self.partners[0] if added_by is None else added_by)
        if len(self.items) >= MAX_ITEMS:
            raise ValueError(f"A plan can have at most {MAX_ITEMS} items. Short plans are easier to keep.")
        self.items = [*self.items, item]
        self._save(f"Item {len(self.items)} added.")
        return len(self.items) - 1

    @action(failed="Not saved:")
    def edit_item(self, index: int, **changes) -> None:
        """Change some fields of an item (what, how, often, added_by)."""
        self._check_open()
        old = self.items[self._index(index)]
        unknown = set(changes) - set(old)
        if unknown:
            raise ValueError(f"A plan item has no field {sorted(unknown)[0]!r}.")
        item = self._item(**{**old, **changes})
        self.items = [item if i == index else x for i, x in enumerate(self.items)]
        self._save(f"Item {index + 1} changed.")

    @action(failed="Not saved:")
    def remove_item(self, index: int) -> None:
        """Remove an item from the plan."""
        self._check_open()
        self._index(index)
        self.items = [x for i, x in enumerate(self.items) if i != index]
        self._save(f"Item {index + 1} removed.")

    @action(failed="Not saved:")
    def set_review(self, review_date: str = "", review_weeks: int = 4) -> None:
        """When you look at the plan again: a date (YYYY-MM-DD or empty) and every N weeks."""
        self._check_open()
        review_date = _day(review_date)
        review_weeks = validate.whole(review_weeks, "The weeks between reviews", 1, 52)
        self.review_date, self.review_weeks = review_date, review_weeks
        self._save("Review plan saved.")

    # -- export
    def _title(self) -> str:
        return "My plan: what I'll share" if self.solo else "Our transparency plan"

    def _promise(self) -> str:
        if self.solo:
            return "I made this plan to try it out and to look at it again."
        return "We made this plan together, to try it out and to look at it again together."

    def _free(self) -> str:
        """The line that keeps the printout from being read as a contract (REVIEW H3)."""
        return NOT_A_CONTRACT_SOLO if self.solo else NOT_A_CONTRACT

    def _review_line(self) -> str:
        when = f"Next review: {self.review_date}. " if self.review_date else "Next review: ____________. "
        return when + f"After that, every {self.review_weeks} week{'s' if self.review_weeks != 1 else ''}."

    def to_markdown(self) -> str:
        """The plan as Markdown; learner text is inert (validate.markdown_text), table cells included."""
        self._check_open()
        cell = validate.markdown_text
        lines = [f"# {self._title()}", "", f"Written by: {cell(', '.join(self.partners))}", "",
                 "| What | How | How often | Added by |", "| --- | --- | --- | --- |"]
        lines += [f"| {cell(i['what'])} | {cell(i['how'])} | {cell(i['often'])} | {cell(i['added_by'])} |"
                  for i in self.items]
        if not self.items:
            lines.append("| _Nothing yet._ | | | |")
        lines += ["", self._review_line(), "", self._promise(), "", self._free(), ""]
        return "\n".join(lines)

    def to_html(self) -> str:
        """A simple printable page: the table, the review line and the "not a contract" line; nothing to sign."""
        self._check_open()
        return self._html()

    def _html(self) -> str:
        esc = validate.html_text
        rows = "".join(f"<tr><td>{esc(i['what'])}</td><td>{esc(i['how'])}</td><td>{esc(i['often'])}</td>"
                       f"<td>{esc(i['added_by'])}</td></tr>" for i in self.items) \
            or '<tr><td colspan="4">Nothing yet.</td></tr>'
        return print_page(self._title(), PAGE_CSS, "sg-widget sg-plan-print",
                          f"<p>Written by: {esc(', '.join(self.partners))}</p>"
                          "<table><thead><tr><th>What</th><th>How</th><th>How often</th><th>Added by</th></tr></thead>"
                          f"<tbody>{rows}</tbody></table><p>{esc(self._review_line())}</p><p>{self._promise()}</p>",
                          self._free())


def _readable_item(item) -> bool:
    """True when a saved item has the four texts this version saves, and no other field."""
    return (isinstance(item, dict) and set(item) == {"what", "how", "often", "added_by"}
            and all(isinstance(item[k], str) for k in item) and bool(item["what"].strip()) and item["often"] in OFTEN)


def _day(value) -> str:
    """A calendar day as YYYY-MM-DD, or "" for none."""
    if value is None or value == "":
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValueError(f"The review date must look like 2026-03-31; got {value!r}.") from None


__all__ = ["TransparencyPlan", "OFTEN", "HOW_EXAMPLES", "WHAT_EXAMPLES", "NOT_A_CONTRACT", "NOT_A_CONTRACT_SOLO"]
