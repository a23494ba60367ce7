"""Every ready module has what a learner needs, checked from the notebook's structure."""
import textwrap

import pytest

from course import module_check
from course.module_check import check_module, prose, reading_grade
from course.syllabus import load_syllabus

READY = load_syllabus().ready()


@pytest.mark.parametrize("module", READY, ids=[m.id for m in READY])
def test_ready_module_is_complete(module):
    report = check_module(module)
    assert report.problems == []
    assert report.grade <= 8.0


def test_readability_ignores_code_headings_and_sources():
    text = "# A Very Long Heading With Extraordinarily Complicated Terminology\n\nYou can rest.\n\n" \
           "```{code-cell} ipython3\nExtraordinarily_complicated_function_name()\n```\n\n" \
           "## Sources\n\n- Interdisciplinary, Q. (2001). Neurophysiological considerations. *Journal*.\n"
    assert prose(text) == "You can rest."
    assert reading_grade("You can rest. Take a slow breath.") < 3


def test_a_module_missing_its_parts_is_caught(tmp_path, monkeypatch):
    module = READY[0]
    broken = textwrap.dedent(f"""\
        ---
        jupytext:
          text_representation:
            extension: .md
            format_name: myst
        kernelspec:
          display_name: Python 3
          language: python
          name: python3
        ---

        ```{{code-cell}} ipython3
        from widgets import TransparencyPlan, Quiz
        TransparencyPlan()
        Quiz(quiz_id="x", questions=[{{"id": "a", "text": "?", "options": [{{"text": "y", "correct": True, "feedback": ""}}]}}])
        ```

        # {module.title}

        ## What you will learn

        - Something else entirely.

        ## Sources

        - A book without a year.
        """)
    (tmp_path / module.file).write_text(broken, encoding="utf-8")
    monkeypatch.setattr(module_check, "MODULES", tmp_path)
    problems = "\n".join(check_module(module).problems)
    for expected in ("SafetyBar", "remove-input", "objectives word for word", "time line", "at least 4",
                     "without feedback", "Journal", "When to get more help", "author and (year)",
                     "SafetyCheck must come before"):
        assert expected in problems
