"""Each module has a facilitator guide a workshop leader can run a 90-minute session from."""
import re

import pytest

from course import MODULES
from course.guides import load_plan
from course.syllabus import load_syllabus

SECTIONS = ["Before the session", "Session plan", "Discussion prompts", "What to watch for",
            "If someone discloses abuse or is in crisis", "Done privately", "Sources"]
MODULES_LIST = load_syllabus().modules


def guide(module) -> str:
    path = MODULES / "facilitator" / module.file
    assert path.is_file(), f"no facilitator guide for {module.id} at {path}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("module", MODULES_LIST, ids=[m.id for m in MODULES_LIST])
def test_guide_has_every_part_in_order(module):
    text = guide(module)
    assert text.startswith(f"# Facilitator guide: {module.title}\n")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == SECTIONS


@pytest.mark.parametrize("module", MODULES_LIST, ids=[m.id for m in MODULES_LIST])
def test_session_plan_adds_up_to_90_minutes_with_a_break(module):
    """The parser checks that each part starts when the one before ends and that the minutes add up."""
    plan = load_plan(module)
    assert plan.segments, "the session plan table has no timed rows"
    assert plan.total_minutes == 90
    assert sum(s.minutes for s in plan.segments) == 90
    assert any("break" in s.activity.lower() for s in plan.segments)


@pytest.mark.parametrize("module", MODULES_LIST, ids=[m.id for m in MODULES_LIST])
def test_disclosure_section_gives_the_crisis_lines(module):
    crisis = load_plan(module).crisis
    for number in ("988", "1-800-799-7233", "911"):
        assert number in crisis
