"""SaveNotes: in a workshop, take what you wrote on this page home as a Markdown file.

In a workshop (``STEADY_GROUND_WORKSHOP=1``) a participant's notes live only in
their page's kernel (course.store.MemoryStore) and are gone when the page
closes. This widget, shown by the SafetyBar's cell in workshop mode only, offers
"Save my notes": Python makes the file's text with course.store.notes_markdown
(the Markdown of ``course export``, learner text escaped or fenced) and the
participant's own browser saves it. Nothing is written on the server and
nothing of the notes is logged.

The page asks ``check`` every few seconds while it is in view, so it can say
when something was saved on the page since the last download. ``notes`` gives
the file's text and a version; the page reports ``saved(version)`` once the
browser has the file.
"""
from __future__ import annotations

import hashlib
import json

import traitlets as t

from course.store import has_notes, notes_markdown, open_store
from widgets.base import SteadyWidget, action

READ_FAILED = "Your notes could not be read:"


def notes_version(data: dict) -> str:
    """A short fingerprint of the notes in ``data`` (Store.export_data), the same until they change."""
    notes = {k: v for k, v in data.items() if k != "exported_at"}
    text = json.dumps(notes, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class SaveNotes(SteadyWidget):
    """A "Save my notes" button and a calm line that says whether the notes are saved to the device."""

    JS = "save_notes.js"
    CSS = "save_notes.css"

    has_notes = t.Bool(False, help="True when this page holds something the participant wrote or chose.").tag(sync=True)
    unsaved = t.Bool(False, help="True when something was saved on this page since the last download "
                     "(or at all, before the first).").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._saved = ""  # the version of the notes last downloaded
        self.attempt(READ_FAILED, self.check)

    def _read(self) -> dict:
        with open_store() as store:
            return store.export_data()

    def _show(self, data: dict) -> None:
        self.has_notes = has_notes(data)
        self.unsaved = self.has_notes and notes_version(data) != self._saved

    @action(failed=READ_FAILED)
    def check(self) -> None:
        """Look again whether there are notes, and whether they changed since the last download."""
        self._show(self._read())
        if self.error:
            self.report("")

    @action(failed=READ_FAILED)
    def refresh(self) -> None:
        """As ``check`` (the page asks when it is shown)."""
        self.check()

    @action(failed="Not saved:")
    def notes(self) -> dict | None:
        """The file's text and its version, or None when nothing is written on this page yet."""
        data = self._read()
        self._show(data)
        if not self.has_notes:
            return None
        return {"text": notes_markdown(data), "version": notes_version(data)}

    @action(failed=READ_FAILED)
    def saved(self, version: str) -> None:
        """The browser saved the notes of ``version`` (from ``notes``) to the device."""
        if not isinstance(version, str) or len(version) > 64:
            raise ValueError("The page sent a version of your notes this widget does not know.")
        self._saved = version
        self.check()


__all__ = ["SaveNotes", "notes_version"]
