"""Widget front ends share one set of helpers."""
from widgets import SafetyBar


def test_every_widget_front_end_gets_the_shared_helpers():
    """One copy of the DOM helpers (widgets/lib.js) in front of each widget's module."""
    import widgets
    from widgets.esm import LIB

    lib = LIB.read_text(encoding="utf-8")
    for name in widgets.__all__:
        cls = getattr(widgets, name)
        if not isinstance(cls, type) or cls is SafetyBar:  # the safety bar also runs alone on plain pages
            continue
        assert cls._esm.startswith(lib), name
        body = cls._esm[len(lib):]
        assert "function h(" not in body and "function newId(" not in body, f"{name} redefines a shared helper"
