"""Every page of the served course, and learner text that looks like HTML, in a browser.

1. The landing page and every page it links to (each ready module and the glossary), one after
   another in one browser context: no request leaves 127.0.0.1, no console error, no page error,
   and each page has its rendered cells and the safety bar's Leave now in view.
2. A journal entry holding `<img src=x onerror=...>` and `<script>` is saved, and after a reload
   shows as the characters typed, in the list, the edit box and the search results; nothing runs,
   no such element is made, and the page never asks for "x".
"""
import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from course.notebooks import GLOSSARY, NOTEBOOKS
from course.store import Store
from course.syllabus import load_syllabus
from tests.apps.conftest import keep_offline, voila_server

pytestmark = pytest.mark.browser

CALMING = "03-calming-the-body"
FIRST_SIGNS = re.compile("first signs that you are leaving your window")
PAYLOAD = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> & "quotes" <b>bold</b>'


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The course's own pages, served as `course start` serves them, with no preheated kernels:
    each page starts its own, one at a time, which is the least work for two cores."""
    home = tmp_path_factory.mktemp("pages-home")
    log = tmp_path_factory.mktemp("pages-voila") / "voila.log"
    with voila_server(NOTEBOOKS, home, log, pool_size=0) as url:
        yield url, home


@pytest.fixture(scope="module")
def watched(browser):
    """One context for every page, kept on this machine, with every console and page error and request noted.

    Every address a page asks for must be there: a 404 is an error in the console too (every module page
    asks for the workshop's room; outside a workshop the server answers 204, nothing here).
    """
    ctx = browser.new_context()
    page = ctx.new_page()
    seen = {"outside": keep_offline(page), "console": [], "errors": [], "requests": []}

    def console(msg):
        where = (msg.location or {}).get("url", "")
        if msg.type == "error":
            seen["console"].append(f"{page.url}: {msg.text} ({where})")

    def response(res):
        if res.status >= 400:  # the console says only "Failed to load resource": keep which address it was
            seen["console"].append(f"{res.status} {res.url}")

    page.on("console", console)
    page.on("response", response)
    page.on("pageerror", lambda exc: seen["errors"].append(f"{page.url}: {exc}"))
    page.on("request", lambda req: seen["requests"].append(req.url))
    yield page, seen
    ctx.close()


def healthy(page, seen) -> None:
    """Rendered cells shown, Leave now in view, nothing asked of another machine, no error."""
    expect(page.get_by_role("button", name="Leave now")).to_be_visible()
    assert not seen["outside"], f"{page.url} tried to reach outside this machine: {seen['outside'][:5]}"
    assert not seen["errors"], seen["errors"][:5]
    assert not seen["console"], seen["console"][:5]


def test_every_page_opens_cleanly_and_offline(served, watched):
    base, _home = served
    page, seen = watched
    page.goto(base)
    expect(page.locator("li.sg-module").first).to_be_visible()
    healthy(page, seen)
    links = page.eval_on_selector_all("a[href*='voila/render/']", "els => els.map(e => e.href)")
    stems = {re.sub(r".*/voila/render/(.*)\.ipynb$", r"\1", link) for link in links}
    wanted = {m.stem for m in load_syllabus().ready()} | {GLOSSARY}
    assert stems == wanted, f"the landing page links {sorted(stems)}, the syllabus has {sorted(wanted)}"

    for link in links:
        page.goto(link)
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
        expect(page.locator("#rendered_cells .jp-Cell").first).to_be_visible()
        expect(page.locator("#rendered_cells h1").first).to_be_visible()
        page.wait_for_load_state("networkidle")  # the widgets have drawn, or failed and said so
        shown = page.locator('[data-mime-type="application/vnd.jupyter.stderr"], '
                             '.jp-RenderedText:has-text("Traceback")')
        assert shown.count() == 0, f"{link}: {shown.first.inner_text()[:300]}"
        healthy(page, seen)


def journal_box(page):
    journal = page.locator(".sg-journal").filter(has=page.get_by_role("textbox", name=FIRST_SIGNS))
    return journal, journal.get_by_role("textbox", name=FIRST_SIGNS)


def nothing_ran(page, seen) -> None:
    """No script of the entry ran, no element of it was made, and "x" was never asked for."""
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator(".sg-journal b, .sg-journal script").count() == 0
    asked = [url for url in seen["requests"] if re.search(r"/x(?:$|[?#])", url)]
    assert not asked, f"the page asked for the entry's image: {asked}"


def test_html_in_a_journal_entry_stays_text(served, watched):
    base, home = served
    page, seen = watched
    mark = uuid.uuid4().hex[:8]
    text = f"{PAYLOAD} {mark}"
    page.goto(f"{base}voila/render/{CALMING}.ipynb")
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    journal, box = journal_box(page)
    box.fill(text)
    expect(box).to_have_value(text)
    box.blur()  # saved at once

    deadline = time.monotonic() + 15
    saved: list[str] = []
    while time.monotonic() < deadline and not saved:
        store = Store(home / "steady-ground.sqlite3")
        try:
            saved = [e["text"] for e in store.journal_entries(mark)]
        finally:
            store.close()
        time.sleep(0.2)
    assert saved == [text]

    page.reload()
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    journal, box = journal_box(page)
    listed = journal.locator(".sg-journal-entry", has_text=mark)
    expect(listed).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)  # an image's error would have fired by now
    nothing_ran(page, seen)
    assert listed.locator(".sg-journal-text").text_content() == text

    listed.get_by_role("button", name="Edit").click()
    expect(journal.get_by_role("textbox", name="Change your note")).to_have_value(text)
    journal.get_by_role("button", name="Cancel").click()
    journal.get_by_label("Search your notes").fill("onerror")
    found = journal.locator(".sg-journal-entry", has_text=mark)
    expect(found).to_have_count(1, timeout=10_000)
    assert found.locator(".sg-journal-text").text_content() == text
    page.wait_for_timeout(500)  # an image's error would have fired by now
    nothing_ran(page, seen)
    healthy(page, seen)
