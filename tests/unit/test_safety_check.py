"""The private safety check (CONTENT.md safety rule 1): the rule, and that answers go nowhere.

The rule: afraid = yes/sometimes, harmed = yes/not sure, or a lot of tension
together with great difficulty working out arguments, is a worrying answer
("concern"); everything else is "clear".
"""
import itertools
import json

import pytest

from course.safety import gate
from course.store import open_store
from widgets.safety_check import CONCERN, QUESTIONS, SafetyCheck, assess

OPTIONS = {q["id"]: [value for value, _label in q["options"]] for q in QUESTIONS}
SAFE = {"tension": "some", "arguments": "some-difficulty", "afraid": "no", "harmed": "no"}


def expected(a: dict) -> str:
    """The rule, written out once more in the plainest way."""
    if a["afraid"] in ("yes", "sometimes"):
        return "concern"
    if a["harmed"] in ("yes", "not-sure"):
        return "concern"
    if a["tension"] == "a-lot" and a["arguments"] == "great-difficulty":
        return "concern"
    return "clear"


@pytest.fixture(autouse=True)
def fresh_gate():
    gate.reset()
    yield
    gate.reset()


@pytest.fixture
def check(monkeypatch):
    widget = SafetyCheck()
    widget.sent = []
    monkeypatch.setattr(widget, "send", widget.sent.append)
    yield widget
    widget.close()


ALL = [dict(zip(OPTIONS, combo)) for combo in itertools.product(*OPTIONS.values())]


@pytest.mark.parametrize("answers", ALL, ids=lambda a: "-".join(a.values()))
def test_the_rule_for_every_combination(answers):
    assert assess(answers) == expected(answers)


@pytest.mark.parametrize("change, result", [
    ({}, "clear"),
    ({"afraid": "yes"}, "concern"),
    ({"afraid": "sometimes"}, "concern"),
    ({"harmed": "yes"}, "concern"),
    ({"harmed": "not-sure"}, "concern"),
    ({"tension": "a-lot", "arguments": "great-difficulty"}, "concern"),
    ({"tension": "a-lot", "arguments": "some-difficulty"}, "clear"),     # one of the pair alone is not enough
    ({"tension": "some", "arguments": "great-difficulty"}, "clear"),
    ({"tension": "none", "arguments": "no-difficulty"}, "clear"),
])
def test_the_answers_that_matter(change, result):
    assert assess({**SAFE, **change}) == result


def test_submit_sets_the_gate_and_stores_nothing(check):
    assert check.submit({**SAFE, "afraid": "sometimes"}) == "concern"
    assert gate.state == "concern" and not gate.allows_couples()
    with open_store() as store:
        assert store.records() == []
    assert check.submit(dict(SAFE)) == "clear"
    assert gate.allows_couples()


def test_remember_stores_only_the_result(check):
    check.submit({**SAFE, "harmed": "not-sure"}, remember=True)
    with open_store() as store:
        records = store.records()
    assert [(r["kind"], r["key"], r["data"]) for r in records] == [("safety-check", "latest", {"result": "concern"})]
    assert "not-sure" not in json.dumps(records, default=str)


def test_answers_are_never_in_widget_state(check):
    before = check.get_state()
    check.submit({**SAFE, "afraid": "yes"}, remember=False)
    check._on_msg(check, {"type": "submit", "answers": {**SAFE, "harmed": "yes"}, "remember": False}, [])
    assert check.get_state() == before  # nothing a saved notebook or a book build could capture changed
    assert "answers" not in vars(check) and not any(
        isinstance(v, dict) and "afraid" in v for v in vars(check).values())
    # The result itself reaches the browser only in a message, never as a trait.
    assert not {"result", "state"} & set(before)


def test_the_browser_hears_the_result_and_the_plain_explanation(check):
    check._on_msg(check, {"type": "submit", "answers": {**SAFE, "afraid": "yes"}, "remember": False}, [])
    assert check.sent[-1] == {"type": "result", "result": "concern", "concern": CONCERN}
    assert "Couples exercises are not advised" in CONCERN and "The rest of the course is still here for you." in CONCERN
    resources = {r["name"] for r in check.resources}
    assert "National Domestic Violence Hotline" in resources
    check._on_msg(check, {"type": "submit", "answers": dict(SAFE), "remember": False}, [])
    assert check.sent[-1] == {"type": "result", "result": "clear", "concern": ""}


def test_clear_my_answers_resets_the_gate_and_forgets_a_remembered_result(check):
    check.submit({**SAFE, "afraid": "yes"}, remember=True)
    check._on_msg(check, {"type": "clear"}, [])
    assert gate.state == "unchecked"
    assert check.sent[-1]["result"] == "unchecked"
    with open_store() as store:
        assert store.records() == []


def test_a_remembered_result_is_shown_on_a_new_page(check):
    check.submit(dict(SAFE), remember=True)
    gate.reset()  # a new page: the kernel starts from the stored result
    check._on_msg(check, {"type": "ready"}, [])
    assert check.sent[-1]["result"] == "clear"


@pytest.mark.parametrize("answers, message", [
    ({}, "still to answer: 1, 2, 3, 4"),
    ({**SAFE, "afraid": None}, "still to answer: 3"),
    ({**SAFE, "afraid": "maybe"}, "not one of the answers"),
    ({**SAFE, "tension": "A lot"}, "not one of the answers"),
    ({**SAFE, "mood": "fine"}, "no question called 'mood'"),
    ("yes", "must be a mapping"),
])
def test_bad_answers_raise_and_leave_the_gate_alone(check, answers, message):
    with pytest.raises(ValueError, match=message):
        check.submit(answers)
    assert gate.state == "unchecked"


def test_bad_answers_from_the_browser_are_reported_not_swallowed(check):
    check._on_msg(check, {"type": "submit", "answers": {"afraid": "no"}, "remember": False}, [])
    assert check.sent[-1]["type"] == "error" and "Please answer every question" in check.sent[-1]["message"]
    assert gate.state == "unchecked"


def test_the_check_says_to_answer_alone_and_never_scores():
    from widgets.safety_check import ALONE, HERE
    js = (HERE / "safety_check.js").read_text(encoding="utf-8")
    assert ALONE == "Answer this on your own, where your partner cannot see the screen." and ALONE in js
    assert "innerHTML" not in js and "score" not in js.lower()
