"""Shared test set-up: a scratch learner folder, and Debian's chromium for every browser test."""
import os
from functools import cache
from pathlib import Path

import pytest

from course.browser import launch_options


@pytest.fixture(scope="session", autouse=True)
def never_the_real_learner_folder(tmp_path_factory):
    """Every test, and every server or kernel a test starts, writes to a scratch folder.

    Set for the whole process so subprocesses inherit it; tests that need their
    own folder set STEADY_GROUND_HOME themselves.
    """
    before = os.environ.get("STEADY_GROUND_HOME")
    os.environ["STEADY_GROUND_HOME"] = str(tmp_path_factory.mktemp("session-learner-home"))
    yield
    if before is None:
        os.environ.pop("STEADY_GROUND_HOME", None)
    else:
        os.environ["STEADY_GROUND_HOME"] = before


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright hook: launch Debian's chromium when it is there (course/browser.py)."""
    return launch_options(browser_type_launch_args)



SHARED_SERVER_FIXTURES = ("voila_url", "server_home", "learner_store")
"""tests/apps/conftest.py's session-wide course server and what reads its learner folder."""


@cache
def _uses_the_shared_server(path: Path) -> bool:
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return any(name in source for name in SHARED_SERVER_FIXTURES)


def worker_group(nodeid: str, root: Path) -> str:
    """Which tests must run in the same worker under `pytest -n N` (make test), from a test's id.

    Every file that uses the session's course server goes to one worker, so the server starts
    once; the book's tests share one strict build; any other file runs whole in one worker, so
    its module fixtures (often a server of its own) start once, and a notebook's nbval cells
    stay together and in order.
    """
    path = nodeid.split("::")[0]
    if path.startswith("tests/book/"):
        return "book"
    if path.startswith("tests/") and path.endswith(".py") and _uses_the_shared_server(root / path):
        return "course-server"
    return path


GROUP_SECONDS = {
    "course-server": 330, "tests/apps/test_ladder_plan.py": 113, "tests/apps/test_kernels.py": 104,
    "book": 101, "tests/reliability/test_soak.py": 100, "tests/apps/test_agreements.py": 97,
    "tests/apps/test_pulse_card.py": 83, "tests/reliability/test_handlers.py": 72,
    "tests/apps/test_trigger_plan.py": 70, "tests/reliability/test_journal_leave.py": 65,
    "tests/apps/test_save_notes.py": 60, "tests/apps/test_room.py": 53, "tests/reliability/test_pages.py": 46,
    "tests/apps/test_workshop_session.py": 44, "tests/apps/test_facilitator_page.py": 43,
    "tests/reliability/test_workshop_hostile.py": 34, "tests/apps/test_repair_progress.py": 34,
    "tests/apps/test_commands.py": 32, "tests/apps/test_couples_check.py": 30, "tests/hub/test_hub.py": 75,
    "tests/apps/test_pool_cull.py": 20,
}
"""Seconds each long group took in a make test run (--durations, summed; 3 workers on 2 cores). xdist hands out
groups in the order the tests were collected; started longest first, the last minutes are not one long test
running alone (the soak, a single test of 100 s, had come last: it is one of the fewest tests). A group not
named here counts as short."""


def pytest_collection_modifyitems(config, items):
    """Longest groups first (GROUP_SECONDS); the order inside a group, and so a notebook's cells, stays."""
    root = config.rootpath
    order = sorted(range(len(items)), key=lambda i: (-GROUP_SECONDS.get(worker_group(items[i].nodeid, root), 0), i))
    items[:] = [items[i] for i in order]


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist: hand out whole groups (worker_group), in the order collected (pytest_collection_modifyitems
    puts the longest first; make test turns off xdist's own reordering by number of tests)."""
    from xdist.scheduler import LoadScopeScheduling

    root = config.rootpath

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid, root)

    return ByGroup(config, log)
