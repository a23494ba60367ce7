"""Nothing typed in the journal is lost when the page is left: reload, tab close, another page.

Voila's page frees its kernel in a `beforeunload` listener: it sends the shutdown beacon and
closes the kernel's connection. Words typed less than the journal's 0.8 s pause before that
were sent after it, on `pagehide`, and never arrived (0 of 2 saved). Here a person types into
a served journal and leaves at once (< 0.2 s after the last key); the store, read from outside
the page, must hold the whole text byte for byte. A journal made with keep=False sends nothing.
"""
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.browser import module_url
from course.store import Store
from tests.apps.conftest import demo_notebook, keep_offline, type_like_a_person, voila_server
from tests.reliability.conftest import size

pytestmark = pytest.mark.browser

KEPT, UNKEPT, OTHER = "journal-page", "unkept-page", "other-page"
KEPT_PROMPT, UNKEPT_PROMPT = "What did you notice today?", "What do I fear about staying?"
ROUNDS = size(2, 20)
LEAVES = ["reload", "close-after-beforeunload", "close", "another-page"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A journal page, a not-kept journal page and a plain page, served as `course start` serves the course."""
    folder = tmp_path_factory.mktemp("leave-notebooks")
    home = tmp_path_factory.mktemp("leave-home")
    demo_notebook(folder / f"{KEPT}.ipynb", "# Journal",
                  f"from widgets.journal import Journal\nJournal(module='m03', prompts=[{KEPT_PROMPT!r}])")
    demo_notebook(folder / f"{UNKEPT}.ipynb", "# Worksheet", "from widgets.journal import Journal\n"
                  f"Journal(module='m08', prompts=[{UNKEPT_PROMPT!r}], keep=False)")
    demo_notebook(folder / f"{OTHER}.ipynb", "# Another page", "print('another page')")
    log = tmp_path_factory.mktemp("leave-voila") / "voila.log"
    with voila_server(folder, home, log, pool_size=1) as url:
        yield url, home


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module's pages, kept on this machine."""
    ctx = browser.new_context()
    page = ctx.new_page()
    outside = keep_offline(page)
    page.close()
    yield ctx
    ctx.close()
    assert not outside, f"a page tried to reach outside this machine: {outside[:5]}"


def saved_texts(home: Path, mark: str) -> list[str]:
    """The journal texts holding `mark`, read from the store outside the page."""
    path = home / "steady-ground.sqlite3"
    if not path.exists():  # nothing saved yet; any other failure to read is the test's failure
        return []
    store = Store(path)
    try:
        return [e["text"] for e in store.journal_entries(mark)]
    finally:
        store.close()


def wait_for_text(home: Path, mark: str, text: str, timeout: float = 15.0) -> list[str]:
    """The texts holding `mark` once one equals `text` (or whatever is there when time runs out)."""
    deadline = time.monotonic() + timeout
    found = saved_texts(home, mark)
    while text not in found and time.monotonic() < deadline:
        time.sleep(0.2)
        found = saved_texts(home, mark)
    return found


def open_journal(context, base: str, stem: str, prompt: str):
    page = context.new_page()
    page.goto(module_url(base, stem))
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    box = page.get_by_role("textbox", name=prompt, exact=True)
    expect(box).to_be_visible(timeout=60_000)
    return page, box


def leave(page, how: str, base: str) -> None:
    """Leave the page the way a person does, at once."""
    if how == "reload":
        page.reload()
    elif how == "close-after-beforeunload":
        page.close(run_before_unload=True)
    elif how == "close":
        page.close()
    else:
        page.goto(module_url(base, OTHER))


@pytest.mark.parametrize("how", LEAVES)
def test_words_typed_just_before_leaving_are_saved(served, context, how):
    base, home = served
    for n in range(ROUNDS):
        mark = uuid.uuid4().hex[:10]
        head, tail = f"Left at Once {n} {mark}", " Then Gone"
        text = f"{head} ü 🌱 וגם{tail}"
        page, box = open_journal(context, base, KEPT, KEPT_PROMPT)
        box.click()
        type_like_a_person(page, head)
        page.keyboard.type(" ü 🌱 וגם")  # no key for these on the test's keyboard: typed as text
        type_like_a_person(page, tail)  # the last key 60 ms before leaving; the journal's pause to save is 800 ms
        leave(page, how, base)
        found = wait_for_text(home, mark, text)
        if not page.is_closed():
            page.close()
        assert found == [text], f"round {n + 1} of {ROUNDS} ({how}): saved {found!r}, typed {text!r}"


def test_a_journal_not_kept_sends_nothing_when_left(served, context):
    """Nothing of the text leaves the page (no frame on the kernel's connection holds it), and nothing is kept."""
    base, home = served
    marks: list[str] = []
    sent: list[str] = []
    frames = [0]  # every frame the pages sent: the listener heard the kernel's connection at all

    def frame(payload) -> None:
        frames[0] += 1
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
        sent.extend(mark for mark in marks if mark in text)

    for how in LEAVES:
        mark = uuid.uuid4().hex[:10]
        marks.append(mark)
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framesent", frame))
        page.goto(module_url(base, UNKEPT))
        box = page.get_by_role("textbox", name=UNKEPT_PROMPT, exact=True)
        expect(box).to_be_visible(timeout=60_000)
        box.click()
        type_like_a_person(page, f"Not Kept {mark}")
        leave(page, how, base)
        if not page.is_closed():
            page.wait_for_load_state()
            page.close()
    time.sleep(2)  # a save would have landed by now (the kept journal's lands within a second)
    assert frames[0] > len(LEAVES), "no frame on the kernel's connection was heard: the check proves nothing"
    assert sent == [], f"the page sent the text of a journal not kept ({len(sent)} times)"
    assert not any(mark in text for text in saved_texts(home, "") for mark in marks)
