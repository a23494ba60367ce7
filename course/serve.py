"""Voila settings for `course start` and `course workshop`: one function, two profiles."""
from __future__ import annotations

import errno
import os
import secrets
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from course.notebooks import JUPYTER_PATH, NOTEBOOKS, TEMPLATE_NAME

DEFAULT_PORT = 8866
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


def profile(name: str, host: str | None = None, pool_size: int | None = None, open_browser: bool = True) -> Profile:
    if name == "start":
        return Profile("start", host or "127.0.0.1", 1 if pool_size is None else pool_size, 3600, False, open_browser)
    if name == "workshop":
        # Participants' data lives in their kernel's memory only (see course.store).
        return Profile("workshop", host or "0.0.0.0", 4 if pool_size is None else pool_size, 1200, True, False,
                       env={"STEADY_GROUND_WORKSHOP": "1"})
    raise ValueError(f"unknown profile {name!r}")


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
                  jupyter_path: Path = JUPYTER_PATH) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment for a profile.

    ``notebooks`` and ``jupyter_path``: a build's folders (course.notebooks.output_dirs).
    """
    argv = [
        sys.executable, "-m", "voila", str(notebooks),
        f"--port={port}", f"--Voila.ip={prof.host}", "--Voila.port_retries=0",
        f"--template={TEMPLATE_NAME}", "--classic-tree", "--theme=light",
        "--strip_sources=True", "--show_tracebacks=False",
        f"--preheat_kernel={prof.pool_size > 0}", f"--pool_size={prof.pool_size}",
        f"--MappingKernelManager.cull_idle_timeout={prof.cull_idle_s}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        f"--Voila.token={token or ''}",
        # Only the widget front ends: fewer files to load, no unrelated extension errors.
        *[f"--VoilaConfiguration.extension_allowlist={name}" for name in LAB_EXTENSIONS],
    ]
    if not prof.open_browser:
        argv.append("--no-browser")
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(jupyter_path), env.get("JUPYTER_PATH")]))
    env.update(prof.env)
    return argv, env


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
