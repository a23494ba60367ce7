"""What every ready module must have, read from the notebook's structure.

Used by the tests and handy for writers: `python -m course.module_check`.
"""
from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field

import jupytext

from course import MODULES
from course.quizzes import MIN_QUESTIONS, QUIZZES, QuizError, load_quiz
from course.syllabus import Module, load_syllabus

MAX_GRADE = 8.0
QUIZ_FOLDER = QUIZZES.name
"""The knowledge checks' folder, inside the modules folder (modules/quizzes)."""
COUPLES_TAG = "couples"


def couples_widgets() -> set[str]:
    """Names of the widgets that are couples exercises: the classes say so (``COUPLES = True``)."""
    import widgets

    return {name for name in widgets.__all__
            if isinstance(getattr(widgets, name), type) and getattr(getattr(widgets, name), "COUPLES", False)}


def _solo_call(call: ast.Call) -> bool:
    """A couples widget shown in its solo version, e.g. ReconnectionLadder(partners=("Me",))."""
    for kw in call.keywords:
        if kw.arg == "partners":
            try:
                return len(ast.literal_eval(kw.value)) == 1
            except ValueError:
                return False
    return False


def couples_problems(cells) -> list[str]:
    """CONTENT.md rule 1: a SafetyCheck comes before every couples part, in the same H2 section.

    A couples part is a couples widget (not its solo version) or a Markdown cell
    tagged "couples". Solo material is never gated, so nothing else is checked.
    """
    couples = couples_widgets()
    problems, checked, section = [], False, "the top of the page"
    for cell in cells:
        if cell.cell_type == "markdown":
            headings = re.findall(r"^## +(.+)$", cell.source, flags=re.M)
            if COUPLES_TAG in cell.metadata.get("tags", []):
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                if headings:
                    problems.append(f"the couples part under '{headings[0]}' starts a section itself: put the "
                                    "heading in its own cell, then a SafetyCheck, then the couples part")
                elif not checked:
                    problems.append(f"a couples part in '{section}' ({first[:50]!r}) needs a SafetyCheck "
                                    "before it in the same section")
            if headings:
                section, checked = headings[-1].strip(), False
            continue
        for name, call in _calls(cell.source):
            if name == "SafetyCheck":
                checked = True
            elif name in couples and not _solo_call(call) and not checked:
                problems.append(f"{name} is a couples exercise: a SafetyCheck must come before it "
                                f"in the same section ('{section}')")
    return problems


@dataclass
class ModuleReport:
    module: Module
    problems: list[str] = field(default_factory=list)
    grade: float = 0.0
    calls: list[tuple[str, ast.Call]] = field(default_factory=list)


def _calls(source: str) -> list[tuple[str, ast.Call]]:
    """Widget constructor calls in a code cell, in order: (name, call node)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            found.append((node.func.id, node))
    return sorted(found, key=lambda item: (item[1].lineno, item[1].col_offset))


def _sections(markdown: str) -> dict[str, str]:
    """H2 heading -> the text under it (until the next H2)."""
    parts = re.split(r"^## +(.+)$", markdown, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def prose(markdown: str) -> str:
    """Body text for readability: no headings, tables, code, HTML tags, links' targets or Sources."""
    text = markdown.split("\n## Sources")[0]
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("#", "|", "---"))]
    return "\n".join(ln.lstrip("> -*0123456789.").strip() for ln in lines if ln.strip())


def reading_grade(markdown: str) -> float:
    import textstat

    return float(textstat.flesch_kincaid_grade(prose(markdown)))


def quiz_id(call: ast.Call) -> str | None:
    """The quiz a ``Quiz("m03")`` call shows (also ``Quiz(quiz_id="m03")``), or None when it is not plain text."""
    given = [*call.args[:1], *(k.value for k in call.keywords if k.arg == "quiz_id")]
    try:
        value = ast.literal_eval(given[0]) if given else None
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def quiz_problems(call: ast.Call, module: Module) -> list[str]:
    """The knowledge check's data loads from modules/quizzes/ (course.quizzes checks every question,
    feedback on every option), has MIN_QUESTIONS or more questions and reads at MAX_GRADE or below."""
    if any(k.arg == "questions" for k in call.keywords):
        return ["the Quiz's questions belong in modules/quizzes/<quiz id>.yml, not in the page; "
                'show them with Quiz("<quiz id>")']
    name = quiz_id(call)
    if name is None:
        return ['the Quiz needs its quiz id as plain text, e.g. Quiz("m03")']
    problems = []
    if name != module.id and not name.startswith(f"{module.id}-"):
        problems.append(f"the Quiz id {name!r} must be the module's id {module.id!r} or start with '{module.id}-'")
    try:
        questions = load_quiz(name, MODULES / QUIZ_FOLDER)
    except QuizError as exc:
        return [*problems, f"the knowledge check {name!r} cannot be shown: {exc}"]
    if len(questions) < MIN_QUESTIONS:
        problems.append(f"the knowledge check {name!r} has {len(questions)} questions; "
                        f"it needs at least {MIN_QUESTIONS}")
    grade = reading_grade(quiz_text(questions))
    if grade > MAX_GRADE:
        problems.append(f"the knowledge check {name!r} reads at grade {grade:.1f}, above {MAX_GRADE:g}")
    return problems


def quiz_text(questions: list[dict]) -> str:
    """Every sentence a learner reads in a knowledge check, one per line: questions, options, feedback."""
    return "\n".join([q["text"] for q in questions]
                     + [o[key] for q in questions for o in q["options"] for key in ("text", "feedback")])


def check_module(module: Module) -> ModuleReport:
    report = ModuleReport(module)
    nb = jupytext.read(MODULES / module.file)
    markdown = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = [c for c in nb.cells if c.cell_type == "code"]
    report.calls = [call for c in code for call in _calls(c.source)]
    names = [name for name, _ in report.calls]
    need = report.problems.append

    if not names or names[0] != "SafetyBar":
        need("the first code cell must show the SafetyBar")
    for cell in code:
        if "remove-input" not in cell.metadata.get("tags", []):
            need("every code cell is tagged remove-input (learners see widgets, not code)")
            break
    if not re.search(rf"^# +{re.escape(module.title)}\s*$", markdown, flags=re.M):
        need(f"the H1 title must be the syllabus title {module.title!r}")
    sections = _sections(markdown)
    listed = [ln[2:].strip() for ln in sections.get("What you will learn", "").splitlines() if ln.startswith("- ")]
    if listed != list(module.objectives):
        need("'What you will learn' must list the syllabus objectives word for word")
    if f"**Time:** about {module.minutes} minutes" not in markdown:
        need(f"the time line must say 'about {module.minutes} minutes'")
    if module.content_note and module.content_note not in markdown:
        need("the syllabus content note must appear at the top")
    quizzes = [call for name, call in report.calls if name == "Quiz"]
    if not quizzes:
        need("a knowledge check (Quiz) is missing")
    for quiz in quizzes:
        report.problems.extend(quiz_problems(quiz, module))
    if "Journal" not in names:
        need("reflection prompts (Journal) are missing")
    if not names or not any(n not in {"SafetyBar", "Quiz", "Journal"} for n in names):
        need("a practice exercise with a widget is missing")
    if not sections.get("When to get more help", "").strip().startswith("> **When to get more help.**"):
        need("the 'When to get more help' box is missing")
    sources = [ln for ln in sections.get("Sources", "").splitlines() if ln.startswith("- ")]
    if not sources or not all(re.search(r"\(\d{4}[a-z]?\)", s) for s in sources):
        need("'Sources' must list each source with author and (year)")
    report.problems.extend(couples_problems(nb.cells))
    report.grade = reading_grade(markdown)
    if report.grade > MAX_GRADE:
        need(f"reading grade {report.grade:.1f} is above {MAX_GRADE:g}")
    return report


def main() -> int:
    worst = 0
    for module in load_syllabus().modules:
        if not (MODULES / module.file).is_file():
            continue
        report = check_module(module)
        mark = "ok" if not report.problems else "NEEDS WORK"
        print(f"{module.id} {module.title}: grade {report.grade:.1f}, {module.minutes} min, {module.status}: {mark}")
        for problem in report.problems:
            print(f"   - {problem}")
        worst = worst or bool(report.problems)
    return int(worst)


if __name__ == "__main__":
    sys.exit(main())
