"""Steady Ground widgets: import a widget, show it. Logic lives here, not in notebooks."""
from widgets.brakes import BrakesAndAccelerators
from widgets.breathing import BreathingPacer
from widgets.checkin import CheckIn
from widgets.consent import ConsentList
from widgets.grounding import Grounding
from widgets.relaxation import MuscleRelaxation
from widgets.journal import Journal
from widgets.ladder import ReconnectionLadder
from widgets.progress import ProgressReview
from widgets.quiz import Quiz
from widgets.repair import RepairPlanner
from widgets.response_models import basson_figure, concordance_figure, four_phase_figure, kaplan_figure
from widgets.safety_bar import SafetyBar
from widgets.safety_check import SafetyCheck
from widgets.transparency import TransparencyPlan

__all__ = ["ProgressReview", "RepairPlanner", "ReconnectionLadder", "TransparencyPlan", "ConsentList", "SafetyCheck", "BrakesAndAccelerators", "BreathingPacer", "CheckIn", "Grounding", "MuscleRelaxation", "Journal", "Quiz", "SafetyBar",
           "basson_figure", "concordance_figure", "four_phase_figure", "kaplan_figure"]
