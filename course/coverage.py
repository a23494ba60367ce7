"""Where the course teaches each practice of its four source articles: course/coverage.yml.

The clinical review (November 2026) listed 109 practices of the source articles,
paragraph by paragraph, and judged each covered well (W), thin (T) or missing
(M). coverage.yml keeps that list with today's verdict and, for each practice,
the places that teach it, named as a reader finds them::

    m07 > Your ladder                  a heading of a module (any level)
    guide m00 > Who may facilitate    a heading of a module's facilitator guide
    glossary > jealousy               a glossary term
    worksheets > Written agreements   a heading of the printable worksheets

A place that no longer exists (a heading renamed or removed) is an error, so
the map cannot drift from the text. ``python -m course.coverage`` prints the
tally and anything wrong.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from course import BOOK, MODULES
from course.syllabus import load_syllabus

COVERAGE = Path(__file__).with_name("coverage.yml")
STATUSES = ("W", "T", "M")
_PLACE = re.compile(r"^(?:(?P<guide>guide) )?(?P<page>m\d\d|glossary|worksheets|privacy) > (?P<heading>.+)$")
_HEADING = re.compile(r"^#{1,6} +(.+?)\s*$", re.M)


@dataclass(frozen=True)
class Practice:
    source: str
    para: int
    practice: str
    review: str
    status: str
    where: tuple[str, ...]
    why: str


def plain_heading(text: str) -> str:
    """A heading as a reader sees it: link targets, emphasis and code marks dropped, case ignored."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip().casefold()


def page_file(place: str) -> tuple[Path, str]:
    """The file a place names and the heading it points to; ValueError when the place is malformed."""
    match = _PLACE.fullmatch(place.strip())
    if not match:
        raise ValueError(f"{place!r} is not 'mNN > heading', 'guide mNN > heading', 'glossary > term' "
                         "or 'worksheets > heading'")
    page, heading = match.group("page"), match.group("heading")
    if page.startswith("m"):
        module = load_syllabus().by_id(page)
        folder = MODULES / "facilitator" if match.group("guide") else MODULES
        return folder / module.file, heading
    if match.group("guide"):
        raise ValueError(f"{place!r}: only modules have facilitator guides")
    return BOOK / f"{page}.md", heading


def load(path: Path = COVERAGE) -> list[Practice]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for source in data["sources"]:
        for row in source["practices"]:
            found.append(Practice(source=str(source["id"]), para=int(row["para"]), practice=row["practice"],
                                  review=row["review"], status=row["status"], where=tuple(row.get("where") or ()),
                                  why=(row.get("why") or "").strip()))
    return found


def problems(practices: list[Practice]) -> list[str]:
    """Everything wrong with the map: unknown verdicts, places that do not exist, reasons missing."""
    wrong, headings = [], {}
    for p in practices:
        name = f"source {p.source} ¶{p.para} {p.practice[:50]!r}"
        if p.status not in STATUSES or p.review not in STATUSES:
            wrong.append(f"{name}: status and review are one of {', '.join(STATUSES)}")
        if p.status == "W" and not p.where:
            wrong.append(f"{name}: covered well, but no place is given")
        if p.status != "W" and not p.why:
            wrong.append(f"{name}: not covered well, so 'why' must say why it should not be")
        for place in p.where:
            try:
                path, heading = page_file(place)
            except (ValueError, KeyError) as exc:
                wrong.append(f"{name}: {exc}")
                continue
            if path not in headings:
                text = path.read_text(encoding="utf-8") if path.is_file() else ""
                headings[path] = {plain_heading(h) for h in _HEADING.findall(text)}
            if plain_heading(heading) not in headings[path]:
                wrong.append(f"{name}: {path.name} has no heading {heading!r}")
    return wrong


def tally(practices: list[Practice]) -> tuple[Counter, Counter]:
    return Counter(p.review for p in practices), Counter(p.status for p in practices)


def main() -> int:
    practices = load()
    before, now = tally(practices)
    print(f"{len(practices)} practices. In the review: " + ", ".join(f"{before[s]} {s}" for s in STATUSES)
          + ". Now: " + ", ".join(f"{now[s]} {s}" for s in STATUSES) + ".")
    for p in practices:
        if p.status != "W":
            print(f"  {p.status} source {p.source} ¶{p.para}: {p.practice} ({p.why})")
    wrong = problems(practices)
    for line in wrong:
        print("problem:", line)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
