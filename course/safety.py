"""Crisis resources (resources.yml) shared by the safety bar in every channel."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import yaml

RESOURCES = Path(__file__).with_name("resources.yml")
_LINK_SCHEMES = ("tel:", "sms:", "https://")


class ResourcesError(ValueError):
    """resources.yml is missing a field or has an unsafe link."""


def _check(data: dict) -> dict:
    exit_ = data.get("quick_exit") or {}
    if not str(exit_.get("url", "")).startswith("https://") or not exit_.get("label"):
        raise ResourcesError("resources.yml: quick_exit needs a label and an https:// url.")
    items = data.get("resources")
    if not isinstance(items, list) or not items:
        raise ResourcesError("resources.yml: 'resources' must be a non-empty list.")
    for item in items:
        for key in ("id", "country", "name", "what", "links"):
            if not item.get(key):
                raise ResourcesError(f"resources.yml: resource {item.get('id', '?')} has no {key}.")
        for link in item["links"]:
            if not link.get("label") or not str(link.get("href", "")).startswith(_LINK_SCHEMES):
                raise ResourcesError(f"resources.yml: resource {item['id']} has a link without a label "
                                     "or a tel:/sms:/https: href.")
    return data


@cache
def _load(path: Path) -> dict:
    return _check(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_resources(country: str = "US", path: Path | None = None) -> dict:
    """Resources for one country plus the international ones ('*'), in file order."""
    data = _load(Path(path) if path else RESOURCES)
    items = [r for r in data["resources"] if r["country"] in (country, "*")]
    return {"quick_exit": dict(data["quick_exit"]), "resources": items}


def resources_json(country: str = "US") -> str:
    """The same, as JSON for plain pages (landing page, book)."""
    return json.dumps(load_resources(country), ensure_ascii=False)
