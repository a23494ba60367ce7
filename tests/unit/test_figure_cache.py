"""Module 2's figures come from the build's cache (lean kernels, issue 9): the same picture as a fresh
drawing, the same words, and a figure is never lost to a missing, stale, damaged or unwritable cache."""
import base64
import io
import re
import warnings

import pytest
from PIL import Image

from course import notebooks
from course.validate import html_text
from widgets import response_models as rm

FIGURES = ("four_phase_figure", "kaplan_figure", "basson_figure", "concordance_figure")


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """A cache folder of this test's own (the build's stays as it is)."""
    folder = tmp_path / "figures"
    monkeypatch.setattr(rm, "CACHE", folder)
    return folder


@pytest.fixture(scope="module")
def drawn():
    """Each drawing rendered afresh, with no cache involved: what a page showed before the cache."""
    return {drawing: rm.render(rm.draw(drawing)) for drawing in rm.DRAWINGS}


def shown_png(figure) -> bytes:
    """The PNG inside the <figure> a notebook shows."""
    return base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', figure._repr_html_()).group(1))


def test_the_cached_picture_is_the_drawn_one_and_the_words_are_unchanged(cache, drawn):
    paths = rm.prerender()
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == sorted(rm.DRAWINGS)
    assert [p.parent for p in paths] == [cache] * len(rm.DRAWINGS)
    for name in FIGURES:
        figure = getattr(rm, name)()
        assert rm.cached(figure.drawing) == drawn[figure.drawing] == shown_png(figure), name
        assert figure._repr_mimebundle_()["image/png"] == drawn[figure.drawing]
        image = Image.open(io.BytesIO(shown_png(figure)))
        image.load()  # decodes
        assert image.size == Image.open(io.BytesIO(drawn[figure.drawing])).size
        assert f'alt="{html_text(figure.alt)}"' in figure._repr_html_()
        assert repr(figure) == f"Figure: {figure.alt}"
    assert rm.four_phase_figure().alt.startswith("Schematic line, not data, of body arousal over time in four phases")
    assert "r = .66 for men and r = .26 for women" in rm.concordance_figure().alt


def test_a_missing_cache_draws_and_keeps_the_picture(cache, drawn):
    assert not cache.exists()
    assert rm.basson_figure().png() == drawn["basson"]
    assert rm.cached("basson") == drawn["basson"] and rm.cache_path("basson").exists()
    assert not rm.is_current()  # the others are drawn when shown, or by `course notebooks`


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],                                   # cut short
    lambda data: data[:5000] + bytes([data[5000] ^ 0xFF]) + data[5001:],   # one byte changed
    lambda data: b"",                                                      # empty
    lambda data: b"<html>not a picture</html>",
    lambda data: data + b"more",                                           # something after the end
])
def test_a_damaged_picture_is_drawn_again(cache, drawn, damage):
    rm.prerender()
    path = rm.cache_path("kaplan")
    path.write_bytes(damage(path.read_bytes()))
    assert rm.cached("kaplan") is None and not rm.is_current()
    assert rm.kaplan_figure().png() == drawn["kaplan"]
    assert path.read_bytes() == drawn["kaplan"]  # mended for the next page


def test_a_folder_that_cannot_be_written_still_shows_the_figure(tmp_path, monkeypatch, drawn):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(rm, "CACHE", blocker / "figures")
    assert shown_png(rm.concordance_figure()) == drawn["concordance"]
    with pytest.raises(OSError):
        rm.prerender()  # `course notebooks` is told; a page is not


def test_a_change_to_the_drawing_code_draws_again_and_drops_the_old_pictures(cache, tmp_path, monkeypatch):
    rm.prerender()
    before = {drawing: rm.cache_path(drawing) for drawing in rm.DRAWINGS}
    changed = tmp_path / "response_drawings.py"
    changed.write_bytes(rm._CODE[1].read_bytes() + b"\n# a changed colour\n")
    monkeypatch.setattr(rm, "_CODE", (rm._CODE[0], changed))
    rm._code_key.cache_clear()
    try:
        assert not rm.is_current() and all(rm.cache_path(d) != before[d] for d in rm.DRAWINGS)
        rm.prerender()
        assert rm.is_current() and not any(path.exists() for path in before.values())
    finally:
        rm._code_key.cache_clear()


def test_a_figure_changed_in_a_notebook_shows_as_changed(cache):
    rm.prerender()
    figure = rm.four_phase_figure()
    figure.fig.axes[0].set_title("My own title")
    assert figure.png() != rm.cached("four_phase")


def test_building_the_notebooks_draws_the_figures_once(cache, monkeypatch):
    notebooks.prerender_figures()
    assert rm.is_current()
    monkeypatch.setattr(notebooks.subprocess, "run", lambda *a, **k: pytest.fail("drew again"))
    notebooks.prerender_figures()  # current: nothing to do


def test_building_warns_when_the_figures_cannot_be_drawn_ahead(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(rm, "CACHE", blocker / "figures")
    with pytest.warns(RuntimeWarning, match="Module 2's figures could not be drawn ahead of time"):
        notebooks.prerender_figures()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert shown_png(rm.kaplan_figure()).startswith(b"\x89PNG")  # the page draws them itself
