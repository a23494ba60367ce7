"""Crisis resources come from one file and reach every channel unchanged."""
import json

import pytest
import yaml

from course.safety import RESOURCES, ResourcesError, load_resources, resources_json
from widgets import SafetyBar


def test_us_resources_listed_with_numbers():
    text = json.dumps(load_resources("US"))
    for needle in ("988", "1-800-799-7233", "START to 88788", "1-800-656-4673", "HOME to 741741", "911",
                   "findahelpline.com"):
        assert needle in text


def test_other_countries_still_get_the_international_helpline():
    ids = [r["id"] for r in load_resources("GB")["resources"]]
    assert ids == ["findahelpline"]


def test_links_are_phone_text_or_https_only():
    for item in load_resources()["resources"]:
        for link in item["links"]:
            assert link["href"].split(":")[0] in {"tel", "sms", "https"}


def test_unsafe_link_rejected(tmp_path):
    data = yaml.safe_load(RESOURCES.read_text())
    data["resources"][0]["links"][0]["href"] = "javascript:alert(1)"
    bad = tmp_path / "r.yml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ResourcesError, match="tel:/sms:/https:"):
        load_resources(path=bad)


def test_quick_exit_goes_to_a_neutral_https_site():
    exit_ = load_resources()["quick_exit"]
    assert exit_["label"] == "Leave now" and exit_["url"].startswith("https://")


def test_widget_carries_the_same_resources_as_the_pages():
    assert SafetyBar().resources == json.loads(resources_json())


def test_every_helpline_number_in_the_course_text_matches_the_resources_file():
    """Numbers are written into module text for readers of the page; a typo there could cost a call."""
    import re

    from course import BOOK, MODULES

    known = set(re.findall(r"1-8\d\d-\d{3}-\d{4}", RESOURCES.read_text(encoding="utf-8")))
    known.add("1-800-662-4357")  # SAMHSA's National Helpline (treatment referral), named in module 9 only
    pages = [*MODULES.glob("*.md"), *(MODULES / "facilitator").glob("*.md"), *BOOK.glob("*.md")]
    for page in pages:
        for number in re.findall(r"\b1-8\d\d-\d{3}-\d{4}\b", page.read_text(encoding="utf-8")):
            assert number in known, f"{page.name}: {number} is not a number in course/resources.yml"
