"""Steady Ground widgets: import a widget, show it. Logic lives here, not in notebooks.

Imports are lazy (PEP 562): ``from widgets import SafetyBar`` loads the safety
bar alone, not pandas and matplotlib for the charts of other widgets.
"""
from __future__ import annotations

import importlib

_WHERE = {
    "BrakesAndAccelerators": "widgets.brakes",
    "BreathingPacer": "widgets.breathing",
    "CheckIn": "widgets.checkin",
    "ConsentList": "widgets.consent",
    "Grounding": "widgets.grounding",
    "MuscleRelaxation": "widgets.relaxation",
    "OurAgreements": "widgets.agreements",
    "Journal": "widgets.journal",
    "ReconnectionLadder": "widgets.ladder",
    "ProgressReview": "widgets.progress",
    "Quiz": "widgets.quiz",
    "RepairPlanner": "widgets.repair",
    "SafetyBar": "widgets.safety_bar",
    "SafetyCheck": "widgets.safety_check",
    "SaveNotes": "widgets.save_notes",
    "TransparencyPlan": "widgets.transparency",
    "TriggerPlan": "widgets.trigger_plan",
    "basson_figure": "widgets.response_models",
    "concordance_figure": "widgets.response_models",
    "four_phase_figure": "widgets.response_models",
    "kaplan_figure": "widgets.response_models",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


def widget_classes() -> list[type]:
    """Every widget class of the course (imports them all)."""
    return [getattr(importlib.import_module(_WHERE[name]), name) for name in __all__ if name[0].isupper()]
