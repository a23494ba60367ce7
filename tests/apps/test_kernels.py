"""A closed tab frees its kernel (issue 9): in `course start` and in a workshop, within 15 s.

Voila's page sends a shutdown beacon when it closes; it must carry the _xsrf
token, which jupyter_server checks. These tests count the server's kernel
processes (those started with this server's learner folder) while a person
opens a module page straight from a bookmark in a fresh browser, reloads it,
moves to another module, and closes the tab. No preheated pool here, so every
kernel alive belongs to an open page.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from course.browser import free_port, module_url, serving
from course.notebooks import build_notebooks
from course.serve import profile, voila_command
from course.store import Store
from tests.apps.conftest import keep_offline, kernel_environments, type_like_a_person, wait_until

pytestmark = pytest.mark.browser
TOKEN = "room-token-for-tests"


def kernels(home: Path) -> set[int]:
    """The kernel processes alive for the server that keeps its learner data in `home`."""
    return set(kernel_environments(f"STEADY_GROUND_HOME={home}".encode()))


def described(home: Path, alive: set[int], before: set[int] = frozenset()) -> str:
    """What is left, for a failure message: each kernel process (old or new, its state) and the server's log."""
    def state(pid: int) -> str:
        try:
            return next(line.split(":", 1)[1].strip() for line in (Path("/proc") / str(pid) / "status").open()
                        if line.startswith("State:"))
        except (OSError, StopIteration):
            return "gone"
    kinds = [f"{pid} ({'the old page' if pid in before else 'new'}, {state(pid)})" for pid in sorted(alive)]
    log = home / "voila.log"
    tail = log.read_text(errors="replace")[-1500:] if log.exists() else "(no log)"
    return f"kernels alive: {kinds or 'none'}; the server's log ends:\n{tail}"


def no_kernel(home: Path, others: set[int] = frozenset()) -> None:
    """Wait until no kernel of this server is alive (but `others`)."""
    try:
        wait_until(lambda: not kernels(home) - others, timeout=15)
    except AssertionError:
        raise AssertionError(f"a kernel was left after 15 s: {described(home, kernels(home) - others)}") from None


def one_new_kernel(home: Path, before: set[int]) -> set[int]:
    """Wait until exactly one kernel is alive and it is not one of `before`: the old page's went."""
    try:
        return wait_until(lambda: (now := kernels(home)) and len(now) == 1 and not now & before and now,
                          timeout=15)
    except AssertionError:
        raise AssertionError(f"not one new kernel after 15 s: {described(home, kernels(home), before)}") from None


@pytest.fixture(scope="module", params=["start", "workshop"])
def server(request, tmp_path_factory):
    """The course served as `course start` or `course workshop` serves it, without preheated kernels."""
    build_notebooks()
    home = tmp_path_factory.mktemp(f"kernels-{request.param}")
    port = free_port()
    token = TOKEN if request.param == "workshop" else None
    prof = profile(request.param, host="127.0.0.1", pool_size=0, open_browser=False)
    argv, env = voila_command(prof, port, token=token)
    env["STEADY_GROUND_HOME"] = str(home)
    with serving(argv, env, port, home / "voila.log") as url:
        yield url, token or "", home


def test_closing_reloading_and_moving_on_leave_no_kernel_behind(server, browser):
    base, token, home = server
    context = browser.new_context()  # a fresh browser: no cookie from an earlier visit
    try:
        page = context.new_page()
        keep_offline(page)
        wait_until(lambda: not kernels(home), timeout=30)
        first = module_url(base, "00-start-here") + (f"?token={token}" if token else "")
        page.goto(first)
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
        opened = wait_until(lambda: kernels(home), timeout=15)
        assert len(opened) == 1

        page.reload()
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
        reloaded = one_new_kernel(home, opened)

        page.goto(module_url(base, "01-naming-the-wound"))
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
        one_new_kernel(home, reloaded)

        page.close(run_before_unload=True)  # as a person closing the tab: the page hears it
        no_kernel(home)
    finally:
        context.close()  # a failure here leaves no open page, and so no kernel, to the next test


def test_a_page_left_before_its_scripts_started_still_frees_its_kernel(server, browser):
    """A slow phone, a busy room: the tab is closed while Voila's scripts are still starting, before they add
    their own `beforeunload` listener (which asks for the shutdown). Under a full test run this left a kernel
    until the idle cull (20 minutes in a workshop). Here Voila's widget manager never starts at all."""
    base, token, home = server
    context = browser.new_context()
    try:
        page = context.new_page()
        keep_offline(page)
        others = kernels(home)
        page.route(re.compile(r"widgets-manager8/static/.*\.js"), lambda route: route.abort())
        page.goto(module_url(base, "00-start-here") + (f"?token={token}" if token else ""))
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
        assert wait_until(lambda: kernels(home) - others, timeout=15)
        page.close(run_before_unload=True)
        no_kernel(home, others)
    finally:
        context.close()


FIRST_SIGNS = re.compile("first signs that you are leaving your window")
STOP_KERNEL = """async () => {
  const id = JSON.parse(document.getElementById("jupyter-config-data").textContent).kernelId;
  const xsrf = decodeURIComponent(document.cookie.match(/(?:^|; )_xsrf=([^;]*)/)[1]);
  return (await fetch(`/api/kernels/${id}`, {method: "DELETE", headers: {"X-XSRFToken": xsrf}})).status;
}"""


def test_a_tab_back_after_its_kernel_went_says_so_and_reloads_keeping_what_was_typed(server, browser):
    """A phone slept past the idle cull, or the course restarted: the page cannot save any more.
    Coming back, the learner is told, types anyway, reloads, and finds the text back and saved."""
    base, token, home = server
    context = browser.new_context()
    page = context.new_page()
    keep_offline(page)
    others = kernels(home)  # none, unless an earlier test failed with a page open: not this test's to judge
    page.goto(module_url(base, "03-calming-the-body") + (f"?token={token}" if token else ""))
    page.wait_for_selector(".sg-journal textarea", timeout=120_000)
    notice = page.locator("#sg-kernel-gone")
    expect(notice).to_have_count(0)
    page.evaluate("window.sgCheckKernel()")
    expect(notice).to_have_count(0)  # the kernel is alive: nothing to say

    assert page.evaluate(STOP_KERNEL) == 204  # as the idle cull does, server side
    no_kernel(home, others)
    text = "Jaw Tight, Breath Short. I Noticed it Early"
    box = page.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS)
    box.click()
    type_like_a_person(page, text)  # typed into a page whose kernel is gone: it cannot be saved
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the tab comes back into view
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("cannot save anything now")
    expect(notice).to_contain_text("will be put back after the reload")
    expect(notice).not_to_contain_text("chose not to keep")  # this page has no such box

    # The course does not answer (Wi-Fi still down): no reload, nothing left waiting in the tab.
    landing = base.split("?")[0]
    page.route(landing, lambda route: route.abort())
    notice.get_by_role("button", name="Reload page").click()
    expect(notice.get_by_role("status")).to_contain_text("not answering")
    assert page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('sg-carry:'))") == []
    expect(box).to_have_value(text)
    page.unroute(landing)

    with page.expect_navigation(timeout=120_000):  # else the old page's boxes answer the checks below
        notice.get_by_role("button", name="Reload page").click()
    page.wait_for_selector(".sg-journal textarea", timeout=120_000)
    box = page.locator(".sg-journal").get_by_role("textbox", name=FIRST_SIGNS)
    expect(box).to_have_value(text, timeout=30_000)
    expect(page.locator(".sg-journal").get_by_role("status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"),
                                                                           timeout=30_000)
    assert page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('sg-carry:'))") == []
    expect(page.locator("#sg-kernel-gone")).to_have_count(0)
    if not token:  # course start keeps notes on the device: the text is there, not only on screen
        store = Store(home / "steady-ground.sqlite3")
        try:
            assert [e for e in store.journal_entries() if e["text"] == text]
        finally:
            store.close()
    page.close(run_before_unload=True)
    context.close()



IMPACT = re.compile("How has this affected my feelings")
UNKEPT = "Writing you chose not to keep will not come back after the reload: copy it first."
SETBACK = re.compile("Think of a recent setback")


def test_reload_page_carries_kept_notes_but_never_writing_the_learner_chose_not_to_keep(server, browser):
    """Module 8's impact letter is not kept unless asked: a reload after the kernel went brings back
    the Reflect note typed beside it, and leaves the letter's box empty, carried nowhere. The notice
    says so, and to copy it first, while that box holds writing, so no one trusts "put back" with it."""
    base, token, home = server
    context = browser.new_context()
    page = context.new_page()
    keep_offline(page)
    page.goto(module_url(base, "08-repair") + (f"?token={token}" if token else ""))
    page.wait_for_selector(".sg-journal textarea", timeout=120_000)
    alive = wait_until(lambda: kernels(home), timeout=15)  # earlier tests' pages may still hold theirs
    assert page.evaluate(STOP_KERNEL) == 204
    wait_until(lambda: len(kernels(home)) == len(alive) - 1, timeout=15)
    reflect = page.get_by_role("textbox", name=SETBACK)
    reflect.click()
    type_like_a_person(page, "It Showed Me I Need Rest")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    notice = page.locator("#sg-kernel-gone")
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("will be put back after the reload")
    expect(notice).not_to_contain_text(UNKEPT)  # nothing typed in the letter yet
    letter = page.get_by_role("textbox", name=IMPACT)
    letter.click()
    type_like_a_person(page, "I Feel Numb Most Days")
    expect(notice).to_contain_text(UNKEPT)  # said as soon as the letter holds writing
    letter.press("Control+A")
    letter.press("Backspace")
    expect(notice).not_to_contain_text(UNKEPT)
    type_like_a_person(page, "I Feel Numb Most Days")
    expect(notice).to_contain_text(UNKEPT)
    with page.expect_navigation(timeout=120_000):  # else the old page's boxes answer the checks below
        notice.get_by_role("button", name="Reload page").click()
    page.wait_for_selector(".sg-journal textarea", timeout=120_000)
    expect(page.get_by_role("textbox", name=SETBACK)).to_have_value("It Showed Me I Need Rest", timeout=30_000)
    expect(page.get_by_role("textbox", name=IMPACT)).to_have_value("", timeout=30_000)
    assert "Numb Most Days" not in page.content()
    assert page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('sg-carry:'))") == []
    context.close()
