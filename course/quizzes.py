"""Knowledge checks as data: modules/quizzes/<quiz id>.yml, loaded and checked.

A module page shows its check with ``Quiz("m03")``; the questions live in
modules/quizzes/m03.yml, next to the modules, so a writer edits words, not
code. The file::

    questions:
      - id: window            # short, its own within the quiz (answers are kept by it)
        text: What are the two ways you can leave your window of tolerance?
        multiple: true        # optional: more than one option fits (check boxes); default false
        options:              # 2 or more
          - text: Too high or too low
            correct: true     # single choice: exactly one; multiple: at least one
            feedback: Both are your body trying to protect you.

The file is found from the project's ROOT, never the working directory: Voila
runs the notebooks from build/notebooks, the book from build/book/src, nbval
and JupyterLab from wherever they are started. A problem raises QuizError
naming the file and the question. course.module_check adds the course's own
rule on top: a module's check has MIN_QUESTIONS or more.
"""
from __future__ import annotations

import re
from pathlib import Path

from course import MODULES, ROOT, validate

QUIZZES = MODULES / "quizzes"
"""One YAML file per quiz, named by its quiz id."""
MIN_QUESTIONS = 4
"""course.module_check: a module's knowledge check has at least this many questions."""
QUIZ_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A quiz id that names a file: lowercase letters, digits and dashes, e.g. 'm05-rewrite'."""
FILE_KEYS = {"questions"}
QUESTION_KEYS = {"id", "text", "options", "multiple"}
OPTION_KEYS = {"text", "correct", "feedback"}


class QuizError(ValueError):
    """A quiz file is missing or malformed; the message names the file and the question."""


def _keys(item, allowed: set[str], what: str) -> None:
    if not isinstance(item, dict):
        raise ValueError(f"{what} must be a mapping of fields; got {type(item).__name__}.")
    extra = set(item) - allowed
    if extra:
        raise ValueError(f"{what} has unknown fields {sorted(map(str, extra))}; use only {sorted(allowed)}.")


def _first_up(words: str) -> str:
    """The words starting a sentence (str.capitalize would lower the rest, ids included)."""
    return words[:1].upper() + words[1:]


def _yes_no(value, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{what} must be true or false; got {value!r}.")
    return value


def check_questions(questions) -> list[dict]:
    """The questions, checked and in a plain shape; ValueError says which question is wrong and how."""
    if not isinstance(questions, (list, tuple)) or not questions:
        raise ValueError("A quiz needs a list of at least one question.")
    seen: set[str] = set()
    out = []
    for number, q in enumerate(questions, 1):
        _keys(q, QUESTION_KEYS, f"Question {number}")
        qid = validate.label(q.get("id"), f"The id of question {number}")
        if qid in seen:
            raise ValueError(f"The id of question {number}, {qid!r}, is used twice; each question needs its own id.")
        seen.add(qid)
        where = f"question {number} ({qid!r})"
        text = validate.words(q.get("text"), f"The text of {where}")
        multiple = _yes_no(q.get("multiple", False), f"In {where}, 'multiple'")
        options = q.get("options")
        if not isinstance(options, (list, tuple)) or len(options) < 2:
            raise ValueError(f"{_first_up(where)} needs at least 2 options.")
        if len(options) > 26:
            raise ValueError(f"{_first_up(where)} has {len(options)} options; at most 26 (a to z).")
        clean = []
        for letter, o in zip("abcdefghijklmnopqrstuvwxyz"[:len(options)], options, strict=True):
            what = f"option {letter} of {where}"
            _keys(o, OPTION_KEYS, _first_up(what))
            clean.append({"text": validate.words(o.get("text"), f"The text of {what}"),
                          "correct": _yes_no(o.get("correct"), f"In {what}, 'correct'"),
                          "feedback": validate.words(o.get("feedback"), f"The feedback of {what}")})
        right = sum(o["correct"] for o in clean)
        if right == 0:
            raise ValueError(f"{_first_up(where)} has no correct option; mark at least one with correct: true.")
        if not multiple and right != 1:
            raise ValueError(f"{_first_up(where)} is single choice, so exactly one option must be correct, "
                             f"not {right}. Or set multiple: true.")
        out.append({"id": qid, "text": text, "multiple": multiple, "options": clean})
    return out


def quiz_path(quiz_id: str, folder: Path | None = None) -> Path:
    """The file of a quiz: <folder>/<quiz id>.yml (folder: modules/quizzes)."""
    if not isinstance(quiz_id, str) or not QUIZ_ID.fullmatch(quiz_id) or len(quiz_id) > validate.MAX_LABEL:
        raise QuizError(f"A quiz id names its file in modules/quizzes, so it must be lowercase letters, digits "
                        f"and dashes, such as 'm03' or 'm05-rewrite'; got {quiz_id!r}.")
    return (QUIZZES if folder is None else Path(folder)) / f"{quiz_id}.yml"


def _shown(path: Path) -> str:
    """The path as a writer finds it: relative to the project when it is inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def load_quiz(quiz_id: str, folder: Path | None = None) -> list[dict]:
    """The checked questions of a quiz, read from its file; QuizError names the file and the question."""
    path = quiz_path(quiz_id, folder)
    shown = _shown(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QuizError(f"There is no quiz file {shown} for the quiz {quiz_id!r}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QuizError(f"The quiz file {shown} cannot be read: {exc}") from None
    try:
        data = validate.yaml_data(source)
    except ValueError as exc:
        raise QuizError(f"The quiz file {shown} is {exc}.") from None
    try:
        _keys(data, FILE_KEYS, "The file")
        if "questions" not in data:
            raise ValueError("The file has no 'questions' list.")
        return check_questions(data["questions"])
    except ValueError as exc:
        raise QuizError(f"{shown}: {exc}") from None


def quiz_ids(folder: Path | None = None) -> list[str]:
    """Every quiz that has a file, by id."""
    return sorted(p.stem for p in (QUIZZES if folder is None else Path(folder)).glob("*.yml"))


__all__ = ["MIN_QUESTIONS", "QUIZZES", "QuizError", "check_questions", "load_quiz", "quiz_ids", "quiz_path"]
