"""Lean kernels (issue 9): a page's kernel loads pandas, matplotlib and numpy only when it has something to draw.

Each check runs in a fresh Python process, as a page's kernel is one, and
reads which of those libraries ended up in ``sys.modules``. The memory they
cost is measured by bench/kernels.py, not here.
"""
import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys

import jupytext
import pytest

from course import MODULES
from widgets import response_models as rm

HEAVY = ("pandas", "matplotlib", "numpy")
LOADED = f"loaded = lambda: sorted(m for m in {HEAVY!r} if m in sys.modules)\n"


def run(code: str, home, *args: str, stdin: str = "") -> list[str]:
    """Run ``code`` in a fresh Python with the learner folder ``home``; its output lines."""
    env = {**os.environ, "STEADY_GROUND_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


PAGE = LOADED + """
import json, sys
from pathlib import Path

from IPython.core.interactiveshell import InteractiveShell

import widgets.response_models as rm

rm.CACHE = Path(sys.argv[1])
shell = InteractiveShell.instance()
shown = []
for code in json.load(sys.stdin):  # as Voila runs the page: each cell, its last value displayed
    result = shell.run_cell(code, store_history=False)
    result.raise_error()
    if result.result is not None:
        shown.append(shell.display_formatter.format(result.result)[0].get("text/html", ""))
print(json.dumps({"loaded": loaded(), "shown": shown}))
"""


def figures_shown(page_html: list[str]) -> list[tuple[str, str]]:
    """(alt text, sha256 of the PNG) of every <figure> the page showed."""
    found = []
    for part in page_html:
        for data, alt in re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"', part):
            found.append((html.unescape(alt), hashlib.sha256(base64.b64decode(data)).hexdigest()))
    return found


def test_module_2_shows_its_figures_without_loading_matplotlib(tmp_path, steady_ground_home):
    """The whole page, as a learner opens it: the figures come from the cache; nothing is ticked yet,
    so the brakes explorer draws no chart either."""
    cache = tmp_path / "figures"
    rm.prerender(cache)
    page = jupytext.read(MODULES / "02-how-sexual-response-works.md")
    cells = [cell.source for cell in page.cells if cell.cell_type == "code"]
    out = json.loads(run(PAGE, steady_ground_home, str(cache), stdin=json.dumps(cells))[-1])
    assert out["loaded"] == []
    expected = [(figure.alt, hashlib.sha256(rm.cached(figure.drawing, cache)).hexdigest())
                for figure in (rm.four_phase_figure(), rm.kaplan_figure(), rm.basson_figure(),
                               rm.concordance_figure())]
    assert figures_shown(out["shown"]) == expected


def test_module_2_without_a_cache_still_shows_every_figure(tmp_path, steady_ground_home):
    page = jupytext.read(MODULES / "02-how-sexual-response-works.md")
    cells = [cell.source for cell in page.cells if cell.cell_type == "code" and "_figure" in cell.source]
    out = json.loads(run(PAGE, steady_ground_home, str(tmp_path / "none"), stdin=json.dumps(cells))[-1])
    alts = [alt for alt, _ in figures_shown(out["shown"])]
    assert alts == [rm.four_phase_figure().alt, rm.kaplan_figure().alt, rm.basson_figure().alt,
                    rm.concordance_figure().alt]
    assert "matplotlib" in out["loaded"]  # drawn on the spot, as before the cache


@pytest.mark.parametrize("add, drawn", [
    ("s.add_checkin('calm', 6)", "Calm ratings"),
    ("s.add_practice('breathing', 'resonance', datetime.now(UTC), 600, 60)", "Practice minutes per week: 0"),
])
def test_progress_review_loads_pandas_only_when_there_is_something_to_show(steady_ground_home, add, drawn):
    code = LOADED + f"""
from datetime import UTC, datetime

from course.store import open_store
from widgets import ProgressReview, SafetyBar
from widgets.progress import EMPTY

w = ProgressReview(weeks=8)
print(loaded(), w.empty, w.summary == w.chart_alt == EMPTY, w.chart_png == "", w.table)
w.weeks = 4
w.refresh()
print(loaded(), w.empty, w.status)
with open_store() as s:
    {add}
w.refresh()
print(loaded(), w.empty, {drawn!r} in w.chart_alt, base64.b64decode(w.chart_png)[:4] == b"\\x89PNG")
"""
    out = run("import base64, sys\n" + code, steady_ground_home)
    assert out == ["[] True True True {'head': [], 'rows': []}",
                   "[] True Up to date.",
                   "['matplotlib', 'numpy', 'pandas'] False True True"]


def test_the_brakes_explorer_draws_with_matplotlib_alone_and_only_once_something_is_ticked(steady_ground_home):
    code = LOADED + """
from widgets import BrakesAndAccelerators

w = BrakesAndAccelerators()
w.add("brake", "Stress", 2)
print(loaded(), w.chart_png == "")
w.set_present("Stress", True)
print(loaded(), w.chart_png != "")
"""
    assert run("import sys\n" + code, steady_ground_home) == ["[] True", "['matplotlib', 'numpy'] True"]
