"""kill -9 at random moments: while the learner's store is written, while it is migrated, while it is forgotten.

A child process (_kill_child.py) does the work and is killed with SIGKILL after a random delay; then this
process opens the store as the course does and checks what a learner would keep or lose. Each test's
random delays come from a seeded random.Random whose seed is in every failure message (SG_KILL_SEED=N
reruns one). Sizes: size(quick, deep) rounds from conftest.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course import ROOT
from course.store import EXPORTS_FILE, MIGRATIONS, SETTINGS_FILE, Store, store_files
from tests.reliability.conftest import size

CHILD = Path(__file__).with_name("_kill_child.py")
SEED = int(os.environ.get("SG_KILL_SEED") or random.SystemRandom().randrange(1 << 30))
LATEST = len(MIGRATIONS)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL and POSIX processes")


class Child:
    """One _kill_child.py process: started, ready (imports done), told to go, then killed or waited for."""

    def __init__(self, job: str, **args):
        self.log = Path(args["log"])
        self.proc = subprocess.Popen([sys.executable, str(CHILD), job, json.dumps(args)], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline()
        if line != b"ready\n":
            self.proc.kill()
            raise AssertionError(f"the {job} child did not start: {self.proc.communicate()[1].decode()[-2000:]}")

    def go(self) -> float:
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()
        return time.perf_counter()

    def kill(self) -> bool:
        """SIGKILL; True when it was still running (the kill landed in its work)."""
        running = self.proc.poll() is None
        self.proc.kill()
        self.proc.wait()
        if not running and self.proc.returncode != 0:
            raise AssertionError(f"the child failed on its own: {self.proc.communicate()[1].decode()[-2000:]}")
        return running

    def finish(self) -> float:
        """Wait for it to end by itself (a run nobody kills); seconds from go to the end of its work
        (as it logged it: the process's own exit takes longer and is of no interest)."""
        started = time.time()
        self.go()
        _out, err = self.proc.communicate(timeout=120)
        assert self.proc.returncode == 0, err.decode()[-2000:]
        return self.ended() - started

    def ended(self) -> float | None:
        """When a migrate or forget child logged the end of its work (time.time()); None if it did not."""
        lines = self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
        return json.loads(lines[-1][2:])["ended"] if lines else None


class Timing:
    """When to kill a job that takes a few milliseconds: at a random moment within the median of the times it
    took, from "go" to the end of its work, in runs nobody killed and in every round the kill came too late for
    (so a first run slowed by a busy machine does not send every kill after the end)."""

    def __init__(self, rng: random.Random, runs: list[float]):
        self.rng, self.runs = rng, runs

    @property
    def seconds(self) -> float:
        return statistics.median(self.runs)

    def kill(self, child: Child) -> bool:
        """Go, wait, SIGKILL; True when the kill landed before the end of the work."""
        started = time.time()
        child.go()
        time.sleep(self.rng.uniform(0.0, self.seconds))
        child.kill()
        ended = child.ended()
        if ended is not None:
            self.runs.append(ended - started)
        return ended is None


def read_log(path: Path) -> tuple[list[tuple[dict, object]], dict | None]:
    """The writes acknowledged (op, result), and the one under way when the kill came (or None)."""
    done, pending = [], None
    if not path.exists():
        return done, pending
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not line.endswith("\n"):
            break  # cannot happen (one write per line), but never trust half a line
        mark, value = line[0], json.loads(line[2:])
        if mark == "I":
            assert pending is None, "two writes under way at once"
            pending = value
        else:
            assert pending is not None, "an acknowledgement without its write"
            done.append((pending, value["result"]))
            pending = None
    return done, pending


def state(store: Store) -> dict:
    """What the learner would see: their journal, check-ins and records."""
    return {"journal": {e["id"]: (e["text"], e["module"], e["prompt"]) for e in store.journal_entries()},
            "checkins": {c["id"]: (c["gauge"], c["value"], c["note"]) for c in store.checkins()},
            "records": {(r["kind"], r["key"]): r["data"] for r in store.records()}}


def apply(model: dict, op: dict, result) -> dict:
    """The model after one write (a new dict; the model is not changed)."""
    new = {part: dict(rows) for part, rows in model.items()}
    j, c, r = new["journal"], new["checkins"], new["records"]
    match op["op"]:
        case "add_journal":
            j[result] = (op["text"], op["module"], op["prompt"])
        case "update_journal":
            j[op["id"]] = (op["text"], *j[op["id"]][1:])
        case "delete_journal":
            del j[op["id"]]
        case "add_checkin":
            c[result] = (op["gauge"], op["value"], op["note"])
        case "put_record" | "swap_record":
            r[op["kind"], op["key"]] = op["data"]
        case "delete_record":
            del r[op["kind"], op["key"]]
    return new


def new_id(model: dict, found: dict, op: dict):
    """For an add that was under way: the id it got, if it was committed (one new row)."""
    part = {"add_journal": "journal", "add_checkin": "checkins"}.get(op["op"])
    if part is None:
        return None
    fresh = set(found[part]) - set(model[part])
    return max(fresh) if len(fresh) == 1 else None


def integrity(store: Store) -> str:
    return store._db.execute("PRAGMA integrity_check").fetchone()[0]


def describe(model: dict, found: dict) -> str:
    """Which rows differ, by id and size only: never the learner's (here: generated) text in full."""
    lines = []
    for part in model:
        lost = sorted(set(model[part]) - set(found[part]), key=str)
        extra = sorted(set(found[part]) - set(model[part]), key=str)
        changed = sorted((k for k in set(model[part]) & set(found[part]) if model[part][k] != found[part][k]), key=str)
        if lost or extra or changed:
            lines.append(f"{part}: lost {lost[:10]}, unexpected {extra[:10]}, changed {changed[:10]}")
    return "; ".join(lines)


# -- 1. a writer killed mid-write, round after round, on the same data folder


def test_a_writer_killed_at_random_loses_nothing_it_reported_saved(steady_ground_home, tmp_path):
    from widgets.journal import Journal

    rng = random.Random(SEED)
    rounds = size(25, 150)
    model = {"journal": {}, "checkins": {}, "records": {}}
    acked = under_way = committed_under_way = 0
    for n in range(rounds):
        where = f"(seed {SEED}, round {n + 1} of {rounds})"
        log = tmp_path / f"log-{n}"
        child = Child("write", log=str(log), seed=rng.randrange(1 << 30), tag=f"r{n}")
        child.go()
        time.sleep(rng.uniform(0.0, 0.25))
        child.kill()

        done, pending = read_log(log)
        for op, result in done:
            model = apply(model, op, result)
        acked += len(done)
        with Store() as store:
            found = state(store)
            assert integrity(store) == "ok", f"the data file is damaged after a kill {where}"
        if found != model and pending is not None:  # the write under way may have been committed
            committed = apply(model, pending, new_id(model, found, pending))
            if found == committed:
                model, committed_under_way = committed, committed_under_way + 1
        under_way += pending is not None
        if found != model:  # (not a plain assert: pytest would print every text in both)
            pytest.fail(f"after a kill {where}, the store does not hold exactly what was reported saved "
                        f"(plus perhaps the write under way): {describe(model, found)}", pytrace=False)
        page = Journal(module="m03", prompts=["What did you notice?"])  # the page opens it, as a learner would
        try:
            assert not page.error, f"the journal page says {page.status!r} {where}"
            assert [e["id"] for e in page.entries] == sorted(
                (i for i, e in model["journal"].items() if e[1] == "m03"), reverse=True), where
        finally:
            page.close()
    print(f"\nkill -9 writer: seed {SEED}, {rounds} rounds, {acked} acknowledged writes, all present; "
          f"{under_way} kills mid-write ({committed_under_way} of those writes had committed)")
    assert acked >= rounds, f"too few writes to prove anything (seed {SEED})"
    assert under_way >= rounds // 3, f"too few kills landed inside a write (seed {SEED})"


# -- 2. a store killed while it is migrated from each older schema version


def build(path: Path, version: int, rng: random.Random) -> None:
    """A data file as an older course left it, with a realistic amount of notes (enough that the
    migration takes long enough for a kill to land inside it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for statement in (s for m in MIGRATIONS[:version] for s in m):
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    day = "2025-{:02d}-{:02d}T{:02d}:{:02d}:00+00:00"
    when = [day.format(1 + i % 12, 1 + i % 28, i % 24, i % 60) for i in range(30_000)]
    conn.executemany("INSERT INTO checkins (gauge, value, note, at) VALUES (?, ?, ?, ?)",
                     [(rng.choice(("calm", "trust", "safety")), rng.randint(0, 10),
                       rng.choice((None, f"note {i} ünïcode 🙂")), when[i]) for i in range(size(12_000, 30_000))])
    conn.executemany("INSERT INTO practices (exercise, pattern, started_at, duration_s, cycles, before, after) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [("breathing", "4-7-8", when[i], 60.0 + i, i % 9, i % 11, (i + 3) % 11) for i in range(300)])
    conn.executemany("INSERT INTO journal (text, module, prompt, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                     [(f"entry {i} " + "we talked and it felt steady. " * rng.randint(1, 60), f"m0{1 + i % 8}",
                       None, when[i], when[i]) for i in range(size(2_000, 5_000))])
    if version >= 3:
        conn.executemany("INSERT INTO records (kind, key, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                         [(kind, f"k{i}", json.dumps({"answers": [i, "ça va"], "text": "plan " * 40}), when[i],
                           when[i]) for i in range(200) for kind in ("quiz", "ladder")])
        # the old one-person check, once per visit: migration 4 deletes every one of them
        conn.executemany("INSERT INTO records (kind, key, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                         [("safety-check", f"visit-{i}", json.dumps({"result": "concern", "pad": "x" * 200}),
                           when[i], when[i]) for i in range(size(3_000, 8_000))])
    conn.execute("COMMIT")
    conn.close()


def contents(conn: sqlite3.Connection) -> dict:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY id")]
            for t in ("checkins", "practices", "journal", "records") if t in tables}


def schema(conn: sqlite3.Connection) -> set:
    return {tuple(r) for r in conn.execute("SELECT type, name, sql FROM sqlite_master")}


@pytest.mark.parametrize("version", range(LATEST))
def test_a_migration_killed_at_random_recovers_with_every_row(version, tmp_path):
    rng = random.Random(SEED * 10 + version)
    rounds = size(8, 60)
    template = tmp_path / "template.sqlite3"
    if version:
        build(template, version, rng)
        with sqlite3.connect(template) as conn:
            expected = contents(conn)
        if "records" in expected:
            expected["records"] = [r for r in expected["records"] if r[1] != "safety-check"]
    else:
        expected = {}
    with Store(tmp_path / "fresh" / "new.sqlite3") as fresh:
        latest_schema = schema(fresh._db)

    def prepare(n: int) -> Path:
        home = tmp_path / f"home-{n}"
        home.mkdir()
        if version:
            shutil.copyfile(template, home / "steady-ground.sqlite3")
        return home

    timing = Timing(rng, [Child("migrate", home=str(prepare(-1 - i)), log=str(tmp_path / f"log-calibrate-{i}"))
                          .finish() for i in range(3)])
    inside, n, needed = 0, 0, rounds // 4
    # A busy machine can send most kills after the end of a migration of a few milliseconds (version 0:
    # 1 of 8 landed inside in one make test). Rounds go on, up to four times as many, until enough did.
    while n < rounds or (inside < needed and n < rounds * 4):
        where = (f"(version {version}, seed {SEED}, round {n + 1} of at least {rounds}, "
                 f"migration takes {timing.seconds:.3f} s)")
        home = prepare(n)
        inside += timing.kill(Child("migrate", home=str(home), log=str(tmp_path / f"log-{n}")))
        with Store(home / "steady-ground.sqlite3") as store:
            assert store.schema_version == LATEST, where
            assert integrity(store) == "ok", f"the data file is damaged after a kill {where}"
            assert schema(store._db) == latest_schema, f"tables or indexes differ from a new store's {where}"
            found = contents(store._db)
        for table, rows in found.items():
            if rows != expected.get(table, []):
                pytest.fail(f"{table}: {len(rows)} rows, not the {len(expected.get(table, []))} it had "
                            f"{where}", pytrace=False)
        n += 1
    print(f"\nkill -9 during migration from version {version}: seed {SEED}, {n} rounds, "
          f"{inside} killed mid-migration, migration takes {timing.seconds:.3f} s")
    assert inside >= needed, f"too few kills landed inside the migration (seed {SEED}, version {version}, {n} rounds)"


# -- 3. `course forget` killed at random; the next run finishes and says so


def data_folder_files(home: Path) -> list[str]:
    return sorted(p.name for p in home.iterdir()) if home.exists() else []


def test_a_forget_killed_at_random_is_finished_by_the_next_and_says_so(tmp_path, monkeypatch, capsys):
    from course import cli
    from course.store import save_settings

    rng = random.Random(SEED)
    rounds = size(8, 50)
    # one set of files to start each round from: a data file with a -wal and -shm (a kernel was killed)
    base = tmp_path / "base"
    monkeypatch.setenv("STEADY_GROUND_HOME", str(base))
    with Store() as store:
        for i in range(40):
            store.add_journal(f"entry {i}: " + "what I could not say out loud. " * 500, module="m03")
            store.put_record("quiz", f"k{i}", {"answers": [i] * 200})
    holder = sqlite3.connect(base / "steady-ground.sqlite3")
    holder.execute("INSERT INTO journal (text, created_at, updated_at) VALUES ('last words', ?, ?)",
                   ("2026-11-26T19:00:00+00:00",) * 2)
    holder.commit()
    snapshot = {p.name: p.read_bytes() for p in store_files(base / "steady-ground.sqlite3") if p.exists()}
    holder.close()
    assert sorted(snapshot) == ["steady-ground.sqlite3", "steady-ground.sqlite3-shm", "steady-ground.sqlite3-wal"]

    def prepare(n: int) -> tuple[Path, Path, Path]:
        home, made, mine = (tmp_path / f"r{n}" / name for name in ("data", "export-made", "my-folder"))
        home.mkdir(parents=True)
        for name, data in snapshot.items():
            (home / name).write_bytes(data)
        monkeypatch.setenv("STEADY_GROUND_HOME", str(home))
        save_settings(discreet_titles=True)
        mine.mkdir()
        (mine / "taxes.pdf").write_bytes(b"the learner's own file")
        assert cli.main(["export", "--to", str(made)]) == 0
        assert cli.main(["export", "--to", str(mine)]) == 0
        for name, data in snapshot.items():  # the export's open and close emptied the -wal: as it was again
            (home / name).write_bytes(data)
        assert sorted(data_folder_files(home)) == sorted([*snapshot, EXPORTS_FILE, SETTINGS_FILE])
        return home, made, mine

    runs = []
    for i in range(3):
        home, made, mine = prepare(-1 - i)
        runs.append(Child("forget", home=str(home), log=str(tmp_path / f"log-calibrate-{i}")).finish())
        assert data_folder_files(home) == [] and not made.exists()
    timing = Timing(rng, runs)
    seen = {"before": 0, "midway": 0, "after": 0}
    n, needed = 0, rounds // 3
    while n < rounds or (seen["midway"] < needed and n < rounds * 4):  # as the migration test: enough landed inside
        where = f"(seed {SEED}, round {n + 1} of at least {rounds}, forget takes {timing.seconds:.3f} s)"
        home, made, mine = prepare(n)
        everything = data_folder_files(home)
        timing.kill(Child("forget", home=str(home), log=str(tmp_path / f"log-{n}")))
        left = data_folder_files(home)
        copies_left = made.exists() or len(list(mine.iterdir())) > 1
        when = ("before" if left == everything and made.exists() and (mine / "steady-ground-export.md").exists()
                else "after" if not left and not copies_left else "midway")
        seen[when] += 1

        capsys.readouterr()
        status = cli.main(["forget", "--yes"])  # the learner runs it again
        out, err = capsys.readouterr()
        assert status == 0 and not err, f"the second forget failed {where}: {err}"
        assert data_folder_files(home) == [], f"left in the data folder {where}: {data_folder_files(home)}"
        assert not made.exists(), f"the folder export made is still there {where}: {list(made.iterdir())}"
        assert sorted(p.name for p in mine.iterdir()) == ["taxes.pdf"], f"in the learner's own folder {where}"
        if when == "after":
            assert "There is no saved data on this device. Nothing to delete." in out, where
        else:
            assert f"Nothing of yours is left in {home}." in out, f"the second forget said {out!r} {where}"
        if when == "midway":
            assert "An earlier 'course forget' was stopped before it finished." in out, \
                f"a second forget after one stopped {sorted(set(everything) - set(left))} did not say so: " \
                f"{out!r} {where}"
            assert "The earlier 'course forget' is now finished." in out, where
        n += 1
    print(f"\nkill -9 during course forget: seed {SEED}, {n} rounds, killed {seen}, "
          f"forget takes {timing.seconds:.3f} s")
    assert seen["midway"] >= needed, f"too few kills landed inside the forget (seed {SEED}, {n} rounds): {seen}"


def test_a_forget_stopped_between_a_copys_files_and_its_folder_is_finished_by_the_next(tmp_path, monkeypatch, capsys):
    """The narrowest gap the random kills above can land in, hit every time: the copy's files are gone,
    the dated folder export made is not, and no file in the list names anything that still exists."""
    from course import cli

    with Store() as store:
        store.add_journal("a note")
    made = tmp_path / "copy"
    assert cli.main(["export", "--to", str(made)]) == 0
    real_rmdir = Path.rmdir

    def stopped(self):
        if self == made:
            raise KeyboardInterrupt  # the kill, in-process
        return real_rmdir(self)
    with monkeypatch.context() as m:
        m.setattr(Path, "rmdir", stopped)
        with pytest.raises(KeyboardInterrupt):
            cli.main(["forget", "--yes"])
    assert made.is_dir() and not any(made.iterdir())
    capsys.readouterr()
    assert cli.main(["forget", "--yes"]) == 0
    out = capsys.readouterr().out
    assert not made.exists()
    assert "An earlier 'course forget' was stopped before it finished." in out
    assert data_folder_files(Path(os.environ["STEADY_GROUND_HOME"])) == []
