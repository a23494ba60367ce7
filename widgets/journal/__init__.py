"""Journal: private reflection on a module's prompts, saved while you type.

One text box per prompt. The browser sends a box's text about a second after
typing stops (and at once when the tab is hidden or closed); Python keeps one
journal entry per box: the first save creates it, later saves update it.
Past entries of the module are listed newest first, as plain strings.

CONTENT.md safety rule 6: text with a crisis phrase (course/crisis.yml) shows
the crisis resources under its box. The browser checks the text it holds; the
answer is never sent here, synced, stored or logged.

Messages from the browser:
    {"type": "refresh"}                                   list past entries again
    {"type": "draft", "slot": int, "text": str, "ref": int}  save a box's text
    {"type": "edit", "id": int, "text": str, "ref": int}  change a past entry
    {"type": "delete", "id": int, "ref": int}             delete a past entry
Each is answered with {"type": "done", "ref": int | None, "ok": bool}.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import anywidget
import traitlets as t

from course.crisis import phrases as crisis_phrases
from course.safety import load_resources
from course.store import MAX_LABEL, StoreError, open_store
from widgets.esm import esm

HERE = Path(__file__).parent
THEME = HERE.parent / "theme.css"


def _when(value: datetime) -> str:
    """A stored UTC time as local, readable text: '3 Mar 2026, 14:02'."""
    local = value.astimezone()
    return f"{local.day} {local:%b %Y, %H:%M}"


def check_prompts(prompts) -> list[str]:
    """The prompts as a list of text; ValueError in plain words otherwise."""
    if isinstance(prompts, str) or not isinstance(prompts, (list, tuple)) or not prompts:
        raise ValueError("Give the journal a list of at least one prompt.")
    for number, prompt in enumerate(prompts, 1):
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError(f"Prompt {number} must be some text; got {prompt!r}.")
    return list(prompts)


class Journal(anywidget.AnyWidget):
    """Write about a module's prompts; notes stay private, on this device."""

    _esm = esm(HERE / "journal.js")
    _css = THEME.read_text(encoding="utf-8") + (HERE / "journal.css").read_text(encoding="utf-8")

    module = t.Unicode("", help="Module the entries belong to, e.g. 'm03'; past entries are listed for it.").tag(sync=True)
    prompts = t.List(t.Unicode(), help="The reflection prompts, one text box each.").tag(sync=True)
    draft_ids = t.List(t.Int(), help="Entry number saved for each prompt's box in this visit; 0 = not saved yet.").tag(sync=True)
    entries = t.List(t.Dict(), help="Past entries of this module, newest first: id, text, prompt, when (plain strings).").tag(sync=True)
    search = t.Unicode("", help="Show only past entries that contain this text (any case).").tag(sync=True)
    status = t.Unicode("", help="What happened on the last save, in plain words.").tag(sync=True)
    error = t.Bool(False, help="True when status reports a problem.").tag(sync=True)
    crisis_phrases = t.List(t.Unicode(), help="Phrases that show the crisis resources under a box (course/crisis.yml); "
                            "the browser checks, and the answer stays there.").tag(sync=True)
    resources = t.List(t.Dict(), help="Crisis resources shown inline (public, from resources.yml).").tag(sync=True)

    def __init__(self, module: str = "", prompts=(), country: str = "US", **kwargs):
        prompts = check_prompts(prompts)
        if not isinstance(module, str) or not module.strip() or len(module) > MAX_LABEL:
            raise ValueError(f"The module id must be short text such as 'm03'; got {module!r}.")
        super().__init__(module=module, prompts=prompts, draft_ids=[0] * len(prompts), crisis_phrases=crisis_phrases(),
                         resources=load_resources(country)["resources"], **kwargs)
        self.observe(self._on_search, names=["search"])
        self.on_msg(self._on_msg)
        self.refresh()

    def _report(self, message: str, error: bool = False) -> None:
        self.error = error
        self.status = message

    def _saved(self) -> None:
        self._report(f"Saved at {datetime.now():%H:%M}. Only you can see this, on this device.")

    def refresh(self) -> bool:
        """Reload this module's past entries (newest first) that match `search`."""
        try:
            with open_store() as store:
                rows = store.journal_entries(self.search or None)
        except (StoreError, ValueError) as exc:
            self._report(f"Your past notes could not be shown: {exc}", error=True)
            return False
        self.entries = [{"id": r["id"], "text": r["text"], "prompt": r["prompt"] or "",
                         "when": _when(r["created_at"]),
                         "edited": "" if r["updated_at"] == r["created_at"] else _when(r["updated_at"])}
                        for r in reversed(rows) if r["module"] == self.module]
        return True

    def _on_search(self, _change) -> None:
        self.refresh()

    def save_draft(self, slot: int, text: str) -> int | None:
        """Save the text of prompt box `slot`; returns its entry number, or None.

        An empty box removes the entry this box made. Problems go to `status`;
        nothing raises, and the browser keeps the text in the box.
        """
        if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot < len(self.prompts):
            self._report(f"Not saved: there is no prompt number {slot!r}.", error=True)
            return None
        ids = list(self.draft_ids)
        empty = isinstance(text, str) and not text.strip()
        if empty and not ids[slot]:
            return None  # nothing written, nothing to keep
        try:
            with open_store() as store:
                if empty:  # the learner emptied the box: keep nothing for it
                    store.delete_journal(ids[slot])
                    ids[slot] = 0
                elif ids[slot]:
                    store.update_journal(ids[slot], text)
                else:
                    ids[slot] = store.add_journal(text, module=self.module, prompt=self.prompts[slot])
        except (StoreError, ValueError) as exc:
            self._report(f"Not saved: {exc} Your words are still in the box.", error=True)
            return None
        self.draft_ids = ids
        self.refresh()
        if ids[slot]:
            self._saved()
        else:
            self._report("The box is empty, so nothing is kept for it.")
        return ids[slot] or None

    def edit_entry(self, entry_id: int, text: str) -> bool:
        """Replace a past entry's text; True when saved."""
        try:
            with open_store() as store:
                store.update_journal(entry_id, text)
        except (StoreError, ValueError) as exc:
            self._report(f"Not saved: {exc} Your changes are still in the box.", error=True)
            return False
        self.refresh()
        self._saved()
        return True

    def delete_entry(self, entry_id: int) -> bool:
        """Delete a past entry for good; True when deleted."""
        try:
            with open_store() as store:
                store.delete_journal(entry_id)
        except (StoreError, ValueError) as exc:
            self._report(f"Not deleted: {exc}", error=True)
            return False
        if entry_id in self.draft_ids:
            self.draft_ids = [0 if i == entry_id else i for i in self.draft_ids]
        self.refresh()
        self._report("Deleted. That note is gone from this device.")
        return True

    def _on_msg(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "refresh":  # the page is showing now; a preheated kernel ran this cell earlier
            self.refresh()
            return
        if kind not in ("draft", "edit", "delete"):
            return
        try:
            if kind == "draft":
                self.save_draft(content.get("slot"), content.get("text"))
                ok = not self.error
            elif kind == "edit":
                ok = self.edit_entry(content.get("id"), content.get("text"))
            else:
                ok = self.delete_entry(content.get("id"))
        except Exception as exc:  # a bug, not bad input: show it, log it, keep the kernel alive
            self.log.exception("Journal could not handle a message")
            self._report(f"Not saved (unexpected error): {exc}", error=True)
            ok = False
        self.send({"type": "done", "ref": content.get("ref"), "ok": ok})


__all__ = ["Journal", "check_prompts"]
