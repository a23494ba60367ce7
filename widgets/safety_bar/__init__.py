"""SafetyBar: crisis resources one click away and a "Leave now" quick exit.

The same front end runs in two ways:

- as this widget (anywidget): ``SafetyBar._esm`` is the shared helpers of
  widgets/lib/ followed by safety_bar.js, as for every widget;
- alone, on plain pages that are not notebooks (the Voila landing page and
  template, every book page): :func:`page_js` and :func:`page_css`, which the
  course's builders copy. safety_bar.js therefore uses no helper of
  widgets/lib/: it must run without them.

In a workshop (``STEADY_GROUND_WORKSHOP=1``) the bar's cell also shows
:class:`widgets.save_notes.SaveNotes`, so every module page offers "Save my
notes" without a cell of its own; in ``course start`` and the book it does not.
"""
from __future__ import annotations

import os
from pathlib import Path

import traitlets as t

from course.safety import load_resources
from course.store import WORKSHOP_ENV
from widgets.base import SteadyWidget, css

HERE = Path(__file__).parent
JS_FILE = HERE / "safety_bar.js"
"""The bar's ES module (also the source of the book's classic-script copy)."""
CSS_FILE = HERE / "safety_bar.css"
"""The bar's own style; it takes its colours from widgets/palette.css."""


def page_js() -> str:
    """The bar's module for a plain page, which imports ``mountSafetyBar`` from it."""
    return JS_FILE.read_text(encoding="utf-8")


def page_css() -> str:
    """The bar's style for a plain page: the palette, the shared theme, then the bar's own."""
    return css(CSS_FILE)


class SafetyBar(SteadyWidget):
    """The bar at the top of every module: help links and the quick exit.

    On pages that already carry the bar (the Voila template, book pages) the
    widget shows nothing, so a page never has two.
    """

    JS = "safety_bar.js"
    CSS = "safety_bar.css"

    resources = t.Dict(help="Crisis resources and the quick-exit target, from course/resources.yml.").tag(sync=True)
    country = t.Unicode("US", help="Country code whose resources are listed (plus international ones).")

    def __init__(self, country: str = "US", **kwargs):
        super().__init__(country=country, resources=load_resources(country), **kwargs)

    def _ipython_display_(self, **_kwargs) -> None:
        """Show the bar; in a workshop, then "Save my notes" (the page's notes live in its kernel only)."""
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True)
        if os.environ.get(WORKSHOP_ENV) == "1":
            from widgets.save_notes import SaveNotes

            display(SaveNotes())


__all__ = ["CSS_FILE", "JS_FILE", "SafetyBar", "page_css", "page_js"]
