"""A workshop room on JupyterHub: ``python -m course.hub_room``, the hub's ``room`` service (issue 13).

On one laptop, `course workshop` serves a room. On a hub, each person's course is their own server
(course.hub), so a group session needs one place everyone shares: this service. JupyterHub starts it with the
hub (deploy/jupyterhub/jupyterhub_config.py, when ``$STEADY_GROUND_HUB_ROOM`` names the session's module) at
``/services/room/``, and it serves the course exactly as `course workshop` does, with these differences:

* **The hub's login, not a token.** People open ``<hub>/services/room/`` and log in to the hub as usual; the
  hub lets in the people its operator allowed (everyone on the hub, or one group). No token to share.
* **The facilitator's page** (``/services/room/steady/facilitator``) opens for members of the hub's
  ``facilitators`` group (the scope :data:`course.hub.FACILITATE_SCOPE`), not with a key. Being a hub admin
  is not enough: admin rights often go to IT staff, who have no part in a session.
* **Sessions follow one another.** After a session ends, the facilitator starts the next one from the same
  page; the room keeps running with the hub.
* **As in any workshop**, what participants write lives in their page's kernel only and is gone when they
  leave (unless they use "Save my notes"); the room writes no answer and no login name to disk or log.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from course.hub import HubError

SERVICE_ENV = ("JUPYTERHUB_SERVICE_PREFIX", "JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_API_TOKEN")
MODULE_ENV = "STEADY_GROUND_HUB_ROOM"
SIZE_ENV = "STEADY_GROUND_HUB_ROOM_SIZE"
PULSE_MIN_ENV = "STEADY_GROUND_HUB_ROOM_PULSE_MIN"
LOG_FORMAT = "[SteadyGround room]%(highlevel)s %(message)s"
"""The room's lines in the hub's log (a managed service writes there), told apart from people's own courses."""
DEFAULT_SIZE = 4
"""The room's size: warm kernels the session's page keeps (60 to 80 MB each, README "Sizing"), 1 to 200. People
beyond that wait a few seconds for their page; an operator expecting a room of 30 at once raises it."""
DEFAULT_PULSE_MIN = 5


def room_command(environ: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment for the hub's room, from the hub's service variables."""
    from course.hub import hub_address
    from course.serve import ServeError, check_pulse_min, profile, voila_command, workshop_session

    environ = dict(os.environ if environ is None else environ)
    prefix, host, port = hub_address(environ, SERVICE_ENV, "course.hub_room is started by JupyterHub as its room "
                                                           "service")
    module = environ.get(MODULE_ENV, "m03")
    try:
        size = int(environ.get(SIZE_ENV) or DEFAULT_SIZE)
        pulse_min = int(environ.get(PULSE_MIN_ENV) or DEFAULT_PULSE_MIN)
    except ValueError:
        raise HubError(f"{SIZE_ENV} and {PULSE_MIN_ENV} are whole numbers") from None
    try:  # the checks `course workshop` makes of --module, --room and --pulse-min
        _title, page = workshop_session(module, size, names=(MODULE_ENV, SIZE_ENV))
        check_pulse_min(pulse_min, PULSE_MIN_ENV)
    except ServeError as exc:
        raise HubError(str(exc)) from None
    prof = profile("workshop", host=host, pool_size=size, warm=(page,), module=module, pulse_min=pulse_min)
    runtime = tempfile.mkdtemp(prefix="steady-ground-room-")  # the warm-pool file; nothing of a person
    argv, env = voila_command(prof, port, token="", serve_config=Path(runtime))
    argv += [f"--Voila.base_url={prefix}", f"--Voila.server_url={prefix}",
             "--Voila.identity_provider_class=course.hub.RoomMember", "--SteadyVoila.hub=True",
             f"--SteadyVoila.log_format={LOG_FORMAT}"]
    env.update({k: v for k, v in environ.items() if k.startswith("JUPYTERHUB_")})
    env["STEADY_GROUND_HOME"] = runtime  # a workshop writes no notes; nothing of a person is kept here
    return argv, env


def main() -> int:
    from course.hub import exec_server

    return exec_server(room_command, "Steady Ground room")


if __name__ == "__main__":
    sys.exit(main())
