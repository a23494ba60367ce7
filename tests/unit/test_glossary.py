"""Glossary links from the modules land on a definition, in the book and in Voila alike."""
import re

import pytest

from course import BOOK, MODULES
from course.syllabus import load_syllabus

GLOSSARY = (BOOK / "glossary.md").read_text(encoding="utf-8")
TERMS = re.findall(r"^## (.+)$", GLOSSARY, flags=re.M)
LINK = re.compile(r"\]\(glossary\.md#([\w-]+)\)")


def slug(heading: str) -> str:
    """The id MyST (myst_heading_anchors) and JupyterLab both give a lower-case heading."""
    return re.sub(r"\s+", "-", re.sub(r"[^\w\s-]", "", heading.strip().lower()))


def test_terms_are_lower_case_so_both_channels_give_the_same_anchor():
    assert TERMS, "the glossary defines no terms"
    for term in TERMS:
        assert term == term.lower(), f"{term!r}: glossary headings are lower case (JupyterLab keeps case in ids)"


def test_each_term_is_defined_once():
    assert len(TERMS) == len(set(TERMS))


@pytest.mark.parametrize("module", load_syllabus().ready(), ids=lambda m: m.id)
def test_every_glossary_link_in_a_module_resolves(module):
    text = (MODULES / module.file).read_text(encoding="utf-8")
    anchors = {slug(t) for t in TERMS}
    for target in LINK.findall(text):
        assert target in anchors, f"{module.file}: glossary.md#{target} has no definition"


def test_core_terms_are_defined():
    for term in ("arousal", "desire", "responsive desire", "window of tolerance", "sensate focus", "consent",
                 "coercive control"):
        assert term in TERMS, f"the glossary is missing {term!r}"
