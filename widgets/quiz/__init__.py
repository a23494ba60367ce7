"""Quiz: a short knowledge check with kind feedback on every answer picked.

A module page shows its check with ``Quiz("m03")``: the questions are data in
modules/quizzes/m03.yml, loaded and checked by course.quizzes (a test or a
notebook may pass ``questions=`` itself). The feedback travels in the widget
state, so quiz.js grades in the browser and works in the static book with no
kernel. With a kernel, Check asks the ``check`` action to grade again and keep
the last answers in the learner's store (record kind "quiz", key quiz_id), so
they show again next visit; the page asks ``refresh`` when it opens (Voila may
have run the notebook in a preheated kernel before the learner arrived).
"""
from __future__ import annotations

import traitlets as t

from course import validate
from course.quizzes import check_questions, load_quiz
from course.store import open_store
from widgets.base import SteadyWidget, action

NOT_SAVED = "Your answers were not saved:"
NOT_LOADED = "Your earlier answers could not be loaded:"
MAX_QUESTIONS = 1000
"""More questions than any quiz has: a saved count above it was not written by a quiz."""
UNREAD = "Some of your earlier answers could not be read. They are kept as they were until you check again."


def _count(value) -> bool:
    """A count a quiz keeps (attempts, questions matched): a whole number from 0 to a billion."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10 ** 9


def summary(matched: int, total: int) -> str:
    """The kind one-line result; quiz.js says the same."""
    if matched == total:
        return f"All {total} matched the course. Nice work."
    return f"{matched} of {total} matched the course. Feel free to look again."


def _fits(picked, question: dict) -> bool:
    """True when `picked` is a list of different option numbers of `question` (one at most: single choice)."""
    if not isinstance(picked, list):
        return False
    try:
        for i in picked:
            validate.whole(i, "An option number", 0, len(question["options"]) - 1)
    except ValueError:
        return False
    return len(set(picked)) == len(picked) and (question["multiple"] or len(picked) <= 1)


class Quiz(SteadyWidget):
    """A knowledge check: single choice (radio buttons) or multiple choice (checkboxes)."""

    JS = "quiz.js"
    CSS = "quiz.css"

    quiz_id = t.Unicode("", help="Name of this quiz in the learner's store and in modules/quizzes, e.g. 'm03'.").tag(
        sync=True)
    questions = t.List(t.Dict(), help="Questions with options, which are right, and feedback on each.").tag(sync=True)
    answers = t.Dict(help="Picked options: {question id: [option index, ...]}.").tag(sync=True)
    checked = t.Bool(False, help="True when `answers` were checked and feedback is showing.").tag(sync=True)
    attempts = t.Int(0, help="How many times the learner pressed Check (kept in the store).").tag(sync=True)

    def __init__(self, quiz_id: str = "", questions=None, **kwargs):
        """``Quiz("m03")`` reads modules/quizzes/m03.yml; ``questions=`` gives the questions directly."""
        quiz_id = validate.label(quiz_id, "The quiz id")
        questions = load_quiz(quiz_id) if questions is None else check_questions(questions)
        super().__init__(quiz_id=quiz_id, questions=questions, **kwargs)
        self.attempt(NOT_LOADED, self.refresh)

    @t.validate("questions")
    def _v_questions(self, proposal):
        return check_questions(proposal["value"])

    def _clean(self, answers, strict: bool = True) -> dict[str, list[int]]:
        """Answers limited to real questions and options; strict raises ValueError on anything else."""
        if not isinstance(answers, dict):
            raise ValueError("The answers must map question ids to lists of option numbers.")
        out = {}
        for q in self.questions:
            picked = answers.get(q["id"], [])
            ok = _fits(picked, q)
            if ok and picked:
                out[q["id"]] = sorted(picked)
            elif not ok and strict:
                raise ValueError(f"The answer to {q['id']!r} is not a choice of its options: {picked!r}.")
        unknown = sorted(map(str, set(answers) - {q["id"] for q in self.questions}))
        if strict and unknown:
            raise ValueError(f"There is no question {unknown[0]!r} in this quiz.")
        return out

    def grade(self, answers=None) -> dict[str, bool]:
        """{question id: True when the picked options are exactly the right ones}."""
        answers = self._clean(self.answers if answers is None else answers)
        return {q["id"]: answers.get(q["id"], []) == [i for i, o in enumerate(q["options"]) if o["correct"]]
                for q in self.questions}

    @action(failed=NOT_SAVED)
    def check(self, answers=None) -> str:
        """Grade, show feedback and keep the answers; returns the summary line.

        ValueError (answers that are not choices of the questions) or a store
        problem: nothing is kept, and the page's status line says why.
        """
        answers = self._clean(self.answers if answers is None else answers)
        result = self.grade(answers)
        matched, total = sum(result.values()), len(result)
        picked = {q["id"]: [q["options"][i]["text"] for i in answers.get(q["id"], [])] for q in self.questions}
        with open_store() as store:
            before = store.get_record("quiz", self.quiz_id)
            before = before.get("attempts") if isinstance(before, dict) else None
            attempts = (before if _count(before) else 0) + 1
            store.put_record("quiz", self.quiz_id, {
                "answers": answers, "picked": picked, "matched": matched, "total": total, "attempts": attempts})
        with self.hold_sync():
            self.answers, self.checked, self.attempts = answers, True, attempts
            self.report("Your answers are saved on this device, so you can see them next time.")
        return summary(matched, total)

    @action
    def clear(self) -> None:
        """"Try again": the page starts afresh; the saved answers stay in the store until the next Check."""
        with self.hold_sync():
            self.answers, self.checked = {}, False

    @action(failed=NOT_LOADED)
    def refresh(self) -> None:
        """Show the answers last kept in the store (the page asks again when it opens)."""
        with open_store() as store:
            record = store.get_record("quiz", self.quiz_id)
        if record is None:
            return
        data = record if isinstance(record, dict) else {}
        attempts, answers = data.get("attempts"), data.get("answers")
        with self.hold_sync():
            self.answers = self._clean(answers if isinstance(answers, dict) else {}, strict=False)
            self.attempts = attempts if _count(attempts) else 0
            self.checked = bool(self.answers)
            if not self._read_whole(record):  # the record stays as it is until the next Check
                self.report(UNREAD, error=True)

    def _read_whole(self, record) -> bool:
        """True when every part of a saved record is one this version writes, and was read."""
        if not isinstance(record, dict) or set(record) != {"answers", "picked", "matched", "total", "attempts"}:
            return False
        picked = record["picked"]
        return (isinstance(record["answers"], dict) and record["answers"] == self.answers
                and isinstance(picked, dict) and all(isinstance(p, list) and all(isinstance(x, str) for x in p)
                                                     for p in picked.values())
                and all(_count(record[k]) for k in ("matched", "total", "attempts"))
                and record["matched"] <= record["total"] <= MAX_QUESTIONS)


__all__ = ["Quiz", "check_questions", "load_quiz", "summary"]
