"""Shared base for the couples exercises: partners, the couples gate, saving.

CONTENT.md safety rule 1: a couples exercise is closed until both partners
took the private check for two (``course.gate``), and either partner can close
it again at any time from the widget itself ("Close couples exercises for
now"), without a reason. The gate's state is never a trait: it reaches the
browser in {"type": "gate", "open": bool, "text": str} messages, so a saved
notebook or the browser's widget state cannot carry it. The closed text is the
same whatever closed it. The solo version (one partner, "Me") is never gated.
Subclasses define `_load(data)`, `_data()` and the actions the page may call (``@action``).
"""
from __future__ import annotations

import json
from typing import ClassVar

import traitlets as t

from course import validate
from course.gate import CouplesGate, page_gate
from course.store import StoreError, open_store
from widgets.base import SteadyWidget, action

SOLO = ("Me",)


def gate_message(gate: CouplesGate, solo: bool, status: str | None = None) -> dict:
    """What a couples widget's page is told about the gate (widgets/lib/couples.js reads it).

    The solo version is always open and shows no gate line.
    """
    if solo:
        return {"type": "gate", "open": True, "solo": True, "text": ""}
    status = status or gate.status()
    return {"type": "gate", "open": status == "open", "solo": False, "text": gate.text(status)}


def print_page(title: str, css: str, cls: str, body: str, free: str) -> str:
    """A plan's plain printable page: its title, `body` (HTML, learner text already escaped), then the
    line that says either of you can change or drop it. Nothing to sign, no date signed."""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<style>{css}</style></head><body><main class="{cls}"><h1>{title}</h1>{body}'
            f'<p class="free">{free}</p></main></body></html>')


UNREAD = "Part of your saved {noun} could not be read. It is kept as it was until you save something new."


def same_data(a, b) -> bool:
    """True when two records hold the same JSON (a tuple is a list, as once stored)."""
    try:
        return json.dumps(a, sort_keys=True, allow_nan=False) == json.dumps(b, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        return False


def holds(record, data: dict) -> bool:
    """True when a couples record is `data` (what the widget would save) with the partners' names.

    The names are never read back (each page names its partners), so a record without them loses nothing.
    """
    if not isinstance(record, dict):
        return False
    try:
        if "partners" in record:
            validate.partners(record["partners"])
    except ValueError:
        return False
    return same_data({k: v for k, v in record.items() if k != "partners"}, data)


class GateClosed(ValueError):
    """A couples action while the couples exercises are closed: the page is told in a gate message."""


class CouplesWidget(SteadyWidget):
    """Base class of the couples exercises: partners, the gate, and one saved record.

    Subclasses set ``KIND`` and ``KEY`` (the record), define ``_load(data)`` and
    ``_data()``, and mark what the page may call with ``@action``; an action
    that needs the couples exercises open calls ``self._check_open()`` first.
    """

    KIND = ""
    KEY = ""
    NOUN: ClassVar[str] = "work"
    """What the record is, in the status line's words ("Part of your saved plan could not be read")."""
    COUPLES = True

    partners = t.List(t.Unicode(), help="One name (solo version) or two (a couple).").tag(sync=True)

    def __init__(self, partners=("Partner A", "Partner B"), gate: CouplesGate | None = None, **kwargs):
        super().__init__(partners=validate.partners(partners), **kwargs)
        self._gate = gate or page_gate()
        self._gate.observe(self._on_gate)
        self.reload()

    # -- the gate
    @property
    def gate(self) -> CouplesGate:
        """The couples gate this widget answers to (given with ``gate=``, or the page's)."""
        return self._gate

    @property
    def solo(self) -> bool:
        return len(self.partners) == 1

    @property
    def is_open(self) -> bool:
        """True for the solo version, and for the couple's when the check for two opened it."""
        return self.solo or self._gate.is_open()

    def _tell_gate(self, status: str | None = None) -> None:
        if self.comm is not None:
            self.send(gate_message(self._gate, self.solo, status))

    def _on_gate(self, status: str) -> None:
        self._tell_gate(status)

    def _check_open(self) -> None:
        if not self.is_open:
            raise GateClosed(self._gate.text())

    @action
    def close_couples(self) -> None:
        """Close couples exercises for now, for both of you (one button, no reason)."""
        self._gate.close()

    @action(failed="Not deleted:")
    def forget_couple(self) -> None:
        """Delete what was saved in this exercise, from this device. Ending never needs the check."""
        with open_store() as store:
            store.delete_record(self.KIND, self.record_key)
        self.reload()
        self.report("Deleted from this device.")

    @property
    def record_key(self) -> str:
        """Couple and solo versions keep separate records, so one never opens the other's steps."""
        return f"{self.KEY}-solo" if self.solo else self.KEY

    @action
    def use_solo(self) -> None:
        """Switch to the solo version (always available), with its own saved work."""
        self.partners = list(SOLO)
        self.reload()
        self._tell_gate()
        if not self.error:
            self.report("You are using the solo version. It is saved apart from the couple's version.")

    def close(self) -> None:
        if getattr(self, "_gate", None) is not None:  # also when __init__ failed part way
            self._gate.unobserve(self._on_gate)
        super().close()

    # -- storage
    def _resize(self) -> None:
        """Fit saved per-partner data to the current partners (subclasses)."""

    def _load(self, data: dict) -> None:
        raise NotImplementedError

    def _data(self) -> dict:
        raise NotImplementedError

    def reload(self) -> bool:
        """Read the saved record again; a problem goes to the status line.

        A record of another shape than this version writes (a list, a field of the wrong type, one
        missing or unknown) never stops the widget: it shows what it could read, says that part could
        not be read, and leaves the record exactly as it is until the learner saves something new.
        """
        try:
            with open_store() as store:
                record = store.get_record(self.KIND, self.record_key)
        except (StoreError, ValueError) as exc:
            self.report(f"Your saved work could not be read: {exc}", error=True)
            return False
        data = record if isinstance(record, dict) else {}
        try:
            self._load(data)
        except Exception as exc:  # noqa: BLE001 (a shape no loader foresaw: open empty, say so, keep the record)
            self.log.warning("%s could not read its saved record: %s", type(self).__name__, type(exc).__name__)
            self._load({})
        self._resize()
        if record is not None and not self._read_whole(record):
            self.report(UNREAD.format(noun=self.NOUN), error=True)
        return True

    def _read_whole(self, record) -> bool:
        """True when the widget read all of `record`: saving now would write back the same data."""
        return holds(record, self._data())

    @action
    def refresh(self) -> None:
        """The page is showing: read the record again and tell it where the gate stands."""
        self.reload()
        self._tell_gate()

    def _save(self, message: str) -> None:
        """Save the record; StoreError or ValueError when it cannot be (the action's reply says so).

        When it cannot be saved, the widget shows again what is really kept, so a
        step or item that was not saved never looks as if it were.
        """
        try:
            with open_store() as store:
                store.put_record(self.KIND, self.record_key, {"partners": list(self.partners), **self._data()})
        except (StoreError, ValueError):
            self.reload()
            raise
        self.report(message + " Saved on this device only.")

    def _failed(self, name: str, options: dict, exc: Exception) -> dict:
        if isinstance(exc, GateClosed):
            self._tell_gate()  # the neutral line, in a message: the gate's text never goes into `status`
            return {"ok": False, "gate": True, "error": ""}
        return super()._failed(name, options, exc)
