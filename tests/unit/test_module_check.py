"""course.module_check's couples rule: every couples part sits behind the check for two."""
import nbformat

from course.module_check import couples_problems, couples_widgets


def md(text, couples=False):
    cell = nbformat.v4.new_markdown_cell(text)
    if couples:
        cell.metadata["tags"] = ["couples"]
    return cell


def code(text):
    return nbformat.v4.new_code_cell(text)


CHECK = code("from widgets import SafetyCheck\nSafetyCheck()")


def test_the_widget_classes_say_which_are_couples_exercises():
    assert couples_widgets() == {"ConsentList", "ReconnectionLadder", "TransparencyPlan"}


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
