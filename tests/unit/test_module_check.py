"""course.module_check's couples rule (every couples part sits behind the check for two) and quiz rules."""
import ast

import nbformat
import yaml

from course import module_check
from course.module_check import couples_problems, couples_widgets, quiz_id
from course.syllabus import load_syllabus


def md(text, couples=False):
    cell = nbformat.v4.new_markdown_cell(text)
    if couples:
        cell.metadata["tags"] = ["couples"]
    return cell


def code(text):
    return nbformat.v4.new_code_cell(text)


CHECK = code("from widgets import SafetyCheck\nSafetyCheck()")


def test_the_widget_classes_say_which_are_couples_exercises():
    assert couples_widgets() == {"ConsentList", "OurAgreements", "ReconnectionLadder", "TransparencyPlan",
                                 "TriggerPlan"}


def test_a_couples_widget_needs_the_check_earlier_in_its_own_section():
    assert couples_problems([md("## Together"), CHECK, code("ReconnectionLadder(partners=('A', 'B'))")]) == []
    problems = couples_problems([md("## Start"), CHECK, md("## Together"), code("ReconnectionLadder()")])
    assert problems == ["ReconnectionLadder is a couples exercise: a SafetyCheck must come before it "
                        "in the same section ('Together')"]
    assert couples_problems([md("## Together"), code("ConsentList()"), CHECK]) != []


def test_the_solo_version_is_never_gated():
    assert couples_problems([md("## On your own"), code("ReconnectionLadder(partners=('Me',))"),
                             code('TransparencyPlan(partners=("Me",))')]) == []


def test_couples_text_needs_the_check_too():
    assert couples_problems([md("## Time-outs"), CHECK, md("Agree on a word together.", couples=True)]) == []
    problems = couples_problems([md("## Time-outs"), md("Agree on a word together.", couples=True)])
    assert len(problems) == 1 and "'Time-outs'" in problems[0]
    problems = couples_problems([CHECK, md("## Time-outs\n\nAgree on a word together.", couples=True)])
    assert len(problems) == 1 and "put the heading in its own cell" in problems[0]


# -- the knowledge check: data in modules/quizzes, shown by its id -----------------------

def call(source):
    return ast.parse(source).body[0].value


def test_the_quiz_a_page_shows_is_read_from_its_call():
    assert quiz_id(call('Quiz("m03")')) == "m03"
    assert quiz_id(call('Quiz(quiz_id="m05-rewrite")')) == "m05-rewrite"
    assert quiz_id(call("Quiz(name)")) is None and quiz_id(call("Quiz()")) is None


def write_four(folder, question):
    """modules/quizzes/m03.yml in `folder`: four copies of `question`, each with its own id."""
    (folder / "quizzes").mkdir(exist_ok=True)
    questions = [{**question, "id": f"q{i}"} for i in range(4)]
    (folder / "quizzes" / "m03.yml").write_text(yaml.safe_dump({"questions": questions}))


def test_a_knowledge_check_in_hard_words_is_caught(tmp_path, monkeypatch):
    long = ("Notwithstanding considerable interindividual variability, physiological dysregulation "
            "frequently necessitates comprehensive multidisciplinary intervention.")
    option = {"text": long, "correct": False, "feedback": long}
    question = {"id": "q", "text": long, "options": [{**option, "correct": True}, option]}
    write_four(tmp_path, question)
    monkeypatch.setattr(module_check, "MODULES", tmp_path)
    module = load_syllabus().by_id("m03")
    problems = module_check.quiz_problems(call('Quiz("m03")'), module)
    assert len(problems) == 1 and problems[0].startswith("the knowledge check 'm03' reads at grade ")
    plain = {"id": "q", "text": "Is it calm?", "options": [{"text": "Yes", "correct": True, "feedback": "Good."},
                                                           {"text": "No", "correct": False, "feedback": "Okay."}]}
    write_four(tmp_path, plain)
    assert module_check.quiz_problems(call('Quiz("m03")'), module) == []
