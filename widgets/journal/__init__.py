"""Journal: private reflection on a module's prompts, saved while you type, or kept only by choice.

One text box per prompt. By default (``keep=True``) the browser sends a box's
text about a second after typing stops (and at once when the tab is hidden or
closed); Python keeps one journal entry per box: the first save creates it,
later saves update it, and an emptied box keeps nothing. Past entries of the
module are listed newest first, as plain strings.

``keep=False`` is for writing that could put someone at risk if it were found
on a shared device (module 8's worksheet on staying or parting, say). Typing
sends nothing here: the text lives only in the page's text box and is gone when
the page closes. Each box has "Keep on this device"; after a confirm that names
the risk, ``keep_entry`` saves that box's text as one ordinary entry. Only kept
entries reach the store, and so an export, "Save my notes" and the list.

CONTENT.md safety rule 6: text with a crisis phrase (course/crisis.yml) shows
the crisis resources under its box. The browser checks the text it holds; the
answer is never sent here, synced, stored or logged.

The page calls the methods marked ``@action`` (widgets/base.py) with
``request(model, name, {...})``; a notebook or a test calls the same methods.
They raise ValueError in plain words, which the page sees on its status line.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import traitlets as t

from course import validate
from course.store import StoreError, open_store
from widgets.base import CrisisWatch, SteadyWidget, action, crisis_help, row_number

PAST_FAILED = "Your past notes could not be shown:"
STILL_IN_BOX = "Your words are still in the box."
CHANGES_IN_BOX = "Your changes are still in the box."
NOT_KEPT = "This writing is not kept unless you choose Keep on this device."


def _when(value) -> str:
    """A stored time as local, readable text: '3 Mar 2026, 14:02'."""
    local = validate.moment(value).astimezone()
    return f"{local.day} {local:%b %Y, %H:%M}"


def check_prompts(prompts) -> list[str]:
    """The prompts as a list of text; ValueError in plain words otherwise."""
    if isinstance(prompts, str) or not isinstance(prompts, (list, tuple)) or not prompts:
        raise ValueError("Give the journal a list of at least one prompt.")
    for number, prompt in enumerate(prompts, 1):
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError(f"Prompt {number} must be some text; got {prompt!r}.")
        validate.words(prompt, f"Prompt {number}")
    return list(prompts)


@contextmanager
def _adding(words: str) -> Iterator[None]:
    """A problem inside says `words` after its own message (the action's `failed=` says what failed)."""
    try:
        yield
    except StoreError as exc:
        raise StoreError(f"{exc} {words}") from exc
    except ValueError as exc:
        raise ValueError(f"{exc} {words}") from exc


class Journal(CrisisWatch, SteadyWidget):
    """Write about a module's prompts; notes stay private, on this device."""

    JS = "journal.js"
    CSS = "journal.css"

    module = t.Unicode("", help="Module the entries belong to, e.g. 'm03'; past entries are listed for it."
                       ).tag(sync=True)
    prompts = t.List(t.Unicode(), help="The reflection prompts, one text box each.").tag(sync=True)
    draft_ids = t.List(t.Int(), help="Entry number saved for each prompt's box in this visit; "
                       "0 = not saved yet.").tag(sync=True)
    entries = t.List(t.Dict(), help="Past entries of this module, newest first: id, text, prompt, when, edited "
                     "(plain strings).").tag(sync=True)
    search = t.Unicode("", help="Show only past entries that contain this text (any case).").tag(sync=True)
    keep = t.Bool(True, help="True: each box saves as you type. False: typing keeps nothing; the text stays in "
                  "the page until the writer chooses Keep on this device for a box.").tag(sync=True)

    def __init__(self, module: str = "", prompts=(), country: str = "US", keep: bool = True, **kwargs):
        prompts = check_prompts(prompts)
        module = validate.label(module, "The module id")
        if not isinstance(keep, bool):
            raise ValueError(f"keep must be True (save as you type) or False (kept only by choice); got {keep!r}.")
        super().__init__(module=module, prompts=prompts, draft_ids=[0] * len(prompts), **crisis_help(country),
                         keep=keep, **kwargs)
        self.observe(self._on_search, names=["search"])
        self.attempt(PAST_FAILED, self.refresh)

    # -- past entries
    @action(failed=PAST_FAILED)
    def refresh(self) -> None:
        """Reload this module's past entries (newest first) that match `search`."""
        with open_store() as store:
            rows = store.journal_entries(self.search or None)
        self.entries = [{"id": r["id"], "text": r["text"], "prompt": r["prompt"] or "",
                         "when": _when(r["created_at"]),
                         "edited": "" if r["updated_at"] == r["created_at"] else _when(r["updated_at"])}
                        for r in reversed(rows) if r["module"] == self.module]

    def _on_search(self, _change) -> None:
        self.attempt(PAST_FAILED, self.refresh)

    def _changed(self, message: str) -> None:
        """After a change was kept: list the entries again, then say what happened."""
        self.attempt(PAST_FAILED, self.refresh)
        self.report(message)

    def _saved(self) -> None:
        if self.keep:
            self._changed(f"Saved at {datetime.now():%H:%M}. Only you can see this, on this device.")
        else:  # this writing is risky to keep: say who can read it
            self._changed(f"Saved at {datetime.now():%H:%M}. Anyone who opens the course on this device can read it.")

    # -- what the page asks for
    @action(failed="Not saved:")
    def save_draft(self, slot: int, text: str) -> int | None:
        """Save the text of prompt box `slot` (from 0); returns its entry number, or None for an empty box.

        The first save of a box creates its entry, later saves update it (or make
        it again when it was deleted meanwhile, e.g. on another page), and an
        emptied box removes the entry it made. ValueError (or StoreError) in
        plain words when nothing could be kept; the page keeps the text in the box.
        A journal made with ``keep=False`` refuses, and keeps nothing.
        """
        if not self.keep:
            raise ValueError(f"{NOT_KEPT} {STILL_IN_BOX}")
        with _adding(STILL_IN_BOX):
            slot = validate.whole(slot, "The prompt number", 0, len(self.prompts) - 1)
            ids = list(self.draft_ids)
            empty = isinstance(text, str) and not text.strip()
            if empty and not ids[slot]:
                return None  # nothing written, nothing to keep
            if not empty:
                text = validate.words(text, "A journal entry")
            with open_store() as store:
                if empty:  # the learner emptied the box: keep nothing for it
                    if store.has_journal(ids[slot]):
                        store.delete_journal(ids[slot])
                    ids[slot] = 0
                elif ids[slot] and store.has_journal(ids[slot]):
                    store.update_journal(ids[slot], text)
                else:
                    ids[slot] = store.add_journal(text, module=self.module, prompt=self.prompts[slot])
        self.draft_ids = ids
        if ids[slot]:
            self._saved()
        else:
            self._changed("The box is empty, so nothing is kept for it.")
        return ids[slot] or None

    @action(failed="Not kept:")
    def keep_entry(self, slot: int, text: str) -> int:
        """Keep the text of prompt box `slot` (from 0) as a new entry; returns its number.

        For a journal made with ``keep=False``: the writer chose "Keep on this device"
        for this box and confirmed. Each choice keeps one new entry. ValueError (or
        StoreError) in plain words when nothing could be kept; the page keeps the text.
        """
        if self.keep:
            raise ValueError("This journal saves as you type, so there is nothing to keep by hand.")
        if isinstance(text, str) and not text.strip():
            raise ValueError("The box is empty, so there is nothing to keep.")
        with _adding(STILL_IN_BOX):
            slot = validate.whole(slot, "The prompt number", 0, len(self.prompts) - 1)
            text = validate.words(text, "A journal entry")
            with open_store() as store:
                entry_id = store.add_journal(text, module=self.module, prompt=self.prompts[slot])
        self._changed(f"Kept at {datetime.now():%H:%M}. Anyone who opens the course on this device can read it. "
                      "You can delete it in the list below.")
        return entry_id

    @action(failed="Not saved:")
    def edit_entry(self, entry_id: int, text: str) -> None:
        """Replace a past entry's text."""
        with _adding(CHANGES_IN_BOX):
            entry_id = row_number(entry_id, "A journal entry number")
            text = validate.words(text, "A journal entry")
            with open_store() as store:
                store.update_journal(entry_id, text)
        self._saved()

    @action(failed="Not deleted:")
    def delete_entry(self, entry_id: int) -> None:
        """Delete a past entry for good."""
        entry_id = row_number(entry_id, "A journal entry number")
        with open_store() as store:
            store.delete_journal(entry_id)
        if entry_id in self.draft_ids:  # its box starts a new entry next time
            self.draft_ids = [0 if i == entry_id else i for i in self.draft_ids]
        self._changed("Deleted. That note is gone from this device.")


__all__ = ["Journal", "check_prompts"]
