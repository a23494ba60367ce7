"""The process test_kill.py kills with SIGKILL: it writes to the learner's store, migrates it, or forgets it.

Run as ``python _kill_child.py JOB ARGS_JSON``. It imports what it needs, prints ``ready``, waits for one
line on stdin, then does its job, so the parent's random delay counts from the first write, not from
Python's start-up. Every write is told to the log file (``ARGS_JSON["log"]``, opened O_APPEND, one
``os.write`` per line, so a kill never leaves half a line and what was written survives the kill):

    I {"op": ...}     about to do this write
    A {"id": ...}     it returned: committed (the acknowledgement)

``SG_BREAK`` removes one protection, to show the tests fail without it (never set by the tests themselves):
``lazycommit`` (a write returns before its transaction is committed: commits are batched),
``journaloff`` (no rollback journal and no WAL: a change is written straight into the file),
``stepwise`` (migration steps run one by one, each committed on its own, the version set at the end),
``listsfirst`` (forget deletes the list of exports before the copies it names).
"""
from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import time
from contextlib import contextmanager

GAUGES = ("calm", "trust", "safety", "closeness")
KINDS = ("quiz", "transparency-plan", "ladder", "agreements", "trigger-plan")
WORDS = ("I noticed", "today", "we talked", "about the phone", "and it felt", "steady", "raw", "hopeful",
         "café", "naïve", "Straße", "ça va", "смелость", "信頼", "🙂", "💔", "<b>not bold</b>", "\"quoted\"",
         "line\nbreak", "tab\there", "'; DROP TABLE journal; --")


def words(rng: random.Random, tag: str) -> str:
    """A learner's text: mostly a few lines, sometimes pages (spans many database pages)."""
    n = rng.choice((3, 8, 40, 200)) if rng.random() < 0.9 else rng.choice((3_000, 12_000))
    return tag + " " + " ".join(rng.choice(WORDS) for _ in range(n))


class Log:
    def __init__(self, path: str):
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def __call__(self, mark: str, value) -> None:
        os.write(self.fd, f"{mark} {json.dumps(value, ensure_ascii=False)}\n".encode())


def write(args: dict, rng: random.Random) -> None:
    """Write in a loop until killed, like a kernel that saves every keystroke, check-in and plan."""
    from course.store import Store

    log = Log(args["log"])
    tag = args["tag"]
    store = Store()
    journal = {e["id"] for e in store.journal_entries()}
    records = {(r["kind"], r["key"]): r["data"] for r in store.records()}
    n = 0
    while True:
        n += 1
        if rng.random() < 0.3:  # a widget opens and closes the store for each change
            store.close()
            store = Store()
        pick = rng.random()
        text = words(rng, f"{tag}-{n}")
        if pick < 0.25 or (pick < 0.45 and not journal):
            op = {"op": "add_journal", "text": text, "module": rng.choice(("m01", "m03", "m08")),
                  "prompt": rng.choice((None, "What did you notice?"))}
            log("I", op)
            result = store.add_journal(op["text"], module=op["module"], prompt=op["prompt"])
            journal.add(result)
        elif pick < 0.40:
            op = {"op": "update_journal", "id": rng.choice(sorted(journal)), "text": text}
            log("I", op)
            result = store.update_journal(op["id"], op["text"])
        elif pick < 0.45:
            op = {"op": "delete_journal", "id": rng.choice(sorted(journal))}
            log("I", op)
            result = store.delete_journal(op["id"])
            journal.discard(op["id"])
        elif pick < 0.65:
            op = {"op": "add_checkin", "gauge": rng.choice(GAUGES), "value": rng.randint(0, 10),
                  "note": rng.choice((None, text))}
            log("I", op)
            result = store.add_checkin(op["gauge"], op["value"], op["note"])
        elif pick < 0.85 or not records:
            data = {"text": text, "steps": [words(rng, "step") for _ in range(rng.randint(0, 4))],
                    "done": rng.random() < 0.5, "n": n}
            op = {"op": "put_record", "kind": rng.choice(KINDS), "key": f"k{rng.randint(1, 6)}", "data": data}
            log("I", op)
            result = store.put_record(op["kind"], op["key"], op["data"])
            records[op["kind"], op["key"]] = data
        elif pick < 0.95:
            kind, key = rng.choice(sorted(records))
            data = {"text": text, "swapped": n}
            op = {"op": "swap_record", "kind": kind, "key": key, "expect": records[kind, key], "data": data}
            log("I", op)
            result = store.swap_record(kind, key, op["expect"], data)
            assert result, "nothing else writes here: a swap from the current data must succeed"
            records[kind, key] = data
        else:
            kind, key = rng.choice(sorted(records))
            op = {"op": "delete_record", "kind": kind, "key": key}
            log("I", op)
            result = store.delete_record(kind, key)
            del records[kind, key]
        log("A", {"result": result})


def migrate(args: dict, _rng: random.Random) -> None:
    """Open the store as the course does at start-up (which migrates it), then say so."""
    from course.store import Store

    log = Log(args["log"])
    started = time.perf_counter()
    with Store() as store:
        version = store.schema_version
    log("A", {"version": version, "seconds": time.perf_counter() - started, "ended": time.time()})


def forget(args: dict, _rng: random.Random) -> None:
    """`course forget --yes`, in this process (already imported, so the kill lands in the deleting).

    Through cli.dispatch, not cli.main: main first imports the error types of every command (the
    notebook tools among them, seconds of start-up) and nothing else, so the kill would mostly land there."""
    from course import cli

    log = Log(args["log"])
    started = time.perf_counter()
    status = cli.dispatch(cli._parser().parse_args(["forget", "--yes"]))
    log("A", {"status": status, "seconds": time.perf_counter() - started, "ended": time.time()})


# -- removing one protection (SG_BREAK), to see the tests fail without it
def _break(name: str) -> None:
    from course import store as store_mod

    if name == "lazycommit":
        done = {"n": 0}

        @contextmanager
        def batched(self, conn=None):
            if conn is not None:  # the migration at open: committed as usual
                with real(self, conn) as c:
                    yield c
                return
            conn = self._db
            with self._mapped():
                if not conn.in_transaction:
                    conn.execute("BEGIN IMMEDIATE")
                yield conn
                done["n"] += 1
                if done["n"] % 8 == 0:
                    conn.execute("COMMIT")
        def close(self):  # the batch is committed when the store is closed
            if self._conn is not None and self._conn.in_transaction:
                self._conn.execute("COMMIT")
            real_close(self)
        real, real_close = store_mod.Store._transaction, store_mod.Store.close
        store_mod.Store._transaction, store_mod.Store.close = batched, close
    elif name == "journaloff":
        class NoJournal(sqlite3.Connection):
            def execute(self, sql, *params):
                if sql.replace(" ", "").lower().startswith("pragmajournal_mode"):
                    sql = "PRAGMA journal_mode=OFF"
                return super().execute(sql, *params)
        connect = sqlite3.connect

        def unjournaled(*a, **k):
            conn = connect(*a, factory=NoJournal, **k)
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA cache_size=8")  # small cache: a big change reaches the file before COMMIT
            return conn
        sqlite3.connect = unjournaled
    elif name == "stepwise":
        def stepwise(self, conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for statement in (s for m in store_mod.MIGRATIONS[version:] for s in m):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {len(store_mod.MIGRATIONS)}")
        store_mod.Store._migrate = stepwise
    elif name == "listsfirst":
        real_delete = store_mod.delete_export

        def lists_first(entry):
            store_mod.forget_lists()
            return real_delete(entry)
        store_mod.delete_export = lists_first
    elif name:
        raise SystemExit(f"unknown SG_BREAK {name!r}")


def main() -> None:
    job, args = sys.argv[1], json.loads(sys.argv[2])
    if args.get("home"):
        os.environ["STEADY_GROUND_HOME"] = args["home"]
    _break(os.environ.get("SG_BREAK", ""))
    import course.cli  # noqa: F401  (every job's imports done before ready)
    import course.store  # noqa: F401
    print("ready", flush=True)
    sys.stdin.readline()
    {"write": write, "migrate": migrate, "forget": forget}[job](args, random.Random(args.get("seed", 0)))


if __name__ == "__main__":
    main()
