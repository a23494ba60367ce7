"""course/crisis.yml (CONTENT.md safety rule 6) and the browser's phrase check in widgets/lib/crisis.js."""
import json
import re
import subprocess
from pathlib import Path

import pytest

from course.crisis import CrisisRulesError, checkin_values, load_rules, normal, phrases
from widgets.base import lib_source


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "crisis.yml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "checkins:\n  distress: {at_least: 9}\n  calm: {at_most: 1}\nphrases: [want to die]\n"


# -- the course's own file -----------------------------------------------------

def test_the_course_file_holds_the_thresholds_of_content_rule_6():
    """Distress 9-10, safety or calm 0-1 show the resources; 8 and 2 do not."""
    rules = load_rules()
    assert rules["checkins"] == {"distress": [9, 10], "safety": [0, 1], "calm": [0, 1]}
    assert checkin_values("distress") == [9, 10] and checkin_values("trust") == []


def test_the_course_file_holds_the_short_list_of_crisis_phrases():
    listed = phrases()
    for phrase in ("suicide", "kill myself", "want to die", "hurt me", "hit me", "afraid for my life"):
        assert phrase in listed
    assert len(listed) <= 12, "a short list: every phrase shows help to someone who did not ask"


def test_callers_get_copies_so_the_cached_rules_cannot_be_changed():
    phrases().append("picnic")
    checkin_values("distress").append(3)
    assert "picnic" not in phrases() and checkin_values("distress") == [9, 10]


# -- validation ----------------------------------------------------------------

def test_a_good_file_loads_with_values_and_normalised_phrases(tmp_path):
    path = write(tmp_path, "checkins:\n  distress: {at_least: 8}\n  safety: {at_most: 0}\n"
                           "phrases: ['  Can\u2019t  GO ON ']\n")
    assert load_rules(path) == {"checkins": {"distress": [8, 9, 10], "safety": [0]}, "phrases": ["can't go on"]}


@pytest.mark.parametrize("text, message", [
    ("", "must hold"),
    ("phrases: [x]\n", "'checkins' must map"),
    ("checkins: {distress: 9}\nphrases: [x]\n", "exactly one of at_least or at_most"),
    ("checkins: {distress: {above: 9}}\nphrases: [x]\n", "exactly one of at_least or at_most"),
    ("checkins: {distress: {at_least: 9, at_most: 1}}\nphrases: [x]\n", "exactly one"),
    ("checkins: {distress: {at_least: 11}}\nphrases: [x]\n", "0 to 10"),
    ("checkins: {distress: {at_least: '9'}}\nphrases: [x]\n", "0 to 10"),
    ("checkins: {distress: {at_least: true}}\nphrases: [x]\n", "0 to 10"),
    ("checkins: {Distress Level: {at_least: 9}}\nphrases: [x]\n", "not a gauge name"),
    ("checkins: {distress: {at_least: 9}}\n", "'phrases' must be"),
    ("checkins: {distress: {at_least: 9}}\nphrases: []\n", "'phrases' must be"),
    ("checkins: {distress: {at_least: 9}}\nphrases: ['  ']\n", "not a word"),
    ("checkins: {distress: {at_least: 9}}\nphrases: [3]\n", "not a word"),
    ("checkins: {distress: {at_least: 9}}\nphrases: ['" + "x" * 61 + "']\n", "at most 60"),
    ("checkins: {distress: {at_least: 9}}\nphrases: [hit me, 'Hit  me']\n", "listed twice"),
])
def test_a_broken_file_is_refused_in_plain_words(tmp_path, text, message):
    with pytest.raises(CrisisRulesError, match=re.escape(message)):
        load_rules(write(tmp_path, text))


def test_normal_reads_curly_apostrophes_case_and_spaces_as_plain():
    assert normal("  I Can\u2019t\u00a0 go\ton ") == "i can't go on"


# -- the browser's check, run in node on the real shared helpers (Node.js is needed anyway: the book's npm)

def run_matcher(phrase_list: list[str], texts: list[str]) -> list[bool]:
    script = (lib_source()
              + f"\nconst m = crisisMatcher({json.dumps(phrase_list)});"
              + f"\nconsole.log(JSON.stringify({json.dumps(texts)}.map(m)));\n")
    done = subprocess.run(["node", "--input-type=module", "-"], input=script, capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


FOUND = [
    "I want to die", "i WANT TO DIE.", "Some days I want   to\n die, honestly", "want\u00a0to die",
    "He said he would hit me", "(hit me)", "\u201cHurt me\u201d she said", "I thought about suicide",
    "I feel suicidal", "I could kill myself for forgetting", "I was afraid for my life", "SUICIDE",
    "I'm afraid for my life!", "I\u2019m afraid for my life",
]
NOT_FOUND = [
    "", "I want to diet", "I want to dine out", "white machine", "shirt merch", "it hurts me",
    "kill myselfish", "diehard fans", "suicides", "he never hits me", "I did not want to go",
]


def test_the_browser_finds_the_crisis_phrases_as_whole_words_in_any_case():
    assert run_matcher(phrases(), FOUND) == [True] * len(FOUND)


def test_the_browser_does_not_find_them_inside_other_words():
    assert run_matcher(phrases(), NOT_FOUND) == [False] * len(NOT_FOUND)


def test_curly_apostrophes_in_a_phrase_or_the_text_match_either_way():
    found = run_matcher(["can\u2019t go on"], ["I can't go on", "I CAN\u2019T  go on", "I can go on"])
    assert found == [True, True, False]
    assert run_matcher(["can't go on"], ["I can\u2018t go on"]) == [True]


def test_phrases_are_text_not_patterns():
    assert run_matcher(["a.b", "(x"], ["axb", "a.b", "(x)"]) == [False, True, True]
    assert run_matcher([], ["I want to die"]) == [False]
