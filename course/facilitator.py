"""The workshop's facilitator page and the participants' side of the room (issue 10).

Served by the workshop's own Voila (course/voila_app.py), on its one port:

* ``steady/facilitator?key=<key>``: the facilitator's page. The key (from
  ``$STEADY_GROUND_FACILITATOR_KEY``) is swapped for a cookie that only this server run knows;
  the participants' token opens nothing here. Its API (``steady/facilitator/api/...``) shows the
  session plan, the number of people connected, the pulse, and ends the session.
* ``steady/room`` and ``steady/pulse/<id>``: what a participant's page asks (behind the
  participants' token): the open question, if any, and whether the session has ended.

Every answer is a JSON object; every change is a POST with the ``_xsrf`` token. Nothing is
written to disk or logged about answers.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
import secrets
from pathlib import Path

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

from course.room import DEFAULT_GRACE_S, MIN_THRESHOLD, PRESETS, Room, RoomError

KEY_ENV = "STEADY_GROUND_FACILITATOR_KEY"
KEY_MIN_CHARS = 16
COOKIE = "sg_facilitator"
NOT_A_FACILITATOR = ("This page is for the session's facilitators. The people who run this hub can add you "
                     "to its facilitators group.")
PAGE_DIR = Path(__file__).with_name("voila") / "facilitator"


class RoomService:
    """The room of one workshop server run: its pulse and end, the facilitator's sessions."""

    def __init__(self, app, seats, key: str, module_id: str = "", threshold: int = 5,
                 grace_s: int = DEFAULT_GRACE_S):
        if len(key) < KEY_MIN_CHARS:
            raise ValueError(f"the facilitator key must have at least {KEY_MIN_CHARS} characters")
        self.app_config = app
        self.seats = seats
        self.key = key
        self.room = Room(threshold=max(MIN_THRESHOLD, threshold), grace_s=grace_s)
        self.sessions: set[str] = set()
        self.module_id = module_id
        self.notebook = _notebook_of(module_id) if module_id else None
        self.stopped = False   # the session's pages are stopping or stopped: none is served
        self.shut = False      # and every kernel is down: a next session may start
        self.hub = False
        self._warm_pages: list[str] = []
        self._pool_sizes: dict = {}
        self._timer: tornado.ioloop.PeriodicCallback | None = None

    def start(self, tornado_app) -> None:
        import tornado.ioloop

        self._km = tornado_app.settings["kernel_manager"]
        self.hub = bool(tornado_app.settings.get("sg_hub"))
        # The pages that keep warm kernels (Voila fills its pools at start) and how many, to warm again for a next
        # session: once a room has arrived, stagger_refills keeps fewer (course/voila_app.py).
        self._warm_pages = [name for name, pool in getattr(self._km, "_pools", {}).items() if pool]
        self._pool_sizes = {k: dict(v) for k, v in getattr(self._km, "kernel_pools_config", {}).items()}
        self._timer = tornado.ioloop.PeriodicCallback(self._tick, 1000)
        self._timer.start()

    async def _tick(self) -> None:
        if self.stopped or not self.room.ended or self.room.stops_in():
            return
        self.stopped = True
        # Voila's own shutdown_all also stops the preheated kernels and empties their pools.
        await ensure_async(self._km.shutdown_all())
        self.seats.owners.clear()
        self.shut = True

    def new_session(self) -> None:
        """The next session in the same room (the hub's room keeps running): a fresh pulse and end, and the
        session page's warm kernels started again (ending stopped them)."""
        if not self.stopped:
            raise RoomError("The session is still running: end it first.", 409)
        if not self.shut:
            raise RoomError("The last session's pages are still stopping. Try again in a moment.", 409)
        self.room = Room(threshold=self.room.threshold, grace_s=self.room.grace_s)
        self.stopped = self.shut = False
        pools = getattr(self._km, "kernel_pools_config", None)
        if pools is not None:
            pools.update({k: dict(v) for k, v in self._pool_sizes.items()})  # the room's size again
        for name in self._warm_pages:
            self._km.fill_if_needed(delay=0, notebook_name=name)

    def state(self) -> dict:
        from course.syllabus import load_syllabus

        modules = [{"id": m.id, "title": m.title} for m in load_syllabus().ready()]
        module = next((m for m in modules if m["id"] == self.module_id), None)
        return {"module": module, "plan": _plan(self.module_id) if module else None, "modules": modules,
                "connected": self.seats.connected(self.notebook), "threshold": self.room.threshold,
                "presets": [dict(p) for p in PRESETS], "pulse": self.room.pulse_view(),
                "ended": self.room.ended, "stops_in": self.room.stops_in(),
                "stopped": self.shut, "can_start_next": self.hub}


def _notebook_of(module_id: str) -> str:
    from course.notebooks import page_names
    from course.syllabus import load_syllabus

    syllabus = load_syllabus()
    module = {m.id: m for m in syllabus.ready()}.get(module_id)
    if module is None:
        raise ValueError(f"unknown module {module_id!r}")
    return f"{page_names(syllabus)[module.stem]}.ipynb"


def _plan(module_id: str) -> dict:
    from course.guides import plan_for

    return plan_for(module_id).to_json()


def make_room(app, seats) -> RoomService:
    key = os.environ.get(KEY_ENV, "")
    return RoomService(app, seats, key, module_id=app.session_module, threshold=app.pulse_min,
                       grace_s=app.end_grace_s)


class _Base(JupyterHandler):
    """JSON in and out; a POST needs the _xsrf token (JupyterHandler checks it)."""

    @property
    def service(self) -> RoomService:
        return self.settings["sg_room"]

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")

    def reply(self, data: dict | None, status: int = 200) -> None:
        self.set_status(status)
        if data is None:
            self.finish()
            return
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data))

    def body(self) -> dict:
        try:
            data = json.loads(self.request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise RoomError("The request was not readable.") from None
        if not isinstance(data, dict):
            raise RoomError("The request was not readable.")
        return data

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": self._reason or "Not allowed."}))

    def log_exception(self, typ, value, tb) -> None:
        """A refused request is answered, not logged: a log line would tie an address to the pulse."""
        if not isinstance(value, tornado.web.HTTPError):
            super().log_exception(typ, value, tb)


def is_facilitator(handler: tornado.web.RequestHandler) -> bool:
    session = handler.get_cookie(COOKIE) or ""
    return bool(session) and any(hmac.compare_digest(session, known) for known in handler.settings["sg_room"].sessions)


class _Facilitator(_Base):
    """The facilitator's API: their cookie, never the participants' token (the methods are open to
    requests without a Jupyter login, and this check refuses any without the cookie)."""

    async def prepare(self):
        if self.settings.get("sg_hub"):  # the hub's room: the page's cookie, and the hub's login still a facilitator
            from course.hub import is_hub_facilitator

            await super().prepare()
            if not (is_facilitator(self) and is_hub_facilitator(self)):
                raise tornado.web.HTTPError(403, reason=NOT_A_FACILITATOR)
            return
        if not is_facilitator(self):
            raise tornado.web.HTTPError(403, reason="This page needs the facilitator's link.")
        await super().prepare()


class FacilitatorPage(_Base):
    """The page itself; ``?key=`` (the printed link) is swapped for a cookie, then dropped from the address."""

    @allow_unauthenticated
    async def get(self):
        key = self.get_argument("key", "")
        service = self.service
        if self.settings.get("sg_hub"):  # the hub's room: the hub's login and its facilitators group, no key
            if self.hub_login(service):
                self.send_page()
            return
        if key:
            if not hmac.compare_digest(key.encode(), service.key.encode()):
                raise tornado.web.HTTPError(403, reason="This page needs the facilitator's link.")
            self.open_session(service)
            self.redirect(url_path_join(self.base_url, "steady/facilitator"))
            return
        if not is_facilitator(self):
            raise tornado.web.HTTPError(403, reason="This page needs the facilitator's link.")
        self.send_page()

    def send_page(self) -> None:
        _ = self.xsrf_token  # sets the _xsrf cookie the page's requests carry
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page_html(self.base_url))

    def hub_login(self, service: RoomService) -> bool:
        """On a hub: someone not logged in goes to the hub's login and comes back; a member of the facilitators
        group gets the page's cookie (each visit, so a removed member loses the page at the next visit);
        anyone else is told who may open it."""
        from course.hub import is_hub_facilitator

        if self.current_user is None:
            self.redirect(self.get_login_url())  # the hub's login; the room's provider refuses an outsider
            return False
        if not is_hub_facilitator(self):
            raise tornado.web.HTTPError(403, reason=NOT_A_FACILITATOR)
        self.open_session(service)
        return True

    def open_session(self, service: RoomService) -> None:
        """The facilitator's cookie: a session only this server run knows (the key, or the hub's login, is not
        sent again)."""
        session = secrets.token_urlsafe(24)
        service.sessions.add(session)
        self.set_cookie(COOKIE, session, path=self.base_url, httponly=True, samesite="Strict",
                        secure=self.request.protocol == "https")

    def write_error(self, status_code: int, **kwargs) -> None:
        """The course's own page (course/voila/denied.html: the safety bar and a way back to the course), so someone
        who lands here by mistake still has Leave now and the help lines one click away."""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        try:
            page = self.settings["voila_jinja2_env"].get_template("denied.html").render(
                base_url=self.base_url, message=self._reason)
        except Exception:  # a build from before denied.html, or a template that fails: a plain page, never a traceback
            page = ("<!doctype html><html lang='en'><meta charset='utf-8'><title>Not allowed</title>"
                    f"<main><h1>Not allowed</h1><p>{tornado.escape.xhtml_escape(self._reason)}</p></main></html>")
        self.finish(page)


def page_html(base_url: str) -> str:
    from course.notebooks import _json_for_script
    from course.safety import load_resources

    text = (PAGE_DIR / "facilitator.html").read_text(encoding="utf-8")
    return text.replace("@@BASE@@", base_url).replace("@@RESOURCES_JSON@@", _json_for_script(load_resources()))


class FacilitatorStatic(tornado.web.StaticFileHandler):
    def prepare(self):
        if not is_facilitator(self):
            raise tornado.web.HTTPError(403)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")


class StateHandler(_Facilitator):
    @allow_unauthenticated
    def get(self):
        self.reply(self.service.state())


class PlanHandler(_Facilitator):
    @allow_unauthenticated
    def get(self, module_id: str):
        try:
            self.reply(_plan(module_id))
        except ValueError as exc:
            raise tornado.web.HTTPError(404, reason=str(exc)) from None


class OpenPulse(_Facilitator):
    @allow_unauthenticated
    def post(self):
        try:
            data = self.body()
            self.service.room.open_question(data.get("question"), data.get("kind", "gauge"), data.get("options"))
        except RoomError as exc:
            raise tornado.web.HTTPError(exc.status, reason=str(exc)) from None
        self.reply(self.service.state())


class ClosePulse(_Facilitator):
    @allow_unauthenticated
    def post(self):
        self.service.room.close_question()
        self.reply(self.service.state())


class EndSession(_Facilitator):
    @allow_unauthenticated
    def post(self):
        try:
            now = bool(self.body().get("now"))
        except RoomError as exc:
            raise tornado.web.HTTPError(exc.status, reason=str(exc)) from None
        self.service.room.end(now=now)
        self.reply(self.service.state())


class NextSession(_Facilitator):
    """The hub's room: start the next session once the last one has stopped."""

    @allow_unauthenticated
    def post(self):
        if not self.service.hub:
            raise tornado.web.HTTPError(404, reason="Stop this server and start it again for a new session.")
        try:
            self.service.new_session()
        except RoomError as exc:
            raise tornado.web.HTTPError(exc.status, reason=str(exc)) from None
        self.reply(self.service.state())


class RoomHandler(_Base):
    """What a participant's page asks every few seconds."""

    @tornado.web.authenticated
    def get(self):
        self.reply(self.service.room.participant_view())


class AnswerHandler(_Base):
    @tornado.web.authenticated
    def post(self, pulse_id: str):
        from course.voila_app import seat_of

        try:
            self.service.room.answer(pulse_id, self.body().get("choice"), seat_of(self))
        except RoomError as exc:
            raise tornado.web.HTTPError(exc.status, reason=str(exc)) from None
        self.reply(None, 204)


def quiet_log(base_url: str):
    """Tornado's request log, minus the room's addresses: no line says who asked about or answered the pulse."""
    quiet = (url_path_join(base_url, "steady/room"), url_path_join(base_url, "steady/pulse/"),
             url_path_join(base_url, "steady/facilitator/api/"))
    access = logging.getLogger("tornado.access")

    def log_function(handler: tornado.web.RequestHandler) -> None:
        if handler.request.path.startswith(quiet):
            return
        status = handler.get_status()
        level = access.info if status < 400 else access.warning if status < 500 else access.error
        level("%d %s %.2fms", status, handler._request_summary(), 1000.0 * handler.request.request_time())

    return log_function


def handlers(server_url: str) -> list:
    def at(path: str) -> str:
        return url_path_join(server_url, path)

    return [
        (at(r"/steady/facilitator"), FacilitatorPage),
        (at(r"/steady/facilitator/static/(.*)"), FacilitatorStatic, {"path": str(PAGE_DIR)}),
        (at(r"/steady/facilitator/api/state"), StateHandler),
        (at(r"/steady/facilitator/api/plan/(m\d\d)"), PlanHandler),
        (at(r"/steady/facilitator/api/pulse"), OpenPulse),
        (at(r"/steady/facilitator/api/pulse/close"), ClosePulse),
        (at(r"/steady/facilitator/api/end"), EndSession),
        (at(r"/steady/facilitator/api/next"), NextSession),
        (at(r"/steady/room"), RoomHandler),
        (at(r"/steady/pulse/([\w-]{1,64})"), AnswerHandler),
    ]


__all__ = ["KEY_ENV", "KEY_MIN_CHARS", "RoomService", "handlers", "make_room", "page_html", "quiet_log"]
