"""Read a module's facilitator guide (modules/facilitator/NN-*.md) into a session plan.

The guide is the one source: the facilitator page shows what this module reads
from it, and a guide that cannot be read raises :class:`GuideError` naming the
file and line. A guide looks like this (every part is checked)::

    # Facilitator guide: <module title>

    **Module:** 03 · **Session length:** 90 minutes · ...

    ## Session plan

    | Start | Minutes | Activity | How |
    |---|---|---|---|
    | 0:00 | 10 | Welcome | Restate the ground rules. |
    | 0:10 | ... (each row starts when the rows above it end)

    ## Discussion prompts
    - One question a line.

    ## What to watch for
    - **A sign to notice** more about it: what to do.

    ## If someone discloses abuse or is in crisis
    One paragraph.

The plan's minutes add up to the session length. Everything comes out as plain
text: Markdown emphasis, code marks and links keep their words only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from course import MODULES
from course.syllabus import Module, load_syllabus

GUIDES = MODULES / "facilitator"
TITLE_PREFIX = "# Facilitator guide: "
PLAN, PROMPTS, WATCH, CRISIS = ("Session plan", "Discussion prompts", "What to watch for",
                                "If someone discloses abuse or is in crisis")
NEEDED = (PLAN, PROMPTS, WATCH, CRISIS)
PLAN_COLUMNS = ("start", "minutes", "activity", "how")

_LENGTH = re.compile(r"\*\*Session length:\*\*\s*(\S+)\s+minutes", re.I)
_START = re.compile(r"(\d+):([0-5]\d)")
_SEPARATOR = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
_WATCH = re.compile(r"\*\*(?P<sign>.+?)\*\*(?P<rest>.*)")


class GuideError(ValueError):
    """A facilitator guide the page cannot show; the message names the file and line."""


@dataclass(frozen=True)
class Segment:
    start: str
    """When the part starts, as the guide writes it ("1:05" is 65 minutes in)."""
    minutes: int
    activity: str
    how: str


@dataclass(frozen=True)
class WatchItem:
    sign: str
    what_to_do: str


@dataclass(frozen=True)
class SessionPlan:
    module: str
    title: str
    total_minutes: int
    segments: tuple[Segment, ...]
    prompts: tuple[str, ...]
    watch: tuple[WatchItem, ...]
    crisis: str
    source: Path

    def to_json(self) -> dict:
        """The plan as the facilitator page reads it (plain text only)."""
        return {
            "module": self.module,
            "title": self.title,
            "total_minutes": self.total_minutes,
            "segments": [{"start": s.start, "minutes": s.minutes, "activity": s.activity, "how": s.how}
                         for s in self.segments],
            "prompts": list(self.prompts),
            "watch": [{"sign": w.sign, "what_to_do": w.what_to_do} for w in self.watch],
            "crisis": self.crisis,
        }


def plain(text: str) -> str:
    """Markdown inline text as plain words: links, code marks, emphasis and escapes keep only their words."""
    escaped: list[str] = []

    def keep(match: re.Match) -> str:  # an escaped mark is a plain character: set it aside first
        escaped.append(match.group(1))
        return f"\0{len(escaped) - 1}\0"

    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", keep, text.replace("\0", ""))
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(`+)(.+?)\1", r"\2", text)
    for mark in (r"\*\*", "__", r"\*"):
        text = re.sub(rf"{mark}(\S(?:.*?\S)?){mark}", r"\1", text)
    text = re.sub(r"(?<!\w)_(\S(?:.*?\S)?)_(?!\w)", r"\1", text)
    text = re.sub(r"\0(\d+)\0", lambda m: escaped[int(m.group(1))], text)
    return " ".join(text.split())


def _cells(line: str) -> list[str]:
    """A Markdown table row's cells (an escaped pipe, \\|, stays inside its cell)."""
    row = line.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]


def _colon(text: str) -> int:
    """Where the first ': ' outside brackets and quotes is in `text`, or -1."""
    depth, quoted = 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch in "([“":
            depth += 1
        elif ch in ")]”":
            depth = max(0, depth - 1)
        elif ch == ":" and not depth and not quoted and text[i + 1:i + 2] in (" ", ""):
            return i
    return -1


class _Guide:
    """One guide's lines, with the file's name for messages."""

    def __init__(self, text: str, source: Path):
        self.source = source
        self.lines = text.splitlines()

    def error(self, line: int | None, message: str) -> GuideError:
        where = f"{self.source}, line {line}" if line else str(self.source)
        return GuideError(f"{where}: {message}")

    def title(self) -> str:
        first = self.lines[0] if self.lines else ""
        if not first.startswith(TITLE_PREFIX) or not first[len(TITLE_PREFIX):].strip():
            raise self.error(1, f"the first line must be the title, '{TITLE_PREFIX}<module title>'.")
        return plain(first[len(TITLE_PREFIX):])

    def sections(self) -> dict[str, tuple[int, list[str]]]:
        """Each '## ' section: the line number of its heading and its lines."""
        found: dict[str, tuple[int, list[str]]] = {}
        current: list[str] | None = None
        for number, line in enumerate(self.lines, 1):
            if line.startswith("## "):
                name = line[3:].strip()
                if name in found:
                    raise self.error(number, f"a second '## {name}' section; a guide has one of each.")
                current = []
                found[name] = (number, current)
            elif current is not None:
                current.append(line)
        missing = [name for name in NEEDED if name not in found]
        if missing:
            raise self.error(None, "no " + ", ".join(f"'## {name}'" for name in missing) + " section; a guide needs "
                             + ", ".join(f"'## {name}'" for name in NEEDED) + ".")
        return found

    def total_minutes(self) -> tuple[int, int]:
        """The session length from the line under the title, and that line's number."""
        for number, line in enumerate(self.lines, 1):
            if line.startswith("## "):
                break
            match = _LENGTH.search(line)
            if match:
                if not match.group(1).isdigit() or int(match.group(1)) <= 0:
                    raise self.error(number, f"the session length must be a whole number of minutes, "
                                             f"got {match.group(1)!r}.")
                return int(match.group(1)), number
        raise self.error(None, "no '**Session length:** N minutes' under the title.")

    def plan(self, heading: int, body: list[str]) -> list[Segment]:
        rows = [(heading + 1 + i, line) for i, line in enumerate(body) if line.strip().startswith("|")]
        if len(rows) < 3:
            raise self.error(heading, f"'## {PLAN}' needs a table: | Start | Minutes | Activity | How |, "
                                      "a |---| line, then one row for each part.")
        (head_line, head), (sep_line, sep) = rows[:2]
        if tuple(cell.lower() for cell in _cells(head)) != PLAN_COLUMNS:
            raise self.error(head_line, "the plan's columns must be | Start | Minutes | Activity | How |, "
                                        f"got {head.strip()}")
        if not _SEPARATOR.fullmatch(sep.strip()):
            raise self.error(sep_line, "the line under the plan's column names must be |---|---|---|---|.")
        numbers = [number for number, _ in rows[2:]]
        if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            gap = next(n for n, m in zip(numbers, numbers[1:], strict=False) if m != n + 1) + 1
            raise self.error(gap, "the plan's rows must follow each other with no other line between them.")
        segments: list[Segment] = []
        clock = 0
        for number, line in rows[2:]:
            cells = _cells(line)
            if len(cells) != len(PLAN_COLUMNS):
                raise self.error(number, f"a plan row needs 4 cells (Start | Minutes | Activity | How), "
                                         f"got {len(cells)}.")
            start, minutes, activity, how = cells
            match = _START.fullmatch(start)
            if not match:
                raise self.error(number, f"Start must be hours:minutes, like 0:10 or 1:05, got {start!r}.")
            if not minutes.isdigit() or int(minutes) <= 0:
                raise self.error(number, f"Minutes must be a whole number above 0, got {minutes!r}.")
            if int(match.group(1)) * 60 + int(match.group(2)) != clock:
                raise self.error(number, f"the part starting {start} should start at {clock // 60}:{clock % 60:02d}, "
                                         "when the parts above it end.")
            if not plain(activity) or not plain(how):
                raise self.error(number, "a plan row needs an activity and how to run it.")
            segments.append(Segment(start=start, minutes=int(minutes), activity=plain(activity), how=plain(how)))
            clock += int(minutes)
        return segments

    def items(self, name: str, heading: int, body: list[str]) -> list[tuple[int, str]]:
        """A section's list items ('- ...', continued on indented lines), each with its line number."""
        items: list[tuple[int, str]] = []
        for number, line in enumerate(body, heading + 1):
            if line.startswith(("- ", "* ")):
                items.append((number, line[2:].strip()))
            elif line.strip() and line[:1].isspace() and items:
                items[-1] = (items[-1][0], f"{items[-1][1]} {line.strip()}")
            elif line.strip():
                raise self.error(number, f"'## {name}' holds a list: each line starts with '- '.")
        if not items:
            raise self.error(heading, f"'## {name}' is empty; it needs at least one '- ' line.")
        return items

    def watch(self, heading: int, body: list[str]) -> list[WatchItem]:
        found = []
        for number, item in self.items(WATCH, heading, body):
            match = _WATCH.fullmatch(item)
            colon = _colon(match.group("rest")) if match else -1
            if not match or colon < 0 or not plain(match.group("rest")[colon + 1:]):
                raise self.error(number, "each thing to watch for reads '- **What you notice**: what to do'.")
            sign = plain(match.group("sign") + match.group("rest")[:colon])
            what = plain(match.group("rest")[colon + 1:])
            found.append(WatchItem(sign=sign, what_to_do=what))
        return found

    def paragraph(self, name: str, heading: int, body: list[str]) -> str:
        text = plain(" ".join(line for line in body if line.strip()))
        if not text:
            raise self.error(heading, f"'## {name}' is empty.")
        return text


def read_guide(path: Path | str, module_id: str) -> SessionPlan:
    """Read one guide file into the plan of module `module_id`; GuideError says where a guide breaks."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GuideError(f"{path}: no facilitator guide here.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GuideError(f"{path}: cannot read this facilitator guide ({exc}).") from None
    return parse_guide(text, module_id, path)


def parse_guide(text: str, module_id: str, source: Path | str = "<guide>") -> SessionPlan:
    """A guide's text as a session plan; `source` names the file in error messages."""
    guide = _Guide(text, Path(source))
    title = guide.title()
    total, total_line = guide.total_minutes()
    sections = guide.sections()
    segments = guide.plan(*sections[PLAN])
    planned = sum(s.minutes for s in segments)
    if planned != total:
        raise guide.error(total_line, f"the session is {total} minutes, but the plan's minutes add up to {planned}.")
    return SessionPlan(
        module=module_id, title=title, total_minutes=total, segments=tuple(segments),
        prompts=tuple(plain(item) for _, item in guide.items(PROMPTS, *sections[PROMPTS])),
        watch=tuple(guide.watch(*sections[WATCH])),
        crisis=guide.paragraph(CRISIS, *sections[CRISIS]),
        source=guide.source,
    )


def guide_path(module: Module, guides: Path = GUIDES) -> Path:
    """Where a module's facilitator guide is: the same file name as the module's."""
    return guides / module.file


def load_plan(module: Module, guides: Path = GUIDES) -> SessionPlan:
    """The session plan from a module's facilitator guide; GuideError if the guide is missing or malformed."""
    plan = read_guide(guide_path(module, guides), module.id)
    if plan.title != plain(module.title):
        raise GuideError(f"{plan.source}, line 1: the guide's title {plan.title!r} is not the module's "
                         f"title in the syllabus, {module.title!r}.")
    return plan


def plan_for(module_id: str) -> SessionPlan:
    """The session plan of the module with this id ("m03"); ValueError for an id the syllabus does not have."""
    syllabus = load_syllabus()
    try:
        module = syllabus.by_id(module_id)
    except (KeyError, TypeError):
        shown = repr(module_id)[:24]
        raise ValueError(f"No module {shown}; the modules are {', '.join(m.id for m in syllabus.modules)}.") from None
    return load_plan(module)


__all__ = ["GUIDES", "GuideError", "SessionPlan", "Segment", "WatchItem", "guide_path", "load_plan", "parse_guide",
           "plan_for", "plain", "read_guide"]
