"""Regenerating the course while it is served: every page file stays whole at every moment.

Running a second `course` command while the course is served once rewrote the served template
in place (remove the folder, copy it again): 6 of 11,891 requests got 404, one of them
safety_bar.js, so that page had no Leave now button. Here a writer regenerates the template and
the notebooks over and over, switching between the two builds that differ (usual and discreet
titles, so every rewrite really changes files), while readers read every served file: each read
must find the file, whole, as one of the two builds wrote it.
"""
import threading
import time
from pathlib import Path

from course import notebooks
from course.syllabus import load_syllabus
from tests.reliability.conftest import size


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _build(out: Path, jupyter: Path, discreet: bool) -> None:
    syllabus = load_syllabus()
    names = notebooks.page_names(syllabus, discreet=False)  # the same file names in both builds
    for m in syllabus.ready():
        notebooks._write(notebooks.MODULES / m.file, m.title, out / f"{m.stem}.ipynb", names, discreet)
    notebooks.write_voila_template(syllabus, jupyter, discreet)


def test_pages_stay_whole_while_the_course_is_regenerated(tmp_path):
    out, jupyter = tmp_path / "notebooks", tmp_path / "jupyter"
    out.mkdir()
    template = jupyter / "voila" / "templates" / notebooks.TEMPLATE_NAME
    versions: dict[Path, set[bytes]] = {}
    for discreet in (True, False):  # what each build writes; it ends on the usual build
        _build(out, jupyter, discreet)
        for root, tag in ((template, "t"), (out, "n")):
            for rel, data in _snapshot(root).items():
                versions.setdefault(Path(tag) / rel, set()).add(data)
    changing = [rel for rel, seen in versions.items() if len(seen) == 2]
    assert any(r.name == "tree.html" for r in changing) and any(r.suffix == ".ipynb" for r in changing)
    assert Path("t/static/safety_bar.js") in versions

    stop = threading.Event()
    problems: list[str] = []
    reads = [0]

    def read_all():
        while not stop.is_set():
            for rel, seen in versions.items():
                path = (template if rel.parts[0] == "t" else out) / Path(*rel.parts[1:])
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    problems.append(f"{rel}: {type(exc).__name__}")
                    continue
                reads[0] += 1
                if data not in seen:
                    problems.append(f"{rel}: a part-written file ({len(data)} bytes)")

    readers = [threading.Thread(target=read_all) for _ in range(2)]
    for r in readers:
        r.start()
    try:
        for i in range(size(12, 80)):
            _build(out, jupyter, discreet=i % 2 == 0)
            time.sleep(0.005)
    finally:
        stop.set()
        for r in readers:
            r.join()
    assert reads[0] > 1000, "the readers hardly ran: the test proved nothing"
    assert not problems, f"{len(problems)} of {reads[0]} reads failed, first: {problems[:5]}"
    leftovers = [p.name for p in jupyter.rglob("*") if p.name.endswith(".part") or p.name.startswith(".steadyground-")]
    assert not leftovers, f"scratch files left behind: {leftovers}"
