"""Voila settings for `course start` and `course workshop`: one function, two profiles."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import socket
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from course import BUILD
from course.files import write_atomic
from course.notebooks import JUPYTER_PATH, NOTEBOOKS, TEMPLATE_NAME

SERVE_CONFIG = BUILD / "serve"
"""Voila config files written for a profile's warm pages (one folder per distinct config)."""

DEFAULT_PORT = 8866
FACILITATOR_KEY_ENV = "STEADY_GROUND_FACILITATOR_KEY"  # course.facilitator.KEY_ENV
LAB_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "anywidget", "@voila-dashboards/widgets-manager8")


class ServeError(RuntimeError):
    """A reason the course cannot be served, in one line."""


@dataclass(frozen=True)
class Profile:
    name: str
    host: str
    pool_size: int          # preheated kernels per module page
    cull_idle_s: int        # shut down kernels whose tab has gone quiet
    token_required: bool
    open_browser: bool = True
    env: dict = field(default_factory=dict)
    warm: tuple[str, ...] = ()  # notebooks (served names) that keep pool_size preheated kernels; () = all
    certfile: str = ""          # with keyfile: serve https
    keyfile: str = ""
    module: str = ""            # a workshop's session module (m03): its plan and room count
    pulse_min: int = 5          # answers needed before the pulse shows a result
    cull_interval_s: int = 60   # how often the idle cull looks (tests and the soak shorten both)

    @property
    def scheme(self) -> str:
        return "https" if self.certfile else "http"


def profile(name: str, host: str | None = None, pool_size: int | None = None, open_browser: bool = True,
            warm: tuple[str, ...] = (), certfile: str = "", keyfile: str = "", module: str = "",
            pulse_min: int = 5) -> Profile:
    """``start``: one learner; ``warm`` names the pages kept ready (Start here and the next module),
    one kernel each, so the course idles small. ``workshop``: a room; every page keeps a pool of
    ``pool_size``, or with ``warm`` (the session's module) only that page keeps one, the room's size."""
    if name == "start":
        return Profile("start", host or "127.0.0.1", 1 if pool_size is None else pool_size, 3600, False, open_browser,
                       warm=tuple(warm))
    if name == "workshop":
        # Participants' data lives in their kernel's memory only (see course.store).
        return Profile("workshop", host or "0.0.0.0", 4 if pool_size is None else pool_size, 1200, True, False,
                       env={"STEADY_GROUND_WORKSHOP": "1"}, warm=tuple(warm), certfile=certfile, keyfile=keyfile,
                       module=module, pulse_min=pulse_min)
    raise ValueError(f"unknown profile {name!r}")


def workshop_session(module_id: str, room: int, names: tuple[str, str] = ("--module", "--room")) -> tuple[str, str]:
    """A workshop's session on ``module_id`` for a room of ``room`` people: the module's title and its page (the
    served name, kept warm for the room). Out of range: a ServeError naming the setting (``names``: the command's
    options, or the hub's variables)."""
    from course.notebooks import page_names
    from course.syllabus import load_syllabus

    syllabus = load_syllabus()
    ready = syllabus.ready()
    session = next((m for m in ready if m.id == module_id), None)
    if session is None:
        raise ServeError(f"{names[0]} must be one of {', '.join(m.id for m in ready)}; got {module_id!r}")
    if not 1 <= room <= 200:
        raise ServeError(f"{names[1]} must be from 1 to 200 people")
    return session.title, page_names(syllabus)[session.stem]


def check_pulse_min(pulse_min: int, name: str = "--pulse-min") -> None:
    """A workshop's pulse shows its result from ``pulse_min`` answers: fewer is refused (ServeError)."""
    from course.room import MIN_THRESHOLD

    if pulse_min < MIN_THRESHOLD:
        raise ServeError(f"{name} must be {MIN_THRESHOLD} or more: fewer answers could show what one person chose")


def check_port_free(host: str, port: int) -> None:
    """Fail early with a plain message rather than Voila's traceback or silent port change."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(f"port {port} on {host} is already in use (is the course already running?); "
                                 f"try --port {port + 1}") from None
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def voila_command(prof: Profile, port: int, token: str | None = None, notebooks: Path = NOTEBOOKS,
                  jupyter_path: Path = JUPYTER_PATH, facilitator_key: str | None = None,
                  serve_config: Path = SERVE_CONFIG) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment for a profile.

    A workshop's facilitator key goes in the environment (``env[FACILITATOR_KEY_ENV]``), not on the
    command line other users of the machine can list; a new random one when none is given.

    ``notebooks`` and ``jupyter_path``: a build's folders (course.notebooks.output_dirs).
    ``serve_config``: where the file that keeps ``prof.warm`` ready is written (course.hub: the person's own).
    """
    argv = [
        sys.executable, "-m", "course.voila_app", str(notebooks),
        f"--port={port}", f"--Voila.ip={prof.host}", "--Voila.port_retries=0",
        f"--template={TEMPLATE_NAME}", "--classic-tree", "--theme=light",
        "--strip_sources=True", "--show_tracebacks=False",
        f"--preheat_kernel={prof.pool_size > 0}", f"--pool_size={prof.pool_size}",
        f"--MappingKernelManager.cull_idle_timeout={prof.cull_idle_s}",
        f"--MappingKernelManager.cull_interval={prof.cull_interval_s}",
        "--MappingKernelManager.cull_connected=False",
        f"--Voila.token={token or ''}",
        *kernel_transport(),
        # Only the widget front ends: fewer files to load, no unrelated extension errors.
        *[f"--VoilaConfiguration.extension_allowlist={name}" for name in LAB_EXTENSIONS],
    ]
    if prof.certfile:
        argv += [f"--SteadyVoila.certfile={prof.certfile}", f"--SteadyVoila.keyfile={prof.keyfile}"]
    if prof.pool_size > 0 and prof.warm and prof.token_required:
        # A room arrives to one warm kernel each; then a fifth of that covers reloads and late comers.
        argv.append(f"--SteadyVoila.steady_pool={max(2, -(-prof.pool_size // 5))}")
    if prof.token_required:  # a room: kernels bound to their browser, the facilitator's page, the pulse
        argv += ["--SteadyVoila.workshop=True", f"--SteadyVoila.session_module={prof.module}",
                 f"--SteadyVoila.pulse_min={prof.pulse_min}"]
    if not prof.open_browser:
        argv.append("--no-browser")
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(jupyter_path), env.get("JUPYTER_PATH")]))
    if prof.pool_size > 0 and prof.warm:
        folder = warm_config(prof, serve_config)
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [str(folder), env.get("JUPYTER_CONFIG_PATH")]))
    env.update(prof.env)
    if prof.token_required:
        env[FACILITATOR_KEY_ENV] = facilitator_key or new_token()
    return argv, env


IPC_NAME_CHARS = len("/voila_XXXXXXXX/kernel-00000000-0000-0000-0000-000000000000-ipc-99")


def kernel_transport(tmp: str | None = None) -> list[str]:
    """Kernels talk to the server over local sockets, not TCP ports: no port races when a room's pool
    starts 30 kernels at once (plain Voila's kernels failed with "Address already in use" in
    bench/room.py), and nothing listens on the network. A socket's path has a length limit
    (103 characters on macOS, whose temp folder alone is about 49): then /tmp, or else TCP."""
    if sys.platform == "win32":
        return []
    try:
        import zmq

        limit = zmq.IPC_PATH_MAX_LEN
    except (ImportError, AttributeError):
        return []
    for folder in (tmp or tempfile.gettempdir(), "/tmp"):
        if len(folder) + IPC_NAME_CHARS < limit and os.path.isdir(folder) and os.access(folder, os.W_OK):
            return ["--KernelManager.transport=ipc", f"--Voila.connection_dir_root={folder}"]
    return []


def warm_config(prof: Profile, root: Path = SERVE_CONFIG) -> Path:
    """A folder with the voila.json that preheats only ``prof.warm``: Voila's per-notebook pools."""
    pools = {"default": {"pool_size": 0}, **{f"{name}.ipynb": {"pool_size": prof.pool_size} for name in prof.warm}}
    text = json.dumps({"VoilaKernelManager": {"kernel_pools_config": pools}}, indent=1, sort_keys=True)
    folder = root / hashlib.sha256(text.encode()).hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "voila.json", text)  # a second command may write it while Voila reads it
    return folder


def next_module(syllabus, store):
    """The module after the last one the learner worked in (a quiz or a journal entry), else the first
    after Start here: the page most likely opened next."""
    ready = syllabus.ready()
    index = {m.id: i for i, m in enumerate(ready)}
    worked = [index[r["key"]] for r in store.records("quiz") if r["key"] in index]
    worked += [index[e["module"]] for e in store.journal_entries() if e["module"] in index]
    after = max(worked) + 1 if worked else 1
    return ready[min(after, len(ready) - 1)]


def start_warm_pages(discreet: bool = False, home: Path | None = None) -> tuple[str, ...]:
    """The pages `course start` keeps ready: Start here and the module the learner most likely opens next.

    Opens the learner's store first (``home``: their data folder, else this process's), so an unwritable or
    damaged one is reported now, not mid-exercise (course.store.StoreError)."""
    from course.notebooks import page_names
    from course.store import FILE_NAME, Store, open_store
    from course.syllabus import load_syllabus

    syllabus = load_syllabus()
    store = Store(home / FILE_NAME) if home is not None else open_store()
    try:
        _ = store.schema_version
        coming = next_module(syllabus, store)
    finally:
        store.close()
    names = page_names(syllabus, discreet)
    return tuple(dict.fromkeys((names[syllabus.ready()[0].stem], names[coming.stem])))


def new_token() -> str:
    return secrets.token_urlsafe(18)


def share_address(host: str) -> str:
    """The address people in the room type: this machine's name when bound to all."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, None, socket.AF_INET)}
    except OSError:
        return name
    lan = sorted(a for a in addresses if not a.startswith("127."))
    return lan[0] if lan else name
