"""When ratings or notes suggest crisis (course/crisis.yml, CONTENT.md safety rule 6).

Only the rules live here: which saved check-in values and which phrases show
the crisis resources. The widgets apply them in the browser, where the rating
or the text is, and nothing about a match is sent back, stored or logged.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import yaml

from course import validate

CRISIS = Path(__file__).with_name("crisis.yml")
MAX_PHRASE = 60
_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u02bc\u2032`\u00b4"), "'")


class CrisisRulesError(ValueError):
    """crisis.yml is missing a part or has a value the widgets cannot use."""


def normal(text: str) -> str:
    """A phrase as the browser compares it: one case, straight apostrophes, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower().split())


def _values(gauge: str, rule) -> list[int]:
    if not isinstance(rule, dict) or len(rule) != 1 or next(iter(rule)) not in ("at_least", "at_most"):
        raise CrisisRulesError(f"crisis.yml: gauge {gauge!r} needs exactly one of at_least or at_most.")
    (kind, limit), = rule.items()
    try:
        validate.rating(limit, f"crisis.yml: {gauge} {kind}")
    except ValueError as exc:
        raise CrisisRulesError(str(exc)) from None
    return list(range(limit, 11)) if kind == "at_least" else list(range(0, limit + 1))


def _check(data) -> dict:
    if not isinstance(data, dict):
        raise CrisisRulesError("crisis.yml must hold 'checkins' and 'phrases'.")
    gauges = data.get("checkins")
    if not isinstance(gauges, dict) or not gauges:
        raise CrisisRulesError("crisis.yml: 'checkins' must map gauge names to a rule such as {at_least: 9}.")
    checkins = {}
    for gauge, rule in gauges.items():
        if not isinstance(gauge, str) or not re.fullmatch(r"[a-z][a-z0-9_-]*", gauge):
            raise CrisisRulesError(f"crisis.yml: {gauge!r} is not a gauge name like 'distress'.")
        checkins[gauge] = _values(gauge, rule)
    phrases = data.get("phrases")
    if not isinstance(phrases, list) or not phrases:
        raise CrisisRulesError("crisis.yml: 'phrases' must be a non-empty list of words or short phrases.")
    seen: list[str] = []
    for phrase in phrases:
        if not isinstance(phrase, str) or not re.search(r"\w", phrase) or len(phrase) > MAX_PHRASE:
            raise CrisisRulesError(f"crisis.yml: {phrase!r} is not a word or a short phrase "
                                   f"(at most {MAX_PHRASE} characters).")
        if normal(phrase) in seen:
            raise CrisisRulesError(f"crisis.yml: the phrase {phrase!r} is listed twice.")
        seen.append(normal(phrase))
    return {"checkins": checkins, "phrases": seen}


@cache
def _load(path: Path) -> dict:
    return _check(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_rules(path: Path | None = None) -> dict:
    """{"checkins": {gauge: [values that show the resources]}, "phrases": [normalised phrases]}."""
    data = _load(Path(path) if path else CRISIS)
    return {"checkins": {g: list(v) for g, v in data["checkins"].items()}, "phrases": list(data["phrases"])}


def checkin_values(gauge: str, path: Path | None = None) -> list[int]:
    """The saved values of this gauge that show the resources; [] for a gauge with no rule."""
    return load_rules(path)["checkins"].get(gauge, [])


def phrases(path: Path | None = None) -> list[str]:
    """The crisis phrases, normalised as the browser compares them."""
    return load_rules(path)["phrases"]
