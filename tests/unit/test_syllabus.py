"""The syllabus is the one place that knows the modules and their order."""
from pathlib import Path

import pytest
import yaml

from course.syllabus import SYLLABUS, SyllabusError, load_syllabus

RAW = yaml.safe_load(SYLLABUS.read_text(encoding="utf-8"))


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "syllabus.yml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_all_ten_modules_in_order():
    syllabus = load_syllabus()
    assert [m.id for m in syllabus.modules] == [f"m0{i}" for i in range(10)]
    assert syllabus.modules[0].title == "Start here"
    assert syllabus.modules[3].title.startswith("Calming the body")


def test_each_module_has_objectives_and_a_time_estimate():
    for m in load_syllabus().modules:
        assert 3 <= len(m.objectives) <= 5, m.id
        assert 15 <= m.minutes <= 30, m.id


def test_ready_modules_exist_as_files():
    ready = load_syllabus().ready()
    assert {m.id for m in ready} >= {"m00", "m03"}
    for m in ready:
        assert (SYLLABUS.parent.parent / "modules" / m.file).is_file()


def test_missing_file(tmp_path):
    with pytest.raises(SyllabusError, match="not found"):
        load_syllabus(tmp_path / "nope.yml")


def test_malformed_yaml_names_the_line(tmp_path):
    with pytest.raises(SyllabusError, match="not valid YAML at line"):
        load_syllabus(write(tmp_path, "modules:\n  - id: m00\n    title: [unclosed\n"))


def test_duplicate_id(tmp_path):
    data = {"modules": [dict(RAW["modules"][1]), dict(RAW["modules"][2], id=RAW["modules"][1]["id"])]}
    with pytest.raises(SyllabusError, match="duplicate id 'm01'"):
        load_syllabus(write(tmp_path, data))


def test_unknown_field(tmp_path):
    data = {"modules": [dict(RAW["modules"][1], colour="blue")]}
    with pytest.raises(SyllabusError, match="unknown field.*colour"):
        load_syllabus(write(tmp_path, data))


@pytest.mark.parametrize("field,value,message", [
    ("minutes", "twenty", "minutes must be a whole number"),
    ("minutes", True, "minutes must be a whole number"),
    ("status", "draft", "status must be one of"),
    ("objectives", ["only one"], "objectives must be a list of 3 to 5"),
    ("paths", ["everyone"], "paths must be a non-empty list"),
    ("file", "01.ipynb", "MyST .md notebook"),
])
def test_bad_values(tmp_path, field, value, message):
    data = {"modules": [dict(RAW["modules"][1], **{field: value})]}
    with pytest.raises(SyllabusError, match=message):
        load_syllabus(write(tmp_path, data))


def test_ready_module_without_its_file(tmp_path):
    data = {"modules": [dict(RAW["modules"][0], status="ready")]}
    with pytest.raises(SyllabusError, match="marked ready but"):
        load_syllabus(write(tmp_path, data), modules_dir=tmp_path)
