"""The course for one person on JupyterHub: ``python -m course.hub`` (issue 13).

JupyterHub's spawner runs this for each person it starts a server for (deploy/jupyterhub/jupyterhub_config.py,
and the image in deploy/z2jh). It serves the course as ``course start`` does, with the same Voila app,
settings and pages, and these differences:

* **Only that person gets in.** JupyterHub's own login (OAuth, the identity provider jupyterhub-singleuser
  uses) guards every address Voila guards: the pages, the kernels and their channels. Hub admins included:
  JupyterHub lets an admin open anyone's server, which here would mean reading their notes, so a server
  lets in its owner only (:class:`OwnerOnly`). Nothing else listens: jhsingle-native-proxy, which
  dashboards on JupyterHub often use, puts a second server in front of a Voila that anyone with a shell on
  the machine can reach on 127.0.0.1 without logging in.
* **The person's own address** (``/user/<name>/``), from ``$JUPYTERHUB_SERVICE_PREFIX``; port and interface
  from ``$JUPYTERHUB_SERVICE_URL``.
* **The person's own data folder**: ``$STEADY_GROUND_HOME`` when the hub sets it, else in their home.
* **No code runs from the page** (Voila accepts no execute request on a kernel's channel) and there is no
  JupyterLab. An operator who wants JupyterLab for some people gives them another command in the hub's
  config (deploy/jupyterhub/jupyterhub_config.py).
* **The pages were built once**, when the course was installed (``course notebooks``; the image does it), not
  at each start.
* **No kernel waits in advance** unless the operator asks for it (``$STEADY_GROUND_HUB_WARM``): on a hub,
  memory per person decides how many people one machine serves. With it, the file that keeps two pages ready
  goes to the person's Jupyter runtime folder.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

WARM_ENV = "STEADY_GROUND_HUB_WARM"
"""``1``: keep Start here and the next module ready, as `course start` does (pages open about a second sooner;
about 120 MB more per person, bench/hub.py). Unset or ``0`` (the default on a hub): every page starts its kernel
when opened."""
SINGLE_USER_ENV = ("JUPYTERHUB_SERVICE_PREFIX", "JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_USER", "JUPYTERHUB_API_TOKEN")


class HubError(Exception):
    """Why the course cannot start as a hub's single-user server; said in one line."""


try:  # present where the hub extra is installed; the hub's single-user servers need it
    from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
except ImportError:  # pragma: no cover - course.hub then refuses to start (main)
    JupyterHubIdentityProvider = None


FACILITATE_SCOPE = "custom:steady-ground:facilitate"
"""The hub's scope for the room's facilitators (deploy/jupyterhub/jupyterhub_config.py gives it to a group)."""

if JupyterHubIdentityProvider is not None:
    from jupyterhub.singleuser.extension import JupyterHubUser
    from tornado.web import HTTPError

    class QuietHubLogin(JupyterHubIdentityProvider):
        """JupyterHub's login (OAuth), which never writes a login name in the log.

        JupyterHub's own provider logs "Not allowing user <name>" for a person refused: a line that says who
        tried to open whose course, or who came to a session. Here the refusal is logged without a name, and
        the page says it in words (``refused``)."""

        refused = "This page is not open to your login."

        def allowed(self, user: dict) -> bool:
            return bool(self.hub_auth.check_scopes(self.hub_auth.access_scopes, user))

        async def get_user(self, handler):
            if hasattr(handler, "_jupyterhub_user"):
                return handler._jupyterhub_user
            self._patch_get_login_url(handler)
            self._patch_xsrf(handler)
            user = await self.hub_auth.get_user(handler, sync=False)
            if user is not None and self.allowed(user):
                handler._jupyterhub_user = JupyterHubUser(user)
                self.hub_auth._persist_url_token_if_set(handler)
                return handler._jupyterhub_user
            handler._jupyterhub_user = None
            if user is not None:
                self.log.warning("Refused a login this page is not open to")  # no names in the log
                reason = self.refused

                def refuse(*args, **kwargs):
                    raise HTTPError(403, reason, reason=reason)  # reason: the words the refusal page shows

                handler.redirect = refuse  # where tornado would send them to log in, they are told no
            return None

    class OwnerOnly(QuietHubLogin):
        """JupyterHub's login, letting in the server's owner only, never another user or an admin.

        The hub gives admins (and roles with ``access:servers``) the right to open every server; on this
        course that would let whoever runs the hub, or a partner with an admin login, read someone's journal
        through the page. Operators keep what any operator has (the files on disk, README "What data lives
        where"); the course's own pages open for their owner only."""

        refused = "This course belongs to another person."

        def allowed(self, user: dict) -> bool:
            owner = os.environ.get("JUPYTERHUB_USER", "")
            return bool(owner) and user.get("name") == owner and super().allowed(user)

    class RoomMember(QuietHubLogin):
        """JupyterHub's login for the hub's room (course.hub_room): whoever the hub lets into the service."""

        refused = "This room is open to the people taking part in its session only. Ask the person who runs it."

    def is_hub_facilitator(handler) -> bool:
        """Whether the person logged in to the hub's room holds the facilitators' scope."""
        user = getattr(handler, "current_user", None)
        hub_user = getattr(user, "hub_user", None) or {}
        return FACILITATE_SCOPE in (hub_user.get("scopes") or ())


def hub_address(environ: dict[str, str], needed: tuple[str, ...], started: str) -> tuple[str, str, int]:
    """What every server the hub starts needs (the hub's variables, JupyterHub, the built pages), said in one
    line when missing; then its address prefix, host and port."""
    from course.notebooks import NOTEBOOKS

    missing = [name for name in needed if not environ.get(name)]
    if missing:
        raise HubError(f"{started}; {', '.join(missing)} not set")
    if JupyterHubIdentityProvider is None:
        raise HubError("JupyterHub is not installed here: pip install -e '.[hub]'")
    if not any(NOTEBOOKS.glob("*.ipynb")):
        raise HubError(f"the course's pages are not built ({NOTEBOOKS}): run `course notebooks` once "
                       "after installing or updating the course")
    prefix = environ["JUPYTERHUB_SERVICE_PREFIX"]
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    url = urlsplit(environ["JUPYTERHUB_SERVICE_URL"])
    if not url.hostname or not url.port:
        raise HubError("JUPYTERHUB_SERVICE_URL names no host and port to listen on")
    return prefix, url.hostname, url.port


def single_user_command(environ: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment for this person's server, from the hub's variables."""
    from course.serve import profile, start_warm_pages, voila_command

    environ = dict(os.environ if environ is None else environ)
    prefix, host, port = hub_address(environ, SINGLE_USER_ENV, "course.hub is started by JupyterHub for one person")
    warm: tuple[str, ...] = ()
    if environ.get(WARM_ENV, "0") == "1":  # the warm pages depend on this person's notes: read their folder
        from course.store import data_dir

        home = Path(environ["STEADY_GROUND_HOME"]) if environ.get("STEADY_GROUND_HOME") else data_dir()
        warm = start_warm_pages(home=home)
    from jupyter_core.paths import jupyter_runtime_dir

    prof = profile("start", host=host, pool_size=1 if warm else 0, open_browser=False, warm=warm)
    argv, env = voila_command(prof, port, serve_config=Path(jupyter_runtime_dir()) / "steady-ground")
    argv += [f"--Voila.base_url={prefix}", f"--Voila.server_url={prefix}",
             "--Voila.identity_provider_class=course.hub.OwnerOnly", "--SteadyVoila.hub=True"]
    env.update({k: v for k, v in environ.items() if k.startswith("JUPYTERHUB_") or k == "STEADY_GROUND_HOME"})
    return argv, env


def exec_server(command, label: str = "Steady Ground") -> int:
    """Become the server ``command()`` describes (its Voila command line and environment), or say in one line why
    not: 2 for a setup problem (HubError), 1 for anything else (e.g. the learner's store cannot be opened)."""
    try:
        argv, env = command()
    except HubError as exc:
        print(f"{label}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"{label} could not start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.flush()
    os.execve(argv[0], argv, env)
    return 0  # pragma: no cover - execve does not return


def main() -> int:
    return exec_server(single_user_command)


if __name__ == "__main__":
    sys.exit(main())
