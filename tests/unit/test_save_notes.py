"""A workshop page's "Save my notes": the file a participant takes home, and the widget that offers it.

The file is Markdown made from the page's memory (course.store.notes_markdown, the
export's own writer); a viewer shows learner text as typed, never as a link, image or
HTML. The widget says when there are notes not yet saved to the device, and is shown
only in a workshop.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from course import MODULES
from course.store import NOTHING_YET, MemoryStore, notes_markdown, open_store
from tests.unit.test_store import HOSTILE, rendered_markdown, visible_text
from tests.widgets import command
from widgets.save_notes import SaveNotes

T0 = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
ODD = {
    "html": "<img src=x onerror=alert(1)>",
    "link": "[link](http://x)",
    "bold": "**not bold**",
    "backticks": "`code` and ``` three",
    "right-to-left override": "abc\u202edcba",
    "zero width": "zero\u200bwidth\u200djoin",
    "combining": "Cafe\u0301 n\u0303",
    "emoji": "👩‍❤️‍👨 🫶🏽",
    "line separator": "one\u2028two",
    "arabic": "أشعر بالأمان",
}


@pytest.fixture
def workshop(monkeypatch):
    """Workshop mode: this process's session memory, empty before and after the test."""
    monkeypatch.setenv("STEADY_GROUND_WORKSHOP", "1")
    MemoryStore().forget()
    yield
    MemoryStore().forget()


def notes_file(widget) -> str:
    reply = command(widget, "notes")
    assert reply["ok"] is True, reply
    return reply["value"]["text"]


def test_what_a_participant_wrote_comes_back_as_text_never_as_markup(workshop):
    hostile = {**HOSTILE, **ODD}
    short = {k: v for k, v in hostile.items() if len(v) <= 80}
    with open_store() as store:
        for text in hostile.values():
            store.add_journal(text, module="m03", prompt="What are the first signs?")
            store.add_checkin("calm", 4, note=text, at=T0)
        for name, text in short.items():
            store.put_record("ladder", name.replace(" ", "-"), {"step": text})
            store.add_practice(text, "box", T0, 60, 2)
    text = notes_file(SaveNotes())
    rendered, tokens = rendered_markdown(text)
    made = {t.type for t in tokens}
    assert not made & {"image", "link_open", "html_block"}, sorted(made)
    assert {t.content for t in tokens if t.type == "html_inline"} <= {"<br>"}
    for tag in ("<img", "<a ", "<script", "<em>", "<strong>", "<!--"):
        assert tag not in rendered
    assert rendered.count("<h1>") == 1
    shown = visible_text(rendered)
    for value in hostile.values():  # every note still reads exactly as typed
        assert value in shown or value.replace("\n", "") in shown, value
    assert "<img src=x onerror=alert(1)>" in shown


def test_the_file_names_no_course_and_no_module_title(workshop):
    with open_store() as store:
        store.add_journal("My own words.", module="m03")
    text = notes_file(SaveNotes())
    assert text.startswith("# My notes\n")
    assert "Steady Ground" not in text and "Calming the body" not in text
    assert "My own words." in text


def test_an_empty_page_says_there_is_nothing_to_save(workshop):
    widget = SaveNotes()
    assert widget.has_notes is False and widget.unsaved is False
    assert command(widget, "notes") == {"ok": True, "value": None}  # the page says so; no download
    assert not widget.error
    with open_store() as store:
        data = store.export_data()
    text = notes_markdown(data)
    assert text.startswith("# My notes\n") and NOTHING_YET in text
    assert "None yet" not in text


def test_the_reminder_follows_what_was_saved_since_the_last_download(workshop):
    widget = SaveNotes()
    with open_store() as store:
        entry = store.add_journal("First thought.", module="m03")
    assert command(widget, "check")["ok"] and widget.has_notes and widget.unsaved
    reply = command(widget, "notes")["value"]
    assert widget.unsaved  # offered, not yet saved: the browser confirms the download
    assert command(widget, "saved", version=reply["version"])["ok"]
    assert widget.unsaved is False
    command(widget, "check")
    assert widget.unsaved is False  # nothing changed: no reminder
    with open_store() as store:
        store.update_journal(entry, "First thought, changed.")
    command(widget, "check")
    assert widget.unsaved is True
    with open_store() as store:
        store.delete_journal(entry)
    command(widget, "check")
    assert widget.has_notes is False and widget.unsaved is False


def test_a_bad_version_is_refused_in_words(workshop):
    widget = SaveNotes()
    reply = command(widget, "saved", version=["x"])
    assert reply["ok"] is False and "version" in reply["error"]


def test_nothing_of_the_notes_is_synced_or_written_to_disk(workshop, steady_ground_home):
    widget = SaveNotes()
    with open_store() as store:
        store.add_journal("Only in this kernel's memory.", module="m03")
        store.add_checkin("calm", 6, note="a private note")
    text = notes_file(widget)
    assert "Only in this kernel's memory." in text and "a private note" in text
    state = str({k: v for k, v in widget.get_state().items() if k not in ("_esm", "_css")})
    assert "memory" not in state and "private" not in state
    assert list(steady_ground_home.iterdir()) == []


def test_the_couples_gate_is_not_in_the_notes(workshop):
    with open_store() as store:
        store.put_record("couples-gate", "device", {"state": "closed"})
        store.put_record("repair-plan", "tuesday", {"acknowledge": "I was late."})
    text = notes_file(SaveNotes())
    assert "I was late." in text and "couples" not in text and "closed" not in text


FIRST_CELL = """
import json, sys
import jupytext
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from ipywidgets import Widget

page = jupytext.read(sys.argv[1])
first = next(cell.source for cell in page.cells if cell.cell_type == "code")
shell = InteractiveShell.instance()
with capture_output() as out:  # as Voila runs the page's first cell: its last value displayed
    shell.run_cell(first, store_history=False).raise_error()
views = [o.data["application/vnd.jupyter.widget-view+json"]["model_id"] for o in out.outputs]
print(json.dumps([type(Widget.widgets[v]).__name__ for v in views]))
"""


def shown_by_the_first_cell(home, workshop: bool) -> list[str]:
    """The widgets module 3's first cell (``SafetyBar()``) puts on its page, run in a fresh kernel-like process."""
    env = {**os.environ, "STEADY_GROUND_HOME": str(home)}
    env.pop("STEADY_GROUND_WORKSHOP", None)
    if workshop:
        env["STEADY_GROUND_WORKSHOP"] = "1"
    done = subprocess.run([sys.executable, "-c", FIRST_CELL, str(MODULES / "03-calming-the-body.md")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_workshop_page_offers_save_my_notes_under_the_bar(steady_ground_home):
    assert shown_by_the_first_cell(steady_ground_home, workshop=True) == ["SafetyBar", "SaveNotes"]


def test_course_start_shows_the_bar_alone(steady_ground_home):
    assert shown_by_the_first_cell(steady_ground_home, workshop=False) == ["SafetyBar"]
    assert list(steady_ground_home.iterdir()) == []


def test_the_widget_keeps_the_base_promises(workshop):
    widget = SaveNotes()
    for name, trait in SaveNotes.class_traits().items():
        if trait.metadata.get("sync") and name in ("has_notes", "unsaved"):
            assert (trait.help or "").strip(), name
    reply = command(widget, "no_such_action")
    assert reply["ok"] is False and "does not do" in reply["error"]
    assert command(widget, "refresh")["ok"] is True
    assert not re.search(r"gate|verdict|concern", " ".join(widget.keys))
