"""Crisis resources (resources.yml) shared by the safety bar in every channel."""
from __future__ import annotations

import json
from functools import lru_cache
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
                raise ResourcesError(f"resources.yml: resource {item['id']} has a link without a label or a tel:/sms:/https: href.")
    return data


@lru_cache(maxsize=None)
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


# -- the couples gate -------------------------------------------------------------
# CONTENT.md safety rule 1: a private safety check comes before any couples
# exercise. Its result, never its answers, opens or closes the couples widgets.
GATE_STATES = ("unchecked", "clear", "concern")
_GATE_RECORD = ("safety-check", "latest")


class CouplesGate:
    """This kernel's view of the learner's private safety check.

    "unchecked" until the SafetyCheck widget is answered; "clear" opens the
    couples exercises; "concern" keeps them closed and points to resources.
    The result stays in memory (one Voila page, one kernel) and is stored only
    when the learner chooses, so a later module can start from it.
    """

    def __init__(self) -> None:
        self._state: str | None = None
        self._listeners: list = []

    @property
    def state(self) -> str:
        if self._state is None:
            self._state = self._remembered()
        return self._state

    def allows_couples(self) -> bool:
        return self.state == "clear"

    @staticmethod
    def _remembered() -> str:
        from course.store import StoreError, open_store

        try:
            with open_store() as store:
                data = store.get_record(*_GATE_RECORD)
        except (StoreError, ValueError):
            return "unchecked"  # an unreadable store never opens the gate
        result = (data or {}).get("result")
        return result if result in ("clear", "concern") else "unchecked"

    def set(self, result: str, remember: bool = False) -> None:
        """Record the check's outcome; remember=False also forgets any stored one."""
        from course.store import open_store

        if result not in GATE_STATES:
            raise ValueError(f"The safety check result must be one of {', '.join(GATE_STATES)}; got {result!r}.")
        self._state = result
        with open_store() as store:
            if remember and result != "unchecked":
                store.put_record(*_GATE_RECORD, {"result": result})
            else:
                store.delete_record(*_GATE_RECORD)
        for callback in list(self._listeners):
            callback(result)

    def observe(self, callback) -> None:
        """Call callback(state) whenever the check's outcome changes in this kernel."""
        self._listeners.append(callback)

    def unobserve(self, callback) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def reset(self) -> None:
        """Forget the in-memory state (tests; a new session)."""
        self._state = None
        self._listeners.clear()


gate = CouplesGate()
