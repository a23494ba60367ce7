"""A notebook saved with its widget state (as JupyterLab can) carries nothing of the check for two."""
import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course.gate import CLOSED_TEXT, OPEN_TEXT, UNCHECKED_TEXT

PLAY = '''
from tests.gates import CLEAR, take_check
take_check({**CLEAR, "afraid": "sometimes", "harmed": "not-sure"}, CLEAR);  # partner A worried, partner B clear
'''


def test_saved_widget_state_and_outputs_hold_no_result(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "from widgets import SafetyCheck\nSafetyCheck()",
        'from widgets import ConsentList, ReconnectionLadder, TransparencyPlan\n'
        'ConsentList(items=["Holding hands"])',
        'ReconnectionLadder(partners=("Sam", "Alex"))',
        'TransparencyPlan(partners=("Sam", "Alex"))',
        PLAY,
        'from tests.widgets import command\n'
        'ladder = ReconnectionLadder(partners=("Sam", "Alex"))\n'
        'command(ladder, "add_step", text="A walk")  # a click while closed\n'
        'command(ConsentList(items=["Kissing"]), "start")  # and another\n'
        'command(SafetyCheck(), "start")  # refused: closed for this sitting\n'
        'ladder',
    )]
    root = str(Path(__file__).resolve().parents[2])          # the kernel runs here, so `tests` imports
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": root}}).execute()
    saved = tmp_path / "saved.ipynb"
    nbformat.write(nb, saved)
    again = nbformat.read(saved, as_version=4)
    state = again.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert len(state) >= 5                                   # the widgets' state really was saved
    values = [{k: v for k, v in w["state"].items() if k not in ("_esm", "_css")} for w in state.values()]
    text = json.dumps(values) + json.dumps([c.get("outputs", []) for c in again.cells])
    for word in (CLOSED_TEXT, OPEN_TEXT, UNCHECKED_TEXT, "concern", "gate_state", "blocked", "couples-gate",
                 "closed", "unchecked"):
        assert word not in text, word
