"""Many processes on one store at once: nothing a learner wrote is lost, and none of them sees an error.

Voila keeps a pool of preheated kernels: at start-up they open the learner's data folder at the same
moment, and on a new device it is empty. Before the store made a new file ready under the data folder's
lock, 5 of 240 such opens failed with "still locked after 2 s" (SQLite answers a change to WAL mode
"busy" at once, without waiting, while another connection is doing the same). Then, with the file ready,
eight pages of one learner write at once (as widgets do: open the store, write, close).

Workers are long-lived processes (spawn, as a kernel starts), so a round costs an open, not a Python start;
a start barrier makes their opens really collide.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import random
import sqlite3
import time
import traceback
from contextlib import closing
from pathlib import Path

from course.store import FILE_NAME, MIGRATIONS, Store
from tests.reliability.conftest import size

WORKERS = 8
ROUNDS = size(10, 60)
FOLDERS_PER_ROUND = 16  # each round, every worker opens this many new folders, all together, one by one
WRITE_SECONDS = size(8, 60)
CTX = mp.get_context("spawn")


def _failure(exc: BaseException) -> str:
    """What a worker saw, for the report: the learner's words and where it came from."""
    where = traceback.extract_tb((exc.__cause__ or exc).__traceback__)[-3:]
    return f"{type(exc).__name__}: {exc} (at {', '.join(f'{f.name}: {f.line}' for f in where)})"


# -- workers (top level, so a spawned process can import them)
def opener(tasks, results, barrier) -> None:
    """For each new folder of a round: wait for everyone, then open it and write one journal entry."""
    while (job := tasks.get()) is not None:
        name, folders = job
        for number, folder in enumerate(folders):
            text = f"{name} was here in folder {number} 🙂"
            barrier.wait()
            try:
                with Store(Path(folder) / FILE_NAME) as store:
                    entry = store.add_journal(text, module="m01")
                results.put((folder, "ok", entry, text))
            except Exception as exc:  # noqa: BLE001 (every failure is the test's finding)
                results.put((folder, "error", None, _failure(exc)))


def writer(name: str, path: str, barrier, results) -> None:
    """Once all have started, write as a page does (open the store, one change, close) for WRITE_SECONDS;
    report every change that returned (committed) and every error."""
    rng = random.Random(name)
    committed: dict = {"checkins": [], "journal": {}, "records": {}}
    errors: list[str] = []
    barrier.wait()
    until = time.time() + WRITE_SECONDS
    n = 0
    while time.time() < until:
        n += 1
        try:
            with Store(Path(path)) as store:
                op = rng.random()
                if op < 0.3:
                    note = f"{name} check-in {n} ✓"
                    store.add_checkin("calm", n % 11, note=note)
                    committed["checkins"].append(note)
                elif op < 0.55 or not committed["journal"]:
                    text = f"{name} wrote entry {n}\n<b>kept as typed</b>"
                    committed["journal"][store.add_journal(text, module="m03")] = text
                elif op < 0.75:
                    entry = rng.choice(list(committed["journal"]))
                    text = f"{name} changed entry {entry} at {n}"
                    store.update_journal(entry, text)
                    committed["journal"][entry] = text
                else:
                    key = f"{name}-{n % 5}"
                    data = {"by": name, "n": n, "items": [f"step {i}" for i in range(n % 7)]}
                    store.put_record("quiz", key, data)
                    committed["records"][key] = data
        except Exception as exc:  # noqa: BLE001
            errors.append(_failure(exc))
    results.put((name, n, committed, errors))


# -- checks from outside, as another program reads the file
def read_file(path: Path) -> dict:
    with closing(sqlite3.connect(path)) as conn:
        return {"version": conn.execute("PRAGMA user_version").fetchone()[0],
                "mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
                "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
                "journal": dict(conn.execute("SELECT id, text FROM journal").fetchall()),
                "checkins": [r[0] for r in conn.execute("SELECT note FROM checkins")],
                "records": dict(conn.execute("SELECT key, data FROM records WHERE kind = 'quiz'").fetchall())}


def test_processes_opening_a_new_data_folder_at_once_all_succeed(tmp_path):
    tasks = [CTX.Queue() for _ in range(WORKERS)]
    results, barrier = CTX.Queue(), CTX.Barrier(WORKERS)
    workers = [CTX.Process(target=opener, args=(tasks[i], results, barrier), daemon=True) for i in range(WORKERS)]
    for w in workers:
        w.start()
    failures, opens = [], 0
    try:
        for round_ in range(ROUNDS):
            folders = [tmp_path / f"round-{round_}-folder-{k}" for k in range(FOLDERS_PER_ROUND)]
            for i, queue in enumerate(tasks):
                queue.put((f"kernel {i}", [str(f) for f in folders]))
            got = [results.get(timeout=120) for _ in range(WORKERS * FOLDERS_PER_ROUND)]
            opens += len(got)
            failures += [what for _, status, _, what in got if status != "ok"]
            for folder in folders:
                written = {entry: text for f, status, entry, text in got if f == str(folder) and status == "ok"}
                found = read_file(folder / FILE_NAME)
                assert (found["version"], found["mode"], found["integrity"]) == (len(MIGRATIONS), "wal", "ok")
                assert found["journal"] == written, f"{folder.name}: a committed entry is missing or changed"
    finally:
        for queue in tasks:
            queue.put(None)
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():
                w.kill()
    assert not failures, f"{len(failures)} of {opens} opens of a new data folder failed, e.g. {failures[0]}"
    assert opens == ROUNDS * WORKERS * FOLDERS_PER_ROUND
    print(f"{opens} opens of {ROUNDS * FOLDERS_PER_ROUND} new data folders by {WORKERS} processes at once: all fine")


def test_eight_pages_writing_at_once_lose_nothing_and_see_no_error(tmp_path):
    path = tmp_path / FILE_NAME
    with Store(path) as store:
        store.add_journal("before the rush")
    results, barrier = CTX.Queue(), CTX.Barrier(WORKERS + 1)
    workers = [CTX.Process(target=writer, args=(f"page{i}", str(path), barrier, results), daemon=True)
               for i in range(WORKERS)]
    for w in workers:
        w.start()
    try:
        barrier.wait(timeout=120)  # everyone has started
        reports = [results.get(timeout=WRITE_SECONDS + 120) for _ in workers]
    finally:
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():
                w.kill()
    errors = [e for *_, errs in reports for e in errs]
    changes = sum(n for _, n, _, _ in reports)
    assert not errors, f"{len(errors)} of {changes} writes failed as a learner would see it, e.g. {errors[0]}"
    found = read_file(path)
    assert found["integrity"] == "ok" and found["version"] == len(MIGRATIONS)
    for name, _, committed, _ in reports:
        assert set(committed["checkins"]) <= set(found["checkins"]), f"{name}: a committed check-in is missing"
        for entry, text in committed["journal"].items():
            assert found["journal"].get(entry) == text, f"{name}: journal entry {entry} is missing or old"
        for key, data in committed["records"].items():
            assert json.loads(found["records"][key]) == data, f"{name}: record {key} is missing or old"
    assert "before the rush" in found["journal"].values()
    assert changes >= WORKERS * 5, f"only {changes} writes in {WRITE_SECONDS} s: the writers hardly ran"
    print(f"{changes} writes by {WORKERS} pages in {WRITE_SECONDS} s: none failed, every committed one is kept")

