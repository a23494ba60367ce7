"""A widget's front-end module with the shared helpers of widgets/lib.js in front."""
from pathlib import Path

LIB = Path(__file__).with_name("lib.js")


def esm(widget_js: Path) -> str:
    """anywidget loads each module from a blob: URL, so a module cannot import a sibling file."""
    return LIB.read_text(encoding="utf-8") + "\n" + Path(widget_js).read_text(encoding="utf-8")
