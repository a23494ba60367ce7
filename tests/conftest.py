"""Shared test set-up: a scratch learner folder, and Debian's chromium for every browser test."""
import os

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
