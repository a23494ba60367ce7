"""Voila as the course serves it: `python -m course.voila_app <notebooks> [voila options]`.

Voila 0.5 with three things it lacks for a room on shared Wi-Fi (issue 9):

* **HTTPS** with ``--SteadyVoila.certfile`` and ``--SteadyVoila.keyfile``: the token and what
  people type do not cross the network in clear text. Voila 0.5's own app has no such option.
* **Compressed responses** (gzip, for text: pages, scripts, styles).
* **Long-lived caching** of the JavaScript every page loads: Voila's own bundle is served under
  a versioned address (``voila/static/v-<version>/``) and labextension files whose names carry
  a content hash are immutable, so a second module page revalidates nothing. Voila serves all of
  them ``no-cache`` or with no caching header at all.

In a workshop (``--SteadyVoila.workshop=True``, issue 10) also:

* **Each kernel belongs to the browser that opened its page.** Every participant shares one
  token, so without this anyone given a kernel id (it is in the page, and Voila logs it) could
  open that kernel's channel, read and write its notes, or stop it. The page's response gives
  the browser a random "seat" cookie (HttpOnly, SameSite=Strict); the kernel is bound to that
  seat, and every address that names a kernel answers 403 to any other browser. Kernel ids are
  kept out of the log.
* **The room** (course/room.py, course/facilitator.py): the facilitator's page behind its own
  key, the anonymous pulse, the count of people connected, and the end of the session.
"""
from __future__ import annotations

import asyncio
import contextvars
import hashlib
import hmac
import inspect
import logging
import os
import re
import secrets
import ssl
import time
from dataclasses import dataclass
from functools import partial, wraps

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from traitlets import Bool, Int, Unicode
from voila import __version__ as VOILA_VERSION
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

IMMUTABLE = "public, max-age=31536000, immutable"
HASHED_NAME = re.compile(r"(?:^|[./-])[0-9a-f]{8,}\.(?:js|css|woff2?|svg)$")
"""A built file whose name carries its content hash (``remoteEntry.698dcaf7.js``, ``7.2a0c...f.js``)."""


class VersionedStaticHandler(MultiStaticFileHandler):
    """Voila's bundle under an address that changes whenever its files do: cache for a year."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", IMMUTABLE)

    def compute_etag(self) -> str | None:
        return None  # never asked to revalidate


class LabExtensionHandler(FileFindHandler):
    """Labextension files: content-hashed names are immutable, the rest (package.json, style.js) revalidate."""

    def set_headers(self) -> None:
        super().set_headers()
        name = self.request.path.rsplit("/", 1)[-1]
        self.set_header("Cache-Control", IMMUTABLE if HASHED_NAME.search(name) else "no-cache")


class TemplateFiles(TemplateStaticFileHandler):
    """Voila's template files (``voila/templates/<template>/static/<file>``, open to anyone, as every
    Voila serves them). An address of another shape (``voila/templates/``, or one that climbs out with
    ``..``) is a 404: Voila's own handler answered 500 and put a traceback in the facilitator's log."""

    def parse_url_path(self, path: str) -> str:
        parts = os.path.normpath(path).split(os.sep, 2)
        if len(parts) != 3 or parts[1] != "static" or parts[0] in (os.curdir, os.pardir):
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(path)


def static_version(paths: list[str], skip: str = "") -> str:
    """A short stamp of the contents of Voila's static files: the same files, the same address, across
    restarts; a new Voila, a new address. ``skip``: a folder to leave out (the course's own template
    files, rewritten on every start, have their own ``?v=`` addresses)."""
    digest = hashlib.sha256(VOILA_VERSION.encode())
    for root in paths:
        if not os.path.isdir(root) or (skip and os.path.realpath(root) == os.path.realpath(skip)):
            continue
        for entry in sorted(os.scandir(root), key=lambda e: e.name):
            if entry.is_file():
                digest.update(entry.name.encode() + b"\0")
                with open(entry.path, "rb") as handle:
                    digest.update(hashlib.sha256(handle.read()).digest())
    return f"v-{digest.hexdigest()[:12]}"


SEAT_COOKIE = "sg_seat"
KERNEL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_rendering: contextvars.ContextVar[dict | None] = contextvars.ContextVar("sg_rendering", default=None)
"""While a page renders: its seat and notebook, so the kernel it gets can be bound to them."""


@dataclass(frozen=True)
class Binding:
    seat: str
    notebook: str


class Seats:
    """Which browser ("seat") each kernel belongs to; in memory only."""

    def __init__(self, kernel_manager):
        self.km = kernel_manager
        self.owners: dict[str, Binding] = {}

    def bind(self, kernel_id: str, holder: dict) -> None:
        self.owners[kernel_id] = Binding(holder["seat"], holder["notebook"])

    def refusal(self, kernel_id: str | None, seat: str | None) -> int:
        """0 when ``seat`` may use the kernel; else the status to answer (404: no such kernel)."""
        owner = self.owners.get(kernel_id or "")
        if owner is None:
            return 403 if kernel_id and kernel_id in self.km else 404
        return 0 if seat and hmac.compare_digest(owner.seat, seat) else 403

    def connected(self, notebook: str | None = None) -> int:
        """How many browsers have a page open now (on ``notebook``, if given): a count, no identities."""
        live = self.km._kernel_connections
        return len({b.seat for kid, b in self.owners.items()
                    if live.get(kid, 0) > 0 and (notebook is None or b.notebook == notebook)})


def bind_kernels(km, seats: Seats) -> None:
    """Wrap the kernel manager so the kernel a page gets is bound to the page's browser.

    A preheated kernel is bound when it is handed to the page (the pool's own refill,
    started meanwhile, is not the page's); a kernel started for the page, when it starts."""
    start, shutdown = km.start_kernel, km.shutdown_kernel
    handout = getattr(km, "get_rendered_notebook", None)  # only with preheated kernels

    @wraps(start)
    async def start_kernel(*args, **kwargs):
        kernel_id = await ensure_async(start(*args, **kwargs))
        holder = _rendering.get()
        if holder is not None and not holder.get("pooled"):
            seats.bind(kernel_id, holder)
        return kernel_id

    @wraps(handout)
    async def get_rendered_notebook(*args, **kwargs):
        holder = _rendering.get()
        if holder is not None:
            holder["pooled"] = True
        result = await handout(*args, **kwargs)
        if holder is not None:
            seats.bind(result[2], holder)
        return result

    @wraps(shutdown)
    async def shutdown_kernel(kernel_id, *args, **kwargs):
        try:
            return await ensure_async(shutdown(kernel_id, *args, **kwargs))
        finally:
            seats.owners.pop(kernel_id, None)

    km.start_kernel, km.shutdown_kernel = start_kernel, shutdown_kernel
    if handout is not None:
        km.get_rendered_notebook = get_rendered_notebook


def fresh_on_handout(km) -> None:
    """A preheated kernel counts as active from the moment a page is given it.

    A kernel waiting in the pool is never culled (Voila skips it), but its idle clock runs from when
    its notebook finished. Handed out after waiting longer than the idle cull (a workshop server
    started an hour before the room, or `course start` left open over lunch), it looked idle for
    that whole time, so the next cull check, in the seconds before the page's scripts connect, shut
    it down: the page said "widget model not found" and never showed its widgets (a busy machine
    makes those seconds longer). Now the idle time starts at the hand-out.
    """
    handout = getattr(km, "get_rendered_notebook", None)
    if handout is None:
        return

    @wraps(handout)
    async def get_rendered_notebook(*args, **kwargs):
        result = await handout(*args, **kwargs)
        if result[2] in km:
            km.get_kernel(result[2]).last_activity = utcnow()
        return result

    km.get_rendered_notebook = get_rendered_notebook


REFILL_AFTER_S = 5.0
REFILL_SPACING_S = 1.5


def stagger_refills(km, after: float = REFILL_AFTER_S, spacing: float = REFILL_SPACING_S,
                    steady: int = 0) -> None:
    """Refill a preheated pool one kernel at a time, not all at once.

    Voila replaces each kernel it hands out one second later; when a room of 30 opens the
    page together, 30 new kernels then start at the same moment and take both cores for
    about 15 s, just while everyone's page is drawing its widgets (bench/room.py: first
    widget 11 s). Here the first replacement waits ``after`` seconds and each next one
    ``spacing`` more, so people's pages come first.

    ``steady``: once the room has arrived, keep only this many warm (a room's pool is its
    size so everyone arrives to a ready page; afterwards only reloads and late comers need
    one, and 30 idle kernels would double the memory). 0 keeps the configured size.

    Only a workshop does this: `course start` serves one learner, whose reload a few seconds after
    opening a page would otherwise wait for a kernel not yet started (2 s more, measured).
    """
    fill = km.fill_if_needed
    next_slot = 0.0

    @wraps(fill)
    def fill_if_needed(delay=None, *args, **kwargs):
        nonlocal next_slot
        if delay is None:  # a refill after a handout (start-up passes delay=0)
            name = kwargs.get("notebook_name")
            pools = km.kernel_pools_config
            if steady and name in pools and pools[name].get("pool_size", 0) > steady:
                pools[name] = {**pools[name], "pool_size": steady}
            now = time.monotonic()
            slot = max(now + after, next_slot)
            next_slot = slot + spacing
            delay = slot - now
        return fill(delay, *args, **kwargs)

    km.fill_if_needed = fill_if_needed


def seat_of(handler: tornado.web.RequestHandler) -> str | None:
    return handler.get_cookie(SEAT_COOKIE) or None


class SeatedRenderHandler(TornadoVoilaHandler):
    """Voila's page, which first gives the browser its seat (if it has none) and binds the page's kernel."""

    @tornado.web.authenticated
    async def get(self, path=None):
        room = self.settings.get("sg_room")
        if room is not None and room.stopped:
            self.redirect(self.base_url)
            return
        seat = seat_of(self)
        if not seat or len(seat) > 64:
            seat = secrets.token_urlsafe(24)
            self.set_cookie(SEAT_COOKIE, seat, path=self.base_url, httponly=True, samesite="Strict",
                            secure=self.request.protocol == "https")
        token = _rendering.set({"seat": seat, "notebook": path or ""})
        try:
            await TornadoVoilaHandler.get.__wrapped__(self, path)
        finally:
            _rendering.reset(token)


class OwnKernelOnly:
    """For every address that names a kernel: only the browser the kernel is bound to gets through."""

    async def prepare(self):
        result = super().prepare()  # type: ignore[misc]
        if inspect.isawaitable(result):
            await result
        if getattr(self, "_finished", False):
            return
        kwargs = getattr(self, "path_kwargs", {}) or {}
        args = getattr(self, "path_args", ()) or ()
        kernel_id = kwargs.get("kernel_id") or (args[0] if args else None)
        status = self.settings["sg_seats"].refusal(kernel_id, seat_of(self))  # type: ignore[attr-defined]
        if status:
            raise tornado.web.HTTPError(status)


def _own(handler_class: type) -> type:
    return type(f"Own{handler_class.__name__}", (OwnKernelOnly, handler_class), {})


class RedactKernelIds(logging.Filter):
    """Keep kernel ids out of the log shown on the facilitator's screen."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if KERNEL_ID.search(message):
            record.msg, record.args = KERNEL_ID.sub("[a kernel]", message), None
        return True


NAMED_LINES = ("Logged-in user", "Allowing Hub user", "Not allowing Hub user", "Allowing Hub admin",
               "Received request from Hub user", "Checking user", "Allowing user", "Not allowing user")
"""JupyterHub's login (jupyterhub.services.auth, jupyterhub.singleuser) writes these lines with a login name."""


class NoLoginNames(logging.Filter):
    """On a hub, the line stays and the person's login name goes: the log says a login happened, never whose."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = str(record.msg)
        lead = next((start for start in NAMED_LINES if text.startswith(start)), None)
        if lead is not None:
            record.msg, record.args = f"{lead} [a person]", None
        return True


class NoRoom(tornado.web.RequestHandler):
    """`steady/room` outside a workshop: 204, nothing here (course/voila/static/page.js then stops asking)."""

    def get(self):
        self.set_status(204)
        self.finish()


HUB_SECRETS = ("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN")
"""What a JupyterHub single-user server (course.hub) reads once and no kernel needs: the token acts as the
person on the hub."""

LEAVE_GRACE_S = 0.5
"""How long a page's last message has to reach its kernel before the kernel is shut down."""
BUSY_MAX_S = 5.0


class QuietShutdown(VoilaShutdownKernelHandler):
    """Voila's shutdown when a page is left, once the kernel has done what the page sent last.

    The page sends a journal's last words just before the shutdown (widgets/journal/journal.js). Shutting
    down at once interrupts the kernel (jupyter_client sends SIGINT first), which broke off that save
    (1 of 40 reloads lost the text): wait a moment for the message to arrive, then while the kernel is busy."""

    @tornado.web.authenticated
    async def post(self, kernel_id):
        stopping = self.settings.setdefault("sg_stopping", set())
        if kernel_id in stopping:  # the page asks twice (course/voila/index.html.j2): once is enough
            self.set_status(204)
            self.finish()
            return
        stopping.add(kernel_id)
        try:
            await asyncio.sleep(LEAVE_GRACE_S)
            deadline = time.monotonic() + BUSY_MAX_S
            while kernel_id in self.kernel_manager and time.monotonic() < deadline:
                if getattr(self.kernel_manager.get_kernel(kernel_id), "execution_state", "idle") != "busy":
                    break
                await asyncio.sleep(0.05)
            await super().post(kernel_id)
        finally:
            stopping.discard(kernel_id)


class SteadyVoila(Voila):
    certfile = Unicode("", config=True, help="TLS certificate (PEM) to serve https; needs keyfile too")
    keyfile = Unicode("", config=True, help="the certificate's private key (PEM)")
    workshop = Bool(False, config=True, help="a room: kernels bound to their browser, the facilitator's page "
                                              "and the pulse (the key: $STEADY_GROUND_FACILITATOR_KEY)")
    session_module = Unicode("", config=True, help="the workshop's module id (m03), for its plan and the room count")
    pulse_min = Int(5, config=True, help="answers needed before the pulse shows its result (3 or more)")
    steady_pool = Int(0, config=True, help="warm kernels a page keeps once its first pool is handed out (0: all)")
    end_grace_s = Int(300, config=True, help="seconds participants have to save their notes after the end")
    hub = Bool(False, config=True, help="one person's server on JupyterHub (course.hub): pages say where notes "
                                        "are kept")

    def _url(self, ip):
        return f"{'https' if self.certfile else 'http'}://{ip}:{self.port}{self.base_url}"

    def init_settings(self) -> dict:
        from course.notebooks import TEMPLATE_NAME

        ours = next((p for p in self.static_paths if os.path.basename(os.path.dirname(p)) == TEMPLATE_NAME), "")
        self._static_version = static_version(self.static_paths, skip=ours)
        chained = self.voila_configuration.page_config_hook
        versioned = url_path_join(self.base_url, "voila/static", self._static_version)

        def hook(page_config, **kwargs):
            if chained:
                page_config = chained(page_config, **kwargs) or page_config
            page_config["fullStaticUrl"] = versioned
            return page_config

        self.voila_configuration.page_config_hook = hook
        if self.hub:
            # The hub's token goes to the login's config and out of this process's environment before Voila
            # makes its kernel manager: warm kernels start from a copy of the environment taken then.
            token = next((os.environ[name] for name in HUB_SECRETS if os.environ.get(name)), "")
            for name in HUB_SECRETS:
                os.environ.pop(name, None)
            if token:
                self.config.HubOAuth.api_token = token
        settings = super().init_settings()
        settings["voila_jinja2_env"].globals.update(sg_hub=self.hub, sg_workshop=self.workshop)
        settings["sg_hub"] = self.hub
        fresh_on_handout(self.kernel_manager)
        if self.workshop and hasattr(self.kernel_manager, "fill_if_needed"):
            stagger_refills(self.kernel_manager, steady=self.steady_pool)
        if self.workshop:
            from course import facilitator

            seats = Seats(self.kernel_manager)
            bind_kernels(self.kernel_manager, seats)
            settings["sg_seats"] = seats
            settings["sg_room"] = facilitator.make_room(self, seats)
        return settings

    def init_handlers(self) -> list:
        handlers = []
        labextensions = url_path_join(self.server_url, r"/voila/labextensions/(.*)")
        for route in super().init_handlers():
            if route[0] == labextensions:
                route = (route[0], LabExtensionHandler, {"path": self.labextensions_path})
            elif route[1] is TemplateStaticFileHandler:
                route = (route[0], TemplateFiles, *route[2:])
            elif self.workshop and route[1] is TornadoVoilaHandler:
                route = (route[0], SeatedRenderHandler, *route[2:])
            elif route[1] is VoilaShutdownKernelHandler:
                route = (route[0], _own(QuietShutdown) if self.workshop else QuietShutdown, *route[2:])
            elif self.workshop and "kernel_id" in route[0]:
                route = (route[0], _own(route[1]), *route[2:])
            elif not route[0].startswith(self.server_url):  # the login's own (OAuth callback, logout): Voila
                route = (url_path_join(self.server_url, route[0]), *route[1:])  # adds them without the prefix
            handlers.append(route)
        versioned = url_path_join(self.server_url, r"/voila/static", self._static_version, r"(.*)")
        handlers.insert(0, (versioned, VersionedStaticHandler, {"paths": self.static_paths}))
        if self.workshop:
            from course import facilitator

            handlers[:0] = facilitator.handlers(self.server_url)
        else:  # course start: no room; a 404 would show as an error in every module page's console
            handlers.insert(0, (url_path_join(self.server_url, r"/steady/room"), NoRoom))
        return handlers

    def start(self):
        if self.hub:
            # Tornado's own lines (requests, errors, the hub login's) go through this app's log, in its format (the
            # hub's log then tells this server's lines apart), and without login names.
            unnamed = NoLoginNames()
            self.log.addFilter(unnamed)
            for name in ("tornado.access", "tornado.application", "tornado.general"):
                logger = logging.getLogger(name)
                logger.parent, logger.propagate = self.log, True
                logger.addFilter(unnamed)
        if self.workshop:
            redact = RedactKernelIds()
            for name in ("", self.log.name, "tornado.access", "tornado.application", "tornado.general"):
                logger = logging.getLogger(name)
                logger.addFilter(redact)
                for handler in logger.handlers:
                    handler.addFilter(redact)
        super().start()

    def listen(self):
        self.app.add_transform(tornado.web.GZipContentEncoding)
        if self.workshop:
            from course import facilitator

            self.app.settings["log_function"] = facilitator.quiet_log(self.base_url)
            self.app.settings["sg_room"].start(self.app)
        if bool(self.certfile) != bool(self.keyfile):
            self.log.critical("https needs both a certificate file and its key file")
            self.exit(1)
        if self.certfile:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            try:
                context.load_cert_chain(self.certfile, self.keyfile)
            except (OSError, ssl.SSLError) as exc:
                self.log.critical("cannot use the certificate %s with key %s: %s", self.certfile, self.keyfile, exc)
                self.exit(1)
            self.app.listen = partial(self.app.listen, ssl_options=context)
        super().listen()


main = SteadyVoila.launch_instance

if __name__ == "__main__":
    main()
