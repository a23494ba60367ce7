"""The `course` command. Every failure is one plain line on stderr, never a traceback."""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from course import ROOT

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
    s.add_argument("--pool-size", type=int, default=1,
                   help="preheated kernels for Start here and the module you are likely to open next (default 1)")
    s.add_argument("--discreet-titles", action=argparse.BooleanOptionalAction, default=None,
                   help='title every page "Notes" and use neutral page addresses, so browser history '
                        "does not show what you read; remembered for next time")
    w = sub.add_parser("workshop", help="serve the course to a room (a token is always required)")
    w.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    w.add_argument("--port", type=int, default=8866)
    w.add_argument("--token", help="the access token to share (default: a new random one)")
    w.add_argument("--pool-size", type=int, default=4,
                   help="preheated kernels per module when no --module is given (default 4)")
    w.add_argument("--module", help="the session's module, e.g. m03: its page keeps one warm kernel for each "
                                    "person in the room, the other pages none")
    w.add_argument("--room", type=int, default=30, help="people in the room, with --module (default 30)")
    w.add_argument("--address", help="the name people type to reach this machine, as on your https certificate "
                                     "(default: this machine's network address)")
    w.add_argument("--facilitator-key", help="the key in the facilitator's link, 16 characters or more "
                                             "(default: a new random one)")
    w.add_argument("--pulse-min", type=int, default=5,
                   help="answers the room pulse needs before it shows a result, 3 or more (default 5)")
    w.add_argument("--certfile", type=Path, help="TLS certificate (PEM) so the room connects over https: the "
                                                 "token and what people type stay private on shared Wi-Fi")
    w.add_argument("--keyfile", type=Path, help="the certificate's private key (PEM); needed with --certfile")
    lab = sub.add_parser("lab", help="open the course notebooks in JupyterLab")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true")
    sub.add_parser("notebooks", help="write build/notebooks/*.ipynb from the MyST modules")
    sub.add_parser("book", help="build the static book into build/book/html")
    e = sub.add_parser("export", help="save your notes and check-ins as Markdown and JSON files")
    e.add_argument("--to", type=Path, help="folder to write into (default: a new dated folder in your "
                                           "Documents folder, or your home folder)")
    f = sub.add_parser("forget", help="delete every trace of your data from this device")
    f.add_argument("--yes", action="store_true", help="do not ask; also delete the copies made by export")
    return p


def _notebooks(discreet: bool = False) -> list[Path]:
    from course.notebooks import build_notebooks, output_dirs

    written = build_notebooks(discreet=discreet)
    print(f"Wrote {len(written)} notebooks to {written[0].parent if written else output_dirs(discreet)[0]}")
    return written


def _discreet_titles(choice: bool | None) -> bool:
    """Apply --discreet-titles / --no-discreet-titles (remembered), else the remembered setting."""
    from course.store import load_settings, save_settings

    if choice is not None:
        save_settings(discreet_titles=choice)
        print('Discreet titles are on: every page is called "Notes", also in your browser history. '
              "This is remembered." if choice
              else "Discreet titles are off. This is remembered.")
    return load_settings().get("discreet_titles") is True


def _stop_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt  # a service manager's stop is handled like Ctrl+C


def _run(argv: list[str], env: dict[str, str] | None = None) -> int:
    """Run the server in the foreground; stopping `course` (Ctrl+C or SIGTERM) stops it too."""
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    proc = subprocess.Popen(argv, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        print("\nStopped." + ("" if (env or {}).get("STEADY_GROUND_WORKSHOP") == "1"
                               else " Your notes are saved on this device."), flush=True)
        return 0
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        signal.signal(signal.SIGTERM, previous)


def _tls_files(certfile: Path | None, keyfile: Path | None) -> tuple[str, str]:
    """Both or neither, each a readable file, checked now rather than by a traceback from the server."""
    if bool(certfile) != bool(keyfile):
        raise CourseError("--certfile and --keyfile go together: give both for https, or neither")
    if not certfile:
        return "", ""
    import ssl

    for option, path in (("--certfile", certfile), ("--keyfile", keyfile)):
        if not path.is_file():
            raise CourseError(f"{option}: no such file: {path}")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile)
    except (OSError, ssl.SSLError) as exc:
        raise CourseError(f"--certfile {certfile} and --keyfile {keyfile} cannot be used together for https "
                          f"({getattr(exc, 'reason', None) or exc})") from None
    return str(certfile.resolve()), str(keyfile.resolve())


def _fingerprint(certfile: str) -> str:
    """The SHA-256 fingerprint browsers show for the (first) certificate in a PEM file."""
    import hashlib
    import ssl

    text = Path(certfile).read_text(encoding="ascii", errors="replace")
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    first = text[text.index(begin):text.index(end) + len(end)]
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(first)).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def _serve(name: str, args: argparse.Namespace) -> int:
    from course.serve import check_port_free, new_token, profile, share_address, voila_command

    if args.pool_size < 0:
        raise CourseError("--pool-size must be 0 or more")
    discreet, warm = False, ()
    if name == "start":
        from course.serve import start_warm_pages

        discreet = _discreet_titles(args.discreet_titles)
        warm = start_warm_pages(discreet)
    pool_size = args.pool_size
    if name == "workshop" and args.module:
        from course.serve import workshop_session

        title, page = workshop_session(args.module, args.room)
        warm, pool_size = (page,), args.room
        print(f"Session module: {args.module}, {title}. Its page keeps {args.room} warm kernels "
              f"for a room of {args.room}; the other pages start theirs when opened.", flush=True)
    certfile, keyfile = _tls_files(getattr(args, "certfile", None), getattr(args, "keyfile", None))
    facilitator_key = None
    if name == "workshop":
        from course.facilitator import KEY_MIN_CHARS
        from course.serve import check_pulse_min

        check_pulse_min(args.pulse_min)
        facilitator_key = args.facilitator_key or new_token()
        if len(facilitator_key) < KEY_MIN_CHARS:
            raise CourseError(f"--facilitator-key must be at least {KEY_MIN_CHARS} characters")
    prof = profile(name, host=getattr(args, "host", None), pool_size=pool_size,
                   open_browser=not getattr(args, "no_browser", True), warm=warm, certfile=certfile, keyfile=keyfile,
                   module=getattr(args, "module", None) or "", pulse_min=getattr(args, "pulse_min", 5))
    check_port_free(prof.host, args.port)
    _notebooks(discreet)
    token = None
    if prof.token_required:
        token = args.token or new_token()
        if len(token) < 8:
            raise CourseError("--token must be at least 8 characters")
        if facilitator_key == token:
            raise CourseError("--facilitator-key must differ from --token")
        address = f"{prof.scheme}://{args.address or share_address(prof.host)}:{args.port}/"
        print(f"Participants: {address}?token={token}")
        print(f"Facilitator: {address}steady/facilitator?key={facilitator_key}  (keep this one to yourself)")
        print("Participants' notes stay in their own session's memory; nothing they type is kept on this machine.")
        if prof.certfile:
            print(f"The room connects over https. Certificate fingerprint (SHA-256): {_fingerprint(prof.certfile)}",
                  flush=True)
        else:
            print("The address is plain http: on a shared network, others could read the token and what people "
                  "type. Use --certfile and --keyfile for https (see the README).", flush=True)
    else:
        print(f"Steady Ground is open at http://{prof.host}:{args.port}/ (press Ctrl+C to stop)", flush=True)
    from course.notebooks import output_dirs

    notebooks, jupyter_path = output_dirs(discreet)
    argv, env = voila_command(prof, args.port, token, notebooks=notebooks, jupyter_path=jupyter_path,
                              facilitator_key=facilitator_key)
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


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def default_export_parent() -> Path:
    """The learner's Documents folder, else their home folder; never inside the course's own folder
    (which git shows and which `course forget` does not clean)."""
    import platformdirs

    for candidate in (Path(platformdirs.user_documents_dir()), Path.home()):
        if candidate.is_dir() and not _inside(candidate, ROOT):
            return candidate
    raise CourseError("there is no Documents or home folder to save into; choose one with --to FOLDER")


def _export(args: argparse.Namespace) -> int:
    from course.store import open_store, remember_export

    folder = (args.to.expanduser() if args.to else
              default_export_parent() / f"steady-ground-export-{datetime.now():%Y-%m-%d-%H%M%S}")
    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CourseError(f"cannot create {folder}: {exc.strerror}") from None
    store = open_store()
    try:
        paths = store.export(folder)
    finally:
        store.close()
    remember_export(folder, paths, made_folder=made)
    print("Saved a copy of your notes to:")
    for path in paths:
        print(f"  {path.resolve()}")
    print("Anyone who can open this folder can read them. 'course forget' offers to delete them.")
    return 0


def _forget(args: argparse.Namespace) -> int:
    from course.store import (
        EXPORTS_FILE,
        FORGET_MARK,
        SETTINGS_FILE,
        Store,
        delete_export,
        existing_exports,
        forget_lists,
        load_settings,
        remembered_exports,
        store_files,
        store_path,
    )

    path = store_path()
    mark = path.parent / FORGET_MARK
    left = [p for p in (*store_files(path), path.parent / SETTINGS_FILE, path.parent / EXPORTS_FILE, mark)
            if p.exists()]
    exports = existing_exports()
    # Folders an export made that hold none of its files any more (a forget stopped between deleting the
    # files and the folder): their dated name is a trace too, and removing them only ever removes empty folders.
    emptied = [e for e in remembered_exports() if e["made_folder"] and e not in exports and e["folder"].is_dir()]
    if not left and not exports:
        print("There is no saved data on this device. Nothing to delete.")
        return 0
    unfinished = mark.exists()
    if unfinished:
        print("An earlier 'course forget' was stopped before it finished. This run finishes it.")
    if exports:
        print("You saved copies of your notes here, and they are still there:")
        for entry in exports:
            print(f"  {entry['folder']}")
    delete_copies = bool(exports) and args.yes
    if not args.yes:
        if not sys.stdin.isatty():
            raise CourseError("refusing to delete without confirmation; run 'course forget --yes' to delete it all"
                              + (", saved copies too" if exports else ""))
        answer = input(f"This deletes all your check-ins, practice and journal entries in {path.parent}.\n"
                       "It cannot be undone. Type 'forget' to go ahead: ")
        if answer.strip().lower() != "forget":
            print("Nothing was deleted.")
            return 0
        if exports:
            answer = input("Delete those copies too? Type 'yes' to delete them: ")
            delete_copies = answer.strip().lower() in ("yes", "y")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()  # first: whatever stops this run now, the next one knows to finish it
    except OSError as exc:
        raise CourseError(f"cannot use {path.parent}: {exc.strerror}") from None
    kept = []
    if delete_copies:  # first, while the list of them still exists: a stopped run can be run again
        kept = [e["folder"] for e in exports if not delete_export(e)]
    for entry in emptied:
        delete_export(entry)
    discreet = load_settings().get("discreet_titles") is True
    deleted = Store(path).forget()
    deleted += forget_lists()
    mark.unlink(missing_ok=True)  # last: everything above is done
    if not os.environ.get("STEADY_GROUND_HOME"):
        try:  # the course's own folder, when empty: its name is a trace too
            path.parent.rmdir()
        except OSError:
            pass
    print(f"Deleted {len(deleted)} file(s). Nothing of yours is left in {path.parent}.")
    if unfinished:
        print("The earlier 'course forget' is now finished.")
    if delete_copies:
        print("Deleted the copies you saved." if not kept else
              "Deleted the copies you saved. These folders hold other files, so they were kept: "
              + ", ".join(map(str, kept)))
    elif exports:
        print("Your saved copies were kept. Delete them yourself when you are ready:")
        for entry in exports:
            print(f"  {entry['folder']}")
    if discreet:
        print("Discreet titles are off again. Turn them on with 'course start --discreet-titles'.")
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
    try:
        return dispatch(args)
    except Exception as exc:
        if isinstance(exc, _course_errors()):
            print(f"course: {exc}", file=sys.stderr)
            return 1
        if isinstance(exc, OSError):
            where = f" ({exc.filename})" if exc.filename else ""
            print(f"course: {exc.strerror or exc}{where}", file=sys.stderr)
            return 1
        raise


_ERRORS = {"course.book": "BookError", "course.safety": "ResourcesError", "course.serve": "ServeError",
           "course.store": "StoreError", "course.syllabus": "SyllabusError"}
"""The course's own errors, said in one line. A module never imported raised none of them, so none is
imported just to be caught: `course forget` and `course export` start without jupytext or Voila."""


def _course_errors() -> tuple[type[Exception], ...]:
    loaded = (getattr(sys.modules[name], error) for name, error in _ERRORS.items() if name in sys.modules)
    return (CourseError, *loaded)

if __name__ == "__main__":
    sys.exit(main())
