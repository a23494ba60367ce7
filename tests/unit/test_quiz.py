"""Quiz, Python side: question data and its files, grading, kind results, saved answers.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
import copy
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from course.quizzes import QUIZZES, QuizError, load_quiz, quiz_ids
from course.store import open_store
from tests.widgets import command
from widgets import Quiz
from widgets.quiz import check_questions, summary

text_st = st.text().filter(lambda s: s.strip())


def option(text, correct=False, feedback=None):
    return {"text": text, "correct": correct, "feedback": feedback or f"About {text}."}


QUESTIONS = [
    {"id": "pace", "text": "About how fast is resonance breathing?",
     "options": [option("About 6 breaths a minute", True), option("About 20 breaths a minute")]},
    {"id": "dizzy", "text": "You feel dizzy. What helps?", "multiple": True,
     "options": [option("Stop and breathe normally", True), option("Breathe faster"), option("Sit or lie down", True)]},
    {"id": "window", "text": "Two ways out of the window?",
     "options": [option("Too high or too low", True), option("Only anger"), option("Only sadness")]},
    {"id": "instead", "text": "Breath focus feels bad. Instead?", "multiple": True,
     "options": [option("Grounding", True), option("Push on")]},
]
ALL_RIGHT = {"pace": [0], "dizzy": [0, 2], "window": [0], "instead": [0]}


def quiz(questions=QUESTIONS, quiz_id="m03"):
    return Quiz(quiz_id=quiz_id, questions=copy.deepcopy(questions))


def record(quiz_id="m03"):
    with open_store() as store:
        return store.get_record("quiz", quiz_id)


def broken(change):
    questions = copy.deepcopy(QUESTIONS)
    change(questions)
    return questions


# -- the question data is checked, with clear messages -------------------------------

BAD_QUESTIONS = [
    ([], "at least one question"),
    ("not a list", "at least one question"),
    (broken(lambda q: q[1].update(id="pace")), "The id of question 2, 'pace', is used twice"),
    (broken(lambda q: q[0].update(id="  ")), "The id of question 1 is empty"),
    (broken(lambda q: q[0].update(id=None)), "The id of question 1 must be text"),
    (broken(lambda q: q[0].update(text="")), "The text of question 1 ('pace') is empty"),
    (broken(lambda q: q[0]["options"].pop()), "Question 1 ('pace') needs at least 2 options"),
    (broken(lambda q: q[2]["options"][0].update(correct=False)), "Question 3 ('window') has no correct option"),
    (broken(lambda q: q[0]["options"][1].update(correct=True)), "exactly one option must be correct, not 2"),
    (broken(lambda q: q[1]["options"][1].pop("feedback")), "The feedback of option b of question 2 ('dizzy') must be"),
    (broken(lambda q: q[1]["options"][2].update(feedback=" ")), "The feedback of option c of question 2 ('dizzy') is"),
    (broken(lambda q: q[0]["options"][0].update(correct="yes")), "option a of question 1 ('pace'), 'correct' must"),
    (broken(lambda q: q[0].update(multiple="no")), "In question 1 ('pace'), 'multiple' must be true or false"),
    (broken(lambda q: q[0]["options"][0].update(feedbak="typo")), "unknown fields ['feedbak']"),
    (broken(lambda q: q[0].update(hint="x")), "unknown fields ['hint']"),
    (broken(lambda q: q.append("a string")), "Question 5 must be a mapping of fields"),
]


@pytest.mark.parametrize("questions, message", BAD_QUESTIONS)
def test_bad_question_data_is_refused_with_a_clear_message(questions, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        check_questions(questions)
    with pytest.raises(ValueError, match=re.escape(message)):
        Quiz(quiz_id="m03", questions=questions)


def test_questions_set_later_are_checked_too():
    q = quiz()
    with pytest.raises(ValueError, match="no correct option"):
        q.questions = broken(lambda qs: qs[0]["options"][0].update(correct=False))
    assert q.questions[0]["id"] == "pace"


@pytest.mark.parametrize("quiz_id", ["", "  ", None, "q" * 81])
def test_bad_quiz_ids_are_refused(quiz_id):
    with pytest.raises(ValueError, match="quiz id"):
        Quiz(quiz_id=quiz_id, questions=QUESTIONS)


# -- a module's questions come from its file in modules/quizzes -------------------------

def write_quiz(folder, quiz_id, data) -> Path:
    path = folder / f"{quiz_id}.yml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_every_quiz_file_loads_and_a_module_page_shows_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Voila, the book and nbval each run from another folder
    assert {"m00", "m03", "m05", "m05-rewrite", "m09"} <= set(quiz_ids())
    for quiz_id in quiz_ids():
        assert len(load_quiz(quiz_id)) >= 4, quiz_id
    shown = Quiz("m03")
    assert shown.quiz_id == "m03" and shown.questions == load_quiz("m03")
    window = shown.questions[0]
    assert window["text"] == "What are the two ways you can leave your window of tolerance?"
    assert [o["correct"] for o in window["options"]] == [True, False, False]


def test_a_quiz_file_round_trips_exactly_what_the_writer_wrote(tmp_path):
    write_quiz(tmp_path, "m42", {"questions": QUESTIONS})
    assert load_quiz("m42", tmp_path) == check_questions(QUESTIONS)
    assert load_quiz("m42", tmp_path)[0]["options"][1] == option("About 20 breaths a minute")


@pytest.mark.parametrize("questions, message", [case for case in BAD_QUESTIONS if isinstance(case[0], list)])
def test_a_bad_quiz_file_names_the_file_and_the_question(tmp_path, questions, message):
    write_quiz(tmp_path, "m42", {"questions": questions})
    with pytest.raises(QuizError, match=re.escape(f"{tmp_path / 'm42.yml'}: ") + ".*" + re.escape(message)):
        load_quiz("m42", tmp_path)


@pytest.mark.parametrize("text, message", [
    ("questions: [unclosed\n", "is not valid YAML at line 2"),
    ("- id: a\n", "The file must be a mapping of fields"),
    ("title: A quiz\nquestions: []\n", "unknown fields ['title']"),
    ("{}\n", "The file has no 'questions' list"),
    ("questions:\n  - id: a\n    text: Yes or no?\n    options:\n      - text: Yes\n        correct: true\n"
     "        feedback: Right.\n      - text: No\n        correct: false\n        feedback: Not quite.\n",
     "The text of option a of question 1 ('a') must be text; got bool"),  # YAML reads a bare Yes as true
])
def test_a_malformed_quiz_file_is_refused_in_words(tmp_path, text, message):
    write_quiz(tmp_path, "m42", text)
    with pytest.raises(QuizError, match=re.escape(message)) as caught:
        load_quiz("m42", tmp_path)
    assert str(tmp_path / "m42.yml") in str(caught.value)


def test_a_missing_or_misnamed_quiz_is_refused_before_anything_shows(tmp_path):
    with pytest.raises(QuizError, match=re.escape("There is no quiz file modules/quizzes/m99.yml for the quiz 'm99'")):
        Quiz("m99")
    for bad in ("../m03", "M03", "m03.yml", "m 03"):
        with pytest.raises(QuizError, match="lowercase letters, digits and dashes"):
            Quiz(bad)
    assert QUIZZES.is_dir() and not (tmp_path / "m99.yml").exists()


def test_single_choice_defaults_and_plain_shape():
    [q] = check_questions([{"id": "a", "text": "t", "options": [option("x", True), option("y")]}])
    assert q == {"id": "a", "text": "t", "multiple": False, "options": [option("x", True), option("y")]}


# -- grading and the kind result line ----------------------------------------------

def test_grading_needs_exactly_the_right_options():
    q = quiz()
    assert all(q.grade(ALL_RIGHT).values())
    assert q.grade({**ALL_RIGHT, "dizzy": [0]})["dizzy"] is False      # a right one missed
    assert q.grade({**ALL_RIGHT, "dizzy": [0, 1, 2]})["dizzy"] is False  # a wrong one added
    assert q.grade({**ALL_RIGHT, "pace": [1]})["pace"] is False
    assert q.grade({"pace": [0]}) == {"pace": True, "dizzy": False, "window": False, "instead": False}


def test_results_are_kind_and_never_a_score():
    q = quiz()
    line = q.check({**ALL_RIGHT, "pace": [1]})
    assert line == "3 of 4 matched the course. Feel free to look again."
    assert q.check(ALL_RIGHT) == "All 4 matched the course. Nice work."
    for text in (line, summary(0, 4), q.status):
        assert "%" not in text and not re.search(r"fail|wrong|score", text, re.I)


def test_the_browser_says_the_same_result_lines_and_grades_the_same(tmp_path):
    """The page's own summary() and grade(), run in node, agree with Python's for every count and pick."""
    module = tmp_path / "quiz.mjs"
    module.write_text(Quiz._esm, encoding="utf-8")
    q = quiz()
    picks = [{}, ALL_RIGHT, {**ALL_RIGHT, "dizzy": [0]}, {**ALL_RIGHT, "dizzy": [0, 1, 2]}, {"pace": [1]}]
    script = (f"const m = await import({json.dumps(module.as_uri())});\n"
              f"const questions = {json.dumps(q.questions)};\n"
              f"const picks = {json.dumps(picks)};\n"
              "const lines = [];\n"
              "for (let total = 1; total <= 6; total++)\n"
              "  for (let n = 0; n <= total; n++) lines.push(m.summary(n, total));\n"
              "const graded = picks.map((p) => Object.fromEntries(questions.map((q) => "
              "[q.id, m.grade(q, new Set(p[q.id] || [])).matched])));\n"
              "console.log(JSON.stringify({lines, graded}));")
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-1500:]
    page = json.loads(done.stdout)
    assert page["lines"] == [summary(n, total) for total in range(1, 7) for n in range(total + 1)]
    assert page["graded"] == [q.grade(p) for p in picks]


# -- saving and reloading -------------------------------------------------------------

def test_check_keeps_the_answers_and_counts_attempts():
    q = quiz()
    q.check({"pace": [1]})
    q.check({**ALL_RIGHT, "dizzy": [2, 0]})
    data = record()
    assert data["answers"] == ALL_RIGHT and data["attempts"] == 2
    assert data["matched"] == 4 and data["total"] == 4
    assert data["picked"]["dizzy"] == ["Stop and breathe normally", "Sit or lie down"]
    assert q.answers == ALL_RIGHT and q.checked and q.attempts == 2
    assert "saved on this device" in q.status and not q.error


def test_the_last_answers_show_again_on_the_next_visit():
    quiz().check({"pace": [1], "dizzy": [0]})
    again = quiz()
    assert again.answers == {"pace": [1], "dizzy": [0]}
    assert again.checked and again.attempts == 1
    assert quiz(quiz_id="m00").answers == {}  # another quiz starts empty


def test_a_page_opened_later_loads_the_latest_answers_and_counts_every_attempt():
    preheated = quiz()  # Voila ran the cell before the learner arrived
    quiz().check({"pace": [0]})
    assert command(preheated, "refresh") == {"ok": True, "value": None}
    assert preheated.answers == {"pace": [0]} and preheated.checked and preheated.attempts == 1
    stale = quiz()
    quiz().check({"pace": [1]})
    stale.check({"pace": [0]})  # two tabs: attempts come from the store, not from this widget
    assert record()["attempts"] == 3 and stale.attempts == 3


def test_saved_answers_that_no_longer_fit_the_questions_are_dropped():
    with open_store() as store:
        store.put_record("quiz", "m03", {"answers": {"pace": [9], "dizzy": [0, 2], "gone": [0]}, "attempts": "x"})
    q = quiz()
    assert q.answers == {"dizzy": [0, 2]} and q.attempts == 0


@pytest.mark.parametrize("answers, message", [
    ({"pace": [0, 1]}, "not a choice"),          # two picks on a single-choice question
    ({"pace": [5]}, "not a choice"),
    ({"pace": "0"}, "not a choice"),
    ({"pace": [True]}, "not a choice"),
    ({"dizzy": [0, 0]}, "not a choice"),
    ({"nope": [0]}, "no question 'nope'"),
    (["pace"], "must map question ids"),
])
def test_bad_answers_are_reported_and_not_saved(answers, message):
    q = quiz()
    reply = command(q, "check", answers=answers)
    assert not reply["ok"] and reply["error"].startswith("Your answers were not saved:") and message in reply["error"]
    assert q.error and q.status == reply["error"] and record() is None and q.attempts == 0
    with pytest.raises(ValueError, match=message):  # the same method, called from a notebook
        q.check(answers)


def test_check_requests_from_the_browser_save_and_are_answered():
    q = quiz()
    reply = command(q, "check", answers={"pace": [0]})
    assert reply == {"ok": True, "value": "1 of 4 matched the course. Feel free to look again."}
    assert record()["answers"] == {"pace": [0]} and q.checked and "saved on this device" in q.status
    assert command(q, "clear") == {"ok": True, "value": None}
    assert q.answers == {} and not q.checked
    assert record()["answers"] == {"pace": [0]}  # "Try again" does not erase the saved answers
    assert not command(q, "grade", answers={})["ok"]  # only actions can be asked for by the page


def test_a_store_problem_is_shown_in_plain_words(steady_ground_home):
    (steady_ground_home / "steady-ground.sqlite3").write_bytes(b"not a database" * 100)
    q = quiz()
    assert q.error and q.status.startswith("Your earlier answers could not be loaded:")
    reply = command(q, "check", answers=ALL_RIGHT)
    assert not reply["ok"] and q.error and q.status.startswith("Your answers were not saved:") and "damaged" in q.status
    assert not command(q, "refresh")["ok"] and "could not be loaded" in q.status


# -- odd text round-trips exactly --------------------------------------------------------
@given(quiz_id=st.text(min_size=1, max_size=80).filter(str.strip), right=text_st, other=text_st, question=text_st,
       qid=st.text(min_size=1, max_size=80).filter(str.strip))
def test_any_text_round_trips_into_the_record(quiz_id, right, other, question, qid):
    questions = [{"id": qid, "text": question, "multiple": True,
                  "options": [option(right, True, feedback=other), option(other, feedback=right)]}]
    q = Quiz(quiz_id=quiz_id, questions=questions)
    assert q.questions == questions
    q.check({qid: [0, 1]})
    data = record(quiz_id)
    assert data["picked"] == {qid: [right, other]} and data["answers"] == {qid: [0, 1]}
    assert Quiz(quiz_id=quiz_id, questions=questions).answers == {qid: [0, 1]}
