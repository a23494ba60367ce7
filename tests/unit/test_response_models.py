"""Module 2 figures: alt text, accessible HTML display and the labels a reader sees."""
import base64
import html
import itertools
import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyArrowPatch

from widgets import response_models as rm

FIGURES = {
    "four_phase_figure": ["excitement", "plateau", "orgasm", "resolution", "schematic"],
    "kaplan_figure": ["desire", "before arousal", "excitement", "orgasm"],
    "basson_figure": ["neutrality", "closeness", "arousal", "responsive desire", "satisfaction", "feeds back"],
    "concordance_figure": [".66", ".26", "men", "women", "average", "wrong"],
}


def texts(fig):
    """Every piece of text a reader sees: titles, axis labels, tick labels, annotations."""
    found = list(fig.texts)
    for ax in fig.axes:
        found += [*ax.texts, ax.title, ax._left_title]
        if ax.axison:
            found += [ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels()]
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def words(fig):
    return [t.get_text() for t in texts(fig)]


def x_of(fig, label):
    return next(t.get_position()[0] for t in texts(fig) if t.get_text() == label)


def test_every_figure_the_course_offers_is_checked_here():
    """A new figure gets its alt text checked too: widgets lists every figure it offers."""
    import widgets

    assert {name for name in widgets.__all__ if name.endswith("_figure")} == set(FIGURES)


@pytest.fixture(params=sorted(FIGURES))
def made(request):
    return request.param, getattr(rm, request.param)()


def test_alt_text_is_short_plain_and_names_the_key_terms(made):
    name, figure = made
    assert figure.alt and figure.caption and figure.source
    assert 1 <= len(re.findall(r"[.!?](?:\s|$)", figure.alt)) <= 3, figure.alt
    for term in FIGURES[name]:
        assert term in figure.alt.lower(), (name, term)
    assert "schematic" in figure.alt.lower() or name == "concordance_figure" or "diagram" in figure.alt.lower()


def test_html_repr_is_a_figure_with_escaped_alt_and_caption(made):
    _, figure = made
    page = figure._repr_html_()
    assert page.startswith("<figure") and page.endswith("</figure>")
    assert f'alt="{html.escape(figure.alt, quote=True)}"' in page
    assert "<figcaption>" in page and html.escape(figure.caption) in page
    data = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    assert base64.b64decode(data).startswith(b"\x89PNG")
    assert figure._repr_png_().startswith(b"\x89PNG")
    assert repr(figure) == f"Figure: {figure.alt}"


def test_alt_with_quotes_and_tags_is_escaped():
    figure = rm.four_phase_figure()
    figure.alt = 'Say "hi" <script>alert(1)</script> & go'
    page = figure._repr_html_()
    assert "<script>" not in page
    assert 'alt="Say &quot;hi&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; go"' in page


def test_jupyter_prefers_the_html_figure_and_nothing_is_shown_twice():
    from IPython.core.formatters import DisplayFormatter

    before = plt.get_fignums()
    figure = rm.basson_figure()
    bundle, _ = DisplayFormatter().format(figure)
    assert {"text/html", "image/png", "text/plain"} <= set(bundle)
    assert f'alt="{html.escape(figure.alt, quote=True)}"' in bundle["text/html"]
    assert base64.b64encode(bundle["image/png"]).decode() in bundle["text/html"]  # rendered once, same image
    assert bundle["text/plain"] == repr(figure)
    assert plt.get_fignums() == before  # no pyplot figure for the inline backend to repeat


def test_labels_never_overlap(made):
    _, figure = made
    fig = figure.fig
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), (t.get_bbox_patch() or t).get_window_extent(renderer)) for t in texts(fig)]
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"
        for box, label in ((box_a, a), (box_b, b)):  # nothing clipped at the figure's edge
            assert box.x0 >= -1 and box.x1 <= fig.bbox.width + 1, label


def test_four_phases_in_order_and_marked_schematic():
    fig = rm.four_phase_figure().fig
    phases = ["Excitement", "Plateau", "Orgasm", "Resolution"]
    xs = [x_of(fig, p) for p in phases]
    assert xs == sorted(xs)
    assert rm.SCHEMATIC in words(fig)
    assert {"Time", "Arousal (body)"} <= set(words(fig))


def test_kaplan_puts_desire_before_excitement():
    fig = rm.kaplan_figure().fig
    labels = words(fig)
    assert labels.count("Excitement") == 2 and labels.count("Orgasm") == 2
    assert "Desire" in labels and "Plateau" in labels and "Resolution" in labels
    kaplan_row = [t for t in texts(fig) if t.get_text() in {"Desire", "Excitement", "Orgasm"}
                  and t.get_position()[1] < 1.5]
    order = [t.get_text() for t in sorted(kaplan_row, key=lambda t: t.get_position()[0])]
    assert order == ["Desire", "Excitement", "Orgasm"]
    assert rm.SCHEMATIC in labels


def test_basson_is_a_closed_loop_of_arrows():
    fig = rm.basson_figure().fig
    labels = words(fig)
    for step in rm.BASSON_STEPS:
        assert step in labels
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == len(rm.BASSON_STEPS)  # one arrow out of every step, the last back to the start
    assert any("feeds back" in w for w in labels)


def test_concordance_bars_match_the_meta_analysis():
    figure = rm.concordance_figure()
    ax = figure.fig.axes[0]
    heights = [round(bar.get_height(), 2) for bar in ax.patches]
    assert heights == [0.66, 0.26]
    labels = words(figure.fig)
    assert {"Men", "Women", "r = .66", "r = .26"} <= set(labels)
    assert any("wrong about their body" in w.replace("\n", " ") for w in labels)
    assert "Chivers" in figure.source and "39(1), 5-56" in figure.source
