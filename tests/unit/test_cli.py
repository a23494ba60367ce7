"""The `course` command: what a learner or facilitator sees at the terminal."""
import json
import os
import re
import socket
import subprocess
import sys

from course import cli, syllabus
from course.store import open_store, store_path

COURSE = [sys.executable, "-m", "course.cli"]


def run(*args, **env):
    full_env = {**os.environ, **{k: str(v) for k, v in env.items()}}
    return subprocess.run([*COURSE, *args], capture_output=True, text=True, env=full_env, stdin=subprocess.DEVNULL,
                          timeout=120)


def one_clear_line(result):
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("course: ")
    return lines[0]


def test_unknown_command():
    result = run("frobnicate")
    assert result.returncode == 2
    line = one_clear_line(result)
    assert "unknown command 'frobnicate'" in line and "start" in line


def test_port_in_use_is_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("start", "--no-browser", "--port", str(port))
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in one_clear_line(result)


def test_workshop_port_in_use_too():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("workshop", "--host", "127.0.0.1", "--port", str(port))
    assert result.returncode == 1
    assert "already in use" in one_clear_line(result)


def test_missing_syllabus(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(syllabus, "SYLLABUS", tmp_path / "gone.yml")
    assert cli.main(["notebooks"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("course: Syllabus not found") and "Traceback" not in err


def test_malformed_syllabus(monkeypatch, tmp_path, capsys):
    bad = tmp_path / "syllabus.yml"
    bad.write_text("modules: [\n")
    monkeypatch.setattr(syllabus, "SYLLABUS", bad)
    assert cli.main(["notebooks"]) == 1
    assert "is not valid YAML" in capsys.readouterr().err


def test_unwritable_data_folder(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run("export", "--to", str(tmp_path / "out"), STEADY_GROUND_HOME=blocker / "data")
    assert result.returncode == 1
    line = one_clear_line(result)
    assert str(blocker / "data") in line


def test_start_refuses_an_unwritable_data_folder_before_serving(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("start", "--no-browser", "--port", str(port), STEADY_GROUND_HOME=blocker / "data")
    assert result.returncode == 1
    one_clear_line(result)


def test_export_writes_markdown_and_json(tmp_path, capsys):
    store = open_store()
    store.add_checkin("calm", 7, "after the walk 🌿")
    store.add_journal("<b>not bold</b> שלום")
    store.close()
    out = tmp_path / "export"
    assert cli.main(["export", "--to", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert any(name.endswith(".json") for name in files) and any(name.endswith(".md") for name in files)
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert "<b>not bold</b> שלום" in json.dumps(data, ensure_ascii=False)
    assert "after the walk 🌿" in next(out.glob("*.md")).read_text(encoding="utf-8")


def test_forget_needs_confirmation_then_deletes_everything(tmp_path):
    store = open_store()
    store.add_checkin("calm", 4)
    store.close()
    refused = run("forget")
    assert refused.returncode == 1 and "--yes" in one_clear_line(refused)
    assert store_path().exists()
    done = run("forget", "--yes")
    assert done.returncode == 0, done.stderr
    leftovers = [p for p in store_path().parent.iterdir() if p.name.startswith(store_path().name)]
    assert leftovers == []


def test_notebooks_command_writes_ready_modules(capsys):
    assert cli.main(["notebooks"]) == 0
    from course.notebooks import NOTEBOOKS

    names = {p.name for p in NOTEBOOKS.glob("*.ipynb")}
    assert names == {f"{m.stem}.ipynb" for m in syllabus.load_syllabus().ready()} | {"glossary.ipynb"}


# -- where an export goes


def make_dry_run(*args):
    """The command a make target runs (dry run; the venv stamp is taken as up to date)."""
    from course import ROOT

    result = subprocess.run(["make", "-s", "-n", "-o", ".venv/.installed", *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "course" in line]


def test_make_export_passes_nothing_that_puts_the_copy_in_the_repository():
    assert make_dry_run("export") == [".venv/bin/course export"]


def test_export_goes_to_the_documents_folder_not_the_current_folder(tmp_path, monkeypatch, capsys):
    from course.store import EXPORTS_FILE, data_dir

    docs, here = tmp_path / "Documents", tmp_path / "repo"
    docs.mkdir()
    here.mkdir()
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(docs))
    monkeypatch.chdir(here)
    with open_store() as store:
        store.add_journal("a note only I should read")
    assert cli.main(["export"]) == 0
    assert list(here.iterdir()) == []
    [folder] = docs.iterdir()
    assert re.fullmatch(r"steady-ground-export-\d{4}-\d\d-\d\d-\d{6}", folder.name)
    assert "a note only I should read" in (folder / "steady-ground-export.md").read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert str(folder / "steady-ground-export.md") in out  # the learner is told where it went
    listed = (data_dir() / EXPORTS_FILE).read_text(encoding="utf-8")
    assert str(folder) in listed and "a note only I should read" not in listed  # paths only


def test_export_falls_back_to_home_and_never_into_the_repository(tmp_path, monkeypatch):
    from course import ROOT

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(ROOT)
    for documents in (tmp_path / "no-such-folder", ROOT / "book"):  # missing; inside the repository
        monkeypatch.setattr("platformdirs.user_documents_dir", lambda d=documents: str(d))
        assert cli.main(["export"]) == 0
        assert not list(ROOT.glob("steady-ground-export*")) and not list(documents.glob("steady-ground-export*"))
    assert len(list(home.glob("steady-ground-export-*/steady-ground-export.md"))) >= 1


def test_export_to_a_chosen_folder(tmp_path):
    out = tmp_path / "my copies"
    assert cli.main(["export", "--to", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["steady-ground-export.json", "steady-ground-export.md"]
