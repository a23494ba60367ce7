"""Shared base for the couples exercises: partners, the couples gate, saving.

CONTENT.md safety rule 1: a couples exercise is closed until both partners
took the private check for two (``course.gate``), and either partner can close
it again at any time from the widget itself ("Close couples exercises for
now"), without a reason. The gate's state is never a trait: it reaches the
browser in {"type": "gate", "open": bool, "text": str} messages, so a saved
notebook or the browser's widget state cannot carry it. The closed text is the
same whatever closed it. The solo version (one partner, "Me") is never gated.
Subclasses define `_load(data)`, `_data()` and the message actions they accept.
"""
from __future__ import annotations

import anywidget
import traitlets as t

from course import gate as gates
from course.gate import CouplesGate
from course.store import StoreError, open_store

SOLO = ("Me",)
MAX_NAME = 40


def gate_message(gate: CouplesGate, solo: bool, status: str | None = None) -> dict:
    """What a couples widget's page is told about the gate (lib.js couplesGate reads it).

    The solo version is always open and shows no gate line.
    """
    if solo:
        return {"type": "gate", "open": True, "solo": True, "text": ""}
    status = status or gate.status()
    return {"type": "gate", "open": status == "open", "solo": False, "text": gate.text(status)}


class GateClosed(ValueError):
    """A couples action while the couples exercises are closed: the page is told in a gate message."""


def check_partners(partners) -> list[str]:
    """One name (solo) or two (a couple); each 1-40 characters, all different."""
    if isinstance(partners, str) or not isinstance(partners, (list, tuple)) or len(partners) not in (1, 2):
        raise ValueError('Give one name for the solo version, like ("Me",), or two for a couple.')
    for name in partners:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise ValueError(f"Each name must be 1 to {MAX_NAME} characters; got {name!r}.")
    if len(set(partners)) != len(partners):
        raise ValueError("The two names must be different, so each of you has your own box.")
    return list(partners)


def check_text(value, what: str, limit: int, required: bool = True) -> str:
    """Text kept exactly as typed; ValueError in plain words when it does not fit."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text; got {type(value).__name__}.")
    if required and not value.strip():
        raise ValueError(f"{what} is empty; write a few words first.")
    if len(value) > limit:
        raise ValueError(f"{what} is too long: {len(value)} characters (at most {limit}).")
    return value


def check_rating(value, what: str = "How safe it felt") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"{what} must be a whole number from 0 to 10; got {value!r}.")
    return value


class CouplesWidget(anywidget.AnyWidget):
    """Base class: partners, the gate, a status line and a saved record."""

    KIND = ""
    KEY = ""
    ACTIONS: tuple[str, ...] = ()
    COUPLES = True  # course.module_check: a SafetyCheck must come before it on the page

    partners = t.List(t.Unicode(), help="One name (solo version) or two (a couple).").tag(sync=True)
    status = t.Unicode("", help="What happened on the last change, in plain words.").tag(sync=True)
    error = t.Bool(False, help="True when status reports a problem.").tag(sync=True)

    def __init__(self, partners=("Partner A", "Partner B"), gate: CouplesGate | None = None, **kwargs):
        super().__init__(partners=check_partners(partners), **kwargs)
        self._gate = gate or gates.gate  # this page's gate, looked up when the widget is made
        self._gate.observe(self._on_gate)
        self.on_msg(self._on_msg)
        self.reload()

    # -- the gate
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

    def close_couples(self) -> None:
        """Close couples exercises for now, for both of you (one button, no reason)."""
        self._gate.close()

    def forget_couple(self) -> None:
        """Delete what was saved in this exercise, from this device. Ending never needs the check."""
        with open_store() as store:
            store.delete_record(self.KIND, self.record_key)
        self.reload()
        self._report("Deleted from this device.")

    @property
    def record_key(self) -> str:
        """Couple and solo versions keep separate records, so one never opens the other's steps."""
        return f"{self.KEY}-solo" if self.solo else self.KEY

    def use_solo(self) -> None:
        """Switch to the solo version (always available), with its own saved work."""
        self.partners = list(SOLO)
        self.reload()
        self._tell_gate()
        if not self.error:
            self._report("You are using the solo version. It is saved apart from the couple's version.")

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

    def _report(self, message: str, error: bool = False) -> None:
        self.error = error
        self.status = message

    def reload(self) -> bool:
        """Read the saved record again (a preheated page may have run earlier)."""
        try:
            with open_store() as store:
                data = store.get_record(self.KIND, self.record_key) or {}
        except (StoreError, ValueError) as exc:
            self._report(f"Your saved work could not be read: {exc}", error=True)
            return False
        self._load(data)
        self._resize()
        return True

    def _save(self, message: str) -> None:
        try:
            with open_store() as store:
                store.put_record(self.KIND, self.record_key, {"partners": list(self.partners), **self._data()})
        except (StoreError, ValueError) as exc:
            self._report(f"Not saved: {exc}", error=True)
            raise ValueError(f"Not saved: {exc}") from exc
        self._report(message + " Saved on this device only.")

    # -- messages from the browser: {"type": action, "ref": int, ...arguments}
    def _on_msg(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "refresh":
            self.reload()
            self._tell_gate()
            return
        if kind not in (*self.ACTIONS, "close_couples", "forget_couple"):
            return
        args = {k: v for k, v in content.items() if k not in ("type", "ref")}
        try:
            with self.hold_sync():  # the page sees the change once it is saved, all at once
                getattr(self, kind)(**args)
            ok = True
        except GateClosed:
            self._tell_gate()  # the neutral line, in a message: the gate's text never goes into `status`
            ok = False
        except (ValueError, TypeError, StoreError) as exc:
            self._report(str(exc), error=True)
            ok = False
        except Exception as exc:  # a bug, not bad input: show it, log it, keep the kernel alive
            self.log.exception("%s could not handle a message", type(self).__name__)
            self._report(f"Something went wrong: {exc}", error=True)
            ok = False
        self.send({"type": "done", "ref": content.get("ref"), "ok": ok})
