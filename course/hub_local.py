"""A local JupyterHub for a try-out, the hub test and bench/hub.py: deploy/jupyterhub/jupyterhub_config.py with
STEADY_GROUND_HUB_LOCAL=1 (a shared password, 127.0.0.1 only). ``python -m course.hub_local`` is `make hub`."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from course import ROOT
from course.browser import free_port

CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` now (children, their children, ...)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie, exited but not yet collected, counts as gone)."""
    left = set()
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X"):
            left.add(pid)
    return left


@dataclass
class LocalHub:
    url: str
    password: str
    folder: Path
    log: Path
    proc: subprocess.Popen
    seen: set[int] = field(default_factory=set)

    def user_home(self, name: str) -> Path:
        """A person's data folder (their notes): STEADY_GROUND_HOME of their server."""
        return self.folder / "users" / name / "steady-ground"

    def watch(self) -> set[int]:
        """Remember every process the hub runs now (single-user servers, kernels, proxy, culler)."""
        self.seen |= descendants(self.proc.pid)
        return self.seen

    def stop(self, timeout: float = 60) -> set[int]:
        """Stop the hub as an operator does (SIGTERM) and wait; the processes it ran that are still alive."""
        self.watch()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        deadline = time.monotonic() + 10
        while alive(self.seen) and time.monotonic() < deadline:
            time.sleep(0.2)
        return alive(self.seen | ({self.proc.pid} if self.proc.poll() is None else set()))

    def kill_left(self) -> None:
        for pid in alive(self.seen | {self.proc.pid}):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.proc.poll() is None:
            self.proc.wait(timeout=10)


def hub_env(folder: Path, port: int, password: str, admins: tuple[str, ...] = (), idle_s: int = 3600,
            room: dict[str, str] | None = None) -> dict:
    """The hub's environment; ``room``: the STEADY_GROUND_HUB_ROOM* and _FACILITATORS settings, if any."""
    env = dict(os.environ)
    env.pop("STEADY_GROUND_HOME", None)  # each person's server gets their own from the config
    env.update({
        "STEADY_GROUND_HUB_LOCAL": "1", "STEADY_GROUND_HUB_DIR": str(folder),
        "STEADY_GROUND_HUB_URL": f"http://127.0.0.1:{port}", "STEADY_GROUND_HUB_PASSWORD": password,
        "STEADY_GROUND_HUB_ADMINS": ",".join(admins), "STEADY_GROUND_HUB_IDLE_S": str(idle_s),
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    })
    env.update(room or {})
    return env


def check_ready() -> None:
    """Say what is missing in one line (RuntimeError): JupyterHub, the proxy, or the built pages."""
    from course.notebooks import NOTEBOOKS

    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        raise RuntimeError("JupyterHub is not installed: pip install -e '.[hub]' (make hub does it)") from None
    if not PROXY.exists():
        raise RuntimeError(f"configurable-http-proxy is not installed ({PROXY}): npm ci (make hub does it)")
    if not any(NOTEBOOKS.glob("*.ipynb")):
        raise RuntimeError("the course's pages are not built: course notebooks (make hub does it)")


@contextmanager
def local_hub(folder: Path, port: int, password: str | None = None, admins: tuple[str, ...] = (),
              idle_s: int = 3600, timeout: float = 90, room: dict[str, str] | None = None) -> Iterator[LocalHub]:
    """Start the local hub; yield it once it answers; stop it and everything it ran, whatever happens."""
    check_ready()
    password = password or secrets.token_urlsafe(12)
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "hub.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=folder,
                                env=hub_env(folder, port, password, admins, idle_s, room), stdout=out,
                                stderr=subprocess.STDOUT)
    hub = LocalHub(f"http://127.0.0.1:{port}/", password, folder, log, proc)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited early:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(hub.url + "hub/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterHub did not answer at {hub.url}:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield hub
    finally:
        hub.stop()
        hub.kill_left()


def main() -> int:
    """`make hub`: the local try-out, until Ctrl-C."""
    port = int(os.environ.get("PORT") or 8000)
    password = os.environ.get("STEADY_GROUND_HUB_PASSWORD") or secrets.token_urlsafe(9)
    folder = Path(os.environ.get("STEADY_GROUND_HUB_DIR") or ROOT / "build" / "hub")
    # The try-out has a room for module 3, and the name "facilitator" runs its sessions (unless set otherwise).
    room = {"STEADY_GROUND_HUB_ROOM": os.environ.get("STEADY_GROUND_HUB_ROOM", "m03"),
            "STEADY_GROUND_HUB_ROOM_SIZE": os.environ.get("STEADY_GROUND_HUB_ROOM_SIZE", "2"),
            "STEADY_GROUND_HUB_ROOM_PORT": str(free_port()),
            "STEADY_GROUND_HUB_FACILITATORS": os.environ.get("STEADY_GROUND_HUB_FACILITATORS", "facilitator")}
    try:
        with local_hub(folder, port, password, admins=(), room=room) as hub:
            print(f"LOCAL TRY-OUT ONLY: JupyterHub at {hub.url} (this computer only).\n"
                  f"Log in with any name (small letters, digits, - or _) and the password: {password}\n"
                  f"Each name gets its own course and notes, in {folder / 'users'}.\n"
                  f"A group session room: {hub.url}services/room/ ; its facilitator page: "
                  f"{hub.url}services/room/steady/facilitator (log in as "
                  f"{room['STEADY_GROUND_HUB_FACILITATORS'].split(',')[0]}).\n"
                  f"Anyone with this password can log in with any name, and so read that name's notes:\n"
                  f"do not use it for real notes. Ctrl-C stops everything.", flush=True)
            try:
                hub.proc.wait()
            except KeyboardInterrupt:
                print("\nStopping the hub and every course it started...", flush=True)
    except RuntimeError as exc:
        print(f"Steady Ground hub: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
