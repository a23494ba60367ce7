"""The learner's private store: what a learner keeps, and what they never lose."""
import json
import random
import re
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course import store as store_mod
from course.store import MIGRATIONS, Store, StoreError, data_dir, open_store, store_path
from course.validate import html_text as escape_text

SCRIPT = "<script>alert(1)</script>"
TEXTS = {
    "emoji": "Feeling 🙂 then 😢, holding on 🫶🏽 👩‍❤️‍👨",
    "arabic": "أشعر بالأمان معك اليوم",
    "hebrew": "אני מרגישה קרובה יותר",
    "mixed direction": "trust = ثقة = אמון (10/10)",
    "html": SCRIPT + ' & "quotes" <b>bold</b>',
    "whitespace": "  line one\r\nline two\n\n\ttabbed  ",
    "markdown fence": "```\nnot code\n```",
    "long": "x" * 99_990 + "🙂 end.",
}
T0 = datetime(2024, 3, 1, 20, 30, tzinfo=UTC)


def count(store, table):
    """Rows in a table, read by a separate connection as another program would."""
    if not store.path.exists():
        return 0
    with closing(sqlite3.connect(store.path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def sg_files(folder):
    return sorted(p.name for p in folder.glob("steady-ground.sqlite3*"))


# -- where the data lives


def test_data_lives_in_steady_ground_home_and_is_not_created_early(steady_ground_home,
                                                                   monkeypatch):
    home = steady_ground_home / "not yet"
    monkeypatch.setenv("STEADY_GROUND_HOME", str(home))
    assert data_dir() == home
    assert store_path() == home / "steady-ground.sqlite3"
    store = open_store()
    assert store.path == store_path()
    assert not home.exists()
    store.add_checkin("calm", 5)
    assert store.path.is_file()
    assert store.schema_version == len(MIGRATIONS)
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_data_dir_falls_back_to_the_user_data_folder(monkeypatch):
    monkeypatch.delenv("STEADY_GROUND_HOME")
    assert data_dir().name == "steady-ground"


def test_unwritable_data_folder_is_a_store_error(steady_ground_home, monkeypatch):
    blocker = steady_ground_home / "a-file"
    blocker.write_text("in the way")
    monkeypatch.setenv("STEADY_GROUND_HOME", str(blocker / "data"))
    with pytest.raises(StoreError, match="data folder could not be used") as err:
        open_store().add_checkin("calm", 5)
    assert str(blocker / "data") in str(err.value)
    assert "Nothing was changed" in str(err.value)
    assert blocker.read_text() == "in the way"


# -- what a learner writes comes back exactly


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_text_round_trips_verbatim_everywhere(store, text):
    checkin = store.add_checkin("trust", 7, note=text)
    entry = store.add_journal(text, module="m01-foundations", prompt=text)
    row = store.checkins()[-1]
    assert (row["id"], row["note"]) == (checkin, text)
    saved = store.journal_entries()[-1]
    assert (saved["id"], saved["text"], saved["prompt"]) == (entry, text, text)


def test_script_is_stored_as_typed_and_escaped_for_display(store):
    store.add_journal(SCRIPT)
    assert store.journal_entries()[0]["text"] == SCRIPT
    assert escape_text(SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape_text('"a" & \'b\'') == "&quot;a&quot; &amp; &#x27;b&#x27;"


def test_checkins_come_back_oldest_first_in_utc(store):
    local_naive = datetime(2024, 3, 2, 9, 0)
    store.add_checkin("calm", 6, at=local_naive)
    store.add_checkin("distress", 3, note="after the talk", at=T0)
    store.add_checkin("calm", 0, at=T0 - timedelta(days=1))
    rows = store.checkins()
    assert [(r["gauge"], r["value"]) for r in rows] == [("calm", 0), ("distress", 3), ("calm", 6)]
    assert rows[1] == {"id": 2, "gauge": "distress", "value": 3, "note": "after the talk", "at": T0}
    assert all(r["at"].tzinfo == UTC for r in rows)
    assert rows[2]["at"] == local_naive.astimezone(UTC)
    assert [r["value"] for r in store.checkins("calm")] == [0, 6]
    assert store.checkins("desire") == []


def test_checkin_without_time_is_now(store):
    before = datetime.now(UTC)
    store.add_checkin("safety", 8)
    assert before <= store.checkins()[0]["at"] <= datetime.now(UTC)


def test_checkins_frame(store):
    empty = store.checkins_frame()
    assert list(empty.columns) == ["at", "gauge", "value", "note"] and empty.empty
    store.add_checkin("closeness", 4, at=T0)
    store.add_checkin("closeness", 9, note="walk together", at=T0 + timedelta(hours=1))
    store.add_checkin("calm", 5, at=T0)
    frame = store.checkins_frame("closeness")
    assert list(frame.columns) == ["at", "gauge", "value", "note"]
    assert frame["value"].tolist() == [4, 9]
    assert frame["at"].iloc[1] == T0 + timedelta(hours=1)
    assert str(frame["at"].dt.tz) == "UTC"


def test_practice_round_trip(store):
    started = datetime(2024, 3, 1, 7, 15, 30, 250000, tzinfo=UTC)
    pid = store.add_practice("breathing", "4-7-8", started, 312.5, 8, before=7, after=3)
    store.add_practice("grounding", "5-4-3-2-1", started - timedelta(days=1), 0, 0)
    rows = store.practices()
    assert rows[1] == {"id": pid, "exercise": "breathing", "pattern": "4-7-8",
                       "started_at": started, "duration_s": 312.5, "cycles": 8,
                       "before": 7, "after": 3}
    assert (rows[0]["before"], rows[0]["after"]) == (None, None)


def test_journal_update_delete_and_search(store):
    first = store.add_journal("Today felt Safer than last ÉTÉ.", module="m02")
    second = store.add_journal("A hard evening.", prompt="What helped?")
    original = store.journal_entries()[0]
    assert original["created_at"] == original["updated_at"]
    store.update_journal(first, "Today felt safer. 🙂")
    updated = store.journal_entries()[0]
    assert updated["text"] == "Today felt safer. 🙂"
    assert updated["created_at"] == original["created_at"] <= updated["updated_at"]
    assert [e["id"] for e in store.journal_entries(search="SAFER")] == [first]
    assert [e["id"] for e in store.journal_entries(search="evening")] == [second]
    assert store.journal_entries(search="nothing like this") == []
    store.delete_journal(first)
    assert [e["id"] for e in store.journal_entries()] == [second]
    assert store.journal_entries(search="été") == []


def test_search_ignores_case_beyond_ascii(store):
    store.add_journal("Un été difficile")
    assert len(store.journal_entries(search="ÉTÉ")) == 1


# -- wrong input is refused, clearly, and nothing is written


def test_rating_message_is_readable(store):
    with pytest.raises(ValueError) as err:
        store.add_checkin("calm", 11)
    assert str(err.value) == "A rating must be a whole number from 0 to 10; got 11."


BAD_CHECKINS = [
    ({"value": 11}, "0 to 10"), ({"value": -1}, "0 to 10"), ({"value": True}, "got True"),
    ({"value": 5.0}, "whole number"), ({"value": "5"}, "whole number"),
    ({"value": None}, "whole number"),
    ({"gauge": "Calm"}, "lowercase"), ({"gauge": ""}, "lowercase"),
    ({"gauge": "a" * 41}, "lowercase"), ({"gauge": "calm down"}, "lowercase"),
    ({"gauge": "calm;DROP"}, "lowercase"), ({"gauge": 3}, "lowercase"),
    ({"note": 42}, "must be text"), ({"note": "x" * 200_001}, "too long"),
    ({"note": "\ud800"}, "cannot be saved"),
    ({"at": "2024-03-01"}, "date and time"), ({"at": 1709300000}, "date and time"),
]


@pytest.mark.parametrize("change, message", BAD_CHECKINS)
def test_bad_checkin_is_refused_and_nothing_written(store, change, message):
    store.add_checkin("calm", 5)
    args = {"gauge": "calm", "value": 5, **change}
    with pytest.raises(ValueError, match=message):
        store.add_checkin(**args)
    assert count(store, "checkins") == 1


BAD_PRACTICES = [
    ({"duration_s": -1}, "24 hours"), ({"duration_s": 86_400}, "24 hours"),
    ({"duration_s": float("nan")}, "24 hours"), ({"duration_s": float("inf")}, "24 hours"),
    ({"duration_s": True}, "24 hours"), ({"duration_s": "60"}, "24 hours"),
    ({"cycles": -1}, "from 0 to"), ({"cycles": 1.5}, "whole number"),
    ({"cycles": False}, "whole number"),
    ({"before": 11}, "'before' rating"), ({"after": -2}, "'after' rating"),
    ({"after": True}, "'after' rating"),
    ({"exercise": ""}, "empty"), ({"exercise": "   "}, "empty"),
    ({"exercise": "x" * 81}, "too long"), ({"pattern": None}, "must be text"),
    ({"started_at": None}, "date and time"), ({"started_at": "now"}, "date and time"),
]


@pytest.mark.parametrize("change, message", BAD_PRACTICES)
def test_bad_practice_is_refused_and_nothing_written(store, change, message):
    good = {"exercise": "breathing", "pattern": "box", "started_at": T0,
            "duration_s": 60, "cycles": 4}
    store.add_practice(**good)
    with pytest.raises(ValueError, match=message):
        store.add_practice(**{**good, **change})
    assert count(store, "practices") == 1


@pytest.mark.parametrize("text, message", [
    ("", "empty"), (" \n\t", "empty"), (None, "must be text"), (b"bytes", "must be text"),
    ("x" * 200_001, "too long"),
])
def test_bad_journal_text_is_refused_and_nothing_changed(store, text, message):
    entry = store.add_journal("kept")
    with pytest.raises(ValueError, match=message):
        store.add_journal(text)
    with pytest.raises(ValueError, match=message):
        store.update_journal(entry, text)
    assert [e["text"] for e in store.journal_entries()] == ["kept"]


def test_longest_allowed_text_is_kept(store):
    text = "é" * 200_000
    store.add_journal(text)
    assert store.journal_entries()[0]["text"] == text


@pytest.mark.parametrize("entry_id", [99, 0, -1, True, "1"])
def test_unknown_journal_entry_is_refused(store, entry_id):
    store.add_journal("kept")
    with pytest.raises(ValueError, match="journal entry number"):
        store.update_journal(entry_id, "changed")
    with pytest.raises(ValueError, match="journal entry number"):
        store.delete_journal(entry_id)
    assert [e["text"] for e in store.journal_entries()] == ["kept"]


# -- damaged, foreign, newer and locked files are never changed


def assert_untouched(path, original, err):
    assert path.read_bytes() == original
    assert sg_files(path.parent) == [path.name]
    assert str(path) in str(err.value) and "Nothing was changed" in str(err.value)


def test_random_bytes_file_is_a_store_error_and_left_alone(steady_ground_home):
    path = store_path()
    original = random.Random(7).randbytes(8192)
    path.write_bytes(original)
    with pytest.raises(StoreError, match="damaged") as err:
        Store(path).add_checkin("calm", 5)
    assert_untouched(path, original, err)


def test_damaged_database_is_a_store_error_and_left_alone(steady_ground_home):
    store = open_store()
    for value in range(10):
        store.add_checkin("calm", value, note="n" * 100)
    store.close()
    data = bytearray(store.path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:2 * page] = random.Random(3).randbytes(page)
    store.path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged") as err:
        Store(store.path).checkins()
    assert_untouched(store.path, bytes(data), err)


def test_someone_elses_database_is_left_alone(steady_ground_home):
    path = store_path()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    original = path.read_bytes()
    with pytest.raises(StoreError, match="not a Steady Ground file") as err:
        open_store().add_checkin("calm", 5)
    assert_untouched(path, original, err)


def test_file_from_a_newer_version_is_left_alone(steady_ground_home):
    path = store_path()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    original = path.read_bytes()
    with pytest.raises(StoreError, match="newer version") as err:
        open_store().checkins()
    assert_untouched(path, original, err)


@pytest.fixture
def other_program(store):
    """Another program holding the write lock on a store with one check-in."""
    store.add_checkin("calm", 4, note="before the lock")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


@pytest.mark.parametrize("fresh", [False, True], ids=["open store", "new store"])
def test_locked_file_is_a_quick_store_error(store, other_program, fresh):
    writer = Store(store.path) if fresh else store
    start = time.monotonic()
    with pytest.raises(StoreError, match="in use by another program") as err:
        writer.add_journal("written while locked")
    assert time.monotonic() - start < 10
    assert str(store.path) in str(err.value) and "Nothing was changed" in str(err.value)
    writer.close()


def test_after_a_lock_is_released_nothing_is_lost(store, other_program):
    with pytest.raises(StoreError):
        store.add_checkin("calm", 9)
    assert [r["value"] for r in store.checkins()] == [4]  # reading still works
    other_program.execute("ROLLBACK")
    store.add_checkin("calm", 6, note="after the lock")
    with closing(Store(store.path)) as again:
        assert [(r["value"], r["note"]) for r in again.checkins()] == [
            (4, "before the lock"), (6, "after the lock")]


# -- schema migrations

V1 = """
CREATE TABLE checkins (id INTEGER PRIMARY KEY, gauge TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10), note TEXT, at TEXT NOT NULL);
CREATE TABLE practices (id INTEGER PRIMARY KEY, exercise TEXT NOT NULL,
    pattern TEXT NOT NULL, started_at TEXT NOT NULL,
    duration_s REAL NOT NULL CHECK (duration_s >= 0), cycles INTEGER NOT NULL CHECK (cycles >= 0),
    before INTEGER CHECK (before BETWEEN 0 AND 10), after INTEGER CHECK (after BETWEEN 0 AND 10));
CREATE TABLE journal (id INTEGER PRIMARY KEY, text TEXT NOT NULL, module TEXT,
    prompt TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO checkins (gauge, value, note, at)
    VALUES ('trust', 3, 'first week', '2024-01-05T21:00:00.000000+00:00');
INSERT INTO journal (text, created_at, updated_at) VALUES
    ('written in version one 🙂', '2024-01-05T21:05:00.000000+00:00',
     '2024-01-05T21:05:00.000000+00:00');
PRAGMA user_version = 1;
"""


def make_v1(path):
    conn = sqlite3.connect(path)
    conn.executescript(V1)
    conn.close()


def test_version_one_file_is_migrated_and_keeps_its_data(steady_ground_home):
    make_v1(store_path())
    store = open_store()
    assert store.schema_version == len(MIGRATIONS) >= 2
    assert [(r["gauge"], r["value"], r["note"]) for r in store.checkins()] == [
        ("trust", 3, "first week")]
    assert store.journal_entries()[0]["text"] == "written in version one 🙂"
    indexes = {r[0] for r in store._db.execute("SELECT name FROM sqlite_master "
                                                "WHERE type = 'index'")}
    assert {"checkins_gauge_at", "journal_created"} <= indexes
    store.add_checkin("trust", 5)
    assert len(store.checkins("trust")) == 2
    store.close()


def test_a_new_migration_is_one_append(steady_ground_home, monkeypatch):
    make_v1(store_path())
    monkeypatch.setattr(store_mod, "MIGRATIONS", [*MIGRATIONS, (
        "CREATE TABLE ladder (id INTEGER PRIMARY KEY, step TEXT NOT NULL)",)])
    store = open_store()
    assert store.schema_version == len(MIGRATIONS) + 1
    assert store._db.execute("SELECT count(*) FROM ladder").fetchone()[0] == 0
    assert store.checkins()[0]["note"] == "first week"
    store.close()


def test_a_failing_migration_changes_nothing(steady_ground_home, monkeypatch):
    path = store_path()
    make_v1(path)
    original = path.read_bytes()
    monkeypatch.setattr(store_mod, "MIGRATIONS", [*MIGRATIONS, (
        "CREATE TABLE half_done (x)", "CREATE TABLE checkins (x)")])
    with pytest.raises(StoreError, match="could not be read or saved"):
        open_store().checkins()
    assert path.read_bytes() == original
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'"
                            ).fetchone() is None
    conn.close()


# -- keeping, exporting and forgetting


def test_data_survives_closing_and_reopening(store):
    store.add_checkin("desire", 2, note="not tonight, and that's okay", at=T0)
    store.add_practice("breathing", "box", T0, 240, 6, before=6, after=4)
    store.add_journal(TEXTS["arabic"], module="m03", prompt="What do you need?")
    saved = (store.checkins(), store.practices(), store.journal_entries())
    store.close()
    again = Store(store.path)
    assert (again.checkins(), again.practices(), again.journal_entries()) == saved
    again.close()


def test_export_writes_everything_and_keeps_text_verbatim(store, tmp_path):
    journal = TEXTS["markdown fence"] + "\n" + SCRIPT + "\n" + TEXTS["hebrew"]
    store.add_checkin("calm", 6, note="a | b " + SCRIPT, at=T0)
    store.add_practice("breathing", "4-7-8", T0, 95.5, 4, before=8, after=5)
    store.add_journal(journal, module="m01", prompt="What felt steady?")
    paths = store.export(tmp_path / "export")
    assert [p.name for p in paths] == ["steady-ground-export.json", "steady-ground-export.md"]
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    assert data["schema_version"] == len(MIGRATIONS)
    assert data["journal"][0]["text"] == journal
    assert data["journal"][0]["prompt"] == "What felt steady?"
    assert data["checkins"][0]["note"] == "a | b " + SCRIPT
    assert datetime.fromisoformat(data["checkins"][0]["at"]) == T0
    assert data["practices"][0]["duration_s"] == 95.5
    markdown = paths[1].read_text(encoding="utf-8")
    assert "\n````text\n" + journal + "\n````\n" in markdown
    assert SCRIPT not in markdown.replace(journal, "")
    assert "a \\| b &lt;script&gt;" in markdown  # the table keeps its columns; no live HTML
    assert "| 2024-03-01 20:30 | breathing | 4-7-8 | 95.5 | 4 | 8 | 5 |" in markdown


def test_export_of_an_empty_store_is_still_readable(store, tmp_path):
    json_path, md_path = store.export(tmp_path)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert (data["checkins"], data["practices"], data["journal"]) == ([], [], [])
    assert md_path.read_text(encoding="utf-8").count("_None yet._") == 4  # check-ins, practice, journal, records


def test_forget_removes_every_file(store, steady_ground_home):
    store.add_checkin("calm", 5)
    store.add_journal("private")
    assert sg_files(steady_ground_home)
    deleted = store.forget()
    assert store.path in deleted
    assert sg_files(steady_ground_home) == []
    assert store.forget() == []
    with closing(Store(store.path)) as again:
        assert again.journal_entries() == []


def test_forget_also_removes_leftover_siblings(steady_ground_home):
    store = open_store()
    store.add_checkin("calm", 5)
    store.close()
    for suffix in ("-wal", "-shm", "-journal"):
        (steady_ground_home / f"steady-ground.sqlite3{suffix}").write_bytes(b"left over")
    assert len(Store(store.path).forget()) == 4
    assert sg_files(steady_ground_home) == []


# -- properties

@given(note=st.text(), journal=st.text().filter(str.strip))
def test_any_text_round_trips_exactly(store, note, journal):
    checkin = store.add_checkin("calm", 5, note=note)
    entry = store.add_journal(journal, prompt=note)
    assert {r["id"]: r["note"] for r in store.checkins()}[checkin] == note
    saved = {e["id"]: e for e in store.journal_entries()}[entry]
    assert (saved["text"], saved["prompt"]) == (journal, note)


@given(value=st.integers())
def test_only_whole_numbers_0_to_10_are_accepted(store, value):
    before = count(store, "checkins")
    if 0 <= value <= 10:
        store.add_checkin("calm", value)
        assert store.checkins()[-1]["value"] == value
        assert count(store, "checkins") == before + 1
    else:
        with pytest.raises(ValueError, match="0 to 10"):
            store.add_checkin("calm", value)
        assert count(store, "checkins") == before


def test_workshop_mode_keeps_data_in_memory_only(monkeypatch, tmp_path):
    """In a workshop, what a participant saves is theirs for the session and never hits the disk."""
    from course.store import MemoryStore

    monkeypatch.setenv("STEADY_GROUND_WORKSHOP", "1")
    from course.store import open_store

    with open_store() as first:
        first.add_checkin("calm", 6, "in the room")
    with open_store() as second:  # a later save in the same session sees it
        assert [c["note"] for c in second.checkins()] == ["in the room"]
    assert list(tmp_path.iterdir()) == []  # STEADY_GROUND_HOME stays empty
    exported = open_store().export(tmp_path / "mine")  # the participant can still download it
    assert "in the room" in exported[0].read_text(encoding="utf-8")
    MemoryStore().forget()
    with open_store() as after:
        assert after.checkins() == []


def test_records_round_trip_update_and_delete():
    """Plans and lists from the practice widgets are kept whole, replaced on save, and exported."""
    from course.store import open_store

    with open_store() as store:
        store.put_record("transparency-plan", "main", {"items": ["share my calendar"], "note": "<i>weekly</i> ✨"})
        store.put_record("transparency-plan", "main", {"items": ["share my calendar", "text when late"]})
        store.put_record("quiz", "m03", {"answers": {"q1": [0]}})
        assert store.get_record("transparency-plan", "main") == {"items": ["share my calendar", "text when late"]}
        assert [r["key"] for r in store.records("quiz")] == ["m03"]
        assert store.delete_record("quiz", "m03") and store.get_record("quiz", "m03") is None
        assert not store.delete_record("quiz", "m03")


@pytest.mark.parametrize("data", [["not", "a", "dict"], {"x": float("nan")}, {"x": object()}])
def test_records_reject_what_is_not_plain_data(data):
    from course.store import open_store

    with open_store() as store:
        with pytest.raises(ValueError):
            store.put_record("plan", "main", data)
        assert store.records() == []


def test_records_are_in_the_export(tmp_path):
    from course.store import open_store

    with open_store() as store:
        store.put_record("repair-plan", "tuesday", {"acknowledge": "I was late & didn't call"})
        json_path, md_path = store.export(tmp_path / "out")
    assert json.loads(json_path.read_text(encoding="utf-8"))["records"][0]["data"]["acknowledge"] == \
        "I was late & didn't call"
    assert "I was late & didn't call" in md_path.read_text(encoding="utf-8")


# -- the Markdown export, rendered: learner text stays text

HOSTILE = {
    "image": "![t](http://example.com/x.png)",
    "link": "[link](javascript:alert(1))",
    "html": '<img src=x onerror="alert(1)">',
    "script": "<script>alert(1)</script>",
    "comment": "<!-- hidden -->",
    "autolink": "<http://example.com/a>",
    "bare addresses": "www.example.com, http://example.com/b and me@example.com",
    "reference": "[x]\n\n[x]: http://example.com/ref",
    "escaped image": "\\![t](http://example.com/y.png)",
    "entity": "&lt;img src=x&gt; &amp;",
    "emphasis": "*not bold* _not italic_ `not code` ~~not struck~~",
    "heading": "# not a heading",
    "pipes": "a | b || c",
    "role and math": "{abbr}`x` $x^2$ [^1]",
}


def rendered_markdown(text):
    """The export as a Markdown viewer shows it (GitHub-like: tables, bare-address links, raw HTML on)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("gfm-like")
    tokens = md.parse(text)
    flat = [t for tok in tokens for t in (tok, *(tok.children or []))]
    return md.render(text), flat


def visible_text(rendered):
    import html as html_mod

    return html_mod.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_learner_text_in_the_markdown_export_never_becomes_an_image_link_or_html(store, tmp_path):
    short = {k: v for k, v in HOSTILE.items() if len(v) <= 80}
    for text in HOSTILE.values():
        store.add_checkin("calm", 5, note=text, at=T0)
    for text in short.values():
        store.add_practice(text, text, T0, 60, 1)
        store.add_journal("An ordinary day.", module=text, prompt=text)
        store.put_record("plan", text, {"note": text})
    markdown = store.export(tmp_path)[1].read_text(encoding="utf-8")
    rendered, tokens = rendered_markdown(markdown)
    made = {t.type for t in tokens}
    assert not made & {"image", "link_open", "html_block"}, sorted(made)
    assert {t.content for t in tokens if t.type == "html_inline"} <= {"<br>"}  # only our own line breaks
    for tag in ("<img", "<a ", "<script", "<!--", "<em>", "<strong>", "<s>", "<del>", "<sup>"):
        assert tag not in rendered
    assert rendered.count("<h1>") == 1  # the export's own title, no other
    assert rendered.count("<code") == rendered.count("<pre><code")  # code only in our own fences
    shown = visible_text(rendered)
    for text in HOSTILE.values():  # and every note still reads as typed
        assert text.replace("\n", "") in shown
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 1 + len(HOSTILE) + 1 + len(short)  # pipes did not add columns or rows


def test_journal_text_stays_in_its_fence_whatever_backticks_it_holds(store, tmp_path):
    texts = ["```\n~~~\nstill my note\n```", "````` five\n`` two ``\n```", "ends with backticks ```",
             "   ```\nindented fence", "<img src=x>\n```\n![t](http://example.com/z.png)"]
    for text in texts:
        store.add_journal(text, prompt=text)
    markdown = store.export(tmp_path)[1].read_text(encoding="utf-8")
    _rendered, tokens = rendered_markdown(markdown)
    fences = [t.content for t in tokens if t.type == "fence"]
    assert fences == [f"{text}\n" for text in texts for _ in range(2)]  # prompt, then entry, whole
    assert not {t.type for t in tokens} & {"image", "link_open", "html_block", "html_inline"}


def test_the_couples_gate_is_never_in_an_export(store, tmp_path):
    from course.store import PRIVATE_KINDS

    assert "couples-gate" in PRIVATE_KINDS
    store.put_record("couples-gate", "device", {"state": "closed", "until": "2024-03-02T08:00:00+00:00"})
    store.put_record("safety-check", "latest", {"result": "concern"})
    store.put_record("repair-plan", "tuesday", {"acknowledge": "I was late."})
    json_path, md_path = store.export(tmp_path)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert [(r["kind"], r["key"]) for r in data["records"]] == [("repair-plan", "tuesday")]
    for path in (json_path, md_path):
        text = path.read_text(encoding="utf-8")
        assert "couples" not in text and "concern" not in text and "closed" not in text
        assert "I was late" in text
    assert {r["kind"] for r in store.records()} == {"couples-gate", "safety-check", "repair-plan"}  # still kept
