"""ConsentList: a yes / no / maybe list each partner fills alone (module 6).

Only the items both partners marked yes or maybe are shown, side by side
(:func:`shared_items`). An item with any "no" (or left blank) simply does not
appear, and the reveal does not say how many were left out. That is not
secrecy: anyone who marked an item yes can see that it is missing. So the
reveal says it plainly (REVIEW W3): a missing item means your partner is not
ready for it right now; do not ask which or why.

The solo version (``partners=("Me",)``) is one person's own list: one turn,
then their own yes, maybe and no, shown only to them; never gated; saved only
if they choose.

Turn-taking: while Partner A answers, only A's answers are in the synced
trait ``current``; "I'm done, hide my answers" moves them into Python-only
memory and empties ``current`` before Partner B's turn. Nothing is stored
unless both partners tick "agrees to save"; then only the reveal is stored.

The couples gate (``course.gate``: the private check for two) decides whether
the exercise shows at all; either partner can close it from here with one
button ("close_couples"). Its state reaches the browser in a message, never as
a trait, and closing it takes every unrevealed answer with it.

Messages from the browser: {"type": "ready" | "start" | "done" | "save" | "restart" | "close_couples"},
{"type": "add", "text": str}, {"type": "remove", "index": int},
{"type": "answer", "turn": "a" | "b", "item": str, "value": "yes" | "maybe" | "no"},
{"type": "agree", "partner": "a" | "b", "value": bool}. Answers and agreements come as
messages (not trait syncs) so that they always arrive before the "done" or "save" that follows.
Python sends {"type": "gate", "open", "solo", "text"} and {"type": "status", "text", "error"}.
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t

from course import gate as gates
from course.gate import CouplesGate
from course.safety import load_resources
from course.store import StoreError, open_store
from widgets.esm import esm
from widgets.gated import gate_message

HERE = Path(__file__).parent
THEME = HERE.parent / "theme.css"
ANSWERS = ("yes", "maybe", "no")
RECORD = ("consent-list", "shared")
SOLO_RECORD = ("consent-list", "solo")
MAX_ITEM = 200
DEFAULT_ITEMS = [
    "Holding hands", "A long hug", "Sitting close on the couch", "Sleeping in the same bed",
    "Showing each other our phones, when we choose", "Talking about the affair at night",
    "Talking about the affair at a set time in the day", "Kissing", "Touching over clothes",
    "Touching without clothes", "Sex", "A pause word that means \"stop for now\"",
    "A hand signal that means \"pause\"", "Asking \"Is this okay?\" during touch",
]


def shared_items(a: dict, b: dict) -> list:
    """Items both marked yes or maybe, in A's order: [{"item": text, "together": "yes" | "maybe"}].

    "yes" means both said yes; "maybe" means at least one said maybe. Any "no",
    and any blank (None or missing), leaves the item out. Who said what is not returned.
    """
    for answers in (a, b):
        if not isinstance(answers, dict):
            raise ValueError("Each partner's answers must be a mapping of item to yes, maybe or no.")
        for item, value in answers.items():
            if value is not None and value not in ANSWERS:
                raise ValueError(f"{value!r} is not yes, maybe or no (item {item!r}).")
    shown = []
    for item, mine in a.items():
        theirs = b.get(item)
        if mine in ("yes", "maybe") and theirs in ("yes", "maybe"):
            shown.append({"item": item, "together": "yes" if mine == theirs == "yes" else "maybe"})
    return shown


def _item(text) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("Write the item first; it cannot be empty.")
    if len(text) > MAX_ITEM:
        raise ValueError(f"Please keep an item short: at most {MAX_ITEM} characters.")
    return text.strip()


class ConsentList(anywidget.AnyWidget):
    """Yes / no / maybe, each partner alone; only shared yes and maybe items are revealed."""

    _esm = esm(HERE / "consent.js")
    _css = THEME.read_text(encoding="utf-8") + (HERE / "consent.css").read_text(encoding="utf-8")

    items = t.List(t.Unicode(), help="Activities and boundaries on the list (editable before the turns start).").tag(sync=True)
    name_a = t.Unicode("", help="Partner A's name, optional; shown as plain text.").tag(sync=True)
    name_b = t.Unicode("", help="Partner B's name, optional; shown as plain text.").tag(sync=True)
    phase = t.Enum(["setup", "a", "b", "reveal"], "setup", help="setup, Partner A's turn, Partner B's turn, or the reveal.").tag(sync=True)
    current = t.Dict(help="The answers of the partner whose turn it is, and no one else's.").tag(sync=True)
    shared = t.List(t.Dict(), help="The reveal: shared_items() of both partners' answers.").tag(sync=True)
    agree_a = t.Bool(False, help="Partner A agrees to save the shared list.").tag(sync=True)
    agree_b = t.Bool(False, help="Partner B agrees to save the shared list.").tag(sync=True)
    resources = t.List(t.Dict(), help="Free, private helplines (from resources.yml).").tag(sync=True)
    solo = t.Bool(False, help="The solo version: one person's own list, never gated.").tag(sync=True)
    own = t.List(t.Dict(), help="Solo version only, after the turn: your own answers, [{item, answer}].").tag(sync=True)
    COUPLES = True  # course.module_check: a SafetyCheck must come before it on the page

    def __init__(self, items=None, partners=("Partner A", "Partner B"), country: str = "US",
                 gate: CouplesGate | None = None, **kwargs):
        items = list(DEFAULT_ITEMS if items is None else items)
        cleaned = [_item(i) for i in items]
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("Each item can be on the list only once.")
        if isinstance(partners, str) or not isinstance(partners, (list, tuple)) or len(partners) not in (1, 2):
            raise ValueError('Give one name for the solo version, like ("Me",), or two for a couple.')
        super().__init__(items=cleaned, resources=load_resources(country)["resources"], solo=len(partners) == 1, **kwargs)
        self._answers: dict[str, dict] = {}
        self._gate = gate or gates.gate  # this page's gate, looked up when the widget is made
        self.on_msg(self._on_msg)
        self._gate.observe(self._on_gate)

    @t.validate("current")
    def _check_current(self, proposal):
        value = proposal["value"]
        if self.phase not in ("a", "b") and value:
            raise t.TraitError("Answers can only be given during a partner's turn.")
        for item, answer in value.items():
            if item not in self.items or answer not in ANSWERS:
                raise t.TraitError(f"{answer!r} for {item!r} is not a yes, maybe or no on this list.")
        return value

    def _require_open(self) -> None:
        if self.solo:
            return  # the solo version is never gated
        if not self._gate.is_open():
            raise ValueError(self._gate.text())

    def add_item(self, text: str) -> None:
        text = _item(text)
        if self.phase != "setup":
            raise ValueError("The list can change only before the turns start. Choose Start over to change it.")
        if text in self.items:
            raise ValueError("That item is already on the list.")
        self.items = [*self.items, text]

    def remove_item(self, index: int) -> None:
        if self.phase != "setup":
            raise ValueError("The list can change only before the turns start. Choose Start over to change it.")
        if not isinstance(index, int) or not 0 <= index < len(self.items):
            raise ValueError("That item is not on the list.")
        self.items = [i for n, i in enumerate(self.items) if n != index]

    def start(self) -> None:
        """Begin Partner A's turn."""
        self._require_open()
        if not self.items:
            raise ValueError("Add at least one item to the list first.")
        self._answers, self.current, self.phase = {}, {}, "a"

    def answer(self, item: str, value: str) -> None:
        """Mark one item for the partner whose turn it is."""
        self.current = {**self.current, item: value}

    def _answer_turn(self, content: dict) -> None:
        if content.get("turn") != self.phase:  # a late click from a turn that has ended is dropped
            raise ValueError("That answer came after the turn ended, so it was not kept.")
        self.answer(content.get("item"), content.get("value"))

    def done(self) -> None:
        """Hide this partner's answers: keep them in Python only and empty the synced trait."""
        self._require_open()
        if self.phase not in ("a", "b"):
            raise ValueError("There is no turn going on.")
        self._answers[self.phase] = dict(self.current)
        self.current = {}
        if self.solo:  # one person: show them their own list, in list order
            mine = self._answers.pop("a")
            self.own = [{"item": i, "answer": mine[i]} for i in self.items if mine.get(i) in ANSWERS]
            self.phase = "reveal"
        elif self.phase == "a":
            self.phase = "b"
        else:
            self.shared = shared_items(*(self._answers[p] for p in "ab"))
            self._answers = {}  # the reveal is all that is kept
            self.phase = "reveal"

    def restart(self) -> None:
        """Forget every answer and the reveal; the list and names stay."""
        self._answers = {}
        self.current, self.shared, self.own, self.agree_a, self.agree_b = {}, [], [], False, False
        self.phase = "setup"

    def agree(self, partner: str, value: bool = True) -> None:
        """Partner "a" or "b" agrees (or no longer agrees) to save the shared list."""
        if partner not in ("a", "b"):
            raise ValueError(f"The partner must be 'a' or 'b'; got {partner!r}.")
        setattr(self, f"agree_{partner}", bool(value))

    def save(self) -> bool:
        """Store the reveal only (both partners agree), or the solo list; True when saved."""
        if self.phase != "reveal":
            return self._say("There is nothing to save until you have both had your turn.", error=True)
        if self.solo:
            record, data = SOLO_RECORD, {"own": self.own}
            done = "Saved your list on this device. Anyone who opens the course on this device can see it."
        elif not (self.agree_a and self.agree_b):
            return self._say("Both of you need to agree before the list is saved.", error=True)
        else:
            record, data = RECORD, {"shared": self.shared}
            done = "Saved your shared list on this device. Only the items above were saved."
        try:
            with open_store() as store:
                store.put_record(*record, data)
        except (StoreError, ValueError) as exc:
            return self._say(f"Not saved: {exc}", error=True)
        self._say(done)
        return True

    def _say(self, text: str, error: bool = False) -> bool:
        self.send({"type": "status", "text": text, "error": error})
        return False

    def close_couples(self) -> None:
        """Close couples exercises for now, for both partners (one button, no reason)."""
        self._gate.close()

    def forget_couple(self) -> None:
        """Delete the saved shared list (or your solo list) from this device. Never needs the check."""
        try:
            with open_store() as store:
                store.delete_record(*(SOLO_RECORD if self.solo else RECORD))
        except (StoreError, ValueError) as exc:
            self._say(f"Not deleted: {exc}", error=True)
            return
        self.restart()
        self._say("Deleted from this device.")

    def _tell_gate(self, status: str | None = None) -> None:
        if self.comm is not None:
            self.send(gate_message(self._gate, self.solo, status))

    def _on_gate(self, status: str) -> None:
        if self.solo:
            return
        if status != "open" and self.phase != "setup":
            self.restart()  # a closed gate takes every answer with it
        self._tell_gate(status)

    def _on_msg(self, _widget, content, _buffers) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        actions = {"start": self.start, "done": self.done, "save": self.save, "restart": self.restart,
                   "answer": lambda: self._answer_turn(content),
                   "agree": lambda: self.agree(content.get("partner"), content.get("value") is True),
                   "ready": self._tell_gate, "close_couples": self.close_couples,
                   "forget_couple": self.forget_couple,
                   "add": lambda: self.add_item(content.get("text")),
                   "remove": lambda: self.remove_item(content.get("index"))}
        try:
            if kind in actions:
                actions[kind]()
        except (ValueError, t.TraitError) as exc:
            self._say(str(exc), error=True)

    def close(self) -> None:
        if getattr(self, "_gate", None) is not None:  # also when __init__ failed part way
            self._gate.unobserve(self._on_gate)
        super().close()
