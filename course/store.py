"""The learner's private data: one local SQLite file, schema versioned.

Nothing here is sent anywhere. Text is stored exactly as typed and never
rendered; display code escapes it with course.validate's html_text and markdown_text.
"""
from __future__ import annotations

import json
import numbers
import os
import sqlite3
import time
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path

import platformdirs

try:
    import fcntl
except ImportError:  # Windows: no folder lock; opening still retries a busy file instead of failing at once
    fcntl = None

from course import validate as v
from course.validate import MAX_LABEL, MAX_TEXT, markdown_text

FILE_NAME = "steady-ground.sqlite3"
SIBLING_SUFFIXES = ("-journal", "-wal", "-shm")  # SQLite's companions of the file; the -wal holds recent text
SETTINGS_FILE = "settings.json"   # small choices such as discreet titles; never notes
EXPORTS_FILE = "exports.json"     # where `course export` wrote copies (paths only), so forget can find them
FORGET_MARK = "forget-unfinished"
"""An empty file in the data folder while `course forget` deletes: if it is still there, a forget was
stopped (a closed terminal, a crash, a kill) and the next run says so and finishes it. No notes in it."""
EXPORT_NAMES = ("steady-ground-export.json", "steady-ground-export.md")
PRIVATE_KINDS = frozenset({
    "couples-gate",   # the couples safety gate's operational state: never the learner's notes
    "safety-check",   # the old one-person check's record (deleted by migration 4)
})
"""Record kinds that are kept only for the course's own use and never exported."""
BUSY_TIMEOUT_S = 2.0
MAX_ID = 2 ** 63 - 1  # SQLite's largest row number: a larger one names no entry
MAX_CYCLES = 100_000  # breathing cycles in one practice (under a day long): far more than any real one
MAX_DEPTH = 64        # how deeply a record's lists and mappings may nest, so it always reads back
CHECKPOINT_WAIT_MS = 100  # a checkpoint waits this long for readers, then is retried later
_TIME_COLUMNS = {"at", "started_at", "created_at", "updated_at"}
_HEADINGS = {"at": "when (UTC)", "started_at": "started (UTC)", "duration_s": "seconds"}

MIGRATIONS: list[tuple[str, ...]] = [
    # 1: check-ins, practice sessions, journal entries
    ("""CREATE TABLE checkins (id INTEGER PRIMARY KEY, gauge TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10), note TEXT, at TEXT NOT NULL)""",
     """CREATE TABLE practices (id INTEGER PRIMARY KEY, exercise TEXT NOT NULL,
        pattern TEXT NOT NULL, started_at TEXT NOT NULL,
        duration_s REAL NOT NULL CHECK (duration_s >= 0),
        cycles INTEGER NOT NULL CHECK (cycles >= 0),
        before INTEGER CHECK (before BETWEEN 0 AND 10),
        after INTEGER CHECK (after BETWEEN 0 AND 10))""",
     """CREATE TABLE journal (id INTEGER PRIMARY KEY, text TEXT NOT NULL, module TEXT,
        prompt TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"""),
    # 2: indexes for reading check-ins by gauge and the journal by date
    ("CREATE INDEX checkins_gauge_at ON checkins (gauge, at)",
     "CREATE INDEX journal_created ON journal (created_at)"),
    # 3: structured records of the practice widgets (quiz answers, plans, lists, ladders)
    ("""CREATE TABLE records (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL,
        data TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        UNIQUE (kind, key))""",),
    # 4: the old one-person safety check kept its result ("clear" or "concern") under this kind.
    # The check for two (course/gate.py) never keeps a concern, so an old one is deleted for good.
    ("DELETE FROM records WHERE kind = 'safety-check'",),
]
"""Schema history, one tuple of SQL statements per version. To change the schema, append."""


class StoreError(RuntimeError):
    """The data file could not be used; the message says why and where."""


def data_dir() -> Path:
    """``$STEADY_GROUND_HOME`` if set, else the platform's user data folder."""
    home = os.environ.get("STEADY_GROUND_HOME")
    return Path(home or platformdirs.user_data_dir("steady-ground", appauthor=False)).expanduser()


def store_path() -> Path:
    return data_dir() / FILE_NAME


def store_files(path: Path | None = None) -> list[Path]:
    """The data file and every sibling SQLite may make next to it (existing or not)."""
    path = Path(path) if path is not None else store_path()
    return [path, *(path.with_name(path.name + s) for s in SIBLING_SUFFIXES)]


# -- small files next to the data: settings and the list of exports
def _read_json(path: Path, default):
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default  # missing or damaged: start from the default, never fail to open the course
    return value if isinstance(value, type(default)) else default


def _write_json(path: Path, value) -> None:
    """Write whole or not at all (a temporary file renamed over the old one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"{path} could not be saved ({exc.strerror}).") from exc


def load_settings() -> dict:
    """The learner's remembered choices, e.g. {"discreet_titles": True}; {} when none."""
    return _read_json(data_dir() / SETTINGS_FILE, {})


def save_settings(**changes) -> dict:
    for name, value in changes.items():
        try:
            json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError, RecursionError):
            raise ValueError(f"The setting {v.shown(name)} must be plain data (text, a number, "
                             "true or false).") from None
    settings = {**load_settings(), **changes}
    _write_json(data_dir() / SETTINGS_FILE, settings)
    return settings


def remember_export(folder: Path, files: list[Path], made_folder: bool) -> None:
    """Note where an export went, so `course forget` can say so and offer to delete it."""
    entry = {"folder": str(Path(folder).resolve()), "made_folder": bool(made_folder),
             "files": [str(Path(f).resolve()) for f in files]}
    kept = []
    for e in remembered_exports():
        if str(e["folder"]) == entry["folder"]:  # exported there again: the folder is still the one we made
            entry["made_folder"] = entry["made_folder"] or e["made_folder"]
        else:
            kept.append({"folder": str(e["folder"]), "made_folder": e["made_folder"],
                         "files": [str(f) for f in e["files"]]})
    _write_json(data_dir() / EXPORTS_FILE, [*kept, entry])


def remembered_exports() -> list[dict]:
    """Every export this device remembers: folder, files (our own names only), made_folder."""
    entries = []
    for e in _read_json(data_dir() / EXPORTS_FILE, []):
        if not (isinstance(e, dict) and isinstance(e.get("folder"), str) and isinstance(e.get("files"), list)):
            continue
        folder = Path(e["folder"])
        # Only files named as an export writes them, in that folder: a changed list cannot aim elsewhere.
        files = [Path(f) for f in e["files"] if isinstance(f, str)
                 and Path(f).name in EXPORT_NAMES and Path(f).parent == folder]
        entries.append({"folder": folder, "files": files, "made_folder": e.get("made_folder") is True})
    return entries


def existing_exports() -> list[dict]:
    """The remembered exports of which at least one file is still there."""
    return [e for e in remembered_exports() if any(f.exists() for f in e["files"])]


def delete_export(entry: dict) -> bool:
    """Delete the files an export wrote, and its folder if the export made it and it is now empty.

    Returns True when the folder is gone too (or was not ours); False when other files keep it.
    Never deletes anything the export did not write.
    """
    for path in entry["files"]:
        _erase(path)
    if not entry["made_folder"]:
        return True
    try:
        entry["folder"].rmdir()
    except FileNotFoundError:
        return True
    except OSError:
        return False  # someone put other files in it: those are not ours to delete
    return True


def forget_lists() -> list[Path]:
    """Delete the settings and exports list from the data folder; return the ones deleted."""
    gone = [p for p in (data_dir() / SETTINGS_FILE, data_dir() / EXPORTS_FILE) if p.exists()]
    for path in gone:
        _erase(path)
    return gone


def _erase(path: Path) -> None:
    """Overwrite a file with zeros, then delete it. The overwrite is best effort: on most SSDs
    and on copy-on-write disks (such as a Mac's) the old blocks may remain until reused."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as f:
            chunk = 1 << 20
            f.writelines(b"\0" * min(chunk, size - start) for start in range(0, size, chunk))
            f.flush()
            os.fsync(f.fileno())
    except FileNotFoundError:
        return
    except OSError:
        pass  # cannot overwrite (e.g. read-only): still delete it below
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StoreError(f"{path} could not be deleted ({exc.strerror}).") from exc


WORKSHOP_ENV = "STEADY_GROUND_WORKSHOP"


def open_store() -> Store:
    """The learner's store: their own file, or in workshop mode this session's memory."""
    if os.environ.get(WORKSHOP_ENV) == "1":
        return MemoryStore()
    return Store(store_path())


# -- validation: every write checks its input with course/validate.py before it touches the file
def _record_json(data) -> str:
    """A record's data as the JSON text stored for it, which reads back as the same data
    (lists for tuples); ValueError in plain words otherwise."""
    if not isinstance(data, dict):
        raise ValueError(f"A record must be a mapping of fields; got {v.shown(data)}.")
    stack = [(data, 1)]
    while stack:  # no recursion: a deep or circular record is refused, never a RecursionError
        value, depth = stack.pop()
        if isinstance(value, dict):
            if not all(isinstance(name, str) for name in value):  # 1 and "1" would both become "1"
                raise ValueError("A record's field names must be text.")
            value = value.values()
        elif not isinstance(value, (list, tuple)):
            continue
        if depth > MAX_DEPTH:
            raise ValueError(f"A record is nested too deeply (at most {MAX_DEPTH} levels).")
        stack.extend((item, depth + 1) for item in value)
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise ValueError("A record can hold only text, finite numbers, true or false, null, lists and "
                         "mappings.") from None
    return v.text(text, "A record", required=True, limit=MAX_TEXT * 5)


def _entry_id(value) -> int | None:
    """A journal entry number as given (a whole number from 1), or None when it is too large to name one."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and value > MAX_ID:
        return None
    return v.whole(value, "A journal entry number", 1)


def _folder_text(folder) -> str:
    """A folder as a message names it: whole when it is short, else its last 40 characters."""
    text = str(folder)
    return text if len(text) <= 80 else f"…{text[-40:]}"


def _now() -> str:
    return v.now_text()


# -- Markdown export: learner text is fenced (journal) or escaped (tables, headings), never live
def _cell(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return markdown_text(value) if isinstance(value, str) else str(value)


def _table(rows: list[dict], title: str) -> list[str]:
    head = [k for k in rows[0] if k != "id"] if rows else []
    names = [_HEADINGS.get(k, k) for k in head]
    return [f"## {title}", "", *(["| " + " | ".join(names) + " |", "|" + " --- |" * len(head)]
            + ["| " + " | ".join(_cell(r[k]) for k in head) + " |" for r in rows]
            if rows else ["_None yet._"]), ""]


EXPORT_TITLE = "Steady Ground: my course data"
NOTES_TITLE = "My notes"
"""The title of a workshop page's "Save my notes" file: neutral, for a device others may use."""
NOTHING_YET = "Nothing is written on this page yet."
NOTE_KINDS = ("checkins", "practices", "journal", "records")
"""The parts of an export that hold what the learner wrote or chose."""


def _markdown(data: dict, title: str = EXPORT_TITLE, made: str = "Exported") -> str:
    lines = [f"# {title}", "",
             f"{made} {data['exported_at'][:16].replace('T', ' ')} UTC. "
             "This file is private: keep it somewhere safe.", "",
             *_table(data["checkins"], "Check-ins"),
             *_table(data["practices"], "Practice sessions"), "## Journal entries", ""]
    for e in data["journal"]:
        module = f" ({_cell(e['module'])})" if e["module"] else ""
        lines += [f"### {_cell(e['created_at'])}{module}", ""]
        if e["prompt"] is not None:
            lines += ["Prompt:", "", v.fence(e["prompt"]), ""]
        lines += [v.fence(e["text"]), ""]
    if not data["journal"]:
        lines += ["_None yet._", ""]
    lines += ["## Plans, lists and answers", ""]
    for r in data.get("records", []):
        lines += [f"### {_cell(r['kind'])}: {_cell(r['key'])} (saved {_cell(r['updated_at'])})", "",
                  v.fence(json.dumps(r["data"], ensure_ascii=False, indent=2)), ""]
    if not data.get("records"):
        lines += ["_None yet._", ""]
    return "\n".join(lines)


def has_notes(data: dict) -> bool:
    """True when an export's data (Store.export_data) holds anything the learner wrote or chose."""
    return any(data.get(part) for part in NOTE_KINDS)


def notes_markdown(data: dict) -> str:
    """The "Save my notes" file of a workshop page: the export's Markdown under a neutral title
    (no course or module name), or a short file that says nothing is written yet."""
    if not has_notes(data):
        return "\n".join([f"# {NOTES_TITLE}", "", f"{NOTHING_YET} Saved "
                          f"{data['exported_at'][:16].replace('T', ' ')} UTC.", ""])
    return _markdown(data, NOTES_TITLE, "Saved")


class Store:
    """Check-ins, practice sessions and journal entries in one file, which is
    opened (created and migrated when needed) on first use."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else store_path()
        self._conn: sqlite3.Connection | None = None

    # -- connection, errors, transactions
    def _fail(self, what: str) -> StoreError:
        return StoreError(f"{what} File: {self.path}. Nothing was changed.")

    def _damaged(self) -> StoreError:
        if (self.path.parent / FORGET_MARK).exists():  # its first blocks were already overwritten
            return self._fail("An earlier 'course forget' was stopped before it finished, so this file "
                              "is partly erased. Run 'course forget' again to finish it.")
        return self._fail("Your course data file is damaged or is not a Steady Ground file, "
                          "so it was not opened and was left exactly as it is. Move it aside "
                          "to start afresh, or ask for help recovering it.")

    def _error(self, exc: sqlite3.Error | OSError) -> StoreError:
        msg = str(exc)
        if isinstance(exc, OSError):
            return self._fail(f"The data folder could not be used ({exc.strerror}).")
        if _busy(exc):
            return self._fail(f"Your course data is in use by another program (still locked after "
                              f"{BUSY_TIMEOUT_S:g} s). Close other course windows and try again.")
        if "not a database" in msg or "malformed" in msg:
            return self._damaged()
        return self._fail(f"Your course data could not be read or saved ({msg}).")

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        with self._mapped():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            existed = self.path.exists()
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            try:
                _secure(conn)
                conn.row_factory = sqlite3.Row
                if existed and conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise self._damaged()
                if not _ready(conn):  # new, older or not yet in WAL mode: one process at a time makes it ready
                    with _folder_lock(self.path.parent):
                        self._migrate(conn)
                        _use_wal(conn)
            except BaseException:
                conn.close()
                raise
        self._conn = conn
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        if conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
            return  # up to date: no write lock needed just to open
        with self._transaction(conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise self._fail("Your course data was saved by a newer version of Steady "
                                 f"Ground (schema {version}); update the course to open it.")
            if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise self._damaged()  # someone else's database: leave it alone
            for statement in (s for m in MIGRATIONS[version:] for s in m):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    @contextmanager
    def _mapped(self):
        """Turn SQLite's and the file system's errors into a StoreError a learner can read."""
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            raise self._error(exc) from exc

    def _turn(self):
        """Wait for this process's turn to write (the data folder's lock): pages writing at once take turns,
        where SQLite's own waiting (sleeps of up to 0.1 s) let one wait past BUSY_TIMEOUT_S while others
        wrote (5 of 1,811 writes of 8 pages at once failed "still locked")."""
        return _folder_lock(self.path.parent)

    @contextmanager
    def _transaction(self, conn: sqlite3.Connection | None = None):
        """One transaction: all of it is saved, or none of it. Given `conn` (a migration), the caller
        already holds the folder's lock."""
        turn = self._turn() if conn is None else nullcontext()
        conn = self._db if conn is None else conn
        with self._mapped(), turn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    _checkpoint_due = False

    def _checkpoint(self) -> bool:
        """Copy the write-ahead log into the file and empty it, so text just deleted or replaced
        is not left in the -wal file. Never raises: when another connection (a second kernel)
        is mid-read it cannot finish, and it is tried again at the next change and at close."""
        conn = self._conn
        if conn is None:
            return True
        try:
            conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
            try:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            finally:
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        except sqlite3.Error:
            busy = 1
        self._checkpoint_due = bool(busy)
        return not busy

    def _rows(self, sql: str, params=()) -> list[dict]:
        with self._mapped():
            rows = self._db.execute(sql, params).fetchall()
        return [{k: datetime.fromisoformat(r[k]) if k in _TIME_COLUMNS else r[k]
                 for k in r.keys()} for r in rows]  # noqa: SIM118 (a Row iterates its values)

    def _insert(self, table: str, **values) -> int:
        marks = ", ".join("?" * len(values))
        sql = f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})"
        with self._transaction() as conn:
            return conn.execute(sql, tuple(values.values())).lastrowid

    @property
    def schema_version(self) -> int:
        return self._rows("PRAGMA user_version")[0]["user_version"]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            if self._checkpoint_due:
                self._checkpoint()
            self._conn.close()
            self._conn = None

    # -- check-ins
    def add_checkin(self, gauge: str, value: int, note: str | None = None,
                    at: datetime | None = None) -> int:
        return self._insert("checkins", gauge=v.gauge(gauge), value=v.rating(value),
                            note=v.text(note, "A note"),
                            at=_now() if at is None else v.utc_text(at, "The check-in time"))

    def checkins(self, gauge: str | None = None) -> list[dict]:
        """Oldest first; ``at`` is a UTC datetime."""
        where, params = ("WHERE gauge = ?", (v.gauge(gauge),)) if gauge is not None else ("", ())
        return self._rows(f"SELECT id, gauge, value, note, at FROM checkins {where} "
                          "ORDER BY at, id", params)

    def checkins_frame(self, gauge: str | None = None):
        """Check-ins as a pandas DataFrame with columns at, gauge, value, note."""
        import pandas as pd

        frame = pd.DataFrame(self.checkins(gauge), columns=["at", "gauge", "value", "note"])
        frame["at"] = pd.to_datetime(frame["at"], utc=True)
        frame["value"] = frame["value"].astype("int64")
        return frame

    # -- practice sessions
    def add_practice(self, exercise: str, pattern: str, started_at: datetime,
                     duration_s: float, cycles: int, before: int | None = None,
                     after: int | None = None) -> int:
        return self._insert(
            "practices", exercise=v.label(exercise, "The exercise name"),
            pattern=v.label(pattern, "The pattern name"),
            started_at=v.utc_text(started_at, "The start time"), duration_s=v.seconds(duration_s),
            cycles=v.whole(cycles, "The number of cycles", 0, MAX_CYCLES),
            before=v.rating(before, "The 'before' rating", optional=True),
            after=v.rating(after, "The 'after' rating", optional=True))

    def practices(self) -> list[dict]:
        """Oldest first; ``started_at`` is a UTC datetime."""
        return self._rows("SELECT id, started_at, exercise, pattern, duration_s, cycles, "
                          "before, after FROM practices ORDER BY started_at, id")

    # -- journal
    def add_journal(self, text: str, module: str | None = None,
                    prompt: str | None = None) -> int:
        now = _now()
        return self._insert("journal", text=v.text(text, "A journal entry", required=True),
                            module=v.text(module, "The module id", limit=MAX_LABEL),
                            prompt=v.text(prompt, "The prompt"), created_at=now, updated_at=now)

    def _change_journal(self, entry_id: int, sql: str, params: tuple) -> None:
        number = _entry_id(entry_id)
        with self._transaction() as conn:
            if number is None or conn.execute(sql, (*params, number)).rowcount == 0:
                raise ValueError(f"There is no journal entry number {v.shown(entry_id)}.")
        self._checkpoint()  # the old text must not stay behind in the -wal file

    def has_journal(self, entry_id: int) -> bool:
        """True while journal entry `entry_id` exists (it may have been deleted on another page).

        False for any whole number from 1 that names no entry; ValueError for what is not an entry number."""
        number = _entry_id(entry_id)
        return number is not None and bool(self._rows("SELECT 1 FROM journal WHERE id = ?", (number,)))

    def update_journal(self, entry_id: int, text: str) -> None:
        self._change_journal(entry_id, "UPDATE journal SET text = ?, updated_at = ? WHERE id = ?",
                             (v.text(text, "A journal entry", required=True), _now()))

    def delete_journal(self, entry_id: int) -> None:
        self._change_journal(entry_id, "DELETE FROM journal WHERE id = ?", ())

    # -- records: one JSON document per (kind, key), e.g. ("quiz", "m03"), ("transparency-plan", "main")
    def put_record(self, kind: str, key: str, data: dict) -> int:
        """Create or replace one record; ``data`` must be a JSON object (text kept verbatim)."""
        kind, key, text = v.gauge(kind), v.label(key, "The record key"), _record_json(data)
        now = _now()
        with self._transaction() as conn:
            conn.execute("INSERT INTO records (kind, key, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                         "ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data, "
                         "updated_at = excluded.updated_at", (kind, key, text, now, now))
            record_id = conn.execute("SELECT id FROM records WHERE kind = ? AND key = ?", (kind, key)).fetchone()[0]
        self._checkpoint()  # a replaced record's old text must not stay behind in the -wal file
        return record_id

    def swap_record(self, kind: str, key: str, expect: dict, data: dict) -> bool:
        """Replace one record only if it still holds exactly ``expect``, in one transaction.

        True when replaced; False (nothing written) when it was changed or deleted meanwhile.
        """
        kind, key, text = v.gauge(kind), v.label(key, "The record key"), _record_json(data)
        with self._transaction() as conn:
            row = conn.execute("SELECT data FROM records WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            if row is None or json.loads(row[0]) != expect:
                return False
            conn.execute("UPDATE records SET data = ?, updated_at = ? WHERE kind = ? AND key = ?",
                         (text, _now(), kind, key))
        self._checkpoint()
        return True

    def records(self, kind: str | None = None) -> list[dict]:
        """Oldest first; each has id, kind, key, data (a dict), created_at, updated_at."""
        where, params = ("WHERE kind = ?", (v.gauge(kind),)) if kind is not None else ("", ())
        rows = self._rows(f"SELECT id, kind, key, data, created_at, updated_at FROM records {where} "
                          "ORDER BY created_at, id", params)
        return [{**r, "data": json.loads(r["data"])} for r in rows]

    def get_record(self, kind: str, key: str) -> dict | None:
        """The data of one record, or None when there is none."""
        found = self._rows("SELECT data FROM records WHERE kind = ? AND key = ?",
                           (v.gauge(kind), v.label(key, "The record key")))
        return json.loads(found[0]["data"]) if found else None

    def delete_record(self, kind: str, key: str) -> bool:
        """Delete one record; True when there was one."""
        with self._transaction() as conn:
            gone = conn.execute("DELETE FROM records WHERE kind = ? AND key = ?",
                                (v.gauge(kind), v.label(key, "The record key"))).rowcount > 0
        self._checkpoint()
        return gone

    def journal_entries(self, search: str | None = None) -> list[dict]:
        """Oldest first; ``search`` keeps entries whose text contains it, ignoring case."""
        needle = (v.text(search, "The search") or "").casefold()
        rows = self._rows("SELECT id, text, module, prompt, created_at, updated_at "
                          "FROM journal ORDER BY created_at, id")
        return [r for r in rows if needle in r["text"].casefold()]

    # -- export and forget
    def export_data(self) -> dict:
        """Everything the learner wrote or chose, as an export holds it (times as UTC datetimes).

        Records of PRIVATE_KINDS (the couples gate's state) are the course's, not notes: left out.
        """
        return {"schema_version": self.schema_version, "exported_at": _now(),
                "checkins": self.checkins(), "practices": self.practices(),
                "journal": self.journal_entries(),
                "records": [r for r in self.records() if r["kind"] not in PRIVATE_KINDS]}

    def export(self, folder: Path) -> list[Path]:
        """Write the learner's notes (:meth:`export_data`) to JSON and to readable Markdown in ``folder``."""
        if isinstance(folder, str) and not folder.strip():
            raise ValueError("The export folder must be a folder's path; got nothing.")
        try:
            folder = Path(folder)
        except TypeError:
            raise ValueError(f"The export folder must be a folder's path; got {v.shown(folder)}.") from None
        data = self.export_data()
        json_name, md_name = EXPORT_NAMES
        out = {folder / json_name: json.dumps(
                   data, default=datetime.isoformat, ensure_ascii=False, indent=2),
               folder / md_name: _markdown(data)}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for path, text in out.items():
                path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"The export could not be written to {_folder_text(folder)} "
                             f"({exc.strerror}). Your course data is unchanged.") from exc
        except ValueError:  # a NUL or a lone surrogate in the path
            raise ValueError("The export folder's path holds a character no folder name can have.") from None
        return list(out)

    def forget(self) -> list[Path]:
        """Close, then delete the data file and every sibling that exists, whichever are left
        (a run that was stopped halfway is finished by the next). Returns what was deleted.

        Each file is overwritten with zeros in place before it is deleted (best effort against
        undelete tools). No checkpoint first: it would empty the -wal by truncating it, which
        frees its blocks with the notes still in them. Siblings go first, the main file last.
        Reuse starts empty.
        """
        self.close()
        deleted = [p for p in reversed(store_files(self.path)) if p.exists()]
        for path in deleted:
            _erase(path)
        return deleted


def _ready(conn: sqlite3.Connection) -> bool:
    """True when the file is at the latest schema and in WAL mode: opening it then needs no lock at all."""
    return (conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
            and conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal")


def _busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode (kept in the file, so this happens once). SQLite answers a mode change
    "busy" at once, without waiting, while another connection reads: it is tried again for a while."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.01)


@contextmanager
def _folder_lock(folder: Path):
    """Hold the data folder's own lock (flock on the folder, no extra file): the processes that open a
    new or older file at the same moment (a pool of kernels starting) create, migrate and switch it to
    WAL one after another, never together, and writers take turns. Released by the system if the process dies.
    Waits up to twice BUSY_TIMEOUT_S, then the file counts as in use (sqlite3's "locked")."""
    try:
        fd = os.open(folder, os.O_RDONLY) if fcntl is not None else None
    except OSError:  # a folder that cannot be opened for reading: SQLite's own locking still guards the file
        fd = None
    if fd is None:
        yield
        return
    try:
        deadline = time.monotonic() + 2 * BUSY_TIMEOUT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise sqlite3.OperationalError("database is locked") from None
                time.sleep(0.001)
            except OSError:  # a file system without flock (some network shares): go on without it
                break
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _secure(conn: sqlite3.Connection) -> None:
    """Deleted text is overwritten with zeros, whatever this platform's SQLite does by default
    (Debian's has it on; the macOS and Windows builds do not)."""
    conn.execute("PRAGMA secure_delete = ON")


class MemoryStore(Store):
    """Workshop mode: a participant's data lives in their own kernel's memory.

    Nothing reaches the server's disk; it is gone when the session ends. All
    MemoryStores in one kernel share the data, like Stores sharing one file.
    """

    _URI = "file:steady-ground-session?mode=memory&cache=shared"
    _keeper: sqlite3.Connection | None = None  # keeps the shared memory alive for the kernel's life

    def __init__(self):
        self.path = Path("memory:this-session-only")
        self._conn = None

    def _turn(self):
        return nullcontext()  # one kernel's memory: no folder, no other process

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            with self._mapped():
                if MemoryStore._keeper is None:
                    MemoryStore._keeper = sqlite3.connect(self._URI, uri=True, check_same_thread=False)
                    _secure(MemoryStore._keeper)
                conn = sqlite3.connect(self._URI, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                _secure(conn)
                conn.row_factory = sqlite3.Row
                self._migrate(conn)
            self._conn = conn
        return self._conn

    def forget(self) -> list[Path]:
        """Empty this session's data; there are no files to delete."""
        with self._transaction() as conn:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                conn.execute(f'DELETE FROM "{table}"')
        self.close()
        return []
