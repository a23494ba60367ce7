"""Discreet titles in the browser: what the history would record is "Notes" and a neutral address."""
import re
import sys

import pytest
from playwright.sync_api import expect

from course.syllabus import load_syllabus
from tests.apps.conftest import free_port, serving

pytestmark = pytest.mark.browser


def subject_words() -> set[str]:
    words = set()
    for m in load_syllabus().modules:
        words |= {w for w in re.split(r"[^a-z]+", f"{m.title} {m.stem}".lower()) if len(w) > 3}
    return words | {"steady", "ground", "steadyground", "sexual", "betrayal"}


@pytest.fixture(scope="module")
def discreet_course(tmp_path_factory):
    """`course start --discreet-titles`, as `make start DISCREET=1` runs it."""
    tmp = tmp_path_factory.mktemp("discreet")
    port, log = free_port(), tmp / "course.log"
    env = {"STEADY_GROUND_HOME": str(tmp / "home"), "PATH": "/usr/bin:/bin"}
    argv = [sys.executable, "-m", "course.cli", "start", "--no-browser", "--pool-size", "0",
            "--discreet-titles", "--port", str(port)]
    with serving(argv, env, port, log) as url:
        yield url


def assert_neutral(url: str, base: str) -> None:
    path = url[len(base):].lower()
    assert not subject_words() & set(re.split(r"[^a-z]+", path)), url


def test_landing_and_module_pages_are_titled_notes_with_neutral_addresses(discreet_course, offline_page):
    page = offline_page
    page.goto(discreet_course)
    assert page.title() == "Notes"
    expect(page.get_by_role("button", name="Leave now")).to_be_visible()
    links = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
    assert len(links) == len(load_syllabus().ready()) + 1  # every ready module and the glossary
    for link in links:
        assert_neutral(link, discreet_course)

    page.get_by_role("link", name=re.compile("Calming the body")).click()
    page.wait_for_selector("#rendered_cells", state="visible", timeout=90_000)
    assert page.url == f"{discreet_course}voila/render/notes-03.ipynb"
    # The content is the module, as the help page says: only the title and address change.
    expect(page.get_by_role("heading", name="Calming the body", level=1)).to_be_visible()
    expect(page.locator(".sg-pacer").first).to_be_visible(timeout=30_000)
    assert page.title() == "Notes"

    glossary = page.locator("#rendered_cells a[href*='glossary']").first
    href = glossary.get_attribute("href")
    assert href and href.split("#")[0].endswith("notes-glossary.ipynb"), href
    glossary.click()
    page.wait_for_selector("#rendered_cells", state="visible", timeout=90_000)
    assert page.title() == "Notes"
    assert_neutral(page.url.split("#")[0], discreet_course)

    page.get_by_role("link", name="← All modules").click()
    page.wait_for_url(discreet_course)
    assert page.title() == "Notes"
