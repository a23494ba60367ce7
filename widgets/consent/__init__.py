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
unless both partners tick "agrees to save"; then only the reveal is stored
(not even the partners' names).

A couples exercise (:class:`widgets.gated.CouplesWidget`): the couples gate
(``course.gate``: the private check for two) decides whether the exercise
shows at all, and either partner can close it from here with one button.
Closing it takes every unrevealed answer with it.

The page calls the ``@action`` methods: start, answer, done, agree, save,
restart, add_item, remove_item (and the base's close_couples, forget_couple,
use_solo, refresh). Answers and agreements are actions, not trait syncs, so
they reach Python in order, always before the "done" or "save" that follows.
"""
from __future__ import annotations

import traitlets as t

from course import validate
from course.safety import load_resources
from course.store import StoreError, open_store
from widgets.base import action
from widgets.gated import CouplesWidget

ANSWERS = ("yes", "maybe", "no")
KIND = "consent-list"
MAX_ITEM = 200
DEFAULT_ITEMS = [
    "Holding hands", "A long hug", "Sitting close on the couch", "Sleeping in the same bed",
    "Showing each other our phones, when we choose", "Talking about the affair at night",
    "Talking about the affair at a set time in the day", "Kissing", "Touching over clothes",
    "Touching without clothes", "Sex", "A pause word that means \"stop for now\"",
    "A hand signal that means \"pause\"", "Asking \"Is this okay?\" during touch",
]
FIXED = "The list can change only before the turns start. Choose Start over to change it."


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
    return validate.words(text, "An item", MAX_ITEM).strip()


class ConsentList(CouplesWidget):
    """Yes / no / maybe, each partner alone; only shared yes and maybe items are revealed."""

    JS = "consent.js"
    CSS = "consent.css"
    KIND, KEY = KIND, "shared"

    items = t.List(t.Unicode(),
                   help="Activities and boundaries on the list (editable before the turns start).").tag(sync=True)
    name_a = t.Unicode("", help="Partner A's name, optional; shown as plain text, never saved.").tag(sync=True)
    name_b = t.Unicode("", help="Partner B's name, optional; shown as plain text, never saved.").tag(sync=True)
    phase = t.Enum(["setup", "a", "b", "reveal"], "setup",
                   help="setup, Partner A's turn, Partner B's turn, or the reveal.").tag(sync=True)
    current = t.Dict(help="The answers of the partner whose turn it is, and no one else's.").tag(sync=True)
    shared = t.List(t.Dict(), help="The reveal: shared_items() of both partners' answers.").tag(sync=True)
    agree_a = t.Bool(False, help="Partner A agrees to save the shared list.").tag(sync=True)
    agree_b = t.Bool(False, help="Partner B agrees to save the shared list.").tag(sync=True)
    resources = t.List(t.Dict(), help="Free, private helplines (from resources.yml).").tag(sync=True)
    own = t.List(t.Dict(), help="Solo version only, after the turn: your own answers, [{item, answer}].").tag(sync=True)

    def __init__(self, items=None, partners=("Partner A", "Partner B"), country: str = "US", **kwargs):
        cleaned = [_item(i) for i in (DEFAULT_ITEMS if items is None else items)]
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("Each item can be on the list only once.")
        self._answers: dict[str, dict] = {}  # finished turns, in kernel memory only, until the reveal
        super().__init__(partners=partners, items=cleaned, resources=load_resources(country)["resources"], **kwargs)

    @t.validate("current")
    def _check_current(self, proposal):
        value = proposal["value"]
        if self.phase not in ("a", "b") and value:
            raise t.TraitError("Answers can only be given during a partner's turn.")
        for item, answer in value.items():
            if item not in self.items or answer not in ANSWERS:
                raise t.TraitError(f"{answer!r} for {item!r} is not a yes, maybe or no on this list.")
        return value

    # -- the record: only the reveal is written (save), and nothing is read back
    @property
    def record_key(self) -> str:
        """The couple's shared list and one person's own list are two records."""
        return "solo" if self.solo else self.KEY

    def reload(self) -> bool:
        """Nothing saved is shown again: a new sitting starts a new list."""
        return True

    def _load(self, data: dict) -> None:
        """Saved lists are never read back (see reload)."""

    def _data(self) -> dict:
        return {"own": list(self.own)} if self.solo else {"shared": list(self.shared)}

    # -- the list
    @action
    def add_item(self, text: str) -> None:
        self._check_open()
        text = _item(text)
        if self.phase != "setup":
            raise ValueError(FIXED)
        if text in self.items:
            raise ValueError("That item is already on the list.")
        self.items = [*self.items, text]
        self.report("")

    @action
    def remove_item(self, index: int) -> None:
        self._check_open()
        if self.phase != "setup":
            raise ValueError(FIXED)
        validate.index(index, "item on the list with the", len(self.items))
        self.items = [i for n, i in enumerate(self.items) if n != index]
        self.report("")

    # -- the turns
    @action
    def start(self) -> None:
        """Begin Partner A's turn (or your own, in the solo version)."""
        self._check_open()
        if not self.items:
            raise ValueError("Add at least one item to the list first.")
        self._answers, self.current, self.phase = {}, {}, "a"
        self.report("")

    @action
    def answer(self, item: str, value: str, turn: str) -> None:
        """Mark one item for the partner whose turn it is (``turn``: "a" or "b", ``phase`` now).

        A late click from a turn that has ended is dropped, never counted for the next partner.
        """
        self._check_open()
        if self.phase not in ("a", "b") or turn != self.phase:
            raise ValueError("That answer came after the turn ended, so it was not kept.")
        if not isinstance(item, str) or item not in self.items:
            raise ValueError("That item is not on the list.")
        validate.choice(value, ANSWERS, "An answer")
        self.current = {**self.current, item: value}

    @action
    def done(self) -> None:
        """Hide this partner's answers: keep them in Python only and empty the synced trait."""
        self._check_open()
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
        self.report("")

    @action
    def restart(self) -> None:
        """Forget every answer and the reveal; the list and names stay."""
        self._forget_answers()
        self.report("")

    def _forget_answers(self) -> None:
        self._answers = {}
        self.current, self.shared, self.own, self.agree_a, self.agree_b = {}, [], [], False, False
        self.phase = "setup"

    # -- saving
    @action
    def agree(self, partner: str, value: bool = True) -> None:
        """Partner "a" or "b" agrees (or no longer agrees) to save the shared list."""
        validate.choice(partner, ("a", "b"), "The partner")
        if not isinstance(value, bool):
            raise ValueError(f"Agreeing must be true or false; got {value!r}.")
        setattr(self, f"agree_{partner}", value)

    @action
    def save(self) -> bool:
        """Store the reveal only (both partners agree), or the solo list; True when saved.

        ValueError, in plain words, when there is nothing to save yet, a partner has
        not agreed, or the device could not save it.
        """
        if self.phase != "reveal":
            raise ValueError("There is nothing to save until you have both had your turn.")
        if self.solo:
            done = "Saved your list on this device. Anyone who opens the course on this device can see it."
        elif not (self.agree_a and self.agree_b):
            raise ValueError("Both of you need to agree before the list is saved.")
        else:
            done = "Saved your shared list on this device. Only the items above were saved."
        try:  # not CouplesWidget._save: that keeps the partners' names too, and this keeps the reveal only
            with open_store() as store:
                store.put_record(self.KIND, self.record_key, self._data())
        except (StoreError, ValueError) as exc:
            raise ValueError(f"Not saved: {exc}") from exc
        self.report(done)
        return True

    # -- the couples gate and the base's actions
    def _on_gate(self, status: str) -> None:
        if not self.solo and status != "open" and self.phase != "setup":
            self._forget_answers()  # a closed gate takes every answer with it
        super()._on_gate(status)

    @action(failed="Not deleted:")
    def forget_couple(self) -> None:
        """Delete the saved shared list (or your solo list) from this device. Never needs the check."""
        super().forget_couple()
        self._forget_answers()

    @action
    def use_solo(self) -> None:
        """Switch to the solo version: every answer of the couple's turns is forgotten first."""
        self._forget_answers()
        super().use_solo()
