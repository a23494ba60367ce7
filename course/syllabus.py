"""Load and validate course/syllabus.yml: the one place that knows module order."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from course import MODULES, validate

SYLLABUS = Path(__file__).with_name("syllabus.yml")
FIELDS = {"id", "title", "file", "minutes", "status", "summary", "objectives", "content_note", "paths"}
REQUIRED = FIELDS - {"content_note"}
STATUSES = {"ready", "coming"}
PATHS = {"hurt", "caused", "solo", "facilitator"}


class SyllabusError(ValueError):
    """The syllabus file is missing or malformed; the message says where."""


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    file: str
    minutes: int
    status: str
    summary: str
    objectives: tuple[str, ...]
    content_note: str | None
    paths: tuple[str, ...]

    @property
    def stem(self) -> str:
        """File name without .md: the notebook and page name in every channel."""
        return Path(self.file).stem

    @property
    def ready(self) -> bool:
        return self.status == "ready"


@dataclass(frozen=True)
class Syllabus:
    modules: tuple[Module, ...]
    source: Path

    def ready(self) -> list[Module]:
        return [m for m in self.modules if m.ready]

    def by_id(self, module_id: str) -> Module:
        for m in self.modules:
            if m.id == module_id:
                return m
        raise KeyError(module_id)


def _module(raw: object, where: str, modules_dir: Path) -> Module:
    if not isinstance(raw, dict):
        raise SyllabusError(f"{where}: each module must be a mapping of fields, got {type(raw).__name__}.")
    unknown = sorted(set(raw) - FIELDS)
    if unknown:
        raise SyllabusError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(FIELDS))}.")
    missing = sorted(REQUIRED - set(raw))
    if missing:
        raise SyllabusError(f"{where}: missing field(s) {', '.join(missing)}.")
    mid = raw["id"]
    if not isinstance(mid, str) or not re.fullmatch(r"m\d\d", mid):
        raise SyllabusError(f"{where}: id must look like m00..m99, got {mid!r}.")
    where = f"{where} ({mid})"
    for key in ("title", "file", "summary"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise SyllabusError(f"{where}: {key} must be non-empty text.")
    minutes = raw["minutes"]
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 5 <= minutes <= 90:
        raise SyllabusError(f"{where}: minutes must be a whole number from 5 to 90, got {minutes!r}.")
    if raw["status"] not in STATUSES:
        raise SyllabusError(f"{where}: status must be one of {sorted(STATUSES)}, got {raw['status']!r}.")
    objectives = raw["objectives"]
    if not isinstance(objectives, list) or not 3 <= len(objectives) <= 5 or not all(
        isinstance(o, str) and o.strip() for o in objectives
    ):
        raise SyllabusError(f"{where}: objectives must be a list of 3 to 5 non-empty lines.")
    note = raw.get("content_note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        raise SyllabusError(f"{where}: content_note must be text or null.")
    paths = raw["paths"]
    if not isinstance(paths, list) or not paths or not set(paths) <= PATHS:
        raise SyllabusError(f"{where}: paths must be a non-empty list from {sorted(PATHS)}, got {paths!r}.")
    if not raw["file"].endswith(".md"):
        raise SyllabusError(f"{where}: file must be a MyST .md notebook, got {raw['file']!r}.")
    if raw["status"] == "ready" and not (modules_dir / raw["file"]).is_file():
        raise SyllabusError(f"{where}: marked ready but {modules_dir / raw['file']} does not exist.")
    return Module(
        id=mid, title=raw["title"].strip(), file=raw["file"], minutes=minutes, status=raw["status"],
        summary=raw["summary"].strip(), objectives=tuple(o.strip() for o in objectives),
        content_note=note.strip() if note else None, paths=tuple(paths),
    )


def load_syllabus(path: Path | None = None, modules_dir: Path | None = None) -> Syllabus:
    """Read and validate the syllabus; raise SyllabusError with a one-line reason."""
    path = Path(path) if path else SYLLABUS
    modules_dir = Path(modules_dir) if modules_dir else MODULES
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SyllabusError(f"Syllabus not found: {path}") from None
    except OSError as exc:
        raise SyllabusError(f"Cannot read the syllabus {path}: {exc.strerror}") from None
    try:
        data = validate.yaml_data(text)
    except ValueError as exc:
        raise SyllabusError(f"Syllabus {path} is {exc}.") from None
    if not isinstance(data, dict) or set(data) != {"modules"} or not isinstance(data["modules"], list):
        raise SyllabusError(f"Syllabus {path} must have one top-level key, 'modules', holding a list.")
    if not data["modules"]:
        raise SyllabusError(f"Syllabus {path} lists no modules.")
    modules = [_module(raw, f"{path.name}: module {i + 1}", modules_dir) for i, raw in enumerate(data["modules"])]
    for key in ("id", "file"):
        seen: set[str] = set()
        for m in modules:
            value = getattr(m, key)
            if value in seen:
                raise SyllabusError(f"Syllabus {path}: duplicate {key} {value!r}.")
            seen.add(value)
    return Syllabus(modules=tuple(modules), source=path)
