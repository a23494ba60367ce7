"""Each module has a facilitator guide a workshop leader can run a 90-minute session from."""
import re

import pytest

from course import MODULES
from course.syllabus import load_syllabus

SECTIONS = ["Before the session", "Session plan", "Discussion prompts", "What to watch for",
            "If someone discloses abuse or is in crisis", "Done privately", "Sources"]
MODULES_LIST = load_syllabus().modules


def guide(module) -> str:
    path = MODULES / "facilitator" / module.file
    assert path.is_file(), f"no facilitator guide for {module.id} at {path}"
    return path.read_text(encoding="utf-8")


def plan_rows(text: str) -> list[tuple[str, int, str]]:
    plan = text.split("## Session plan", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in plan.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"\d+:\d\d", cells[0]) and cells[1].isdigit():
            rows.append((cells[0], int(cells[1]), cells[2]))
    return rows


@pytest.mark.parametrize("module", MODULES_LIST, ids=[m.id for m in MODULES_LIST])
def test_guide_has_every_part_in_order(module):
    text = guide(module)
    assert text.startswith(f"# Facilitator guide: {module.title}\n")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == SECTIONS


@pytest.mark.parametrize("module", MODULES_LIST, ids=[m.id for m in MODULES_LIST])
def test_session_plan_adds_up_to_90_minutes_with_a_break(module):
    rows = plan_rows(guide(module))
    assert rows, "the session plan table has no timed rows"
    assert sum(minutes for _, minutes, _ in rows) == 90
    clock = 0
    for start, minutes, _ in rows:
        hours, mins = map(int, start.split(":"))
        assert hours * 60 + mins == clock, f"row starting {start} should start at {clock // 60}:{clock % 60:02d}"
        clock += minutes
    assert any("break" in activity.lower() for _, _, activity in rows)


@pytest.mark.parametrize("module", MODULES_LIST, ids=[m.id for m in MODULES_LIST])
def test_disclosure_section_gives_the_crisis_lines(module):
    section = guide(module).split("## If someone discloses abuse or is in crisis", 1)[1].split("\n## ", 1)[0]
    for number in ("988", "1-800-799-7233", "911"):
        assert number in section
