"""Shared test set-up: Debian's chromium for every browser test."""
import os
from pathlib import Path

import pytest

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# Without these flags Chromium tries to reach Google's services at start, which
# this machine's closed network refuses many times over.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
]


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
    """pytest-playwright hook: launch Debian's chromium when it is there."""
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if DEBIAN_CHROMIUM.exists() and not os.environ.get("STEADY_GROUND_PLAYWRIGHT_CHROMIUM"):
        args["executable_path"] = str(DEBIAN_CHROMIUM)
    return args
