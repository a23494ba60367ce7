"""CONTRIBUTING.md's walk-through builds a real widget: build it from the file and use it.

If the base changes so that the example no longer works as written, this
fails, and the guide gets fixed with the code.
"""
from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import textwrap

import pytest

from course import ROOT
from tests.widgets import command

GUIDE = ROOT / "CONTRIBUTING.md"
TSC = ROOT / "node_modules" / ".bin" / "tsc"
_BLOCK = re.compile(r"`widgets/pause_word/(?P<name>[\w.]+)`:\n\n```\w+\n(?P<code>.*?)\n```", re.S)
_TEST = re.compile(r"```python\n(?P<code>(?:   .*\n|\n)*?)\s*```", re.M)


def _files() -> dict[str, str]:
    files = {m["name"]: m["code"] + "\n" for m in _BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))}
    assert set(files) == {"__init__.py", "pause_word.js", "pause_word.css"}, "the walk-through lost a file"
    return files


@pytest.fixture
def pause_word(tmp_path, monkeypatch):
    """The example widget's package, written from the guide into a temporary folder and imported."""
    package = tmp_path / "pause_word"
    package.mkdir()
    for name, code in _files().items():
        (package / name).write_text(code, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("pause_word", None)
    module = importlib.import_module("pause_word")
    monkeypatch.setitem(sys.modules, "widgets.pause_word", module)  # where the guide puts it
    yield module
    sys.modules.pop("pause_word", None)


def test_the_example_widget_saves_a_word_and_keeps_it(pause_word):
    widget = pause_word.PauseWord()
    assert command(widget, "save", word="Pineapple") == {"ok": True, "value": None}
    assert widget.word == "Pineapple" and not widget.error
    assert "kept on this device only" in widget.status
    assert pause_word.PauseWord().word == "Pineapple"  # a new page reads it back


def test_the_example_widget_refuses_bad_input_in_words(pause_word):
    widget = pause_word.PauseWord()
    reply = command(widget, "save", word="x" * 41)
    assert reply["ok"] is False and reply["error"].startswith("Not saved: Your pause word is too long")
    assert command(widget, "delete_everything")["ok"] is False
    assert widget.word == ""


def test_the_guides_own_unit_test_passes(pause_word):
    """The test the guide shows, run as written."""
    blocks = [textwrap.dedent(m["code"]) for m in _TEST.finditer(GUIDE.read_text(encoding="utf-8"))]
    test_code = next(code for code in blocks if "def test_" in code)
    scope: dict = {}
    exec(compile(test_code, "CONTRIBUTING.md", "exec"), scope)  # noqa: S102 (our own guide)
    tests = [fn for name, fn in scope.items() if name.startswith("test_")]
    assert tests
    for test in tests:
        test()


def test_the_example_front_end_has_the_shared_helpers_and_type_checks(pause_word, tmp_path):
    esm = pause_word.PauseWord._esm
    assert esm.count("function statusLine(") == 1 and esm.rstrip().endswith("export default { render };")
    assert TSC.exists(), "node_modules is missing: run `make typecheck` (make test does it first)"
    config = tmp_path / "jsconfig.json"
    base = json.loads((ROOT / "jsconfig.json").read_text(encoding="utf-8"))
    base["include"] = [str(ROOT / "widgets" / "lib" / "*.js"), str(tmp_path / "pause_word" / "*.js")]
    config.write_text(json.dumps(base), encoding="utf-8")
    result = subprocess.run([str(TSC), "-p", str(config)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
