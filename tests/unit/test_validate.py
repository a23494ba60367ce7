"""course/validate.py: one rule per value, and escapers that keep learner text inert."""
from __future__ import annotations

import html as HTML
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from course import validate


@given(st.text(max_size=300))
def test_text_is_kept_exactly_as_typed(value):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(ValueError, match="cannot be saved"):
            validate.text(value, "A note")
        return
    assert validate.text(value, "A note") == value


@pytest.mark.parametrize("value, words", [
    ("", "is empty"), ("   \n", "is empty"), (None, "must be text"), (3, "must be text"),
    ("x" * 11, "too long: 11 characters (at most 10)"),
])
def test_required_text_says_what_is_wrong(value, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        validate.words(value, "Your note", limit=10)


@pytest.mark.parametrize("value", [0, 10, 5])
def test_a_rating_is_a_whole_number_from_0_to_10(value):
    assert validate.rating(value) == value


@pytest.mark.parametrize("value", [-1, 11, 5.0, "5", True, None])
def test_anything_else_is_not_a_rating(value):
    with pytest.raises(ValueError, match="whole number from 0 to 10"):
        validate.rating(value, "How calm you feel")


def test_a_skipped_rating_is_allowed_only_where_it_is_optional():
    assert validate.rating(None, optional=True) is None
    with pytest.raises(ValueError, match="or skipped"):
        validate.rating(12, "The 'after' rating", optional=True)


@pytest.mark.parametrize("value", [0, 0.5, 600, 86_399.9])
def test_a_practice_length_is_under_a_day(value):
    assert validate.seconds(value) == float(value)


@pytest.mark.parametrize("value", [-1, 86_400, float("nan"), float("inf"), "60", True, None])
def test_a_practice_length_outside_that_is_refused(value):
    with pytest.raises(ValueError, match="under 24 hours"):
        validate.seconds(value)


def test_a_moment_from_the_browser_keeps_its_zone_and_a_naive_one_is_local():
    aware = validate.moment("2026-03-01T14:02:00Z")
    assert aware == datetime(2026, 3, 1, 14, 2, tzinfo=UTC)
    naive = datetime(2026, 3, 1, 14, 2)
    assert validate.moment(naive) == naive.astimezone()
    assert validate.utc_text(aware) == "2026-03-01T14:02:00.000000+00:00"


@pytest.mark.parametrize("value", ["2026-03-01", "now", "", 1709300000, None])
def test_a_date_alone_or_anything_else_is_not_a_moment(value):
    with pytest.raises(ValueError, match="date and time"):
        validate.moment(value, "The start time")


def test_partners_are_one_or_two_different_names():
    assert validate.partners(("Me",)) == ["Me"]
    assert validate.partners(["Sam", "Alex"]) == ["Sam", "Alex"]
    for bad in ("Sam", [], ["Sam", "Sam"], ["", "Alex"], ["x" * 41], ["a", "b", "c"]):
        with pytest.raises(ValueError):
            validate.partners(bad)


@given(st.text(max_size=200))
def test_html_text_leaves_no_markup(value):
    escaped = validate.html_text(value)
    assert not set("<>\"'") & set(escaped)
    assert re.sub(r"&(lt|gt|quot|#x27|amp);", lambda m: {"lt": "<", "gt": ">", "quot": '"', "#x27": "'",
                                                        "amp": "&"}[m[1]], escaped) == value


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_markdown_text_escapes_every_special_character_and_stays_on_one_line(value):
    escaped = validate.markdown_text(value)
    assert "\n" not in escaped and "\r" not in escaped and "<" not in escaped.replace("<br>", "")
    unescaped = re.sub(r"\\.|&#32;|&#9;", "", escaped.replace("<br>", ""))
    assert not set(r"\`*_[](){}#!|~:.@$^") & set(unescaped)
    assert escaped[:1] not in ("-", "+", "=")


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=120))
def test_markdown_text_renders_as_one_paragraph_that_reads_as_typed(value):
    """Rendered by a CommonMark renderer, learner text is plain text: no list, rule, code, link or tag."""
    html = MarkdownIt("commonmark").enable("table").render(validate.markdown_text(value))
    if not value.strip():
        return
    assert html.startswith("<p>") and html.endswith("</p>\n") and html.count("<p>") == 1
    inner = html[3:-5]
    text = re.sub(r"<br />\n?", "\n", inner)
    assert "<" not in text  # no tag of any kind beyond the line breaks
    typed = value.replace("\r\n", "\n").replace("\r", "\n")
    # A renderer drops white space at the ends of a paragraph; nothing else changes.
    assert HTML.unescape(text).strip() == typed.strip()


@pytest.mark.parametrize("value", ["- a list?", "+ plus", "---", "    four spaces", "1. first", "> quote", "===",
                                   "<b>bold</b>", "[link](https://example.org)", "# heading", "`code`"])
def test_markdown_text_never_makes_structure(value):
    html = MarkdownIt("commonmark").enable("table").render(validate.markdown_text(value))
    assert html.startswith("<p>") and HTML.unescape(html[3:-5]) == value


@given(st.text(max_size=100))
def test_a_fence_cannot_be_closed_by_the_text_inside(value):
    fenced = validate.fence(value)
    marks = fenced.split("text\n", 1)[0]
    assert fenced.endswith("\n" + marks) and marks not in value


def test_time_round_trip_keeps_the_instant():
    when = datetime(2026, 11, 26, 23, 30, tzinfo=timezone(timedelta(hours=-8)))
    assert datetime.fromisoformat(validate.utc_text(when)) == when


@pytest.mark.parametrize("value", [1, 0, "false", "true", None, "yes"])
def test_a_flag_is_only_true_or_false(value):
    with pytest.raises(ValueError, match="true or false"):
        validate.flag(value, "Ready")
    assert validate.flag(False, "Ready") is False


def test_a_choice_of_true_or_false_does_not_take_1_or_0():
    with pytest.raises(ValueError):
        validate.choice(1, (True, False), "Finished")


@pytest.mark.parametrize("value", [-1, 3, True, 1.0, "1", None])
def test_an_index_names_an_existing_item(value):
    with pytest.raises(ValueError, match="There is no step number"):
        validate.index(value, "step", 3)
    assert validate.index(2, "step", 3) == 2


@pytest.mark.parametrize("value, kept", [("19:30", "19:30"), ("7:05", "07:05"), (" 23:59 ", "23:59"), ("", ""),
                                         (None, "")])
def test_a_time_of_day_is_kept_as_hh_mm(value, kept):
    assert validate.time_of_day(value) == kept


@pytest.mark.parametrize("value", ["24:00", "7:5", "19.30", "half past seven", 1930, True])
def test_anything_else_is_not_a_time_of_day_and_says_so(value):
    with pytest.raises(ValueError, match=r"^The set talk time must be a time of day, like 19:30; got "):
        validate.time_of_day(value, "The set talk time")
