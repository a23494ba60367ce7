"""Every widget class keeps the promises of widgets/base.py (tests/unit/test_base.py tests the base itself).

One parametrised set over every widget the course offers (``widgets.__all__``),
each built as the module notebooks build it. A widget that breaks a promise
fails here under its own name; a new widget without a recipe in ``MAKE`` fails
``test_every_widget_of_the_course_is_checked_here``.
"""
from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import anywidget
import pytest
import traitlets as t

import widgets
from course.gate import CLOSED_TEXT, OPEN_TEXT, UNCHECKED_TEXT
from tests.gates import close_gate, open_gate
from tests.widgets import command
from widgets.base import SteadyWidget, css, lib_source

# How the modules build each widget (modules/*.md): the fewest arguments a notebook passes.
MAKE: dict[str, dict] = {
    "BrakesAndAccelerators": {},
    "BreathingPacer": {"pattern": "box", "minutes": 3},
    "CheckIn": {"gauge": "calm", "label": "How calm do you feel right now?", "low": "Not calm at all",
                "high": "Completely calm"},
    "ConsentList": {},
    "Grounding": {},
    "Journal": {"module": "m00", "prompts": ["What made you open this course today?"]},
    "MuscleRelaxation": {},
    "OurAgreements": {"partners": ("Partner A", "Partner B")},
    "ProgressReview": {"weeks": 8},
    "Quiz": {"quiz_id": "m00"},
    "ReconnectionLadder": {"partners": ("Partner A", "Partner B")},
    "RepairPlanner": {},
    "SafetyBar": {},
    "SafetyCheck": {},
    "SaveNotes": {},
    "TransparencyPlan": {"partners": ("Partner A", "Partner B")},
    "TriggerPlan": {"partners": ("Partner A", "Partner B")},
}
NAMES = sorted(name for name in widgets.__all__ if name[0].isupper())
GATE_TEXTS = (CLOSED_TEXT, OPEN_TEXT, UNCHECKED_TEXT)
# A synced trait named like one of these would carry the couples gate or someone's private answers.
PRIVATE_NAME = re.compile(r"gate|verdict|concern|assess|turn|is_open|couples_(open|closed)|^(open|closed|clear)$")
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(rgba?|hsla?)\(")
BASE_TRAITS = set(anywidget.AnyWidget.class_traits())


def make(cls: type) -> SteadyWidget:
    return cls(**MAKE[cls.__name__])


def own_traits(cls: type) -> dict[str, t.TraitType]:
    """The traits the course defines (the base's and the widget's), not anywidget's or ipywidgets'."""
    return {name: trait for name, trait in cls.class_traits().items() if name not in BASE_TRAITS}


def synced(widget) -> dict:
    """What the page, and a saved notebook's widget state, hold: every synced value but the front end."""
    return {k: v for k, v in widget.get_state().items() if k not in ("_esm", "_css")}


def as_text(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False, default=lambda v: "")  # chart PNG bytes hold no words


@pytest.fixture(params=NAMES)
def cls(request) -> type:
    return getattr(widgets, request.param)


@pytest.fixture
def widget(cls):
    made = make(cls)
    yield made
    made.close()


def test_every_widget_of_the_course_is_checked_here():
    assert {cls.__name__ for cls in widgets.widget_classes()} == set(NAMES) == set(MAKE)


def test_it_is_built_on_the_base(cls):
    assert issubclass(cls, SteadyWidget)
    assert cls.__dict__.get("JS"), "set JS (and CSS): the base builds _esm and _css from them"


def test_every_trait_says_what_it_is_for(cls):
    missing = sorted(name for name, trait in own_traits(cls).items() if not (trait.help or "").strip())
    assert not missing, f"traits without help=: {missing}"


def test_one_status_line_the_bases(cls):
    traits = cls.class_traits()
    assert isinstance(traits.get("status"), t.Unicode) and traits["status"].metadata.get("sync")
    assert isinstance(traits.get("error"), t.Bool) and traits["error"].metadata.get("sync")
    doubles = sorted(name for name in traits if re.fullmatch(r"status_\w+|\w+_status|message|\w+_error", name))
    assert not doubles, f"a second status line: {doubles}"


def test_an_unknown_action_is_refused_in_words(widget):
    for name in ("no_such_action", "close", "__init__"):
        reply = command(widget, name)
        assert reply["ok"] is False, name
        assert repr(name) in reply["error"] and "does not do" in reply["error"], reply


def test_the_page_can_always_ask_to_refresh(widget):
    reply = command(widget, "refresh")
    assert reply["ok"] is True, reply
    assert not widget.error, widget.status


def test_each_action_is_a_public_method(cls):
    assert "refresh" in cls.ACTIONS
    for name, options in cls.ACTIONS.items():
        assert not name.startswith("_"), name
        assert inspect.isfunction(getattr(cls, name)), f"{name} is not a method"
        assert isinstance(options.get("failed"), str), name


def test_the_front_end_is_the_shared_helpers_once_then_its_own_module(cls):
    own = Path(sys.modules[cls.__module__].__file__).parent
    assert cls._esm == lib_source() + "\n" + (own / cls.JS).read_text(encoding="utf-8")
    assert cls._css == css(own / cls.CSS if cls.CSS else None)


def test_the_front_end_loads_and_has_render(cls, tmp_path):
    """A helper defined in widgets/lib/ and again in a widget is a SyntaxError that blanks the widget."""
    module = tmp_path / f"{cls.__name__}.mjs"
    module.write_text(cls._esm, encoding="utf-8")
    script = f"const m = await import({json.dumps(module.as_uri())}); console.log(typeof m.default?.render);"
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-1500:]
    assert done.stdout.strip() == "function", "the module's default export has no render()"


def test_its_own_style_takes_colours_from_the_theme(cls):
    """The palette lives in widgets/palette.css; a widget's CSS uses its variables (var(--sg-...))."""
    own = cls._css[len(css(None)):]
    found = sorted({m.group(0) for m in COLOUR.finditer(own)})
    assert not found, f"colours written into {cls.CSS}: {found}"


def test_colours_are_defined_only_in_the_palette():
    """The shared theme and the printed pages' styles use the palette's variables too."""
    from widgets.base import PALETTE, THEME

    others = [THEME, *sorted(Path(THEME).parent.glob("*/*-page.css")), *sorted(Path(THEME).parent.glob("*/print.css"))]
    assert len(others) >= 3  # the theme, the plan's page, the repair plan's page
    for path in others:
        found = sorted({m.group(0) for m in COLOUR.finditer(path.read_text(encoding="utf-8"))})
        assert not found, f"colours written into {path.name}: {found}"
    assert COLOUR.search(PALETTE.read_text(encoding="utf-8"))


def test_no_trait_is_named_for_the_gate_or_private_answers(cls):
    names = sorted(name for name, trait in own_traits(cls).items()
                   if trait.metadata.get("sync") and PRIVATE_NAME.search(name))
    assert not names, names


def test_no_synced_value_tells_the_gate_state(widget):
    """A saved notebook or the browser's widget state must not say whether the couples exercises are open."""
    unchecked = synced(widget)
    for change in (open_gate, close_gate):
        change()
        state = synced(widget)
        found = [text for text in GATE_TEXTS if text in as_text(state)]
        assert not found, f"after {change.__name__}: {found}"
        assert state == unchecked, f"after {change.__name__}, synced values changed: " + ", ".join(
            sorted(k for k in state if state[k] != unchecked.get(k)))
    assert not [text for text in GATE_TEXTS if text in as_text(unchecked)]


def test_actions_tried_while_closed_leave_no_trace_of_the_gate(widget):
    """Click everything while the couples exercises are closed: refusals say nothing about the gate."""
    close_gate()
    before = synced(widget)
    sample = {"index": 0, "partner": 0, "text": "A walk", "item": "x", "value": "yes", "turn": "a",
              "what": "x", "how": "", "often": "daily", "ready": True}
    for name in widget.ACTIONS:
        if name in ("close_couples", "forget_couple", "refresh", "use_solo", "restart"):
            continue  # stopping, forgetting and starting over never need the check
        params = inspect.signature(getattr(widget, name)).parameters
        reply = command(widget, name, **{k: v for k, v in sample.items() if k in params})
        state = synced(widget)
        found = [text for text in GATE_TEXTS if text in as_text(state)]
        assert not found, f"{name}: {found} in {[k for k in state if found[0] in as_text({k: state[k]})]}"
        if widget.COUPLES and not getattr(widget, "solo", False):
            assert reply["ok"] is False, f"{name} worked while the couples exercises were closed"
            assert {k: v for k, v in state.items() if k not in ("status", "error")} == \
                {k: v for k, v in before.items() if k not in ("status", "error")}, name


@pytest.mark.parametrize("cls", widgets.widget_classes(), ids=lambda c: c.__name__)
def test_its_module_with_the_shared_helpers_is_valid_javascript(cls, tmp_path):
    """The shared helpers and the widget's own module are one ES module in the browser: a widget
    function named like a helper (two `saveFile`s, say) is a syntax error and the widget never draws."""
    module = tmp_path / f"{cls.__name__}.mjs"
    module.write_text(cls._esm, encoding="utf-8")
    checked = subprocess.run(["node", "--check", str(module)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr[-800:]
