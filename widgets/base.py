"""The base of every Steady Ground widget: the plumbing, written once.

A widget is a subclass of :class:`SteadyWidget` with

- ``JS`` and ``CSS``: its own file names, next to its module. The front end
  is the shared helpers of ``widgets/lib/`` followed by ``JS`` (anywidget
  loads a module from a blob: URL, so it cannot import a sibling file); the
  style is ``widgets/palette.css`` and ``widgets/theme.css`` followed by ``CSS``.
- traits with ``help=``: what the page shows, synced to the browser;
- methods a notebook, a test or the page can call. Each checks its input with
  :mod:`course.validate` and raises ValueError in plain words. The ones the
  page may call are marked ``@action``.

The page calls an action with ``request(model, "name", {...})`` (widgets/lib/
core.js), which speaks anywidget's command protocol: ``{"kind":
"anywidget-command", "id", "name", "msg"}``. :meth:`SteadyWidget.dispatch`
runs the method of that name when it is marked ``@action`` and answers, always
in one form, ``{"ok": bool, "error": str, "value": ...}`` with the request's
id. An unknown action is refused in words; a ValueError or a store problem
becomes the reply and the status line (never a traceback in the page); any
other exception is logged (its type and place, never its message, which may
hold what the learner typed) and reported in one fixed sentence. Changed
traits reach the page before the reply does (``hold_sync``).

Why not anywidget's own ``@command``: its handler raises on an unknown name
and on any exception, so the page gets no answer at all and waits; and its
``invoke()`` drops an answer that comes after its time-out, which on slow
Wi-Fi loses a save the learner already made. The wire format is anywidget's,
so either side can move to anywidget's version when those change.
"""
from __future__ import annotations

import inspect
import json
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import anywidget
import traitlets as t

from course.store import StoreError

HERE = Path(__file__).parent
LIB = HERE / "lib"
LIB_FILES = ("core.js", "crisis.js", "couples.js", "practice.js")
"""The shared front-end helpers, in the order they are put in front of every widget."""
THEME = HERE / "theme.css"
PALETTE = HERE / "palette.css"

F = TypeVar("F", bound=Callable[..., Any])
BUG = "Something went wrong on our side. Please try again, or reload the page."
REFUSED = "The page sent something this widget cannot keep."
MAX_MESSAGE = 400
"""The longest problem a reply or the status line says, as a last guard (a message about the learner's input
is far shorter; one about the data file names the file)."""
SHOWN = 24
"""How much of a value the page sent a message may repeat (shown(): "'abc…'")."""
_ACTION = "_steady_ground_action"


def lib_source() -> str:
    """The shared helpers (widgets/lib/*.js) as one script."""
    return "\n".join((LIB / name).read_text(encoding="utf-8") for name in LIB_FILES)


def esm(widget_js: Path) -> str:
    """A widget's ES module: the shared helpers, then the widget's own file."""
    return lib_source() + "\n" + Path(widget_js).read_text(encoding="utf-8")


def css(widget_css: Path | None) -> str:
    """A widget's style: the palette, the shared theme, then its own file."""
    own = Path(widget_css).read_text(encoding="utf-8") if widget_css else ""
    return PALETTE.read_text(encoding="utf-8") + "\n" + THEME.read_text(encoding="utf-8") + "\n" + own


def page_css(page_css_file: Path) -> str:
    """A printed or saved page's style: the palette, then the page's own file (no widget rules)."""
    return PALETTE.read_text(encoding="utf-8") + "\n" + Path(page_css_file).read_text(encoding="utf-8")


def action(method: F | None = None, *, failed: str = "") -> F | Callable[[F], F]:
    """Mark a method as one the page may call by name.

    ``failed`` starts the status line when the method raises ValueError or the
    store fails, e.g. ``@action(failed="Not saved:")``.
    """
    def mark(fn: F) -> F:
        setattr(fn, _ACTION, {"failed": failed})
        return fn
    return mark(method) if method is not None else mark


def _plain(value) -> Any:
    """A method's result as the reply's value: plain JSON data, or None."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return value


class SteadyWidget(anywidget.AnyWidget):
    """Base class: front end, theme, one status line and one message dispatcher."""

    JS: ClassVar[str] = ""
    """The widget's ES module, a file name next to the subclass's module."""
    CSS: ClassVar[str] = ""
    """The widget's own style, a file name next to the subclass's module (optional)."""
    COUPLES: ClassVar[bool] = False
    """True for couples widgets: course.module_check wants a SafetyCheck before them on the page."""
    ACTIONS: ClassVar[dict[str, dict]] = {}
    """Every @action of the class and its bases (filled in for each subclass)."""

    status = t.Unicode("", help="What happened on the last change, in plain words (the status line).").tag(sync=True)
    error = t.Bool(False, help="True when `status` reports a problem.").tag(sync=True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("JS"):
            folder = Path(sys.modules[cls.__module__].__file__).parent
            cls._esm = esm(folder / cls.JS)
            cls._css = css(folder / cls.CSS if cls.CSS else None)
        actions: dict[str, dict] = {}
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                if callable(member) and hasattr(member, _ACTION):
                    actions[name] = getattr(member, _ACTION)
        cls.ACTIONS = actions

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._on_custom_msg)

    # -- the status line
    def report(self, message: str, error: bool = False) -> None:
        """Say what happened on the status line (both traits change in one sync)."""
        with self.hold_sync():
            self.error = error
            self.status = message

    def attempt(self, failed: str, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """Run ``fn``; a ValueError or store problem goes to the status line and gives None."""
        try:
            return fn(*args, **kwargs)
        except (ValueError, StoreError) as exc:
            self.report(_words(failed, exc), error=True)
            return None

    @action
    def refresh(self) -> None:
        """Read saved work again: the page asks when it is shown (a preheated kernel ran the cell earlier)."""

    # -- messages from the page
    def dispatch(self, name, args=None) -> dict:
        """Run the action `name` with keyword `args`; the reply the page gets (tests call this too).

        Whatever `name` and `args` are, this returns a reply; a problem is said in one short line
        that repeats at most a few characters of what was sent.
        """
        reply = self._dispatch(name, args)
        if not reply.get("ok") and isinstance(reply.get("error"), str):
            error = short(reply["error"])
            if error != reply["error"]:
                if self.status == reply["error"]:
                    self.status = error
                reply = {**reply, "error": error}
        return reply

    def _dispatch(self, name, args) -> dict:
        options = self.ACTIONS.get(name) if isinstance(name, str) else None
        if options is None:
            return self._refuse(f"This page asked for something the widget does not do ({shown(name)}).")
        if args is None:
            args = {}
        if not isinstance(args, dict) or not all(isinstance(key, str) for key in args):
            return self._refuse(f"The page sent {name!r} without its details.")
        method = getattr(self, name)
        try:
            inspect.signature(method).bind(**args)
        except TypeError:
            given = ", ".join(shown(key, quote=False) for key in sorted(args)[:4]) or "none"
            return self._refuse(f"The page sent {name!r} with the wrong details ({given}).")
        try:
            with self.hold_sync():  # the page sees the change all at once, before the reply
                value = method(**args)
        except t.TraitError:
            # traitlets' own message repeats the value, which may be private: say it without it
            return self._refuse(f"The page sent {name!r} something this widget cannot keep.")
        except (ValueError, StoreError) as exc:
            return self._failed(name, options, exc)
        except Exception as exc:  # a bug, not bad input: log where, say so, keep the kernel alive
            self._log_bug(name, exc)
            return self._refuse(BUG)
        return {"ok": True, "value": _plain(value)}

    def _log_bug(self, name: str, exc: Exception) -> None:
        """Log a bug for the maintainer: the error's type and where it happened, never its message.

        An error's message can hold what the learner typed, and a log may be read by someone else.
        """
        frames = "".join(traceback.format_tb(exc.__traceback__))
        self.log.error("%s could not run %r: %s (message withheld)\n%s", type(self).__name__, name,
                       type(exc).__name__, frames)

    def _failed(self, name: str, options: dict, exc: Exception) -> dict:
        """A ValueError or store problem in an action: the status line says it, in words."""
        message = _words(options["failed"], exc)
        self.report(message, error=True)
        return {"ok": False, "error": message}

    def _refuse(self, message: str) -> dict:
        message = short(message)
        self.report(message, error=True)
        return {"ok": False, "error": message}

    def set_state(self, sync_data) -> None:
        """A change the page made to synced traits: kept when the traits accept it, else refused in words.

        A refused value is never repeated (it may be what the learner typed); the page is sent the
        widget's own values again, so what it shows is what the kernel keeps.
        """
        if not isinstance(sync_data, dict):
            return
        try:
            json.dumps(sync_data, ensure_ascii=False).encode("utf-8")  # it must go back to the page as it came
            for name, value in sync_data.items():  # every value checked before any is set (observers see none)
                if name in self.keys:
                    from_json = self.trait_metadata(name, "from_json", self._trait_from_json)
                    self.traits()[name]._validate(self, from_json(value, self))
            super().set_state(sync_data)
        except (t.TraitError, ValueError, TypeError):
            self.report(REFUSED, error=True)
        except Exception as exc:  # an observer's bug: log where, say so, keep the kernel alive
            self._log_bug("set_state", exc)
            self.report(BUG, error=True)
        else:
            return
        self.send_state([name for name in sync_data if name in self.keys])

    def _on_custom_msg(self, _widget, content, buffers) -> None:
        """A message from the page: a command gets exactly one reply, whatever it holds; nothing escapes."""
        if not isinstance(content, dict) or content.get("kind") != "anywidget-command":
            return
        name = content.get("name")
        try:
            reply = self.dispatch(name, content.get("msg"))
        except Exception as exc:  # a bug outside the action (an observer, the status line): still answer
            self._log_bug(name if isinstance(name, str) else "?", exc)
            reply = {"ok": False, "error": BUG}
        reply = {**reply, "value": _plain(reply.get("value"))} if "value" in reply else reply
        self.send({"id": _plain(content.get("id")), "kind": "anywidget-command-response", "response": reply})


def short(message: str, limit: int = MAX_MESSAGE) -> str:
    """A problem said in one line of at most `limit` characters, with long quoted values and numbers cut.

    The last guard: each widget's own messages already say what is wrong without the value.
    """
    message = " ".join(str(message).split()).encode("utf-8", "backslashreplace").decode("utf-8")  # no lone surrogate
    message = _QUOTED.sub(lambda m: m[0][:SHOWN] + "…" + m[0][0], message)
    message = _DIGITS.sub(lambda m: m[0][:6] + "…", message)
    half = (limit - 1) // 2  # the middle goes: the start says what failed, the end what to do
    return message if len(message) <= limit else message[:half] + "…" + message[-half:]


def shown(value, quote: bool = True) -> str:
    """A value the page sent, as a message may repeat it: its repr, cut to a few characters."""
    text = repr(value) if quote else str(value)
    return text if len(text) <= SHOWN + 2 else text[:SHOWN] + "…" + (text[0] if quote and text[0] in "'\"" else "")


_QUOTED = re.compile(rf"(?<!\w)(?:'(?:[^'\\]|\\.){{{SHOWN},}}'|\"(?:[^\"\\]|\\.){{{SHOWN},}}\")(?!\w)")
"""A value in quotes, as repr() shows it (an apostrophe inside a word, as in "isn't", is not a quote)."""
_DIGITS = re.compile(r"\d{20,}")


MAX_ROW = 2 ** 63 - 1
"""The largest number a saved row can have (SQLite's INTEGER)."""


def row_number(value, what: str) -> int:
    """The number of a saved row (a journal entry): a whole number from 1 to SQLite's largest."""
    from course import validate

    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_ROW:
        raise ValueError(f"There is no {what[0].lower()}{what[1:]} {shown(value)}.")
    return validate.whole(value, what, 1, MAX_ROW)


def _words(failed: str, exc: Exception) -> str:
    message = str(exc)
    return short(message if not failed or message.startswith(failed) else f"{failed} {message}")


__all__ = ["SteadyWidget", "action", "css", "esm", "lib_source", "page_css", "short", "shown", "LIB_FILES"]


class CrisisWatch(t.HasTraits):
    """Text boxes that show the crisis resources inline when they hold a crisis phrase (CONTENT.md rule 6).

    The browser checks its own text with widgets/lib/crisis.js ``crisisWatch``; nothing about a match is
    sent, kept or logged. Put it first among the bases (``class Journal(CrisisWatch, SteadyWidget)``) and
    pass ``**crisis_help(country)`` to ``super().__init__``.
    """

    crisis_phrases = t.List(t.Unicode(), help="Phrases that show the crisis resources under a box (course/crisis.yml); "
                            "the browser checks, and the answer stays there.").tag(sync=True)
    resources = t.List(t.Dict(), help="Crisis resources shown inline (public, from resources.yml).").tag(sync=True)


def crisis_help(country: str = "US") -> dict:
    """The traits of CrisisWatch for a learner in `country`: the crisis phrases and that country's help lines."""
    from course.crisis import phrases
    from course.safety import load_resources

    return {"crisis_phrases": phrases(), "resources": load_resources(country)["resources"]}

