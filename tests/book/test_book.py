"""The static book: builds with warnings as errors, loads nothing from another host,
embeds the pacer's widget state, follows the syllabus, and shows the safety bar
and a working pacer in a browser with no kernel."""
from __future__ import annotations

import html as htmllib
import json
import re
import textwrap
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from course import ROOT
from course.book import BookError, build_book, check_book, coming_soon_page, toc_entries, toc_yaml
from course.safety import load_resources
from course.syllabus import load_syllabus
from widgets.breathing import BreathingPacer

pytestmark = pytest.mark.book

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class Page(HTMLParser):
    """What a built page asks the browser to load, its widget JSON, sidebar links and text."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.assets: list[str] = []
        self.json: dict[str, list] = {WIDGET_STATE: [], WIDGET_VIEW: []}
        self.sidebar: list[str] = []
        self.text: list[str] = []
        self._script_type: str | None = None
        self._nav_depth = 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            if a.get("src"):
                self.assets.append(a["src"])
            self._script_type = a.get("type")
        elif tag == "link" and a.get("href"):
            self.assets.append(a["href"])
        elif tag == "nav" and "bd-docs-nav" in (a.get("class") or ""):
            self._nav_depth = 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        elif tag == "a" and self._nav_depth and a.get("href"):
            self.sidebar.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None
        elif tag == "nav" and self._nav_depth:
            self._nav_depth -= 1

    def handle_data(self, data):
        if self._script_type in self.json and data.strip():
            self.json[self._script_type].append(json.loads(data))
        elif self._script_type is None:
            self.text.append(data)

    def plain_text(self) -> str:
        """Page text with typographic quotes and dashes made plain, whitespace collapsed."""
        text = "".join(self.text)
        smart = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "--", "\u2014": "---"}
        for fancy, plain in smart.items():
            text = text.replace(fancy, plain)
        return " ".join(text.split())


def plain(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def syllabus():
    return load_syllabus()


@pytest.fixture(scope="module")
def pages(book_html) -> dict[Path, Page]:
    """Every built page (not the theme's template snippets in _static/)."""
    return {path: Page(path) for path in sorted(book_html.rglob("*.html"))
            if path.relative_to(book_html).parts[0] not in {"_static", "_widgets"}}


# -- the build ------------------------------------------------------------------

def test_strict_build_makes_every_page_and_leaves_learner_data_alone(book_html, book_home, syllabus):
    for name in toc_entries(syllabus):
        assert (book_html / f"{name}.html").is_file(), f"no page for {name}"
    assert (book_html / "index.html").is_file()
    assert list(book_home.iterdir()) == [], "building the book wrote into the learner's data folder"


def test_a_sphinx_warning_fails_the_strict_build(tmp_path):
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "00-broken.md").write_text("# Broken\n\nSee {ref}`no-such-section`.\n", encoding="utf-8")
    (tmp_path / "syllabus.yml").write_text(textwrap.dedent("""\
        modules:
          - id: m00
            title: Broken
            file: 00-broken.md
            minutes: 10
            status: ready
            summary: A page with a cross-reference to nowhere.
            objectives: [One thing, Another thing, A third thing]
            content_note: null
            paths: [solo]
        """), encoding="utf-8")
    stub = load_syllabus(tmp_path / "syllabus.yml", modules)
    with pytest.raises(BookError, match="no-such-section"):
        build_book(strict=True, syllabus=stub, modules_dir=modules, out=tmp_path / "book")
    assert not (tmp_path / "book" / "html").exists()


def test_generated_toc_is_jupyter_book_yaml_in_syllabus_order(syllabus):
    toc = yaml.safe_load(toc_yaml(syllabus))
    assert toc["format"] == "jb-book" and toc["root"] == "intro"
    files = [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    assert ["intro", *files] == toc_entries(syllabus)


def test_syllabus_wording_stays_text_on_generated_pages(syllabus):
    module = replace(syllabus.modules[0], title="Sex *and* {trust}", summary="Use <b>care</b> & `time`.",
                     objectives=("Say [no] and #mean it", "Two", "Three"), content_note=None)
    page = coming_soon_page(module)
    assert page.startswith(r"# Sex \*and\* \{trust\} (coming soon)")
    assert r"Use \<b\>care\</b\> & \`time\`." in page
    assert r"- Say \[no\] and \#mean it" in page
    assert "Content note" not in page


# -- offline ----------------------------------------------------------------------

def test_no_page_loads_a_script_or_stylesheet_from_another_host(pages, book_html):
    assert len(pages) > 10
    for path, page in pages.items():
        for url in page.assets:
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{path.name} loads {url} from another host"
            if not parts.path:
                continue  # href="#": this page
            target = (path.parent / parts.path).resolve()
            assert target.is_file(), f"{path.name} loads {url}, which is not in the book"
            assert target.is_relative_to(book_html.resolve())


# -- widgets ----------------------------------------------------------------------

def test_module_3_embeds_the_pacer_state_and_shows_it(pages, book_html, syllabus):
    page = pages[book_html / f"{Path(syllabus.by_id('m03').file).stem}.html"]
    assert len(page.json[WIDGET_STATE]) == 1
    models = page.json[WIDGET_STATE][0]["state"]
    pacer_js = BreathingPacer._esm  # the shared helpers of widgets/lib/, then the pacer
    pacers = [mid for mid, m in models.items()
              if m["model_module"] == "anywidget" and m["state"].get("_esm") == pacer_js]
    assert pacers, "no anywidget model on the module 3 page carries the pacer's front-end code"
    shown = {view["model_id"] for view in page.json[WIDGET_VIEW]}
    assert set(pacers) <= shown, "the pacer's state is embedded but no view on the page shows it"


@pytest.mark.parametrize("snippet, problem", [
    ('<script src="https://scripts.example.org/require.min.js"></script>', "loads https://scripts.example.org"),
    ('<link rel="stylesheet" href="//fonts.example.org/css">', "loads //fonts.example.org"),
    ('<script type="application/vnd.jupyter.widget-state+json">{"state": {"a": {"model_module": "ipyleaflet",'
     ' "model_module_version": "*", "model_name": "MapModel", "state": {}}}}</script>', "'ipyleaflet' is not served"),
])
def test_check_book_refuses_a_page_that_needs_the_internet(tmp_path, snippet, problem):
    (tmp_path / "page.html").write_text(f"<!doctype html><html><head>{snippet}</head><body></body></html>")
    with pytest.raises(BookError, match=re.escape(problem)):
        check_book(tmp_path)


def test_widget_front_end_files_are_in_the_book(book_html):
    widgets = book_html / "_widgets"
    for name in ("require.js", "widget-modules.js", "widgets-config.js", "html-manager/embed-amd.js",
                 "safety_bar/safety_bar.js", "sg-book.js", "sg-resources.js"):
        assert (widgets / name).is_file(), name
    manifest = json.loads(re.search(r"=\s*(\{.*\});", (widgets / "widget-modules.js").read_text(), re.S).group(1))
    for module_path in manifest.values():
        assert (widgets / f"{module_path}.js").is_file(), module_path


# -- table of contents and generated pages ------------------------------------------

def test_toc_and_sidebar_follow_the_syllabus(pages, book_html, syllabus):
    stems = [Path(m.file).stem for m in syllabus.modules]
    guides = [f"facilitator/{stem}" for stem in stems if (ROOT / "modules" / "facilitator" / f"{stem}.md").is_file()]
    after = ["glossary", "worksheets", "help", "privacy"]
    assert toc_entries(syllabus) == ["intro", *stems, *guides, *after]
    sidebar = [href for href in pages[book_html / "intro.html"].sidebar if href.endswith(".html")]
    assert sidebar == [f"{name}.html" for name in [*stems, *guides, *after]]


def test_every_module_is_a_real_page_not_an_outline(pages, book_html, syllabus):
    """All ten modules are written: no page in the book says it is still coming."""
    for module in syllabus.modules:
        text = pages[book_html / f"{Path(module.file).stem}.html"].plain_text()
        assert "(coming soon)" not in text and "still being written" not in text, module.id
        assert plain(module.title) in text


def test_a_coming_module_gets_an_outline_page(syllabus):
    """Should a module be marked coming again, readers see what it will cover, content note first."""
    module = replace(syllabus.by_id("m07"), status="coming")
    page = coming_soon_page(module)
    assert page.startswith(f"# {module.title} (coming soon)")
    assert "still being written" in page
    assert page.index("Content note") < page.index("Coming soon")
    for line in module.objectives:
        assert f"- {line}" in page


def test_help_page_lists_every_resource_with_working_links(book_html):
    source = (book_html / "help.html").read_text(encoding="utf-8")
    text = Page(book_html / "help.html").plain_text()
    for item in load_resources("US")["resources"]:
        assert plain(item["name"]) in text
        for link in item["links"]:
            assert f'href="{htmllib.escape(link["href"])}"' in source, link["href"]
    # Leaving quickly says what it cannot hide (safety rule 3): the history, and a device that is watched.
    assert "cannot erase your browser history" in text
    assert "someone who monitors this device" in text


# -- in a browser -------------------------------------------------------------------

@pytest.mark.browser
def test_pacer_animates_in_the_static_book_without_leaving_this_machine(watched_page, book_url, syllabus):
    page = watched_page.page
    page.goto(book_url + f"{Path(syllabus.by_id('m03').file).stem}.html")
    pacer = page.locator(".sg-pacer").first
    expect(pacer).to_be_visible(timeout=20_000)
    cue = pacer.locator(".sg-pacer-cue")
    ready = cue.text_content()
    pacer.get_by_role("button", name="Start").click()
    expect(cue).not_to_have_text(ready, timeout=5_000)
    first_phase = cue.text_content()
    expect(cue).not_to_have_text(first_phase, timeout=15_000)  # the next phase comes by the browser's clock
    expect(pacer.get_by_role("button", name="Pause")).to_be_visible()
    assert watched_page.outside == []
    assert watched_page.errors == []


@pytest.mark.browser
def test_every_page_shows_one_safety_bar_at_the_top(watched_page, book_url, syllabus):
    page = watched_page.page
    label = load_resources("US")["quick_exit"]["label"]
    for name in toc_entries(syllabus):
        page.goto(book_url + f"{name}.html")
        bar = page.locator("#sg-safety-bar")
        expect(bar, f"{name}: no safety bar").to_be_visible(timeout=10_000)
        expect(bar).to_have_count(1)
        expect(bar.get_by_role("button", name=label)).to_be_visible()
        expect(bar.locator("summary")).to_have_text("Get help now")  # the full bar, not the file:// fallback
        assert bar.bounding_box()["y"] == 0, f"{name}: the safety bar is not at the top"
        # Widgets read this to show their read-only or worksheet form (no kernel in the book).
        assert page.evaluate("document.documentElement.dataset.sgChannel") == "book"
    bar.locator("summary").click()
    for item in load_resources("US")["resources"]:
        expect(bar.get_by_text(item["name"])).to_be_visible()
    assert watched_page.outside == []
    assert watched_page.errors == []


@pytest.mark.browser
def test_leave_now_replaces_the_page_even_when_opened_from_disk(page, book_html):
    """Chromium runs no ES modules on file:// pages; the same bar, as a classic script, gives the same quick exit."""
    exit_ = load_resources("US")["quick_exit"]
    page.route(exit_["url"] + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>Weather</title><h1>Weather</h1>"))
    page.goto((book_html / "intro.html").as_uri())
    bar = page.locator("#sg-safety-bar")
    expect(bar).to_be_visible(timeout=10_000)
    expect(bar.locator("summary")).to_have_text("Get help now")
    page.locator("body").click()
    page.keyboard.down("Shift")                 # a capital typed as a person types it: stays
    page.keyboard.press("A")
    page.keyboard.up("Shift")
    for _ in range(2):
        page.keyboard.press("Shift")
    assert page.url.startswith("file:")         # A resets the count: two lone presses do not leave
    page.keyboard.press("Shift")                # the third lone press in a row does
    page.wait_for_url(exit_["url"] + "**")
    page.goto((book_html / "intro.html").as_uri())
    bar = page.locator("#sg-safety-bar")
    bar.get_by_role("button", name=exit_["label"]).click()
    page.wait_for_url(exit_["url"] + "**")
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()



# Every kernel-backed widget, and the worksheet title a reader sees in its place in the book.
WORKSHEETS = {
    "Check-in": "How calm do you feel right now?",
    "Journal": "Reflection worksheet",
    "Accelerators and brakes": "Worksheet: my accelerators and brakes",
    "Private safety check": "A private check for two",
    "Transparency plan": "Our transparency plan",
    "Written agreements": "One agreement in each row",
    "When a trigger hits": "When a trigger hits us",
    "Yes, no, maybe list": "Yes, no, maybe: a list for each of you",
    "Reconnection ladder": "Our ladder back to closeness",
    "Repair plan": "Worksheet: plan a repair conversation",
    "Weekly progress": "Your progress review",
}


@pytest.mark.browser
def test_kernel_backed_widgets_show_printable_worksheets(watched_page, book_url):
    """With no kernel to save to, each exercise is a clean paper worksheet: no dead form fields."""
    page = watched_page.page
    page.goto(book_url + "worksheets.html")
    for heading, title in WORKSHEETS.items():
        section = page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True, level=2))
        expect(section.get_by_text(title, exact=True).first, heading).to_be_visible(timeout=20_000)
        fields = section.locator("input, textarea, select")
        assert fields.count() == 0, f"{heading}: the worksheet shows form fields that cannot save"
    assert watched_page.outside == []
    assert watched_page.errors == []


def test_worksheets_page_lists_every_kernel_backed_widget():
    """A new kernel-backed widget must get a worksheet section (and a line in WORKSHEETS)."""
    import widgets

    text = (ROOT / "book" / "worksheets.md").read_text(encoding="utf-8")
    front_end_only = {"BreathingPacer", "Grounding", "MuscleRelaxation", "Quiz", "SafetyBar",
                      "SaveNotes"}  # SaveNotes: a workshop page's download, nothing to print
    kernel_backed = {name for name in widgets.__all__ if name[0].isupper()} - front_end_only
    missing = {name for name in kernel_backed if f"{name}(" not in text}
    assert missing == set()
    assert len(WORKSHEETS) == len(kernel_backed)


@pytest.mark.browser
def test_no_book_page_has_a_serious_accessibility_issue(watched_page, book_url, syllabus):
    from axe_playwright_python.sync_playwright import Axe

    page = watched_page.page
    found = {}
    for name in toc_entries(syllabus):
        page.goto(book_url + f"{name}.html")
        page.wait_for_load_state("load")
        violations = [f"{v['id']}: {v['help']}" for v in Axe().run(page).response["violations"]
                      if v["impact"] in ("serious", "critical")]
        if violations:
            found[name] = violations
    assert found == {}
