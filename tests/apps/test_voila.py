"""The course as a learner uses it: Voila in headless Chromium."""
import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from course.notebooks import COURSE_TITLE
from course.syllabus import load_syllabus
from tests.apps.conftest import kernel_pids, open_module

pytestmark = pytest.mark.browser
CALMING = "03-calming-the-body"


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_landing_lists_modules_in_syllabus_order(voila_url, offline_page):
    page = offline_page
    page.goto(voila_url)
    items = page.locator("li.sg-module")
    syllabus = load_syllabus()
    expect(items).to_have_count(len(syllabus.modules))
    for item, module in zip(items.all(), syllabus.modules, strict=True):
        text = item.inner_text()
        assert module.title in text
        assert f"About {module.minutes} minutes" in text
        assert ("Coming soon" in text) != module.ready
    expect(page.get_by_role("button", name="Leave now")).to_be_visible()


def test_module_3_opens_from_the_landing_page(voila_url, offline_page):
    page = offline_page
    page.goto(voila_url)
    page.get_by_role("link", name=re.compile("Calming the body")).click()
    page.wait_for_selector("#rendered_cells", state="visible", timeout=60_000)
    expect(page.get_by_role("heading", name="Calming the body", level=1)).to_be_visible()
    expect(page.locator(".sg-pacer").first).to_be_visible(timeout=30_000)
    assert page.title().startswith("Calming the body")
    # One safety bar at the top, even though the module also shows the SafetyBar widget.
    expect(page.locator("#sg-safety-bar")).to_have_count(1)


def test_pacer_runs_and_stopping_saves_a_session(voila_url, offline_page, learner_store):
    page = open_module(offline_page, voila_url, CALMING)
    pacer = page.locator(".sg-pacer").first
    before = len(learner_store.practices())
    cue = pacer.locator(".sg-pacer-cue")
    pacer.get_by_role("button", name="Start").click()
    expect(cue).to_have_text(re.compile("Breathe in"), timeout=5_000)
    # Resonance breathing is 5 s in, 5 s out: the cue must turn to breathing out.
    expect(cue).to_have_text(re.compile("Breathe out"), timeout=8_000)
    expect(cue).to_have_text(re.compile("Breathe in"), timeout=8_000)  # a full cycle done
    pacer.get_by_role("button", name="Stop").click()
    expect(pacer.locator(".sg-pacer-status")).to_have_text(re.compile("Saved"), timeout=10_000)
    sessions = learner_store.practices()
    assert len(sessions) == before + 1
    assert sessions[-1]["pattern"] == "resonance" and sessions[-1]["cycles"] >= 1
    assert 9 <= sessions[-1]["duration_s"] <= 30


def test_pacer_works_by_keyboard(voila_url, offline_page):
    page = open_module(offline_page, voila_url, CALMING)
    pacer = page.locator(".sg-pacer").first
    start = pacer.get_by_role("button", name="Start")
    expect(start).to_be_enabled(timeout=10_000)
    page.wait_for_load_state("networkidle")          # every widget on the page has drawn
    start.focus()
    expect(start).to_be_focused()
    page.keyboard.press("Space")
    expect(pacer.get_by_role("button", name="Pause")).to_be_visible(timeout=5_000)
    page.keyboard.press("Escape")
    expect(pacer.get_by_role("button", name="Start")).to_be_visible(timeout=5_000)


def test_checkin_saves_and_shows_in_its_trend(voila_url, offline_page, learner_store):
    page = open_module(offline_page, voila_url, CALMING)
    checkin = page.locator(".sg-checkin").first
    slider = checkin.get_by_role("slider")
    slider.focus()
    page.keyboard.press("End")          # 10
    page.keyboard.press("ArrowLeft")    # 9
    expect(checkin.locator("output")).to_have_text("9")
    note = "<b>still tense</b> but better 🌱"
    checkin.get_by_label("A note for yourself (optional)").fill(note)
    checkin.get_by_role("button", name="Save check-in").click()
    expect(checkin.get_by_role("status")).to_have_text(re.compile("Saved: 9 out of 10"), timeout=10_000)
    chart = checkin.locator("img")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("alt", re.compile(r"latest 9 out of 10"))
    saved = learner_store.checkins("calm")
    assert saved[-1]["value"] == 9 and saved[-1]["note"] == note
    assert checkin.locator("b").count() == 0  # the note's HTML is never rendered


# Quick exit (Leave now, three lone Shift presses): tests/apps/test_quick_exit.py.


def test_help_is_one_click_away(voila_url, offline_page):
    page = offline_page
    page.goto(voila_url)
    help_link = page.get_by_role("link", name="Call 988")
    expect(help_link).to_be_hidden()
    page.get_by_text("Get help now").click()
    expect(help_link).to_be_visible()
    expect(page.get_by_role("link", name="Text START to 88788")).to_have_attribute("href", "sms:88788?body=START")
    # What Leave now cannot hide is said where the help is (safety rule 3): history and device monitoring.
    expect(page.locator(".sg-safety-hint")).to_contain_text("browser history")
    expect(page.locator(".sg-safety-hint")).to_contain_text("someone who monitors your device")


READY = load_syllabus().ready()


def test_landing_page_has_no_serious_accessibility_issues(voila_url, offline_page):
    offline_page.goto(voila_url)
    assert serious_violations(offline_page) == []


@pytest.mark.parametrize("module", READY, ids=[m.id for m in READY])
def test_each_module_renders_without_errors_and_passes_axe(voila_url, offline_page, module):
    page = open_module(offline_page, voila_url, module.stem)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    expect(page.get_by_role("heading", name=module.title, level=1)).to_be_visible()
    page.wait_for_selector(".sg-widget", timeout=30_000)
    time.sleep(1)
    # A cell that failed shows its error text; the module must run cleanly for the learner.
    shown_errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"], '
                                '.jp-RenderedText:has-text("Traceback")')
    assert shown_errors.count() == 0, shown_errors.first.inner_text()[:500]
    assert errors == []
    # Two widgets of a kind on one page (module 3 has two check-ins) must not share ids,
    # or a label would name the other widget's control.
    ids = page.eval_on_selector_all(".sg-widget [id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert serious_violations(page) == []


def test_a_second_module_page_asks_the_server_for_no_script_or_style_again(voila_url, browser):
    """The ~90 scripts every page needs come once, compressed; moving to the next module loads them
    from the browser's cache without asking the server whether they changed (no 304 round trips)."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    answers: list[dict] = []
    cached: set[str] = set()  # served from the memory cache: Chromium reports these separately
    cdp.on("Network.responseReceived", lambda event: answers.append(event))
    cdp.on("Network.requestServedFromCache", lambda event: cached.add(event["requestId"]))

    def assets() -> list[dict]:
        return [a for a in answers if a["type"] in ("Script", "Stylesheet")
                and a["response"]["url"].startswith("http")]  # blob: scripts are made in the page

    page.goto(voila_url + "voila/render/" + CALMING + ".ipynb")
    page.locator(".sg-widget").first.wait_for(state="visible", timeout=120_000)
    first = assets()
    assert len(first) > 50, "the page loaded fewer scripts than a Voila page needs: did it load?"
    big = [a["response"] for a in first if int(a["response"]["headers"].get("content-length", "0") or 0) > 4096
           or a["response"].get("encodedDataLength", 0) > 4096]
    plain = [r["url"] for r in big if r["headers"].get("content-encoding") != "gzip"]
    assert not plain, f"sent uncompressed: {plain[:5]}"

    answers.clear()
    page.goto(voila_url + "voila/render/04-rebuilding-trust.ipynb")
    page.locator(".sg-widget").first.wait_for(state="visible", timeout=120_000)
    asked = [(a["response"]["status"], a["response"]["url"]) for a in assets()
             if not a["response"].get("fromDiskCache") and a["requestId"] not in cached]
    assert not asked, f"asked the server again for {len(asked)}: {asked[:5]}"
    context.close()


def test_a_reload_finds_a_warm_kernel_and_the_next_one_is_started_at_once(voila_url, offline_page):
    """`course start` serves one learner: after a page takes its preheated kernel, the next one starts at once
    (Voila's 1 s), so a reload or a second visit soon after finds it ready. The room's refill delay
    (workshop only: people's first pages come first) once made such a reload wait 5 s more."""
    page = open_module(offline_page, voila_url, "01-naming-the-wound")
    kernel = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    page.wait_for_timeout(6_000)  # reading the first lines; the pool has its kernel back
    before = kernel_pids()
    page.reload()
    page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
    handed = kernel_pids(page.evaluate(kernel))
    assert handed and handed <= before, "the reloaded page's kernel started only after the reload"
    page.wait_for_timeout(2_500)
    assert kernel_pids() - before, "2.5 s after the reload no new kernel was waiting for the next page"


def test_a_wrong_address_gets_the_courses_own_error_page(voila_url, offline_page):
    """Voila's own error page loads a stylesheet from a CDN and has no way out; the course's has the safety
    bar and a way back, and asks nothing of any other server (offline_page fails the test if it does)."""
    response = offline_page.goto(voila_url + "voila/render/no-such-page.ipynb")
    assert response is not None and response.status == 404
    expect(offline_page.get_by_role("heading", level=1)).to_contain_text("404")
    expect(offline_page.get_by_text("There is no page at this address.")).to_be_visible()
    expect(offline_page.get_by_role("button", name="Leave now")).to_be_visible()
    expect(offline_page.get_by_role("link", name="Back to the course")).to_be_visible()
    assert offline_page.title() == COURSE_TITLE
