"""Generated notebooks and the landing page follow the syllabus."""
import json
import re

import nbformat
import pytest

from course.notebooks import build_notebooks, landing_html, write_voila_template
from course.syllabus import load_syllabus
from tests.unit.conftest import rendered_landing


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("nb")
    return out, build_notebooks(out)


def test_one_notebook_per_ready_module_without_outputs(built):
    out, written = built
    syllabus = load_syllabus()
    assert [p.stem for p in written] == [m.stem for m in syllabus.ready()] + ["glossary"]
    for path in written:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["title"].endswith("· Steady Ground")
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_stale_notebooks_are_removed(tmp_path):
    (tmp_path / "old-module.ipynb").write_text("{}")
    build_notebooks(tmp_path)
    assert not (tmp_path / "old-module.ipynb").exists()


def test_landing_lists_every_module_in_syllabus_order_with_minutes():
    syllabus = load_syllabus()
    page = landing_html(syllabus)
    order = re.findall(r'data-module="(m\d\d)"', page)
    assert order == [m.id for m in syllabus.modules]
    for m in syllabus.modules:
        assert f"About {m.minutes} minutes" in page
    coming = re.findall(r'data-module="(m\d\d)"><h2>[^<]*<span class="sg-badge">Coming soon', page)
    assert coming == [m.id for m in syllabus.modules if not m.ready]


def test_template_embeds_resources_safely(tmp_path):
    target = write_voila_template(load_syllabus(), tmp_path)
    tree = rendered_landing(target)
    blob = re.search(r'<script type="application/json" id="sg-resources">(.*?)</script>', tree, re.S).group(1)
    assert "988" in json.loads(blob)["resources"][0]["links"][0]["href"]
    assert "</script" not in blob
    assert (target / "static" / "safety_bar.js").is_file()
    for page in (tree, (target / "page.html").read_text(), (target / "index.html.j2").read_text()):
        assert not re.search(r'(src|href)="(https?:)?//', page), "pages must not load anything from outside"


@pytest.mark.parametrize("hub, workshop, says", [
    (False, False, "Your notes stay on this device."),
    (True, False, "Your notes are kept on the server of the group that runs this course"),
    (False, True, "it is not saved on the server, and it is gone when you leave"),  # a workshop on a laptop
    (True, True, "it is not saved on the server, and it is gone when you leave"),   # the hub's room
])
def test_the_landing_page_says_where_notes_are_kept_where_it_is_served(tmp_path, hub, workshop, says):
    """A person decides what to write by where it goes: the footer must be true for the server they are on."""
    footer = re.search(r'<footer class="sg-landing-footer">(.*?)</footer>',
                       rendered_landing(write_voila_template(load_syllabus(), tmp_path), hub=hub, workshop=workshop),
                       re.S).group(1)
    assert says in footer and footer.count("<p>") == 1


def test_links_between_pages_point_at_notebooks_in_voila():
    from course.notebooks import relink

    text = "See [the window](glossary.md#window-of-tolerance), [module 3](03-calming-the-body.md) and [x](other.md)."
    assert relink(text, {"glossary", "03-calming-the-body"}) == (
        "See [the window](glossary.ipynb#window-of-tolerance), [module 3](03-calming-the-body.ipynb) "
        "and [x](other.md).")
