"""A stand-in for the workshop server's facilitator routes, for the facilitator page's browser tests.

It serves course/voila/facilitator/ as the workshop server does (facilitator.html with
``@@BASE@@`` and ``@@RESOURCES_JSON@@`` filled in, the static files, the safety bar's
files) and a JSON API kept in memory that follows the contract of issue 10:

- ``GET  <base>steady/facilitator/api/state`` -> the room's state
- ``GET  <base>steady/facilitator/api/plan/<module id>`` -> a session plan (course/guides.py)
- ``POST <base>steady/facilitator/api/pulse`` ``{"question", "kind", "options"?}`` -> state, or 400 ``{"error"}``
- ``POST <base>steady/facilitator/api/pulse/close`` -> state
- ``POST <base>steady/facilitator/api/end`` ``{}`` or ``{"now": true}`` -> state

POSTs need the ``_xsrf`` cookie's value in ``X-XSRFToken`` (Tornado's own check, as in
Jupyter servers). There is no key: the real server checks the facilitator's. Tests play
the participants through :class:`FakeRoom` (``answer``, ``connected``).

Run it alone to look at the page: ``.venv/bin/python -m tests.apps.facilitator_fake [--module m03]``.
"""
from __future__ import annotations

import asyncio
import json
import math
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import tornado.web
from tornado.httpserver import HTTPServer

from course import ROOT
from course.browser import free_port
from course.guides import plan_for
from course.notebooks import _json_for_script
from course.safety import load_resources
from course.syllabus import load_syllabus

PAGE_DIR = ROOT / "course" / "voila" / "facilitator"
TEMPLATE_STATIC = ROOT / "course" / "voila" / "static"
PRESETS = [{"question": "How settled do you feel right now?", "kind": "gauge"},
           {"question": "How useful was this part?", "kind": "gauge"}]
GAUGE = [str(n) for n in range(11)]
TOO_FEW = "Too few answers to show"


class BadRequest(ValueError):
    """What the API answers with 400 and ``{"error": message}``."""


class FakeRoom:
    """The room's state as the workshop server keeps it: counts only, in memory."""

    def __init__(self, module: str | None = "m03", threshold: int = 5, connected: int = 0, stop_seconds: int = 120):
        self.lock = threading.Lock()
        self.module = module
        self.threshold = threshold
        self.connected = connected
        self.stop_seconds = stop_seconds
        self.pulse: dict | None = None
        self.counts: list[int] = []
        self.ended_at: float | None = None
        self.stopped = False
        self.requests: list[tuple[str, dict]] = []
        """Every POST the page made: (path, body)."""

    # What the facilitator's page asks for.
    def state(self) -> dict:
        with self.lock:
            return self._state()

    def _state(self) -> dict:
        modules = load_syllabus().modules
        module = next(({"id": m.id, "title": m.title} for m in modules if m.id == self.module), None)
        stops_in = None
        if self.ended_at is not None:
            stops_in = 0 if self.stopped else max(0, math.ceil(self.stop_seconds - (time.monotonic() - self.ended_at)))
        return {
            "module": module,
            "plan": plan_for(self.module).to_json() if module else None,
            "modules": [{"id": m.id, "title": m.title} for m in modules],
            "connected": self.connected,
            "threshold": self.threshold,
            "presets": PRESETS,
            "pulse": dict(self.pulse) if self.pulse else None,
            "ended": self.ended_at is not None,
            "stops_in": stops_in,
        }

    def ask(self, body: object) -> dict:
        with self.lock:
            self.requests.append(("pulse", body if isinstance(body, dict) else {"body": body}))
            if self.ended_at is not None:
                raise BadRequest("The session has ended, so no new questions can be asked.")
            if self.pulse and self.pulse["open"]:
                raise BadRequest("Close the open question first.")
            if not isinstance(body, dict):
                raise BadRequest("Send a question.")
            question, kind = body.get("question"), body.get("kind")
            if not isinstance(question, str) or not 1 <= len(question.strip()) <= 120:
                raise BadRequest("A question must be 1 to 120 characters.")
            if kind == "gauge":
                options = GAUGE
            elif kind == "choice":
                options = body.get("options")
                if (not isinstance(options, list) or not 2 <= len(options) <= 5
                        or not all(isinstance(o, str) and 1 <= len(o.strip()) <= 40 for o in options)):
                    raise BadRequest("A question needs 2 to 5 answers of 1 to 40 characters.")
                if len({o.strip().lower() for o in options}) != len(options):
                    raise BadRequest("Each answer must be different.")
                options = [o.strip() for o in options]
            else:
                raise BadRequest("kind must be gauge or choice.")
            self.counts = [0] * len(options)
            self.pulse = {"id": uuid.uuid4().hex, "question": question.strip(), "kind": kind, "options": options,
                          "open": True, "answered": 0, "result": None}
            return self._state()

    def close(self) -> dict:
        with self.lock:
            self.requests.append(("pulse/close", {}))
            if not self.pulse or not self.pulse["open"]:
                raise BadRequest("No question is open.")
            answered = sum(self.counts)
            shown = answered >= self.threshold
            median = None
            if shown and self.pulse["kind"] == "gauge":
                median = statistics.median(v for v, n in enumerate(self.counts) for _ in range(n))
            self.pulse = {**self.pulse, "open": False, "answered": answered, "result": {
                "shown": shown, "counts": list(self.counts) if shown else None, "median": median,
                "message": "" if shown else TOO_FEW}}
            return self._state()

    def end(self, body: object) -> dict:
        with self.lock:
            self.requests.append(("end", body if isinstance(body, dict) else {"body": body}))
            if self.ended_at is None:
                self.ended_at = time.monotonic()
            if isinstance(body, dict) and body.get("now") is True:
                self.stopped = True
            return self._state()

    # What participants do (test hooks).
    def answer(self, option: str | int) -> None:
        """One participant answers the open question (by option text, or a gauge value)."""
        with self.lock:
            if not self.pulse or not self.pulse["open"]:
                raise AssertionError("no question is open")
            self.counts[self.pulse["options"].index(str(option))] += 1
            self.pulse = {**self.pulse, "answered": sum(self.counts)}

    @property
    def ended(self) -> bool:
        return self.ended_at is not None


class _Api(tornado.web.RequestHandler):
    def initialize(self, room: FakeRoom):
        self.room = room

    def reply(self, data: dict, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(data))

    def body(self) -> object:
        if self.request.headers.get("Content-Type", "").split(";")[0] != "application/json":
            raise BadRequest("Send JSON.")
        try:
            return json.loads(self.request.body or b"null")
        except ValueError:
            raise BadRequest("Send JSON.") from None

    def run(self, action) -> None:
        try:
            self.reply(action())
        except BadRequest as exc:
            self.reply({"error": str(exc)}, 400)


class StateHandler(_Api):
    def get(self):
        self.reply(self.room.state())


class PlanHandler(_Api):
    def get(self, module_id: str):
        try:
            self.reply(plan_for(module_id).to_json())
        except ValueError as exc:
            self.reply({"error": str(exc)}, 404)


class PulseHandler(_Api):
    def post(self):
        self.run(lambda: self.room.ask(self.body()))


class CloseHandler(_Api):
    def post(self):
        self.run(self.room.close)


class EndHandler(_Api):
    def post(self):
        self.run(lambda: self.room.end(self.body()))


class PageHandler(tornado.web.RequestHandler):
    def initialize(self, base: str):
        self.base = base

    def get(self):
        self.xsrf_token  # noqa: B018 - sets the _xsrf cookie, as the real server must
        text = (PAGE_DIR / "facilitator.html").read_text(encoding="utf-8")
        text = text.replace("@@BASE@@", self.base).replace("@@RESOURCES_JSON@@", _json_for_script(load_resources()))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(text)


class TemplateStatic(tornado.web.RequestHandler):
    """The course template's page.js and the safety bar's files, as course/notebooks.py writes them."""

    def get(self, name: str):
        from widgets import safety_bar

        files = {"page.js": lambda: (TEMPLATE_STATIC / "page.js").read_text(encoding="utf-8"),
                 "safety_bar.js": safety_bar.page_js, "safety_bar.css": safety_bar.page_css}
        if name not in files:
            raise tornado.web.HTTPError(404)
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        self.set_header("Content-Type", f"{kind}; charset=utf-8")
        self.finish(files[name]())


def make_app(room: FakeRoom, base: str = "/") -> tornado.web.Application:
    api = f"{base}steady/facilitator/api/"
    return tornado.web.Application([
        (f"{base}steady/facilitator/?", PageHandler, {"base": base}),
        (f"{base}steady/facilitator/static/(.*)", tornado.web.StaticFileHandler, {"path": str(PAGE_DIR)}),
        (f"{base}voila/templates/steadyground/static/([\\w.]+)", TemplateStatic),
        (f"{api}state", StateHandler, {"room": room}),
        (f"{api}plan/([^/]+)", PlanHandler, {"room": room}),
        (f"{api}pulse", PulseHandler, {"room": room}),
        (f"{api}pulse/close", CloseHandler, {"room": room}),
        (f"{api}end", EndHandler, {"room": room}),
    ], xsrf_cookies=True, cookie_secret=uuid.uuid4().hex)


class FakeServer:
    """The fake served on 127.0.0.1 in a thread; ``room`` can be swapped between tests."""

    def __init__(self, base: str = "/"):
        self.base = base
        self.room = FakeRoom()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{base}"
        self.page_url = f"{self.url}steady/facilitator/"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="facilitator-fake", daemon=True)

    def reset(self, **room) -> FakeRoom:
        """A fresh room (FakeRoom's arguments) for the next test."""
        self.room = FakeRoom(**room)
        return self.room

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        server = HTTPServer(make_app(_RoomProxy(self), self.base))
        server.listen(self.port, "127.0.0.1")
        self._ready.set()
        loop.run_forever()
        server.stop()
        loop.close()

    def start(self) -> FakeServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake facilitator server did not start")
        return self

    def stop(self) -> None:
        if self._loop:
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


class _RoomProxy:
    """Hands each request to the server's room of the moment."""

    def __init__(self, server: FakeServer):
        self._server = server

    def __getattr__(self, name):
        return getattr(self._server.room, name)


@contextmanager
def fake_server(base: str = "/") -> Iterator[FakeServer]:
    server = FakeServer(base).start()
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", default="m03", help="the session's module, or 'none' to choose on the page")
    parser.add_argument("--connected", type=int, default=7)
    args = parser.parse_args(argv)
    with fake_server() as server:
        server.reset(module=None if args.module == "none" else args.module, connected=args.connected)
        print(f"Facilitator page: {server.page_url}  (Ctrl-C stops)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()


__all__ = ["FakeRoom", "FakeServer", "PAGE_DIR", "fake_server", "make_app"]
