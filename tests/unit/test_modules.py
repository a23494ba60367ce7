"""Every ready module has what a learner needs, checked from the notebook's structure."""
import re
import textwrap

import jupytext
import pytest
import yaml

from course import MODULES, module_check
from course.module_check import check_module, prose, reading_grade
from course.quizzes import quiz_ids
from course.safety import load_resources
from course.syllabus import load_syllabus

READY = load_syllabus().ready()


@pytest.mark.parametrize("module", READY, ids=[m.id for m in READY])
def test_ready_module_is_complete(module):
    report = check_module(module)
    assert report.problems == []
    assert report.grade <= 8.0


def test_every_quiz_file_is_shown_on_its_own_module_page():
    shown = {module_check.quiz_id(call): m.id for m in READY for name, call in check_module(m).calls if name == "Quiz"}
    assert sorted(shown) == quiz_ids()
    assert all(quiz == module or quiz.startswith(f"{module}-") for quiz, module in shown.items())


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
        Quiz("x")
        Quiz("{module.id}-bad")
        Quiz(quiz_id="{module.id}-inline", questions=[])
        ```

        # {module.title}

        ## What you will learn

        - Something else entirely.

        ## Sources

        - A book without a year.
        """)
    (tmp_path / module.file).write_text(broken, encoding="utf-8")
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    one = {"id": "a", "text": "Is this a question?", "options": [
        {"text": "Yes, it is", "correct": True, "feedback": "It ends with a question mark."},
        {"text": "No, it is not", "correct": False, "feedback": ""}]}
    kind = {**one, "options": [one["options"][0], {**one["options"][1], "feedback": "It asks something."}]}
    (quizzes / "x.yml").write_text(yaml.safe_dump({"questions": [kind]}))
    (quizzes / f"{module.id}-bad.yml").write_text(yaml.safe_dump({"questions": [one] * 4}))
    monkeypatch.setattr(module_check, "MODULES", tmp_path)
    problems = "\n".join(check_module(module).problems)
    for expected in ("SafetyBar", "remove-input", "objectives word for word", "time line",
                     "the knowledge check 'x' has 1 questions; it needs at least 4",
                     f"the Quiz id 'x' must be the module's id '{module.id}'",
                     f"the knowledge check '{module.id}-bad' cannot be shown: {quizzes / module.id}-bad.yml: "
                     "The feedback of option b of question 1 ('a') is empty",
                     "the Quiz's questions belong in modules/quizzes/<quiz id>.yml",
                     "Journal", "When to get more help", "author and (year)", "SafetyCheck must come before"):
        assert expected in problems


# -- What a reader checks in the text itself (issue 7: couples parts behind the check, sexual health) --------

MODULES_BY_ID = {m.id: m for m in load_syllabus().modules}


def cells(module_id: str):
    return jupytext.read(MODULES / MODULES_BY_ID[module_id].file).cells


def markdown(module_id: str) -> str:
    return "\n\n".join(c.source for c in cells(module_id) if c.cell_type == "markdown")


def section(text: str, heading: str) -> str:
    """The text under a heading of any level, up to the next heading of the same or a higher level."""
    found = re.search(rf"^(#+) +{re.escape(heading)}\s*$", text, flags=re.M)
    assert found, f"no heading {heading!r}"
    rest = text[found.end():]
    after = re.search(rf"^#{{1,{len(found.group(1))}}} ", rest, flags=re.M)
    return rest[:after.start()] if after else rest


def test_module_7_sexual_health_box_comes_before_any_genital_step_and_cites_a_dated_source():
    text = markdown("m07")
    box = text.index("> **Sexual health first.**")
    assert text.find("genital") >= box, "genital contact is named before the sexual-health box"
    first_genital_step = re.search(r"^\|\s*\d+\s*\|[^\n]*genitals", text, flags=re.M)
    assert first_genital_step and box < first_genital_step.start()
    body = section(text, "Sexual health first")
    for needed in ("both partners should get tested", "STIs", "window period", "barrier protection", "condoms",
                   "dental dams", "tell your partner honestly", "Where to get tested"):
        assert needed in body, needed
    cited = re.search(r"\(([A-Z][\w-]+)[^()]*?, (\d{4})\)", body)
    assert cited, "the box cites no source with a year"
    sources = section(text, "Sources").splitlines()
    assert any(s.startswith(f"- {cited[1]},") and f"({cited[2]})" in s for s in sources)
    box_cell = next(c for c in cells("m07") if c.cell_type == "markdown" and "Sexual health first.**" in c.source)
    assert "couples" not in box_cell.metadata.get("tags", []), "sexual-health facts are for everyone, not gated"


def test_module_9_monthly_review_includes_sexual_health():
    review = section(markdown("m09"), "A monthly progress review")
    assert "sexual health" in review and "STIs" in review and "barrier protection" in review


def test_module_1_path_for_the_partner_who_caused_the_hurt_names_988():
    path = section(section(markdown("m01"), "Notes for your path"), "If you caused the hurt")
    assert "call or text **988**" in path
    lifeline = next(r for r in load_resources("US")["resources"] if r["id"] == "lifeline-988")
    assert {"tel:988", "sms:988"} <= {link["href"] for link in lifeline["links"]}


def test_the_safety_check_promises_nothing_is_saved_but_the_open_state():
    check = section(markdown("m00"), "A safety check before couples work")
    assert "Your answers are never saved." in check
    assert ("This device keeps only one note: open (for up to 14 days) or closed for now (until another day). "
            "It never keeps why.") in check
    assert "Couples exercises are closed for now. The solo version is below." in check
    assert "Close couples exercises for now" in check and "Hand the screen to your partner" in check
    assert not re.search(r"unless you choose to save", check.lower())   # the check never offers to save answers
    for module_id in MODULES_BY_ID:
        text = markdown(module_id).lower()
        assert not re.search(r"remember (my|your|the) result", text), module_id


COUPLES_PARTS = [  # (module, words from a couples part)
    ("m04", "Sit down together at a calm time"),
    ("m05", "**Agree on the signal ahead of time,**"),
    ("m05", "Pick a calm time when you both have space."),
    ("m05", "Sit down together at a calm time, not right after a trigger"),
    ("m05", "**Ask before each step up.**"),
    ("m06", "sit side by side and hold hands"),
    ("m06", "Write the list together, at a calm time, in one sitting."),
    ("m06", "**Make the list together.**"),
    ("m07", "In each turn, one person touches and the other is touched."),
    ("m07", "Taking turns to touch, now including the breasts, chest, and genitals"),
    ("m04", "**Write questions down** as they come up."),
    ("m04", "**The answer should stay the same.**"),
    ("m07", "Taking turns to touch, genitals included, with arousal allowed"),
    ("m07", "Intercourse or other sex, only if you are both ready"),
    ("m07", "Write your steps together, easiest first."),
    ("m08", "try to spot your cycle in it together"),
    ("m08", "Before a repair talk, settle your body first"),
    ("m09", "Once a week, set aside a short, calm time to talk."),
    ("m09", "All day long, partners make small"),
    ("m09", "Pick one small goal for a set time"),
]


@pytest.mark.parametrize("module_id, words", COUPLES_PARTS, ids=[f"{m}-{w[:20]}" for m, w in COUPLES_PARTS])
def test_couples_parts_are_tagged_and_come_after_the_check_in_their_section(module_id, words):
    seen_check = False
    for cell in cells(module_id):
        if cell.cell_type == "code":
            seen_check = seen_check or "SafetyCheck(" in cell.source
            continue
        if words in cell.source:
            assert "couples" in cell.metadata.get("tags", []), "the couples part is not tagged 'couples'"
            assert not re.search(r"^## ", cell.source, flags=re.M), "a couples part must not start a new section"
            assert seen_check, "no SafetyCheck earlier in this section"
            return
        if re.search(r"^## ", cell.source, flags=re.M):
            seen_check = False
    pytest.fail(f"{words!r} is not in {module_id}")


def test_module_7_always_asks_again():
    calls = [c.source for c in cells("m07") if c.cell_type == "code" and "SafetyCheck(" in c.source]
    assert calls and all("SafetyCheck(ask_again=True)" in c for c in calls)


GUIDES_WITH_COUPLES_PLANS = ["00-start-here", "04-rebuilding-trust", "05-listening-and-talking",
                             "06-consent-boundaries-pauses", "07-coming-back-to-touch", "08-repair",
                             "09-keeping-it-going"]


@pytest.mark.parametrize("stem", GUIDES_WITH_COUPLES_PLANS)
def test_facilitator_plans_put_couples_work_after_the_check_for_two_and_never_ask_why(stem):
    guide = (MODULES / "facilitator" / f"{stem}.md").read_text(encoding="utf-8")
    plan = guide.split("## Session plan", 1)[1].split("\n## ", 1)[0]
    assert "check for two" in plan and "never ask why" in plan
