"""Steady Ground course runtime: syllabus, learner store, notebooks, serving."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project checkout (course/ and widgets/ are installed editable from it)."""
MODULES = ROOT / "modules"
BOOK = ROOT / "book"
BUILD = ROOT / "build"
