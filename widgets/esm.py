"""Transitional: use widgets.base (SteadyWidget.JS) instead. Removed once every widget is on the base."""
from widgets.base import esm, lib_source  # noqa: F401
