"""The facilitator page's session plan comes from each module's facilitator guide (course/guides.py)."""
import re
from pathlib import Path

import pytest

from course.guides import GuideError, load_plan, parse_guide, plain, plan_for, read_guide
from course.syllabus import load_syllabus

MODULES = load_syllabus().modules
IDS = [m.id for m in MODULES]

GOOD = """\
# Facilitator guide: Calming the body

**Module:** 03 · **Session length:** 30 minutes · **Group size:** 4-12 adults

A short session.

## Before the session
- Check the room.

## Session plan

| Start | Minutes | Activity | How |
|---|---|---|---|
| 0:00 | 10 | **Welcome**, ground rules | Restate the *ground rules*: pass is allowed. |
| 0:10 | 15 | Breathing \\| grounding | Use the `pacer`; see [module 3](03-calming-the-body.md). |
| 0:25 | 5 | Closing | One word each, or pass. |

## Discussion prompts
- Which tool felt __easiest__?
- When could a short practice
  fit in your day?

## What to watch for
- **Dizziness or tingling**: ask them to stop and breathe normally.
- **Blame or shaming** ("I can't do this: I'm bad at it"): reframe it.

## If someone discloses abuse or is in crisis
Stay calm and listen.
Call or text **988**.

## Sources
- A book.
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "03-calming-the-body.md"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str) -> int:
    """The number of the last line holding `fragment`."""
    return max(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_every_guide_parses_and_its_minutes_add_up(module):
    plan = load_plan(module)
    assert plan.module == module.id
    assert plan.title == module.title
    assert plan.total_minutes == 90
    assert sum(s.minutes for s in plan.segments) == plan.total_minutes
    clock = 0
    for segment in plan.segments:
        hours, minutes = map(int, segment.start.split(":"))
        assert hours * 60 + minutes == clock, f"{segment.activity} starts at {segment.start}, not after the part before"
        assert segment.minutes > 0 and segment.activity and segment.how
        clock += segment.minutes
    assert plan.prompts and all("?" in p for p in plan.prompts)
    assert plan.watch and all(w.sign and w.what_to_do for w in plan.watch)
    assert "988" in plan.crisis


@pytest.mark.parametrize("module", MODULES, ids=IDS)
def test_the_plan_is_plain_text(module):
    """The page shows words, not Markdown: no emphasis marks, code marks, link syntax or table pipes."""
    data = load_plan(module).to_json()
    texts = [data["title"], data["crisis"], *data["prompts"]]
    texts += [s[k] for s in data["segments"] for k in ("start", "activity", "how")]
    texts += [w[k] for w in data["watch"] for k in ("sign", "what_to_do")]
    for text in texts:
        assert not re.search(r"\*\*|__|`|\]\(|\|", text), text
        assert text == " ".join(text.split()), text


def test_plan_json_has_exactly_the_shape_the_page_reads():
    data = plan_for("m03").to_json()
    assert list(data) == ["module", "title", "total_minutes", "segments", "prompts", "watch", "crisis"]
    assert data["module"] == "m03" and data["title"] == "Calming the body" and data["total_minutes"] == 90
    first = data["segments"][0]
    assert first == {"start": "0:00", "minutes": 10, "activity": "Welcome, ground rules, check-in",
                     "how": first["how"]}
    assert first["how"].startswith("Restate the ground rules: speak for yourself")
    assert data["prompts"][0] == "Which tool, if any, felt easiest for you today?"
    assert data["watch"][0] == {
        "sign": "Dizziness, tingling or breathlessness",
        "what_to_do": "ask them to stop and breathe normally, stay seated or lying down, and keep breaths smaller "
                      "next time. Never push for bigger or faster breaths.",
    }
    assert data["watch"][1]["sign"] == "Distress or flooding during breath or body focus"
    assert data["crisis"].startswith("Stay calm and listen.") and "1-800-799-7233" in data["crisis"]


def test_plan_for_an_unknown_module_says_which_exist():
    for wrong in ("m99", "M03", "", "../m03", None):
        with pytest.raises(ValueError, match=r"No module .*the modules are m00, m01"):
            plan_for(wrong)


def test_a_small_guide_parses_to_plain_words(tmp_path):
    plan = read_guide(write(tmp_path, GOOD), "m03")
    assert plan.to_json() == {
        "module": "m03",
        "title": "Calming the body",
        "total_minutes": 30,
        "segments": [
            {"start": "0:00", "minutes": 10, "activity": "Welcome, ground rules",
             "how": "Restate the ground rules: pass is allowed."},
            {"start": "0:10", "minutes": 15, "activity": "Breathing | grounding",
             "how": "Use the pacer; see module 3."},
            {"start": "0:25", "minutes": 5, "activity": "Closing", "how": "One word each, or pass."},
        ],
        "prompts": ["Which tool felt easiest?", "When could a short practice fit in your day?"],
        "watch": [
            {"sign": "Dizziness or tingling", "what_to_do": "ask them to stop and breathe normally."},
            {"sign": "Blame or shaming (\"I can't do this: I'm bad at it\")", "what_to_do": "reframe it."},
        ],
        "crisis": "Stay calm and listen. Call or text 988.",
    }


def test_plain_keeps_the_words():
    assert plain("**Dizziness**, *tingling* or __breath__ and `code`") == "Dizziness, tingling or breath and code"
    assert plain("see [the module](x.md) and snake_case_name, 5 * 3") == "see the module and snake_case_name, 5 * 3"
    assert plain(r"a \| b \*not emphasis\*") == "a | b *not emphasis*"


def malformed(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("change", "message", "at"), [
    (("## Discussion prompts\n", "## Questions\n"), r"no '## Discussion prompts' section", None),
    (("## What to watch for\n", ""), r"no '## What to watch for' section", None),
    (("| 0:10 | 15 |", "| 0:15 | 15 |"), r"the part starting 0:15 should start at 0:10", "| 0:15 |"),
    (("| 0:25 | 5 |", "| 0:20 | 5 |"), r"the part starting 0:20 should start at 0:25", "| 0:20 |"),
    (("| 0:10 | 15 |", "| 0:10 | fifteen |"), r"Minutes must be a whole number above 0, got 'fifteen'", "fifteen"),
    (("| 0:10 | 15 |", "| 0:10 | 0 |"), r"Minutes must be a whole number above 0, got '0'", "| 0:10 | 0 |"),
    (("| 0:10 | 15 |", "| ten past | 15 |"), r"Start must be hours:minutes", "ten past"),
    (("| Closing | One word each, or pass. |", "| Closing |"), r"a plan row needs 4 cells.*got 3", "| 0:25 |"),
    (("| 0:25 | 5 |", "| 0:25 | 10 |"), r"the session is 30 minutes, but the plan's minutes add up to 35",
     "Session length"),
    (("**Session length:** 30 minutes", "**Session length:** half an hour"),
     r"no '\*\*Session length:\*\* N minutes'", None),
    (("| Start | Minutes | Activity | How |", "| Start | Activity | Minutes | How |"),
     r"columns must be \| Start \| Minutes \| Activity \| How \|", "| Start |"),
    (("|---|---|---|---|\n| 0:00", "| 0:00"), r"the line under the plan's column names must be", "| 0:00 |"),
    (("- **Dizziness or tingling**: ask", "- Dizziness or tingling: ask"),
     r"each thing to watch for reads '- \*\*What you notice\*\*: what to do'", "- Dizziness"),
    (("- **Dizziness or tingling**: ask", "- **Dizziness or tingling** ask"), r"each thing to watch for", "ask them"),
    (("- Which tool felt __easiest__?", "Talk about these:"), r"'## Discussion prompts' holds a list", "Talk about"),
    (("- Which tool felt __easiest__?\n- When could a short practice\n  fit in your day?\n", ""),
     r"'## Discussion prompts' is empty", "## Discussion prompts"),
    (("Stay calm and listen.\nCall or text **988**.\n", ""),
     r"'## If someone discloses abuse or is in crisis' is empty", "## If someone"),
    (("# Facilitator guide: Calming the body", "# Calming the body"), r"the first line must be the title", "# Calming"),
    (("## Sources", "## Session plan"), r"a second '## Session plan' section", "## Session plan"),
])
def test_a_malformed_guide_names_the_file_and_line(tmp_path, change, message, at):
    text = malformed(GOOD, *change)
    path = write(tmp_path, text)
    with pytest.raises(GuideError, match=message) as caught:
        read_guide(path, "m03")
    where = str(path) if at is None else f"{path}, line {line_of(text, at)}"
    assert str(caught.value).startswith(f"{where}: "), str(caught.value)


def test_a_line_between_plan_rows_is_named(tmp_path):
    text = malformed(GOOD, "| 0:10 | 15 |", "\n| 0:10 | 15 |")
    path = write(tmp_path, text)
    with pytest.raises(GuideError, match=rf"^{re.escape(str(path))}, line {line_of(text, '| 0:10 |') - 1}: "
                                         r"the plan's rows must follow each other"):
        read_guide(path, "m03")


def test_a_missing_guide_and_a_wrong_title_are_named(tmp_path):
    module = next(m for m in MODULES if m.id == "m03")
    with pytest.raises(GuideError, match=r"no facilitator guide here"):
        load_plan(module, guides=tmp_path)
    (tmp_path / module.file).write_text(GOOD.replace("Calming the body", "Calm body", 1), encoding="utf-8")
    with pytest.raises(GuideError, match=r"line 1: the guide's title 'Calm body' is not the module's title"):
        load_plan(module, guides=tmp_path)
    (tmp_path / module.file).write_text(GOOD, encoding="utf-8")
    assert load_plan(module, guides=tmp_path).total_minutes == 30


def test_guide_error_is_a_value_error():
    with pytest.raises(ValueError, match=r"<guide>, line 1"):
        parse_guide("no title\n", "m03")
