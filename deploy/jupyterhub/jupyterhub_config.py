"""JupyterHub for Steady Ground on one server or VM (issue 13). `make hub` and the hub test use this file.

Each person who logs in gets their own server: the course's Voila app (`python -m course.hub`), landing on
the course's home page, with their notes in their own folder. There is no JupyterLab and no way to run code
from the page. Servers left idle are stopped by jupyterhub-idle-culler. See README "Running the course on
JupyterHub" for install, sizing, upgrades, backups and what data lives where.

Settings, from the environment (all optional):

  STEADY_GROUND_HUB_DIR        the hub's own files (its database, cookie secret, log); default build/hub
  STEADY_GROUND_HUB_URL        where the hub listens; default http://127.0.0.1:8000
  STEADY_GROUND_HUB_IDLE_S     stop a person's server after this many seconds without use; default 3600
  STEADY_GROUND_HUB_WARM=1     keep two pages of each person's course ready (Start here and the next module):
                               they open about a second sooner, for about 120 MB more per person
  STEADY_GROUND_HUB_ALLOWED_GROUPS, STEADY_GROUND_HUB_ALLOWED_USERS
                               who may log in: system groups or account names, comma-separated. One of
                               the two is needed (JupyterHub lets nobody in by default)
  STEADY_GROUND_HUB_LAB_GROUP  a JupyterHub group whose members get JupyterLab instead of the course
                               (staff who edit the course); none by default. JupyterLab runs any code as
                               its user: give it only to people whose system user cannot read learners'
                               homes (never in the local try-out, where every course runs as one user)
  STEADY_GROUND_HUB_ROOM       a module id (m03): run a workshop room at <hub>/services/room/ for group sessions
                               on that module (course.hub_room); none by default. Participants log in to the
                               hub and open that address; what they write stays in their page, as in any
                               workshop. STEADY_GROUND_HUB_ROOM_SIZE: warm kernels it keeps, 1 to 200 (default 4);
                               STEADY_GROUND_HUB_ROOM_PORT: its local port (default 8010);
                               STEADY_GROUND_HUB_ROOM_PULSE_MIN: answers a pulse needs before the facilitator
                               sees its result (default 5, never fewer than 3)
  STEADY_GROUND_HUB_ROOM_GROUP a JupyterHub group: only its members may enter the room; default everyone
  STEADY_GROUND_HUB_FACILITATORS
                               login names put in the hub's "facilitators" group at start (comma-separated;
                               the hub's admin page adds and removes members too). Its members open the
                               room's facilitator page (<hub>/services/room/steady/facilitator). Hub admins
                               are not facilitators unless they are in the group.
  STEADY_GROUND_HUB_LOCAL=1    LOCAL TRY-OUT ONLY (`make hub`, the tests): anyone may log in with any name
                               and the shared password $STEADY_GROUND_HUB_PASSWORD, and every person's
                               server runs as this machine's user, with their folder under
                               STEADY_GROUND_HUB_DIR/users/<name>. It refuses to listen beyond 127.0.0.1.

Without STEADY_GROUND_HUB_LOCAL the hub uses the machine's own accounts (PAM) to log in, for the people
STEADY_GROUND_HUB_ALLOWED_* names, and each person's server runs as their own system user, with their notes in
their own home. For another login (OAuth with your organisation's accounts, for example), set
c.JupyterHub.authenticator_class and its allow list at the end of this file.
"""
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
HUB_DIR = Path(os.environ.get("STEADY_GROUND_HUB_DIR") or ROOT / "build" / "hub").resolve()
HUB_URL = os.environ.get("STEADY_GROUND_HUB_URL", "http://127.0.0.1:8000")
IDLE_S = int(os.environ.get("STEADY_GROUND_HUB_IDLE_S", "3600"))
LAB_GROUP = os.environ.get("STEADY_GROUND_HUB_LAB_GROUP", "")
LOCAL = os.environ.get("STEADY_GROUND_HUB_LOCAL") == "1"
WARM = "1" if os.environ.get("STEADY_GROUND_HUB_WARM") == "1" else "0"

c = get_config()  # noqa: F821 - JupyterHub provides get_config when it loads this file

HUB_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
c.JupyterHub.bind_url = HUB_URL
c.JupyterHub.db_url = f"sqlite:///{HUB_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB_DIR / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB_DIR / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every person's server: nothing is left running
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.template_vars = {"announcement_login": "Steady Ground"}
proxy = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"  # `make hub` installs it with npm
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]

# Each person's server: the course, nothing else.
c.Spawner.cmd = [sys.executable, "-m", "course.hub"]
c.Spawner.default_url = "/"
c.Spawner.http_timeout = 120  # a room logging in at once on a busy machine takes a while
c.Spawner.start_timeout = 120
c.Spawner.environment = {"PYTHONUNBUFFERED": "1", "STEADY_GROUND_HUB_WARM": WARM}


def _lab_for_staff(spawner):
    """Members of STEADY_GROUND_HUB_LAB_GROUP get JupyterLab (jupyterhub-singleuser) instead of the course."""
    if LAB_GROUP and any(group.name == LAB_GROUP for group in spawner.user.groups):
        spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
        spawner.default_url = "/lab"


c.Spawner.pre_spawn_hook = _lab_for_staff

# Stop servers nobody has used for IDLE_S seconds (the proxy counts page loads and kernel traffic).
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_S}",
                f"--cull-every={max(10, min(300, IDLE_S // 4))}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.last_activity_interval = max(10, min(300, IDLE_S // 4))

# A workshop room for group sessions (course.hub_room), when STEADY_GROUND_HUB_ROOM names its module.
ROOM = os.environ.get("STEADY_GROUND_HUB_ROOM", "")
FACILITATE = "custom:steady-ground:facilitate"  # course.hub.FACILITATE_SCOPE
FACILITATORS = "facilitators"
if ROOM:
    room_group = os.environ.get("STEADY_GROUND_HUB_ROOM_GROUP", "")
    room_port = int(os.environ.get("STEADY_GROUND_HUB_ROOM_PORT") or "8010")
    c.JupyterHub.services.append({
        "name": "room",
        "url": f"http://127.0.0.1:{room_port}",
        "command": [sys.executable, "-m", "course.hub_room"],
        # A managed service gets only this environment: the room's settings the operator gave (course.hub_room
        # has the defaults and checks them).
        "environment": {"PYTHONUNBUFFERED": "1", "STEADY_GROUND_HUB_ROOM": ROOM,
                        **{name: os.environ[name] for name in ("STEADY_GROUND_HUB_ROOM_SIZE",
                                                               "STEADY_GROUND_HUB_ROOM_PULSE_MIN")
                           if os.environ.get(name)}},
        "oauth_client_allowed_scopes": [FACILITATE],  # the room learns whether a person facilitates, nothing more
        "oauth_no_confirm": True,  # part of this hub, set up by its operator: no "authorize" page
        "display": False,  # the facilitator shares the room's address with the people of the session
    })
    c.JupyterHub.custom_scopes = {FACILITATE: {
        "description": "Run a Steady Ground session in the room: its plan, how many are there, the pulse, the end"}}
    c.JupyterHub.load_roles.append({"name": "room-facilitator", "scopes": [FACILITATE, "access:services!service=room"],
                                    "groups": [FACILITATORS], "description": "Run sessions in the room"})
    if room_group:  # its members only (the hub's admin page manages the group)
        c.JupyterHub.load_roles.append({"name": "room-participant", "scopes": ["access:services!service=room"],
                                        "groups": [room_group], "description": "Enter the room"})
    else:  # everyone on this hub: JupyterHub's own role for every user, plus the room
        c.JupyterHub.load_roles.append({"name": "user", "scopes": ["self", "access:services!service=room"]})
    # Added at each start; the hub's admin page adds and removes members (a name removed here stays a member).
    names = sorted(filter(None, os.environ.get("STEADY_GROUND_HUB_FACILITATORS", "").split(",")))
    c.JupyterHub.load_groups = {FACILITATORS: {"users": names}, **({room_group: {}} if room_group else {})}

ALLOWED_GROUPS = set(filter(None, os.environ.get("STEADY_GROUND_HUB_ALLOWED_GROUPS", "").split(",")))
ALLOWED_USERS = set(filter(None, os.environ.get("STEADY_GROUND_HUB_ALLOWED_USERS", "").split(",")))
if not LOCAL:
    if not (ALLOWED_GROUPS or ALLOWED_USERS):
        sys.exit("Say who may log in: STEADY_GROUND_HUB_ALLOWED_GROUPS (system groups) or "
                 "STEADY_GROUND_HUB_ALLOWED_USERS (account names), comma-separated")
    c.Authenticator.allowed_users = ALLOWED_USERS
    c.LocalAuthenticator.allowed_groups = ALLOWED_GROUPS
    c.Authenticator.admin_users = set(filter(None, os.environ.get("STEADY_GROUND_HUB_ADMINS", "").split(",")))

if LOCAL:
    if LAB_GROUP:
        sys.exit("STEADY_GROUND_HUB_LAB_GROUP is refused in the local try-out: every course runs as one user "
                 "there, so JupyterLab could read everyone's notes")
    host = urlsplit(HUB_URL).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"STEADY_GROUND_HUB_LOCAL is a try-out with a shared password: it listens on 127.0.0.1 only, "
                 f"not {host}")
    password = os.environ.get("STEADY_GROUND_HUB_PASSWORD", "")
    if len(password) < 8:
        sys.exit("STEADY_GROUND_HUB_LOCAL needs STEADY_GROUND_HUB_PASSWORD, at least 8 characters")
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = password
    c.Authenticator.allow_all = True
    c.Authenticator.admin_users = set(filter(None, os.environ.get("STEADY_GROUND_HUB_ADMINS", "").split(",")))
    c.Authenticator.username_pattern = r"^[a-z0-9][a-z0-9_-]{0,39}$"  # a plain folder name: no dots, no slash
    c.JupyterHub.spawner_class = "simple"
    users = HUB_DIR / "users"
    c.SimpleLocalProcessSpawner.home_dir_template = str(users / "{username}")
    c.Spawner.environment["STEADY_GROUND_HOME"] = lambda spawner: str(users / spawner.user.name / "steady-ground")
