"""Write generated files whole or not at all, for pages served while `course` runs again.

A second `course` command (or `make notebooks`) may regenerate the notebooks and the
Voila template while the course is being served. A page asked for at that moment must
get the old file or the new one, never a missing or half-written file (a page without
safety_bar.js has no Leave now button).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> bool:
    """Put ``data`` at ``path`` by writing a hidden file beside it and renaming it over the old one.

    Readers see the old bytes or the new ones. An unchanged file is left alone (its time too, so
    browsers' and Voila's caches stay valid). Returns True when the file changed.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, part = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
        os.chmod(part, 0o644)
        os.replace(part, path)
    finally:
        if os.path.exists(part):
            os.unlink(part)
    return True


def sync_tree(source: Path, target: Path) -> None:
    """Make ``target`` hold exactly the files of ``source``, one atomic rename per file.

    New and changed files replace the old ones in place; files that are gone from ``source``
    are removed last, so at every moment each served address still has a whole file.
    """
    source, target = Path(source), Path(target)
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for rel in sorted(wanted):
        write_atomic(target / rel, (source / rel).read_bytes())
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):  # files before their folders
            rel = path.relative_to(target)
            if path.is_file() and rel not in wanted and not path.name.endswith(".part"):
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path, ignore_errors=True)
