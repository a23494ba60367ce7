"""The `course` command. Every failure is one plain line on stderr, never a traceback."""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from course import BUILD

COMMANDS = ("start", "workshop", "lab", "notebooks", "book", "export", "forget")


class CourseError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line instead of argparse's usage dump
        if "invalid choice" in message:
            given = message.split("'")[1] if "'" in message else "?"
            message = f"unknown command {given!r}; commands: {', '.join(COMMANDS)}"
        self.exit(2, f"course: {message}\n       (course --help lists commands and options)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="course", description="Steady Ground: open, serve, build and manage the course.")
    sub = p.add_subparsers(dest="command", metavar="command", parser_class=_Parser)
    s = sub.add_parser("start", help="open the course in your browser (this computer only)")
    s.add_argument("--port", type=int, default=8866)
    s.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    s.add_argument("--pool-size", type=int, default=1, help="preheated kernels per module (default 1)")
    w = sub.add_parser("workshop", help="serve the course to a room (a token is always required)")
    w.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    w.add_argument("--port", type=int, default=8866)
    w.add_argument("--token", help="the access token to share (default: a new random one)")
    w.add_argument("--pool-size", type=int, default=4, help="preheated kernels per module (default 4)")
    lab = sub.add_parser("lab", help="open the course notebooks in JupyterLab")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true")
    sub.add_parser("notebooks", help="write build/notebooks/*.ipynb from the MyST modules")
    sub.add_parser("book", help="build the static book into build/book/html")
    e = sub.add_parser("export", help="save your notes and check-ins as Markdown and JSON files")
    e.add_argument("--to", type=Path, help="folder to write into (default: a new dated folder here)")
    f = sub.add_parser("forget", help="delete every trace of your data from this device")
    f.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return p


def _notebooks() -> list[Path]:
    from course.notebooks import build_notebooks

    written = build_notebooks()
    print(f"Wrote {len(written)} notebooks to {written[0].parent if written else BUILD / 'notebooks'}")
    return written


def _stop_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt  # a service manager's stop is handled like Ctrl+C


def _run(argv: list[str], env: dict[str, str] | None = None) -> int:
    """Run the server in the foreground; stopping `course` (Ctrl+C or SIGTERM) stops it too."""
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    proc = subprocess.Popen(argv, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        print("\nStopped. Your notes are saved on this device.", flush=True)
        return 0
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        signal.signal(signal.SIGTERM, previous)


def _serve(name: str, args: argparse.Namespace) -> int:
    from course.serve import check_port_free, new_token, profile, share_address, voila_command

    prof = profile(name, host=getattr(args, "host", None), pool_size=args.pool_size,
                   open_browser=not getattr(args, "no_browser", True))
    if args.pool_size < 0:
        raise CourseError("--pool-size must be 0 or more")
    check_port_free(prof.host, args.port)
    if name == "start":
        from course.store import open_store

        store = open_store()
        try:
            store.schema_version  # opens it: an unwritable or damaged store is reported now, not mid-exercise
        finally:
            store.close()
    _notebooks()
    token = None
    if prof.token_required:
        token = args.token or new_token()
        if len(token) < 8:
            raise CourseError("--token must be at least 8 characters")
        print(f"Share this address with the room: http://{share_address(prof.host)}:{args.port}/?token={token}")
        print("Participants' notes stay in their own session's memory; nothing they type is kept on this machine.",
              flush=True)
    else:
        print(f"Steady Ground is open at http://{prof.host}:{args.port}/ (press Ctrl+C to stop)", flush=True)
    argv, env = voila_command(prof, args.port, token)
    return _run(argv, env)


def _lab(args: argparse.Namespace) -> int:
    from course.notebooks import NOTEBOOKS

    _notebooks()
    argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={NOTEBOOKS}",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={args.port}", "--ServerApp.port_retries=0"]
    if args.no_browser:
        argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # only when already root (CI, containers); normal users are unaffected
    return _run(argv)


def _export(args: argparse.Namespace) -> int:
    from course.store import open_store

    folder = args.to or Path.cwd() / f"steady-ground-export-{datetime.now():%Y-%m-%d-%H%M%S}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CourseError(f"cannot create {folder}: {exc.strerror}") from None
    store = open_store()
    try:
        paths = store.export(folder)
    finally:
        store.close()
    print("Exported your data to:")
    for path in paths:
        print(f"  {path}")
    return 0


def _forget(args: argparse.Namespace) -> int:
    from course.store import Store, store_path

    path = store_path()
    if not args.yes:
        if not sys.stdin.isatty():
            raise CourseError("refusing to delete without confirmation; run 'course forget --yes' to be sure")
        answer = input(f"This deletes all your check-ins, practice and journal entries in {path.parent}.\n"
                       "It cannot be undone. Type 'forget' to go ahead: ")
        if answer.strip().lower() != "forget":
            print("Nothing was deleted.")
            return 0
    if not path.exists():
        print("There is no saved data on this device. Nothing to delete.")
        return 0
    deleted = Store(path).forget()
    print(f"Deleted {len(deleted)} file(s). Nothing of yours is left in {path.parent}.")
    return 0


def _book(_args: argparse.Namespace) -> int:
    from course.book import build_book

    out = build_book()
    print(f"Built the book: {out / 'index.html'}")
    return 0


def dispatch(args: argparse.Namespace) -> int:
    if args.command in ("start", "workshop"):
        return _serve(args.command, args)
    handlers = {"lab": _lab, "export": _export, "forget": _forget, "book": _book,
                "notebooks": lambda _a: (_notebooks(), 0)[1]}
    return handlers[args.command](args)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    from course.book import BookError
    from course.safety import ResourcesError
    from course.serve import ServeError
    from course.store import StoreError
    from course.syllabus import SyllabusError

    try:
        return dispatch(args)
    except (CourseError, ServeError, StoreError, SyllabusError, ResourcesError, BookError) as exc:
        print(f"course: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"course: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
