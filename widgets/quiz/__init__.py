"""Quiz: a short knowledge check with kind feedback on every answer picked.

Questions are plain data written in the notebook and checked here. The
feedback travels in the widget state, so quiz.js grades in the browser and
works in the static book with no kernel. With a kernel, the browser sends
{"type": "check", "answers": {question id: [option index, ...]}}; Python
answers {"type": "done"} after it grades again and keeps the last answers in the learner's store
(record kind "quiz", key quiz_id), so they show again next visit. When the
page opens, the browser sends {"type": "load"} to fetch them afresh (Voila may
have run the notebook in a preheated kernel before the learner arrived).
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets as t

from course.store import MAX_LABEL, StoreError, open_store
from widgets.esm import esm

HERE = Path(__file__).parent
THEME = HERE.parent / "theme.css"
QUESTION_KEYS = {"id", "text", "options", "multiple"}
OPTION_KEYS = {"text", "correct", "feedback"}


def _words(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be some text; got {value!r}.")
    return value


def _keys(item, allowed: set[str], what: str) -> None:
    if not isinstance(item, dict):
        raise ValueError(f"{what} must be a dict; got {type(item).__name__}.")
    extra = set(item) - allowed
    if extra:
        raise ValueError(f"{what} has unknown fields {sorted(extra)}; use only {sorted(allowed)}.")


def check_questions(questions) -> list[dict]:
    """The questions, checked and in a plain shape; ValueError says what is wrong."""
    if not isinstance(questions, (list, tuple)) or not questions:
        raise ValueError("A quiz needs a list of at least one question.")
    seen: set[str] = set()
    out = []
    for number, q in enumerate(questions, 1):
        where = f"Question {number}"
        _keys(q, QUESTION_KEYS, where)
        qid = _words(q.get("id"), f"{where}'s id")
        if qid in seen:
            raise ValueError(f"{where}'s id {qid!r} is used twice; each question needs its own id.")
        seen.add(qid)
        text = _words(q.get("text"), f"{where}'s text")
        multiple = q.get("multiple", False)
        if not isinstance(multiple, bool):
            raise ValueError(f"{where}: 'multiple' must be True or False; got {multiple!r}.")
        options = q.get("options")
        if not isinstance(options, (list, tuple)) or len(options) < 2:
            raise ValueError(f"{where} needs at least 2 options.")
        clean = []
        for letter, o in zip("abcdefghijklmnopqrstuvwxyz", options):
            what = f"{where}, option {letter}"
            _keys(o, OPTION_KEYS, what)
            if not isinstance(o.get("correct"), bool):
                raise ValueError(f"{what}: 'correct' must be True or False; got {o.get('correct')!r}.")
            clean.append({"text": _words(o.get("text"), f"{what}'s text"), "correct": o["correct"],
                          "feedback": _words(o.get("feedback"), f"{what}'s feedback")})
        if len(options) > len(clean):
            raise ValueError(f"{where} has more than {len(clean)} options.")
        right = sum(o["correct"] for o in clean)
        if right == 0:
            raise ValueError(f"{where} has no correct option; mark at least one with correct=True.")
        if not multiple and right != 1:
            raise ValueError(f"{where} is single choice, so exactly one option must be correct, "
                             f"not {right}. Or set multiple=True.")
        out.append({"id": qid, "text": text, "multiple": multiple, "options": clean})
    return out


def summary(matched: int, total: int) -> str:
    """The kind one-line result; quiz.js says the same."""
    if matched == total:
        return f"All {total} matched the course. Nice work."
    return f"{matched} of {total} matched the course. Feel free to look again."


class Quiz(anywidget.AnyWidget):
    """A knowledge check: single choice (radio buttons) or multiple choice (checkboxes)."""

    _esm = esm(HERE / "quiz.js")
    _css = THEME.read_text(encoding="utf-8") + (HERE / "quiz.css").read_text(encoding="utf-8")

    quiz_id = t.Unicode("", help="Name of this quiz in the learner's store, e.g. 'm03'.").tag(sync=True)
    questions = t.List(t.Dict(), help="Questions with options, which are right, and feedback on each.").tag(sync=True)
    answers = t.Dict(help="Picked options: {question id: [option index, ...]}.").tag(sync=True)
    checked = t.Bool(False, help="True when `answers` were checked and feedback is showing.").tag(sync=True)
    attempts = t.Int(0, help="How many times the learner pressed Check (kept in the store).").tag(sync=True)
    status = t.Unicode("", help="Result of the last save, in plain words.").tag(sync=True)
    error = t.Bool(False, help="True when status reports a problem.").tag(sync=True)

    def __init__(self, quiz_id: str = "", questions=(), **kwargs):
        if not isinstance(quiz_id, str) or not quiz_id.strip() or len(quiz_id) > MAX_LABEL:
            raise ValueError(f"The quiz id must be short text such as 'm03'; got {quiz_id!r}.")
        super().__init__(quiz_id=quiz_id, questions=check_questions(questions), **kwargs)
        self.on_msg(self._on_msg)
        self.load()

    @t.validate("questions")
    def _v_questions(self, proposal):
        return check_questions(proposal["value"])

    def _report(self, message: str, error: bool = False) -> None:
        self.error = error
        self.status = message

    def _clean(self, answers, strict: bool = True) -> dict[str, list[int]]:
        """Answers limited to real questions and options; strict raises ValueError on anything else."""
        if not isinstance(answers, dict):
            raise ValueError("The answers must map question ids to lists of option numbers.")
        out = {}
        for q in self.questions:
            picked = answers.get(q["id"], [])
            ok = isinstance(picked, list) and all(
                isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(q["options"]) for i in picked)
            ok = ok and len(set(picked)) == len(picked) and (q["multiple"] or len(picked) <= 1)
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

    def check(self, answers=None) -> str | None:
        """Grade, show feedback and keep the answers; returns the summary line, or None."""
        try:
            answers = self._clean(self.answers if answers is None else answers)
            result = self.grade(answers)
            matched, total = sum(result.values()), len(result)
            picked = {q["id"]: [q["options"][i]["text"] for i in answers.get(q["id"], [])] for q in self.questions}
            with open_store() as store:
                before = (store.get_record("quiz", self.quiz_id) or {}).get("attempts")
                attempts = (before if isinstance(before, int) and before >= 0 else 0) + 1
                store.put_record("quiz", self.quiz_id, {
                    "answers": answers, "picked": picked, "matched": matched, "total": total,
                    "attempts": attempts})
        except (StoreError, ValueError) as exc:
            self._report(f"Your answers were not saved: {exc}", error=True)
            return None
        with self.hold_trait_notifications():
            self.answers, self.checked, self.attempts = answers, True, attempts
        self._report("Your answers are saved on this device, so you can see them next time.")
        return summary(matched, total)

    def load(self) -> None:
        """Show the answers last kept in the store (the browser asks again when the page opens)."""
        try:
            with open_store() as store:
                data = store.get_record("quiz", self.quiz_id)
        except (StoreError, ValueError) as exc:
            self._report(f"Your earlier answers could not be loaded: {exc}", error=True)
            return
        if not data:
            return
        attempts, answers = data.get("attempts"), data.get("answers")
        with self.hold_trait_notifications():
            self.answers = self._clean(answers if isinstance(answers, dict) else {}, strict=False)
            self.attempts = attempts if isinstance(attempts, int) and attempts >= 0 else 0
            self.checked = bool(self.answers)

    def _on_msg(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict):
            return
        try:
            if content.get("type") == "check":
                self.check(content.get("answers"))
                self.send({"type": "done"})
            elif content.get("type") == "load":  # a preheated kernel may have run this cell long ago
                self.load()
            elif content.get("type") == "clear":
                self.answers, self.checked = {}, False
        except Exception as exc:  # a bug, not bad input: show it, log it, keep the kernel alive
            self.log.exception("Quiz could not handle a message")
            self._report(f"Not saved (unexpected error): {exc}", error=True)


__all__ = ["Quiz", "check_questions", "summary"]
