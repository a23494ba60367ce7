"""The map of what the course teaches from its source articles points at text a reader can find."""
from pathlib import Path

import pytest

from course.coverage import Practice, load, page_file, problems, tally


def test_every_practice_of_the_review_is_in_the_map_once():
    practices = load()
    assert len(practices) == 109
    before, _ = tally(practices)
    assert (before["W"], before["T"], before["M"]) == (66, 33, 10)  # the review's own tally
    keys = [(p.source, p.para, p.practice) for p in practices]
    assert len(set(keys)) == len(keys)


def test_every_place_named_exists_and_every_gap_says_why():
    assert problems(load()) == []


def test_at_least_100_of_109_practices_are_covered_well():
    _, now = tally(load())
    assert now["W"] >= 100, now


def test_a_renamed_heading_is_caught(tmp_path):
    ghost = Practice(source="000", para=1, practice="x", review="T", status="W",
                     where=("m07 > A heading nobody wrote",), why="")
    assert problems([ghost]) == ["source 000 ¶1 'x': 07-coming-back-to-touch.md has no heading "
                                 "'A heading nobody wrote'"]


@pytest.mark.parametrize("place, file", [
    ("m03 > Your window of tolerance", "03-calming-the-body.md"),
    ("guide m00 > Session plan", "facilitator/00-start-here.md"),
    ("glossary > fantasy", "glossary.md"),
])
def test_places_name_the_file_a_reader_opens(place, file):
    path, _ = page_file(place)
    assert path.as_posix().endswith(file) and Path(path).is_file()
    assert problems([Practice("000", 1, "x", "W", "W", (place,), "")]) == []


def test_a_gap_without_a_reason_or_a_place_is_refused():
    bare = [Practice("001", 3, "y", "M", "T", (), ""), Practice("001", 3, "z", "M", "W", (), "")]
    assert problems(bare) == ["source 001 ¶3 'y': not covered well, so 'why' must say why it should not be",
                              "source 001 ¶3 'z': covered well, but no place is given"]
