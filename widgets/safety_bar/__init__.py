"""SafetyBar: crisis resources one click away and a "Leave now" quick exit."""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from course.safety import load_resources

HERE = Path(__file__).parent
JS = HERE / "safety_bar.js"
CSS = HERE / "safety_bar.css"


class SafetyBar(anywidget.AnyWidget):
    """The bar at the top of every module: help links and the quick exit.

    On pages that already carry the bar (the Voila template, book pages) the
    widget shows nothing, so a page never has two.
    """

    _esm = JS
    _css = CSS
    resources = traitlets.Dict(help="Crisis resources and the quick-exit target, from course/resources.yml.").tag(sync=True)
    country = traitlets.Unicode("US", help="Country code whose resources are listed (plus international ones).")

    def __init__(self, country: str = "US", **kwargs):
        super().__init__(country=country, resources=load_resources(country), **kwargs)
