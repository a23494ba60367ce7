"""A workshop participant takes their notes home: "Save my notes" on module 3 (issue 10).

A real `course workshop` (token, no preheated kernels). The participant types in the
journal as a person does, sees the reminder that their notes are not on their device
yet, saves them through their own browser, and reads the file: what they typed, HTML
and Markdown as plain text. Nothing they typed is left on the server's disk, in the
build folder or in the server's log. `course start` offers no such button.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course import BUILD
from course.browser import free_port, module_url, wait_for
from tests.apps.conftest import keep_offline, open_module, type_like_a_person
from tests.apps.test_voila import serious_violations
from tests.unit.test_store import rendered_markdown, visible_text

pytestmark = pytest.mark.browser
TOKEN = "room-token-for-notes"
CALMING = "03-calming-the-body"
FIRST_SIGNS = re.compile("first signs that you are leaving your window")
UNSAVED = "You have notes that are not saved to your device yet."
SAVED = re.compile(r"^Saved to your device at \d\d:\d\d\.$")
NOTES_FILE = re.compile(r"^notes-\d{4}-\d\d-\d\d-\d{4}\.md$")
# Typed key by key: capitals with Shift, HTML and Markdown that must stay text.
TYPED = "Quiet Harbor 7391 <img src=x onerror=alert(1)> [link](http://x) **Bold** `tick`"
MARK = "Quiet Harbor 7391"
MORE = " and Later"


@contextmanager
def course_command(*args: str, home: Path, log: Path):
    """Run `course <args>` on a free port as a person would; yield its base URL; always stop it."""
    port = free_port()
    env = {"STEADY_GROUND_HOME": str(home), "PATH": "/usr/bin:/bin"}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    proc = subprocess.Popen([sys.executable, "-m", "course.cli", *args, "--port", str(port)],
                            stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(f"http://127.0.0.1:{port}/", proc, log)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """`course workshop` for a room on this machine: (base URL, the server's learner folder, its log)."""
    home = tmp_path_factory.mktemp("notes-server-home")
    log = tmp_path_factory.mktemp("notes-server-log") / "course.log"
    with course_command("workshop", "--host", "127.0.0.1", "--pool-size", "0", "--token", TOKEN,
                        home=home, log=log) as base:
        yield base, home, log


def participant(browser, base: str, setup=None, **options):
    """A participant's own browser on module 3, logged in with the room's token; no alert may open.

    ``setup(page)`` runs before the page is opened (to route addresses, say)."""
    context = browser.new_context(accept_downloads=True, **options)
    page = context.new_page()
    keep_offline(page)
    if setup:
        setup(page)
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}?token={TOKEN}")
    open_module(page, base, CALMING)
    page.wait_for_selector(".sg-journal textarea", timeout=120_000)
    return context, page


def files_holding(folder: Path, text: str) -> list[Path]:
    needle = text.encode("utf-8")
    found = []
    for path in folder.rglob("*"):
        try:
            if path.is_file() and needle in path.read_bytes():
                found.append(path)
        except OSError:
            continue
    return found


def test_a_participant_saves_what_they_typed_to_their_own_device(workshop, browser):
    base, home, log = workshop
    context, page = participant(browser, base)
    notes = page.locator(".sg-save-notes")
    line = notes.get_by_role("status")
    expect(line).to_have_text("Nothing is written on this page yet.", timeout=30_000)

    box = page.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS)
    box.click()
    type_like_a_person(page, TYPED)
    expect(page.locator(".sg-journal").get_by_role("status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"),
                                                                            timeout=30_000)
    expect(line).to_have_text(UNSAVED, timeout=15_000)  # the page's memory has notes the device has not

    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    with page.expect_download() as caught:
        notes.get_by_role("button", name="Save my notes").click()
    download = caught.value
    assert NOTES_FILE.match(download.suggested_filename), download.suggested_filename
    assert download.url.startswith("blob:")  # made in the page, not fetched from the server
    text = Path(download.path()).read_text(encoding="utf-8")
    assert TYPED in text  # word for word, capitals too
    rendered, tokens = rendered_markdown(text)
    assert not {t.type for t in tokens} & {"image", "link_open", "html_block"}
    assert "<img" not in rendered and TYPED in visible_text(rendered)  # shown as text when viewed
    assert "Steady Ground" not in text and "Calming the body" not in text
    expect(line).to_have_text(SAVED, timeout=15_000)
    assert not any(MARK.replace(" ", "%20") in u or MARK in u for u in requests)

    box.click()
    page.keyboard.press("End")
    type_like_a_person(page, MORE)
    expect(line).to_have_text(UNSAVED, timeout=20_000)  # written after the download: not on the device yet
    with page.expect_download() as caught:
        notes.get_by_role("button", name="Save my notes").click()
    assert TYPED + MORE in Path(caught.value.path()).read_text(encoding="utf-8")
    expect(line).to_have_text(SAVED, timeout=15_000)

    assert page.dialogs == []  # the typed HTML never ran
    assert serious_violations(page) == []
    context.close()
    # Nothing of it on the server: not its learner folder, not the build folder, not its log.
    assert files_holding(home, MARK) == []
    assert files_holding(BUILD, MARK) == []
    assert MARK not in log.read_text(encoding="utf-8")


def test_the_button_says_so_when_nothing_is_written_yet(workshop, browser):
    base, _home, _log = workshop
    context, page = participant(browser, base, viewport={"width": 390, "height": 800})
    notes = page.locator(".sg-save-notes")
    expect(notes.get_by_role("status")).to_have_text("Nothing is written on this page yet.", timeout=30_000)
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    notes.get_by_role("button", name="Save my notes").click()
    expect(notes.get_by_role("status")).to_have_text(
        "There is nothing to save yet: nothing is written on this page.", timeout=15_000)
    page.wait_for_timeout(500)
    assert downloads == []
    context.close()


def test_course_start_offers_no_save_button_and_does_not_ask_for_the_room(tmp_path, browser):
    with course_command("start", "--no-browser", "--pool-size", "0", home=tmp_path / "home",
                        log=tmp_path / "course.log") as base:
        context = browser.new_context()
        page = context.new_page()
        keep_offline(page)
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "/steady/room" in r.url else None)
        open_module(page, base, CALMING)
        page.wait_for_selector(".sg-journal textarea", timeout=120_000)
        page.wait_for_timeout(12_000)  # two more rounds of the room's 5 s check, if it kept asking
        expect(page.locator(".sg-save-notes")).to_have_count(0)
        expect(page.get_by_role("button", name="Save my notes")).to_have_count(0)
        expect(page.locator("#sg-pulse, #sg-session-ended")).to_have_count(0)
        assert len(asked) == 1, asked  # asked once, was told there is no room here, and stopped
        assert module_url(base, CALMING) in page.url
        context.close()
