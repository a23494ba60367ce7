"""Deleted means deleted: what a learner deletes is gone from every file on the device,
`course forget` finishes whatever is left, and copies made by `course export` are found.

The byte searches read the files as anyone with the device could: the data file, its
-wal and its -shm, while the store is still open (as a kernel holds it) and after.
"""
import json
import sqlite3
import time
from pathlib import Path

import pytest

from course import cli
from course import store as store_mod
from course.store import EXPORTS_FILE, Store, open_store, remembered_exports, store_files, store_path

SECRET = "violet-harbour-2291"  # a distinctive word in the text the learner deletes
NOTE = f"What I never said out loud: {SECRET}, and how it felt."


def residue(path: Path) -> list[str]:
    """Names of the store's files that still hold the secret."""
    return [f.name for f in store_files(path) if f.exists() and SECRET.encode() in f.read_bytes()]


def sg_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("steady-ground.sqlite3*"))


@pytest.fixture(params=["platform default", "secure_delete off by default"])
def sqlite_default(request, monkeypatch):
    """Debian's SQLite zeroes deleted text by default; the macOS and Windows builds do not.
    The second case makes every new connection start with it off, as those builds do."""
    if request.param != "platform default":
        secure_delete_off_by_default(monkeypatch)
    return request.param


def secure_delete_off_by_default(monkeypatch) -> None:
    """Every new SQLite connection starts with secure_delete off, as on macOS and Windows."""
    real = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn
    monkeypatch.setattr(sqlite3, "connect", connect)


def delete_entry(store, ids):
    store.delete_journal(ids["journal"])


def edit_entry(store, ids):
    store.update_journal(ids["journal"], "Rewritten: nothing to see here.")


def delete_plan(store, ids):
    assert store.delete_record("repair-plan", "tuesday")


def replace_plan(store, ids):
    store.put_record("repair-plan", "tuesday", {"acknowledge": "A newer plan."})


CHANGES = [delete_entry, edit_entry, delete_plan, replace_plan]


def write_secret(store) -> dict:
    store.add_journal("An ordinary day.")  # so the file is not empty afterwards
    ids = {"journal": store.add_journal(NOTE, module="m08", prompt="What do you want to say?")}
    store.put_record("repair-plan", "tuesday", {"acknowledge": NOTE})
    assert residue(store.path), "the secret must be on disk before the change, or the search proves nothing"
    return ids


@pytest.mark.parametrize("change", CHANGES)
def test_deleted_or_replaced_text_is_in_no_file_while_open_and_after_close(sqlite_default, change):
    store = Store()
    ids = write_secret(store)
    if change in (delete_entry, edit_entry):  # the other copy lives in the record; remove it first
        delete_plan(store, ids)
    else:
        delete_entry(store, ids)
    change(store, ids)
    assert residue(store.path) == [], "the text is still readable in a file while the course is open"
    assert SECRET not in json.dumps([store.journal_entries(), store.records()], default=str)
    store.close()
    assert residue(store.path) == [], "the text is still readable in a file after the course closed"


@pytest.mark.parametrize("change", [delete_entry, edit_entry])
def test_deleted_text_is_gone_with_a_second_kernel_holding_the_store(sqlite_default, change):
    writer, other = Store(), Store()
    writer.add_journal("An ordinary day.")
    assert other.journal_entries()[0]["text"] == "An ordinary day."  # the second kernel has it open
    ids = {"journal": writer.add_journal(NOTE)}
    assert [e["text"] for e in other.journal_entries()][-1] == NOTE
    assert residue(writer.path)
    change(other, ids)  # the other kernel deletes or rewrites it
    assert residue(writer.path) == []
    writer.close()
    assert residue(other.path) == []
    other.close()
    assert residue(other.path) == []


def test_a_busy_reader_does_not_stop_a_delete_and_the_text_goes_at_close(sqlite_default):
    store = Store()
    store.add_journal("An ordinary day.")
    entry = store.add_journal(NOTE)
    reader = sqlite3.connect(store.path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM journal").fetchone()[0] == 2  # mid-read, like a second kernel
    start = time.monotonic()
    store.delete_journal(entry)  # must not raise, nor wait for the reader
    assert time.monotonic() - start < 1.5
    assert [e["text"] for e in store.journal_entries()] == ["An ordinary day."]
    reader.execute("COMMIT")
    store.close()  # the checkpoint that could not finish is done now
    assert residue(store.path) == []
    reader.close()
    assert residue(store.path) == []


@pytest.mark.parametrize("broken", ["no secure_delete", "no checkpoint"])
def test_the_byte_search_catches_a_store_that_leaves_text_behind(monkeypatch, broken):
    """The old store: secure_delete left to the platform (here off) and no checkpoint."""
    secure_delete_off_by_default(monkeypatch)
    if broken == "no secure_delete":
        monkeypatch.setattr(store_mod, "_secure", lambda conn: None)
    else:
        monkeypatch.setattr(Store, "_checkpoint", lambda self: True)
    store = Store()
    store.add_journal("An ordinary day.")
    store.delete_journal(store.add_journal(NOTE))
    assert residue(store.path), "the search would not notice text left behind"
    store.close()


def test_every_connection_turns_secure_delete_on(sqlite_default):
    store = Store()
    store.add_checkin("calm", 5)
    assert store._db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    store.close()


# -- course forget finishes the job, whatever is left


def test_a_forget_stopped_after_the_main_file_is_finished_by_the_next(capsys):
    """Stopped right after it deleted the main file, forget left the -wal, which holds notes."""
    store = open_store()
    store.add_journal(NOTE)
    wal = store.path.with_name(store.path.name + "-wal")
    left_behind = wal.read_bytes()
    assert SECRET.encode() in left_behind
    store.close()
    store.path.unlink()
    wal.write_bytes(left_behind)
    assert cli.main(["forget", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Nothing to delete" not in out
    assert "Deleted 1 file(s)." in out
    assert sg_files(store.path.parent) == []


def test_a_forget_stopped_halfway_is_finished_by_running_it_again(monkeypatch, capsys):
    store = open_store()
    store.add_journal(NOTE)
    other = Store(store.path)  # a kernel still holds it: -wal and -shm exist
    other.journal_entries()
    assert len(sg_files(store.path.parent)) == 3
    real_erase, erased = store_mod._erase, []

    def stopped(path):
        if erased:
            raise KeyboardInterrupt  # Ctrl+C, a closed terminal, a crash
        erased.append(path)
        real_erase(path)
    monkeypatch.setattr(store_mod, "_erase", stopped)
    with pytest.raises(KeyboardInterrupt):
        cli.main(["forget", "--yes"])
    assert 0 < len(sg_files(store.path.parent)) < 3
    monkeypatch.setattr(store_mod, "_erase", real_erase)
    capsys.readouterr()
    assert cli.main(["forget", "--yes"]) == 0
    assert "Nothing to delete" not in capsys.readouterr().out
    assert sg_files(store.path.parent) == []
    other.close()
    assert sg_files(store.path.parent) == []


def test_forget_overwrites_before_it_deletes(steady_ground_home):
    """An undelete tool finds zeros, not notes, where a forgotten file was (best effort)."""
    store = open_store()
    store.add_journal(NOTE)
    path = store.path
    store.close()
    seen = {}
    real_unlink = Path.unlink

    def unlink(self, *args, **kwargs):
        if self.name.startswith(path.name):
            seen[self.name] = self.read_bytes()
        return real_unlink(self, *args, **kwargs)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "unlink", unlink)
        Store(path).forget()
    assert seen and all(set(data) <= {0} for data in seen.values())


# -- exports: where they go, and forget finds them


@pytest.fixture
def documents(tmp_path, monkeypatch):
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr("platformdirs.user_documents_dir", lambda: str(folder))
    return folder


def export(*args) -> Path:
    assert cli.main(["export", *args]) == 0
    return Path(remembered_exports()[-1]["folder"])


def test_forget_lists_copies_and_yes_deletes_them(documents, tmp_path, capsys):
    with open_store() as store:
        store.add_journal(NOTE)
    first = export()
    own = tmp_path / "my folder"
    own.mkdir()
    (own / "taxes.pdf").write_bytes(b"not the course's")
    second = export("--to", str(own))
    capsys.readouterr()
    assert cli.main(["forget", "--yes"]) == 0
    out = capsys.readouterr().out
    assert str(first) in out and str(second) in out  # says plainly which copies still exist
    assert "Deleted the copies you saved." in out
    assert not first.exists()  # the dated folder export made is gone
    assert sorted(p.name for p in own.iterdir()) == ["taxes.pdf"]  # the learner's own file stays
    assert not (store_path().parent / EXPORTS_FILE).exists()
    assert sg_files(store_path().parent) == []


@pytest.mark.parametrize("answer", ["no", "yes"])
def test_forget_asks_about_copies_and_does_what_the_learner_says(documents, monkeypatch, capsys, answer):
    with open_store() as store:
        store.add_journal(NOTE)
    copy = export()
    answers = iter(["forget", answer])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    capsys.readouterr()
    assert cli.main(["forget"]) == 0
    out = capsys.readouterr().out
    if answer == "no":
        assert "Your saved copies were kept" in out and str(copy) in out
        assert SECRET in (copy / "steady-ground-export.md").read_text(encoding="utf-8")
    else:
        assert not copy.exists()
    assert not (store_path().parent / EXPORTS_FILE).exists()  # the list goes either way
    assert sg_files(store_path().parent) == []


def test_forget_with_only_copies_left_still_offers_them(documents, capsys):
    with open_store() as store:
        store.add_journal(NOTE)
    copy = export()
    Store(store_path()).forget()  # the notes file is already gone
    capsys.readouterr()
    assert cli.main(["forget", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Nothing to delete" not in out and not copy.exists()


def test_a_copy_the_learner_already_deleted_is_not_mentioned(documents, capsys):
    with open_store() as store:
        store.add_journal(NOTE)
    copy = export()
    for path in copy.iterdir():
        path.unlink()
    copy.rmdir()
    capsys.readouterr()
    assert cli.main(["forget", "--yes"]) == 0
    out = capsys.readouterr().out
    assert str(copy) not in out and "copies" not in out


def test_a_changed_list_cannot_make_forget_delete_other_files(tmp_path, capsys):
    """The list is only paths; forget deletes only files named as an export writes them."""
    precious = tmp_path / "elsewhere"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    (precious / "steady-ground-export.md").write_text("an old copy")
    listed = [str(precious / "thesis.docx"), str(precious / "steady-ground-export.md"), "/etc/passwd"]
    store_path().parent.mkdir(parents=True, exist_ok=True)
    (store_path().parent / EXPORTS_FILE).write_text(json.dumps(
        [{"folder": str(precious), "made_folder": True, "files": listed}, {"folder": "/", "files": ["/x"]}]))
    assert cli.main(["forget", "--yes"]) == 0
    assert sorted(p.name for p in precious.iterdir()) == ["thesis.docx"]


def test_a_page_opened_after_a_stopped_forget_says_to_finish_it_not_that_the_file_is_damaged(steady_ground_home):
    """A forget killed after it overwrote the file's first blocks leaves a file SQLite cannot read. The page
    the learner opens next must point to the fix (run forget again), not to recovering a damaged file."""
    with open_store() as s:
        s.add_journal("to be forgotten")
    path = store_path()
    with path.open("r+b") as f:
        f.write(b"\0" * 4096)  # what the erase does first
    (steady_ground_home / store_mod.FORGET_MARK).touch()
    with pytest.raises(store_mod.StoreError) as stopped:
        Store().journal_entries()
    assert "An earlier 'course forget' was stopped" in str(stopped.value) and "damaged" not in str(stopped.value)
    (steady_ground_home / store_mod.FORGET_MARK).unlink()
    with pytest.raises(store_mod.StoreError) as damaged:
        Store().journal_entries()
    assert "damaged" in str(damaged.value)
