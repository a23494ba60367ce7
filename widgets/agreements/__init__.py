"""OurAgreements: a short shared playbook of small agreements, each with a day to look at it again.

Module 6: boundaries are shared agreements that you write down, so you both
remember them the same way, and look at again, because needs change. The
couple writes the list together at one sitting, after the private check for
two. Each agreement has an area, the words the couple chose, the day they will
look at it again (the page shows which ones are due), and, if they like, a
kind next step for when it is missed.

It is never a contract (CONTENT.md safety rule 8, REVIEW H3): there is no
"who agreed", no signature, no date signed and no consequence to fill in. The
only next steps offered for a missed agreement are a talk at the check-in or
the repair steps of module 8, never a punishment. Either partner can change or
drop any agreement at any time, and the printout says so. The solo version
("My boundaries", ``partners=("Me",)``) is one person's list, never gated,
with the same review days. Saved on this device only; learner text is escaped
in every export.

An agreement is about what you offer about yourself, never access to the
other's phone, accounts, money or whereabouts (module 4, CONTENT.md rule 8):
the page says so under the text box, and text that sounds like access on
demand ("show me", "password", "location", ...) gets a soft warning, in the
form while typing and on the agreement once kept. It is a warning, never a
block: what was typed is kept. Every agreement says "added on <day>", and one
changed after it was added also "changed on <day>", on the page, in the
printout and in the Markdown, so a change one partner made alone is visible to
both (no name: only the day), even when it was made by removing an agreement
and adding it again reworded: that one says the new day it was added. Removing
it stays possible for either, after a question. An agreement kept before these
days were kept shows no day; a day that cannot be read shows none either, and
never costs the agreement.

CONTENT.md safety rule 6: text with a crisis phrase (course/crisis.yml) shows
the crisis resources under its box; the browser checks (``crisis_phrases``,
``resources``), and nothing about a match is sent back, stored or logged.

The page calls the methods marked ``@action`` (widgets/base.py); a notebook or
a test calls the same methods.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import traitlets as t

from course import validate
from course.crisis import normal
from widgets.base import CrisisWatch, action, crisis_help, page_css
from widgets.gated import CouplesWidget, print_page

MAX_AGREEMENTS, MAX_TEXT = 20, 300
AREAS = ("Pauses and signals", "Technology", "Contact with others", "What is private", "Other")
LATER = {"in a week": (7, 0), "in two weeks": (14, 0), "in a month": (0, 1), "in three months": (0, 3)}
"""When to look again, counted from today: (days, months)."""
DEFAULT_LATER = "in a month"
# If an agreement is missed: kind next steps only, never a punishment. "" = nothing written.
MISSED = {"": "", "check-in": "We talk about it at our next check-in.",
          "repair": "We use the repair steps in module 8."}
MISSED_SOLO = {"": "", "check-in": "I think it over at a calm time, without blame.",
               "repair": "I talk about it calmly, with the repair steps in module 8."}
SUGGESTIONS = (
    ("Pauses and signals", "We both can say \u201cyellow\u201d to pause, and the other stops and asks what you need."),
    ("Technology", "Phones stay out of the bedroom."),
    ("Contact with others", "We tell each other within a day if an old contact gets in touch."),
    ("What is private", "Each of us can keep a journal that the other does not read."),
)
SUGGESTIONS_SOLO = (
    ("Pauses and signals", "I can pause anything, at any time, without giving a reason."),
    ("Technology", "My phone stays out of the bedroom."),
    ("Contact with others", "I take a day to think before I answer an old contact."),
    ("What is private", "My journal is just for me."),
)
NOT_A_CONTRACT = "Not a contract: either of you can reopen or drop any agreement at any time."
NOT_A_CONTRACT_SOLO = "Not a contract: you can reopen or drop any of these at any time."
MISSED_LINE = ("If an agreement is missed, it is a reason to talk, never a reason to punish. "
               "Talk about it at your check-in, or use the repair steps in module 8.")
OFFER_HINT = ("An agreement is about what you offer about yourself. "
              "It is never access to the other's phone, accounts, money or whereabouts.")
OFFER_HINT_SOLO = ("A boundary is about what you do and offer yourself. "
                   "It is never access to someone else's phone, accounts, money or whereabouts.")
ACCESS_WARNING = ("This sounds like access to someone else's phone, accounts or whereabouts. "
                  "Offered openness is fine; access on demand is a form of control (module 4).")
ACCESS_WORDS = (
    "password", "passwords", "passcode", "passcodes", "pin code", "pin number", "login", "logins",
    "location", "locations", "whereabouts", "tracking", "tracker", "track you", "track your", "track me",
    "find my", "spyware", "check your phone", "check my phone", "check your messages", "check your texts",
    "look at your phone", "look through your phone", "go through your phone", "read your messages",
    "read your texts", "read your email", "read your emails", "on demand",
    "your accounts", "your bank", "bank account", "bank accounts",
    "access", "unlock", "unlocked", "dm", "dms", "screenshot", "screenshots",
)
"""Whole words or phrases (any case, curly apostrophes as plain) that sound like access on demand.
The browser checks the form with the same lists and the shared matcher of widgets/lib/crisis.js."""
ON_DEMAND_WORDS = (
    "show me", "whenever you want", "whenever you ask", "whenever i want", "whenever i ask",
    "any time you want", "anytime you want", "any time you ask", "anytime you ask",
    "any time i want", "anytime i want", "any time i ask", "anytime i ask",
)
"""Words of "on demand" that sound like access only next to a DEVICE_WORDS word: "you see my phone
whenever you want" warns, "you can stop whenever you want" (what module 6 teaches) never does."""
DEVICE_WORDS = (
    "phone", "phones", "text", "texts", "messages", "chat", "chats", "email", "emails", "inbox",
    "account", "accounts", "bank", "money", "card", "cards", "computer", "laptop", "tablet", "app", "apps",
    "photos", "calls", "call log", "browser", "history", "social media", "location",
)
def _words(words) -> re.Pattern:
    return re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
                      + r")(?![^\W_])")


_ACCESS, _ON_DEMAND, _DEVICE = _words(ACCESS_WORDS), _words(ON_DEMAND_WORDS), _words(DEVICE_WORDS)
PAGE_CSS = page_css(Path(__file__).with_name("agreements-page.css"))
"""The downloaded, printable list's style (a page of its own, not the widget): the palette, then its own."""


class OurAgreements(CrisisWatch, CouplesWidget):
    """Write a few small agreements together (or your own boundaries), look at them again, print them."""

    JS = "agreements.js"
    CSS = "agreements.css"
    KIND, KEY = "agreements", "main"
    NOUN = "agreements"

    agreements = t.List(t.Dict(), help="The agreements: area, text, review (YYYY-MM-DD), missed "
                        "('', 'check-in' or 'repair'), added (YYYY-MM-DD it was added, or '' for an older "
                        "record), changed (YYYY-MM-DD of the last change after it was added, or '').").tag(sync=True)
    due = t.List(t.Int(), help="The numbers (from 0) of the agreements whose day to look again "
                 "has come.").tag(sync=True)
    areas = t.List(t.Unicode(), list(AREAS), help="The areas an agreement can be about.").tag(sync=True)
    later_choices = t.List(t.Unicode(), list(LATER), help="When to look again, counted from today.").tag(sync=True)
    missed_choices = t.Dict(help="The kind next steps for a missed agreement, by id ('' = none).").tag(sync=True)
    suggestions = t.List(t.List(t.Unicode()), help="Starting examples to add with one click: "
                         "[area, text].").tag(sync=True)
    print_html = t.Unicode("", help="The printable list as a whole HTML page (for the download).").tag(sync=True)
    offer_hint = t.Unicode(OFFER_HINT, help="The standing hint under the text box: an agreement is an offer, "
                           "never access.").tag(sync=True)
    access_words = t.List(t.Unicode(), list(ACCESS_WORDS), help="Words that sound like access on demand; the "
                          "browser shows `access_warning` while the text box holds one.").tag(sync=True)
    on_demand_words = t.List(t.Unicode(), list(ON_DEMAND_WORDS), help="Words of 'on demand' that warn only "
                             "together with one of `device_words`.").tag(sync=True)
    device_words = t.List(t.Unicode(), list(DEVICE_WORDS), help="Words for a phone, messages, accounts or "
                          "money: with an `on_demand_words` word they bring the warning.").tag(sync=True)
    access_warning = t.Unicode(ACCESS_WARNING, help="The soft warning (never a block) for text that sounds like "
                               "access to someone else's phone, accounts or whereabouts.").tag(sync=True)
    sounds_like_access = t.List(t.Int(), help="The numbers (from 0) of the kept agreements whose words sound "
                                "like access on demand (they show the soft warning).").tag(sync=True)

    def __init__(self, partners=("Partner A", "Partner B"), today: Callable[[], date] | None = None,
                 country: str = "US", **kwargs):
        self._today = today or date.today  # the device's local day
        super().__init__(partners=partners, **crisis_help(country), **kwargs)

    # -- storage
    def _load(self, data: dict) -> None:
        saved_list = data.get("agreements", [])
        saved_list = saved_list if isinstance(saved_list, list) else [saved_list]
        kept = []
        for saved in saved_list:
            try:
                kept.append({**self._agreement(saved["area"], saved["text"], saved["review"], saved.get("missed", "")),
                             "added": _saved_day(saved.get("added", "")),
                             "changed": _saved_day(saved.get("changed", ""))})
            except (KeyError, TypeError, ValueError):
                continue
        self.agreements = kept  # what could not be read stays in the record (CouplesWidget.reload says so)

    def _data(self) -> dict:
        return {"agreements": self.agreements}

    def _read_whole(self, record) -> bool:
        """As the base's, for a record as this version writes it: an agreement's day that is missing or not a
        day is read as none (never a reason to drop the agreement, or to say it could not be read)."""
        saved = record.get("agreements") if isinstance(record, dict) else None
        if isinstance(saved, list):
            days = ("added", "changed")
            record = {**record, "agreements": [{"missed": "", **a, **{d: _saved_day(a.get(d)) for d in days}}
                                               if isinstance(a, dict) else a for a in saved]}
        return super()._read_whole(record)

    def _resize(self) -> None:
        """After a load or a switch to the solo version: the words for this version, what is due, the printout."""
        solo = self.solo
        self.offer_hint = OFFER_HINT_SOLO if solo else OFFER_HINT
        self.missed_choices = dict(MISSED_SOLO if solo else MISSED)
        self.suggestions = [list(s) for s in (SUGGESTIONS_SOLO if solo else SUGGESTIONS)]
        self._recount()

    def _recount(self) -> None:
        today = self._today().isoformat()
        self.due = [i for i, a in enumerate(self.agreements) if a.get("review", "") <= today]
        self.sounds_like_access = [i for i, a in enumerate(self.agreements) if sounds_like_access(a["text"])]
        self.print_html = self._html()  # always the list as written: the gate is never part of the state

    def _save(self, message: str, text: str = "") -> None:
        """Save and say so; when `text` sounds like access on demand, the soft warning follows (kept all the same)."""
        self._recount()
        super()._save(message)
        if sounds_like_access(text):
            self.report(f"{self.status} {ACCESS_WARNING}")

    # -- agreements
    def _agreement(self, area, text, review, missed) -> dict:
        return {"area": validate.choice(area, AREAS, "The area"),
                "text": validate.words(text, "The agreement", MAX_TEXT),
                "review": self._review_day(review),
                "missed": _missed(missed)}

    def _review_day(self, value) -> str:
        """A day to look again: one of LATER ("in a month") counted from today, or a day as YYYY-MM-DD."""
        if isinstance(value, str) and value in LATER:
            days, months = LATER[value]
            return (_add_months(self._today(), months) + timedelta(days=days)).isoformat()
        try:
            return date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise ValueError("Choose when to look at it again: pick a day, or "
                             f"{', '.join(LATER)}.") from None

    def _index(self, index) -> int:
        return validate.index(index, "agreement", len(self.agreements))

    def _no_twin(self, text: str, skip: int = -1) -> None:
        same = " ".join(text.split()).casefold()
        if any(" ".join(a["text"].split()).casefold() == same for i, a in enumerate(self.agreements) if i != skip):
            raise ValueError("That agreement is already on your list.")

    @action(failed="Not saved:")
    def add_agreement(self, text: str, area: str = "Other", review: str = DEFAULT_LATER, missed: str = "") -> int:
        """Add an agreement; returns its number (from 0)."""
        self._check_open()
        agreement = self._agreement(area, text, review, missed)
        if len(self.agreements) >= MAX_AGREEMENTS:
            raise ValueError(f"The list can have at most {MAX_AGREEMENTS} agreements. "
                             "A short list is easier to keep.")
        self._no_twin(agreement["text"])
        self.agreements = [*self.agreements, {**agreement, "added": self._today().isoformat(), "changed": ""}]
        self._save(f"Agreement {len(self.agreements)} added. You will look at it again on {_day(agreement['review'])}.",
                   agreement["text"])
        return len(self.agreements) - 1

    @action(failed="Not saved:")
    def edit_agreement(self, index: int, text: str | None = None, area: str | None = None,
                       review: str | None = None, missed: str | None = None) -> None:
        """Change an agreement's words, area, day to look again, or next step if it is missed."""
        self._check_open()
        old = self.agreements[self._index(index)]
        agreement = self._agreement(old["area"] if area is None else area, old["text"] if text is None else text,
                                    old["review"] if review is None else review,
                                    old["missed"] if missed is None else missed)
        self._no_twin(agreement["text"], skip=index)
        same = all(agreement[key] == old[key] for key in agreement)
        agreement["added"] = old["added"]
        agreement["changed"] = old["changed"] if same else self._today().isoformat()
        self.agreements = [agreement if i == index else a for i, a in enumerate(self.agreements)]
        self._save(f"Agreement {index + 1} {'is unchanged' if same else 'changed'}.", agreement["text"])

    @action(failed="Not saved:")
    def looked_again(self, index: int, review: str = DEFAULT_LATER) -> None:
        """You looked at an agreement again and kept it: set the next day to look."""
        self._check_open()
        old = self.agreements[self._index(index)]
        day = self._review_day(review)
        self.agreements = [{**old, "review": day} if i == index else a for i, a in enumerate(self.agreements)]
        self._save(f"Agreement {index + 1} kept. You will look at it again on {_day(day)}.")

    @action(failed="Not saved:")
    def remove_agreement(self, index: int) -> None:
        """Drop an agreement from the list (either of you can, at any time)."""
        self._check_open()
        self._index(index)
        self.agreements = [a for i, a in enumerate(self.agreements) if i != index]
        self._save(f"Agreement {index + 1} removed.")

    # -- export
    def _title(self) -> str:
        return "My boundaries" if self.solo else "Our agreements"

    def _free(self) -> str:
        """The line that keeps the printout from being read as a contract."""
        return NOT_A_CONTRACT_SOLO if self.solo else NOT_A_CONTRACT

    def _missed_text(self, missed: str) -> str:
        return (MISSED_SOLO if self.solo else MISSED).get(missed, "")

    def to_markdown(self) -> str:
        """The list as Markdown; learner text is inert (validate.markdown_text), table cells included."""
        self._check_open()
        cell = validate.markdown_text
        lines = [f"# {self._title()}", "", "| Area | Agreement | Look at it again | If it is missed |",
                 "| --- | --- | --- | --- |"]
        lines += [f"| {a['area']} | {cell(a['text'])}{_days_note(a, ' ')} | {_day(a['review'])} | "
                  f"{self._missed_text(a['missed'])} |" for a in self.agreements]
        if not self.agreements:
            lines.append("| _Nothing yet._ | | | |")
        lines += ["", MISSED_LINE, "", self._free(), ""]
        return "\n".join(lines)

    def to_html(self) -> str:
        """A simple printable page: the table, how a missed agreement is met, "not a contract"; nothing to sign."""
        self._check_open()
        return self._html()

    def _html(self) -> str:
        esc = validate.html_text
        rows = "".join(f'<tr><td>{esc(a["area"])}</td><td><span dir="auto">{esc(a["text"])}</span>'
                       f'{_days_note(a, "<br><small class=days>", "</small>")}</td>'
                       f'<td>{_day(a["review"])}</td><td>{esc(self._missed_text(a["missed"]))}</td></tr>'
                       for a in self.agreements) or '<tr><td colspan="4">Nothing yet.</td></tr>'
        return print_page(self._title(), PAGE_CSS, "sg-widget sg-agreements-print",
                          "<table><thead><tr><th>Area</th><th>Agreement</th>"
                          "<th>Look at it again</th><th>If it is missed</th></tr></thead>"
                          f"<tbody>{rows}</tbody></table><p>{MISSED_LINE}</p>", self._free())


def sounds_like_access(text: str) -> bool:
    """True when `text` holds one of ACCESS_WORDS, or an ON_DEMAND_WORDS word with a DEVICE_WORDS word,
    as whole words (any case): it gets the soft warning."""
    text = normal(text)
    return bool(_ACCESS.search(text) or (_ON_DEMAND.search(text) and _DEVICE.search(text)))


def _saved_day(value) -> str:
    """A kept agreement's day (of its last change), YYYY-MM-DD, or "": none, an older record, or a value
    that is not a day. A bad day is never a reason to drop the agreement (the next save would lose it)."""
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) and value else ""
    except ValueError:
        return ""


def _days_note(agreement: dict, before: str = "", after: str = "") -> str:
    """ "(added on Jan 31, 2026; changed on Feb 3, 2026)": the day it was added, and the day of its last change
    if it changed after that; "" when it has neither (an older record). No name, only the days."""
    days = [f"{what} on {_day(agreement[key])}" for key, what in (("added", "added"), ("changed", "changed"))
            if agreement.get(key)]
    return f"{before}({'; '.join(days)}){after}" if days else ""


def _missed(value) -> str:
    """The next step for a missed agreement: one of MISSED's ids ("" for none)."""
    if isinstance(value, str) and value in MISSED:
        return value
    raise ValueError("If it is missed, the only next steps are a talk at your check-in "
                     "or the repair steps in module 8.")


def _add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    if not months:
        return day
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return day.replace(year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1]))


def _day(iso: str) -> str:
    """A day as people read it: "Dec 26, 2026"."""
    day = date.fromisoformat(iso)
    return f"{day:%b} {day.day}, {day.year}"


__all__ = ["OurAgreements", "ACCESS_WARNING", "ACCESS_WORDS", "OFFER_HINT", "OFFER_HINT_SOLO",
           "AREAS", "LATER", "MISSED", "MISSED_SOLO", "SUGGESTIONS", "SUGGESTIONS_SOLO",
           "NOT_A_CONTRACT", "NOT_A_CONTRACT_SOLO", "MISSED_LINE"]
