"""Steady Ground widgets: import a widget, show it. Logic lives here, not in notebooks."""
from widgets.breathing import BreathingPacer
from widgets.checkin import CheckIn
from widgets.safety_bar import SafetyBar

__all__ = ["BreathingPacer", "CheckIn", "SafetyBar"]
