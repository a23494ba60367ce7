"""Modules 4 and 8 (issue 11): answering questions about the affair, the written exercises, the worksheet.

What a learner sees and keeps: each private writing exercise in module 8 keeps its notes apart
from the others, so a note in one (an impact letter, say) is never listed under another (the
worksheet, or the module's Reflect box). That the question talk and the aftermath talk sit behind
the check for two is checked with the other couples parts in test_modules.py.
"""
import ast
import re

import jupytext

from course import MODULES
from course.store import open_store
from course.syllabus import load_syllabus
from tests.widgets import command
from widgets.journal import Journal

FILES = {m.id: m.file for m in load_syllabus().modules}


def cells(module_id: str):
    return jupytext.read(MODULES / FILES[module_id]).cells


def journal_calls(module_id: str) -> list[dict]:
    """The keyword arguments of each Journal(...) shown on the module's page, in page order."""
    found = []
    for cell in cells(module_id):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Journal":
                found.append({k.arg: ast.literal_eval(k.value) for k in node.keywords})
    return found


def test_the_solo_notes_on_questions_are_open_to_everyone():
    solo = [c for c in cells("m04") if c.cell_type == "markdown" and "### If you are on your own" in c.source
            and "every answer" in c.source]
    assert solo and "couples" not in solo[0].metadata.get("tags", [])


def test_each_writing_exercise_of_module_8_keeps_its_notes_apart():
    shown = [Journal(**kwargs) for kwargs in journal_calls("m08")]
    assert len(shown) == 4, "impact letter, contributing factors, the worksheet and Reflect"
    assert len({j.module for j in shown}) == len(shown)
    letter = next(j for j in shown if any("my body" in p for p in j.prompts))
    worksheet = next(j for j in shown if any("fear about leaving" in p for p in j.prompts))
    assert command(letter, "keep_entry", slot=0, text="Most days I feel numb.")["ok"]
    assert command(worksheet, "keep_entry", slot=0, text="My children, and my peace.")["ok"]
    for journal in shown:
        command(journal, "refresh")
    listed = {j.module: [e["text"] for e in j.entries] for j in shown}
    assert listed[letter.module] == ["Most days I feel numb."]
    assert listed[worksheet.module] == ["My children, and my peace."]
    assert all(not texts for module, texts in listed.items() if module not in (letter.module, worksheet.module))


def test_the_worksheet_is_for_one_person_and_asks_for_no_names():
    worksheet = next(kw for kw in journal_calls("m08") if any("fear about staying" in p for p in kw["prompts"]))
    assert not any(re.search(r"\bname\b", p, flags=re.I) for p in worksheet["prompts"])


def test_the_private_writing_of_module_8_is_kept_only_when_the_writer_chooses():
    """H2 of the clinical review: on a shared device, a found worksheet on leaving can put the writer at risk."""
    shown = {j.module: j for j in (Journal(**kwargs) for kwargs in journal_calls("m08"))}
    private = [j for j in shown.values() if any(w in " ".join(j.prompts) for w in ("fear about staying", "my body",
                                                                                 "cross the line"))]
    assert len(private) == 3, "the worksheet, the impact letter and the account of contributing factors"
    for journal in private:
        for slot in range(len(journal.prompts)):
            assert not command(journal, "save_draft", slot=slot, text="What I fear about staying.")["ok"]
    with open_store() as store:
        assert store.journal_entries() == []
    [reflect] = [j for j in shown.values() if j not in private]
    assert command(reflect, "save_draft", slot=0, text="A new chapter.")["ok"]  # Reflect still saves as you type
    with open_store() as store:
        assert [e["text"] for e in store.journal_entries()] == ["A new chapter."]
