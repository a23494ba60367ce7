"""TriggerPlan: "When a trigger hits us", a plan written together at a calm time (module 5).

REVIEW M5 and source 002's "repair plan for when distress spikes": what the two
of you do when a trigger brings the hurt rushing back. The plan holds the
signal either of you uses to say "a trigger just hit me", what the one who was
hit needs then, what the other one does (moves toward, stays calm, reassures
with words about now, does not defend or argue in that moment), how long the
pause is, when and how you reconnect, and a set daily time to talk about the
affair or betrayal, so the rest of the day is protected. Either partner can be
the one who is hit: module 5 says the partner who caused the hurt can be hit by
shame and use the same signal, so no part of the plan fixes who is who.

The couple's plan is one record that both of you see: it is written together
at one sitting, after the private check for two (``CouplesWidget``). The solo
version, "When a trigger hits me", is the same plan for one person (a signal
to yourself, what you do, who you can call, a set time with a therapist or a
journal) and is never gated. Its "Who I can call" examples name the crisis lines
of the learner's country from resources.yml (``country``, as the crisis
resources), or findahelpline.com where the course has none for that country. Nothing about the gate is a trait.

The printout is not a contract (CONTENT.md safety rule 8): no line to sign or
date, and a line saying either of you can change or drop the plan at any time.
It has a plain title by default ("Our plan for hard moments", and "A set time
to talk"), so a page someone else finds does not say what it is about; the full
wording is a choice. Every field is checked with :mod:`course.validate`;
learner text is escaped with its ``html_text`` in the printable page.

CONTENT.md safety rule 6: text with a crisis phrase (course/crisis.yml) shows
the crisis resources under its box. The browser checks the text it holds
(``crisis_phrases``, ``resources``, as the Journal does); nothing about a
match is sent back, stored or logged.
"""
from __future__ import annotations

import re
from pathlib import Path

import traitlets as t

from course import validate
from widgets.base import CrisisWatch, action, crisis_help, page_css
from widgets.gated import CouplesWidget, print_page

MAX_SIGNAL, MAX_TEXT = 80, 300
PAUSE_MINUTES = (5, 60)
TALK_MINUTES = (10, 45)
TEXT_FIELDS = ("signal", "need", "you_do", "reconnect")
DEFAULTS = {"signal": "", "need": "", "you_do": "", "pause_minutes": 20, "reconnect": "",
            "talk_time": "", "talk_minutes": 20}
NOT_A_CONTRACT = "Not a contract: either of you can change or drop this plan at any time."
NOT_A_CONTRACT_SOLO = "Not a contract: you can change or drop this plan at any time."
OUTSIDE_TIME = ("If a trigger hits at another time: say the signal, write a short note, "
                "and bring it to the set time.")
OUTSIDE_TIME_SOLO = "If it hits at another time: write a short note, and come back to it at the set time."
PLAIN_OUTSIDE_TIME = ("If a hard moment comes at another time: say the signal, write a short note, "
                      "and bring it to the set time.")
PLAIN_OUTSIDE_TIME_SOLO = ("If a hard moment comes at another time: write a short note, "
                           "and come back to it at the set time.")
MADE, MADE_SOLO = ("We wrote this plan together, at a calm time, so neither of us has to think it up {when}.",
                   "I wrote this plan at a calm time, so I do not have to think it up {when}.")
PLAIN_TITLE, PLAIN_TITLE_SOLO = "Our plan for hard moments", "My plan for hard moments"
PLAIN_TALK, PLAIN_TALK_SOLO = "A set time to talk", "A set time to think or write"
"""The printout's plain words: they do not say what the plan is about (nor does its page source)."""
PAGE_CSS = page_css(Path(__file__).with_name("print.css"))
"""The printable plan's style (a page of its own, not the widget): the palette, then its own."""


def _field(fid: str, label: str, hint: str, examples: tuple[str, ...] = (), kind: str = "text") -> dict:
    return {"id": fid, "label": label, "hint": hint, "examples": list(examples), "kind": kind}


COUPLE_FIELDS = [
    _field("signal", "Our signal",
           'A word or a sign either of you can use to say "a trigger just hit me."',
           ('The word "wave"', "A hand flat on my chest", '"It\'s hitting me"')),
    _field("need", "When one of us is hit: what that person needs",
           "What helps the one who was hit, right then. Either of you can be the one.",
           ("A few minutes of space", "A hug", "Words of reassurance", "A walk together", "A walk on my own")),
    _field("you_do", "What the other one does",
           "The other one moves toward, not away: stays calm, and reassures with words about now. "
           "Not a time to defend or argue.",
           ('Says: "I\'m right here. Take the time you need."',
            "Stays close and keeps a calm voice.",
            "Listens. Does not explain or argue right now.",
            'Says: "I\'m here. I\'m being honest with you now."',
            'Says: "I\'m right here. I have no contact with them. I choose you."')),
    _field("pause_minutes", "How long the pause is, in minutes",
           f"From {PAUSE_MINUTES[0]} to {PAUSE_MINUTES[1]} minutes. The body needs time to settle.",
           kind="minutes"),
    _field("reconnect", "When and how we reconnect",
           "What you do when the pause is over.",
           ("After the pause, we sit on the couch and each say one thing we felt.",
            "After the pause, we make tea and sit together for a while.")),
    _field("talk_time", "Our set time each day to talk about the affair or betrayal",
           "Leave it empty if you do not want a set time. You can change it or drop it at any time.",
           kind="time"),
    _field("talk_minutes", "How long that talk lasts, in minutes",
           f"From {TALK_MINUTES[0]} to {TALK_MINUTES[1]} minutes. A short talk is easier to keep.",
           kind="minutes"),
]
SOLO_FIELDS = [
    _field("signal", "My signal to myself",
           "How you notice a trigger just hit you, and a word you say to yourself.",
           ('My chest goes tight, and I say "wave" to myself', '"This is a trigger. It will pass."')),
    _field("need", "What I do then",
           "What helps you, right then.",
           ("Breathe out slowly", "5-4-3-2-1 grounding", "A short walk", "Cold water on my hands")),
    _field("you_do", "Who I can call",
           "Someone who can listen, or a line you can call or text.",
           ("A friend I trust", "My therapist")),  # then the crisis lines of the learner's country: call_lines()
    _field("pause_minutes", "How long I give it, in minutes",
           f"From {PAUSE_MINUTES[0]} to {PAUSE_MINUTES[1]} minutes.", kind="minutes"),
    _field("reconnect", "How I come back to my day",
           "A small step back to what you were doing.",
           ("I write one line in my journal, then go back to my day.",)),
    _field("talk_time", "My set time each day to think or write about it",
           "With a therapist, or on your own with a journal. Leave it empty if you do not want one.",
           kind="time"),
    _field("talk_minutes", "How long, in minutes",
           f"From {TALK_MINUTES[0]} to {TALK_MINUTES[1]} minutes.", kind="minutes"),
]


_CRISIS_WORD = re.compile(r"\bcrisis\b", re.IGNORECASE)


def call_lines(resources: list[dict]) -> list[str]:
    """The solo plan's help lines to call or text, from the learner's country's resources (resources.yml).

    The country's own crisis lines (a resource whose name or words say "crisis"), so a
    country added to resources.yml brings its own; with none, the international ones
    (findahelpline.com), never another country's. Each reads as its name and its links:
    "Crisis Text Line (text HOME to 741741)".
    """
    def shown(r: dict) -> str:
        links = " or ".join(link["label"][:1].lower() + link["label"][1:] for link in r["links"])
        return f"{r['name']} ({links})"

    own = [r for r in resources if r["country"] != "*" and _CRISIS_WORD.search(f"{r['name']} {r['what']}")]
    return [shown(r) for r in own or [r for r in resources if r["country"] == "*"]]


def solo_fields(resources: list[dict]) -> list[dict]:
    """SOLO_FIELDS with the crisis lines of the learner's country among "Who I can call"'s examples."""
    return [{**f, "examples": [*f["examples"], *call_lines(resources)]} if f["id"] == "you_do" else f
            for f in SOLO_FIELDS]


class TriggerPlan(CrisisWatch, CouplesWidget):
    """Write "When a trigger hits us" together (or "When a trigger hits me"), keep it here, print it."""

    JS = "trigger_plan.js"
    CSS = "trigger_plan.css"
    KIND, KEY = "trigger-plan", "main"
    NOUN = "plan"

    plan = t.Dict(help="The plan as kept on this device: signal, need, you_do, pause_minutes, reconnect, "
                  "talk_time (HH:MM or empty), talk_minutes.").tag(sync=True)
    saved = t.Bool(False, help="True when a plan is kept on this device; false shows the starting values.").tag(
        sync=True)
    fields = t.List(t.Dict(), help="The plan's parts for this version (couple or solo): id, label, hint, "
                    "examples, kind (text, minutes or time).").tag(sync=True)

    def __init__(self, partners=("Partner A", "Partner B"), country: str = "US", **kwargs):
        crisis = crisis_help(country)
        self._solo_fields = solo_fields(crisis["resources"])  # before the first load draws the fields
        super().__init__(partners=partners, **crisis, **kwargs)

    # -- storage
    def _load(self, data: dict) -> None:
        self.plan = {key: data[key] if _readable(key, data.get(key)) else value for key, value in DEFAULTS.items()}
        self.saved = bool(data)

    def _data(self) -> dict:
        return dict(self.plan)

    def _resize(self) -> None:
        self.fields = self._solo_fields if self.solo else COUPLE_FIELDS

    # -- checks
    def _labels(self) -> dict[str, str]:
        return {f["id"]: f["label"] for f in (SOLO_FIELDS if self.solo else COUPLE_FIELDS)}

    def _checked(self, signal, need, you_do, pause_minutes, reconnect, talk_time, talk_minutes) -> dict:
        """The plan as it is kept; ValueError in plain words for the first part that does not fit."""
        label = self._labels()
        if not self.solo:
            label["need"] = "What the one who is hit needs"  # the label has a colon, a message reads better without
        return {
            "signal": validate.line(signal, label["signal"], MAX_SIGNAL).strip(),
            "need": _words(need, label["need"]),
            "you_do": _words(you_do, label["you_do"]),
            "pause_minutes": _minutes(pause_minutes, "The pause", PAUSE_MINUTES),
            "reconnect": _words(reconnect, label["reconnect"]),
            "talk_time": validate.time_of_day(talk_time, "The set talk time"),
            "talk_minutes": _minutes(talk_minutes, "The set talk", TALK_MINUTES),
        }

    # -- what the page, a notebook or a test can do
    @action(failed="Not saved:")
    def save(self, signal: str = "", need: str = "", you_do: str = "", pause_minutes: int = 20,
             reconnect: str = "", talk_time: str = "", talk_minutes: int = 20) -> None:
        """Keep the plan on this device (the couple's needs the check for two first)."""
        self._check_open()
        self.plan = self._checked(signal, need, you_do, pause_minutes, reconnect, talk_time, talk_minutes)
        self.saved = True
        self._save("Your plan is kept.")

    @action(failed="Not printed:")
    def printable(self, signal: str = "", need: str = "", you_do: str = "", pause_minutes: int = 20,
                  reconnect: str = "", talk_time: str = "", talk_minutes: int = 20, plain: bool = True) -> str:
        """The plan as the page shows it, as a page of its own to print (HTML); nothing is saved.

        `plain` (the default) gives it a title and a talk-time line that do not say what it is about.
        """
        self._check_open()
        plain = _yes_no(plain)
        return self._html(self._checked(signal, need, you_do, pause_minutes, reconnect, talk_time, talk_minutes),
                          plain)

    def to_html(self, plain: bool = True) -> str:
        """The kept plan as a printable page: never a contract, nothing to sign or date; a plain title unless not."""
        self._check_open()
        return self._html(self.plan, _yes_no(plain))

    # -- the printable page
    def title(self, plain: bool = False) -> str:
        if plain:
            return PLAIN_TITLE_SOLO if self.solo else PLAIN_TITLE
        return "When a trigger hits me" if self.solo else "When a trigger hits us"

    def _free(self) -> str:
        return NOT_A_CONTRACT_SOLO if self.solo else NOT_A_CONTRACT

    def _talk_line(self, plan: dict) -> str:
        if not plan["talk_time"]:
            return "No set time for now."
        return f"Every day at {clock_12(plan['talk_time'])}, for {plan['talk_minutes']} minutes."

    def _html(self, plan: dict, plain: bool = True) -> str:
        esc = validate.html_text
        label = self._labels()
        if plain:
            label["talk_time"] = PLAIN_TALK_SOLO if self.solo else PLAIN_TALK
        shown = {**plan, "pause_minutes": f"{plan['pause_minutes']} minutes", "talk_time": self._talk_line(plan)}
        parts = "".join(f"<dt>{esc(label[key])}</dt><dd>{esc(str(shown[key])) or 'Not written yet.'}</dd>"
                        for key in ("signal", "need", "you_do", "pause_minutes", "reconnect", "talk_time"))
        made = (MADE_SOLO if self.solo else MADE).format(when="in a hard moment" if plain else "when a trigger hits")
        if plain:
            outside = PLAIN_OUTSIDE_TIME_SOLO if self.solo else PLAIN_OUTSIDE_TIME
        else:
            outside = OUTSIDE_TIME_SOLO if self.solo else OUTSIDE_TIME
        title = self.title(plain)
        return print_page(title, PAGE_CSS, "sg-plan-print", f"<p>{made}</p><dl>{parts}</dl><p>{outside}</p>",
                          self._free())


def _yes_no(value) -> bool:
    """The plain-title choice: true or false, as a check box sends it."""
    if not isinstance(value, bool):
        raise ValueError(f"The plain-title choice must be yes or no; got {value!r}.")
    return value


def _words(value, what: str) -> str:
    """Optional text of at most MAX_TEXT characters, kept as typed but for spaces at the ends."""
    return (validate.text(value, what, limit=MAX_TEXT) or "").strip()


def _readable(key: str, value) -> bool:
    """True when a saved part of the plan is one this version would save (else the part's default shows)."""
    if key in ("pause_minutes", "talk_minutes"):
        low, high = PAUSE_MINUTES if key == "pause_minutes" else TALK_MINUTES
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    if key == "talk_time":
        try:
            return isinstance(value, str) and validate.time_of_day(value) == value
        except ValueError:
            return False
    limit = MAX_SIGNAL if key == "signal" else MAX_TEXT
    return isinstance(value, str) and len(value) <= limit and (key != "signal" or "\n" not in value)


def _minutes(value, what: str, bounds: tuple[int, int]) -> int:
    """A whole number of minutes within `bounds`; an empty box is asked for in words."""
    if value is None or value == "":
        raise ValueError(f"{what} needs a length: write a number of minutes from {bounds[0]} to {bounds[1]}.")
    return validate.whole(value, f"{what}, in minutes,", *bounds)


def clock_12(hhmm: str) -> str:
    """19:30 -> 7:30 PM (how the printed plan says a time)."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    return f"{(hour % 12) or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


__all__ = ["TriggerPlan", "COUPLE_FIELDS", "SOLO_FIELDS", "call_lines", "solo_fields",
           "NOT_A_CONTRACT", "NOT_A_CONTRACT_SOLO",
           "PAUSE_MINUTES", "TALK_MINUTES", "PLAIN_TITLE", "PLAIN_TITLE_SOLO", "PLAIN_TALK", "PLAIN_TALK_SOLO"]
