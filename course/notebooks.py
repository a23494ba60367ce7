"""MyST .md modules -> build/notebooks/*.ipynb, plus the Voila page template.

Voila and nbval read .ipynb only; every consumer reads what this writes.
The Voila template (landing page and module pages) is generated here too,
because the landing page lists the syllabus.

Discreet titles (``course start --discreet-titles``): a second build, in its own
folders, where every page is titled "Notes" and pages are named notes-00.ipynb,
notes-01.ipynb ... (the module's number), so the browser history shows neither
the course nor a module's subject. The page content itself is unchanged.

Module 2's figures are drawn here too, once, into the build's cache
(widgets/response_models.py), so the pages that show them never load matplotlib.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import jupytext

from course import BOOK, BUILD, MODULES
from course.files import sync_tree, write_atomic
from course.safety import load_resources
from course.syllabus import Syllabus, load_syllabus
from course.validate import html_text

NOTEBOOKS = BUILD / "notebooks"
JUPYTER_PATH = BUILD / "share" / "jupyter"
TEMPLATE_NAME = "steadyground"
TEMPLATE_SRC = Path(__file__).with_name("voila")
DISCREET_TITLE = "Notes"
DISCREET_BUILD = BUILD / "notes"  # its own folders: the usual build stays as it is for lab, nbval and tests
COURSE_TITLE = "Steady Ground: the course"


GLOSSARY = "glossary"
_MD_LINK = re.compile(r"\]\((?P<stem>[\w-]+)\.md(?P<anchor>#[\w-]+)?\)")


def output_dirs(discreet: bool = False) -> tuple[Path, Path]:
    """(notebooks folder, Jupyter path holding the Voila template) of a build."""
    if discreet:
        return DISCREET_BUILD / "notebooks", DISCREET_BUILD / "share" / "jupyter"
    return NOTEBOOKS, JUPYTER_PATH


def page_names(syllabus: Syllabus, discreet: bool = False) -> dict[str, str]:
    """Each served page's source stem -> its notebook's stem (the name in the page address).

    Discreet: module number N is notes-NN, the glossary notes-glossary; nothing names a subject.
    """
    if not discreet:
        return {**{m.stem: m.stem for m in syllabus.ready()}, GLOSSARY: GLOSSARY}
    numbered = {m.stem: f"notes-{i:02d}" for i, m in enumerate(syllabus.modules) if m.ready}
    return {**numbered, GLOSSARY: "notes-glossary"}


def relink(markdown: str, stems: set[str] | dict[str, str]) -> str:
    """Links between pages are written for the book (name.md#anchor); Voila serves name.ipynb.

    ``stems``: the pages served, or a mapping from each to its notebook's stem (discreet names).
    """
    names = stems if isinstance(stems, dict) else {s: s for s in stems}

    def swap(match: re.Match) -> str:
        if match["stem"] not in names:
            return match[0]
        return f"]({names[match['stem']]}.ipynb{match['anchor'] or ''})"
    return _MD_LINK.sub(swap, markdown)


def _write(source: Path, title: str, target: Path, stems: set[str] | dict[str, str],
           discreet: bool = False) -> Path:
    """Convert one MyST page, without outputs, titled for the browser tab, links made local.

    Voila's lab template takes the page's <title> from this metadata (else the file name).
    """
    nb = jupytext.read(source)
    nb.metadata["title"] = DISCREET_TITLE if discreet else f"{title} · Steady Ground"
    nb.metadata.pop("jupytext", None)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        else:
            cell.source = relink(cell.source, stems)
        # the same cell gets the same id in every build, so an unchanged page is not rewritten
        cell.id = f"c{i:03d}-" + hashlib.sha256(cell.source.encode("utf-8")).hexdigest()[:8]
    write_atomic(target, jupytext.writes(nb, fmt="ipynb"))  # whole or not at all: it may be served right now
    return target


def _json_for_script(data: object) -> str:
    """JSON that is safe inside <script type="application/json">."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _text(value: str) -> str:
    """Escape for HTML and keep Jinja from reading braces in course text."""
    return html_text(value).replace("{", "&#123;").replace("}", "&#125;")


def landing_html(syllabus: Syllabus, names: dict[str, str] | None = None) -> str:
    """The module list: syllabus order, time estimates, coming modules marked.

    ``names``: page_names() of the build (discreet names link to notes-NN.ipynb).
    """
    names = names or page_names(syllabus)
    items = []
    for i, m in enumerate(syllabus.modules):
        title = _text(f"{i}. {m.title}")
        if m.ready:
            heading = f'<a href="{{{{ base_url }}}}voila/render/{html_text(names[m.stem])}.ipynb">{title}</a>'
            badge, cls = "", "sg-module"
        else:
            heading = title
            badge, cls = '<span class="sg-badge">Coming soon</span>', "sg-module sg-coming"
        items.append(
            f'<li class="{cls}" data-module="{m.id}"><h2>{heading}{badge}</h2>'
            f'<p class="sg-meta">About {m.minutes} minutes</p><p>{_text(m.summary)}</p></li>'
        )
    intro = "<p>Start with module 0. Go at your own pace, and take breaks whenever you need them.</p>"
    glossary = (f'<p>Words the course uses in a special way are explained in the '
                f'<a href="{{{{ base_url }}}}voila/render/{html_text(names[GLOSSARY])}.ipynb">glossary</a>.</p>')
    return intro + '<ol class="sg-modules" aria-label="Modules">' + "".join(items) + "</ol>" + glossary


def _version_static(target: Path) -> None:
    """Address the template's own files with ``?v=<content hash>``, as Voila's ``include_url`` does for the
    module page, so browsers keep them (Tornado serves a versioned file with a ten-year lifetime) and a
    changed file gets a new address: page.html's links (the landing page and the error pages) and page.js's
    import of the safety bar."""
    static = target / "static"

    def versioned(match: re.Match) -> str:
        name = match.group(2)
        digest = hashlib.sha256((static / name).read_bytes()).hexdigest()[:16]
        return f"{match.group(1)}{name}?v={digest}{match.group(3)}"

    # page.js first: the landing page's address for it must hash its final text.
    for page, pattern in (("static/page.js", r'(\./)(safety_bar\.js)(")'),
                          ("page.html", r'(steadyground/static/)([\w.-]+)(")')):
        path = target / page
        path.write_text(re.sub(pattern, versioned, path.read_text(encoding="utf-8")), encoding="utf-8")


def write_voila_template(syllabus: Syllabus, jupyter_path: Path = JUPYTER_PATH, discreet: bool = False) -> Path:
    """Generate build/share/jupyter/voila/templates/steadyground/ (discreet: titled "Notes").

    The template may be in use (the course served while `course` runs again): it is made in a
    folder of its own, then copied over file by file with atomic renames (course.files.sync_tree).
    """
    final = jupyter_path / "voila" / "templates" / TEMPLATE_NAME
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".steadyground-", dir=final.parent) as scratch:
        target = Path(scratch) / TEMPLATE_NAME
        _make_template(syllabus, target, discreet)
        sync_tree(target, final)
    return final


def _make_template(syllabus: Syllabus, target: Path, discreet: bool) -> None:
    shutil.copytree(TEMPLATE_SRC, target, ignore=shutil.ignore_patterns("facilitator"))  # served by the workshop itself
    from widgets import safety_bar  # the bar's files come from its package, with the theme's palette

    (target / "static" / "safety_bar.js").write_text(safety_bar.page_js(), encoding="utf-8")
    (target / "static" / "safety_bar.css").write_text(safety_bar.page_css(), encoding="utf-8")
    _version_static(target)
    resources = _json_for_script(load_resources())
    for page in ("tree.html", "page.html", "index.html.j2"):
        path = target / page
        text = path.read_text(encoding="utf-8").replace("@@RESOURCES_JSON@@", resources)
        if page == "tree.html":
            # base_url is a Jinja variable; the module list is plain HTML.
            text = text.replace("{% raw %}@@MODULES_HTML@@{% endraw %}",
                                landing_html(syllabus, page_names(syllabus, discreet)))
        if page == "page.html":
            text = text.replace("{% raw %}@@PAGE_TITLE@@{% endraw %}",
                                DISCREET_TITLE if discreet else COURSE_TITLE)
        path.write_text(text, encoding="utf-8")


def prerender_figures() -> None:
    """Draw module 2's figures into the build's cache unless they are there for the code as it is.

    In a process of its own, so matplotlib stays out of this one (`course start`
    waits on Voila as long as the course is open). When drawing fails, the pages
    draw the figures themselves; the warning says why.
    """
    from widgets import response_models

    if response_models.is_current():
        return
    code = "import sys; from widgets.response_models import prerender; prerender(sys.argv[1])"
    done = subprocess.run([sys.executable, "-c", code, str(response_models.CACHE)], capture_output=True, text=True)
    if done.returncode:
        warnings.warn("Module 2's figures could not be drawn ahead of time; its page will draw them "
                      f"itself, which is slower: {done.stderr.strip()[-600:]}", RuntimeWarning, stacklevel=2)


def build_notebooks(out_dir: Path | None = None, syllabus: Syllabus | None = None,
                    discreet: bool = False) -> list[Path]:
    """Write one .ipynb per ready module (removing stale ones), the template and module 2's figures.

    Discreet: into output_dirs(True) unless out_dir is given, named and titled neutrally.
    """
    syllabus = syllabus or load_syllabus()
    default_out, jupyter_path = output_dirs(discreet)
    out_dir = default_out if out_dir is None else out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    names = page_names(syllabus, discreet)
    written = [_write(MODULES / m.file, m.title, out_dir / f"{names[m.stem]}.ipynb", names, discreet)
               for m in syllabus.ready()]
    written.append(_write(BOOK / f"{GLOSSARY}.md", "Glossary", out_dir / f"{names[GLOSSARY]}.ipynb",
                          names, discreet))
    for stale in set(out_dir.glob("*.ipynb")) - set(written):
        stale.unlink()
    write_voila_template(syllabus, jupyter_path, discreet)
    prerender_figures()
    return written
