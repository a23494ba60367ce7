"""Discreet titles: what browser history would record, page by page, and that the choice is kept."""
import json
import re
import subprocess

import nbformat
import pytest

from course import cli
from course.notebooks import DISCREET_TITLE, GLOSSARY, build_notebooks, output_dirs, page_names, write_voila_template
from course.store import SETTINGS_FILE, data_dir, load_settings
from course.syllabus import load_syllabus
from tests.unit.conftest import rendered_landing


def subject_words(syllabus) -> set[str]:
    """Words that would tell someone what a page is about: module titles and file names."""
    words = set()
    for m in syllabus.modules:
        words |= {w for w in re.split(r"[^a-z]+", f"{m.title} {m.stem}".lower()) if len(w) > 3}
    return words | {"steady", "ground", "glossary", "sexual", "betrayal"}


@pytest.fixture(scope="module")
def discreet_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("notes")
    written = build_notebooks(out, discreet=True)
    template = write_voila_template(load_syllabus(), tmp_path_factory.mktemp("jp"), discreet=True)
    return written, template


def test_discreet_names_are_numbers_only():
    syllabus = load_syllabus()
    names = page_names(syllabus, discreet=True)
    for number, module in enumerate(syllabus.modules):
        if module.ready:
            assert names[module.stem] == f"notes-{number:02d}"
    assert names[GLOSSARY] == "notes-glossary"
    assert page_names(syllabus)[GLOSSARY] == GLOSSARY  # the usual names are unchanged


def test_discreet_pages_are_titled_notes_and_named_neutrally(discreet_build):
    written, _template = discreet_build
    syllabus = load_syllabus()
    words = subject_words(syllabus) - {"glossary"}
    assert len(written) == len(syllabus.ready()) + 1
    for path in written:
        assert re.fullmatch(r"notes-(\d\d|glossary)\.ipynb", path.name)
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["title"] == DISCREET_TITLE  # what Voila puts in <title>
        for cell in nb.cells:  # links between pages follow the neutral names
            for target in re.findall(r"\]\(([^)#]+\.ipynb)", cell.source):
                assert re.fullmatch(r"notes-(\d\d|glossary)\.ipynb", target), target
    assert not words & set(re.split(r"[^a-z]+", " ".join(p.name for p in written)))


def test_discreet_landing_page_is_titled_notes_and_links_to_numbers(discreet_build):
    _written, template = discreet_build
    tree = rendered_landing(template)
    assert re.findall(r"<title>(.*?)</title>", tree) == [DISCREET_TITLE]
    links = re.findall(r'href="/voila/render/([^"]+)"', tree)
    ready = load_syllabus().ready()
    assert len(links) == len(ready) + 1
    assert all(re.fullmatch(r"notes-(\d\d|glossary)\.ipynb", link) for link in links), links


def test_usual_landing_page_keeps_the_course_title(tmp_path):
    tree = rendered_landing(write_voila_template(load_syllabus(), tmp_path))
    assert re.findall(r"<title>(.*?)</title>", tree) == ["Steady Ground: the course"]
    assert "voila/render/03-calming-the-body.ipynb" in tree


def test_discreet_build_has_its_own_folders():
    usual, discreet = output_dirs(False), output_dirs(True)
    assert not set(usual) & set(discreet)


# -- the setting: chosen once, kept by the next `make start`


@pytest.fixture
def served(monkeypatch):
    """Run `course start` up to launching Voila; record which build it would serve."""
    calls = []
    monkeypatch.setattr(cli, "_notebooks", lambda discreet=False: calls.append(("built", discreet)))
    monkeypatch.setattr(cli, "_run", lambda argv, env=None: calls.append(("voila", argv, env)) or 0)

    def start(*flags):
        calls.clear()
        assert cli.main(["start", "--no-browser", "--port", "0", *flags]) == 0
        (_, discreet), (_, argv, env) = calls
        notebooks, jupyter_path = output_dirs(discreet)
        assert str(notebooks) in argv and env["JUPYTER_PATH"].startswith(str(jupyter_path))
        return discreet
    return start


def test_discreet_titles_are_remembered_until_turned_off(served, capsys):
    assert served() is False  # off unless chosen
    assert served("--discreet-titles") is True
    assert 'every page is called "Notes"' in capsys.readouterr().out
    assert served() is True  # the next start keeps it
    assert json.loads((data_dir() / SETTINGS_FILE).read_text()) == {"discreet_titles": True}
    assert served("--no-discreet-titles") is False
    assert served() is False


def test_a_damaged_settings_file_means_the_usual_titles(served):
    data_dir().mkdir(parents=True, exist_ok=True)
    (data_dir() / SETTINGS_FILE).write_text("{not json")
    assert load_settings() == {}
    assert served() is False
    assert served("--discreet-titles") is True


def test_forget_deletes_the_setting_and_says_titles_are_back(served, capsys):
    served("--discreet-titles")
    capsys.readouterr()
    assert cli.main(["forget", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Discreet titles are off again" in out
    assert not (data_dir() / SETTINGS_FILE).exists()


@pytest.mark.parametrize("value, flag", [("1", ["--discreet-titles"]), ("0", ["--no-discreet-titles"]),
                                         ("", [])])
def test_make_start_passes_discreet(value, flag):
    from course import ROOT

    result = subprocess.run(["make", "-s", "-n", "-o", ".venv/.installed", "start", f"DISCREET={value}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    [line] = [line for line in result.stdout.splitlines() if "course start" in line]
    assert line.split()[2:] == flag
