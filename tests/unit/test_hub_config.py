"""The hub's files agree with each other and refuse what they should (issue 13); tests/hub runs them for real."""
from __future__ import annotations

import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from traitlets.config import Config

from course import ROOT
from course.hub import FACILITATE_SCOPE, HubError, single_user_command
from course.hub_room import room_command

HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
VALUES = ROOT / "deploy" / "z2jh" / "values.yaml"
DOCKERFILE = ROOT / "deploy" / "z2jh" / "Dockerfile"


def load_config(monkeypatch, tmp_path, **env) -> Config:
    for name in ("STEADY_GROUND_HUB_LOCAL", "STEADY_GROUND_HUB_PASSWORD", "STEADY_GROUND_HUB_URL",
                 "STEADY_GROUND_HUB_LAB_GROUP", "STEADY_GROUND_HUB_WARM", "STEADY_GROUND_HUB_ALLOWED_GROUPS",
                 "STEADY_GROUND_HUB_ALLOWED_USERS", "STEADY_GROUND_HUB_ADMINS", "STEADY_GROUND_HUB_ROOM",
                 "STEADY_GROUND_HUB_ROOM_GROUP", "STEADY_GROUND_HUB_ROOM_SIZE", "STEADY_GROUND_HUB_ROOM_PORT",
                 "STEADY_GROUND_HUB_FACILITATORS", "STEADY_GROUND_HUB_ROOM_PULSE_MIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STEADY_GROUND_HUB_DIR", str(tmp_path / "hub"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = Config()
    runpy.run_path(str(HUB_CONFIG), init_globals={"get_config": lambda: config})
    return config


def test_a_real_hub_must_say_who_may_log_in(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="Say who may log in"):
        load_config(monkeypatch, tmp_path)
    c = load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_ALLOWED_GROUPS="learners,staff",
                    STEADY_GROUND_HUB_ADMINS="ops")
    assert c.LocalAuthenticator.allowed_groups == {"learners", "staff"}
    assert c.Authenticator.admin_users == {"ops"} and "allow_all" not in c.Authenticator


def test_every_person_gets_the_course_and_the_idle_culler_runs(monkeypatch, tmp_path):
    c = load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_ALLOWED_USERS="alice")
    assert c.Spawner.cmd == [sys.executable, "-m", "course.hub"]
    assert c.Spawner.default_url == "/"
    culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
    assert "--timeout=3600" in culler["command"]
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == "idle-culler")
    assert set(role["scopes"]) == {"list:users", "read:users:activity", "read:servers", "delete:servers"}
    assert c.JupyterHub.cleanup_servers is True
    assert "authenticator_class" not in c.JupyterHub  # JupyterHub's default (the machine's accounts), not dummy


def test_the_local_try_out_needs_a_password_and_stays_on_this_computer(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="STEADY_GROUND_HUB_PASSWORD"):
        load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_LOCAL="1")
    with pytest.raises(SystemExit, match="127.0.0.1 only"):
        load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_LOCAL="1", STEADY_GROUND_HUB_PASSWORD="long enough",
                    STEADY_GROUND_HUB_URL="http://0.0.0.0:8000")
    c = load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_LOCAL="1", STEADY_GROUND_HUB_PASSWORD="long enough")
    assert c.JupyterHub.authenticator_class == "dummy"
    home = c.Spawner.environment["STEADY_GROUND_HOME"](SimpleNamespace(user=SimpleNamespace(name="alice")))
    assert home == str(tmp_path / "hub" / "users" / "alice" / "steady-ground")
    import re

    pattern = re.compile(c.Authenticator.username_pattern)
    assert pattern.match("alice") and pattern.match("bea-2")
    assert not any(pattern.match(name) for name in ("..", "a/b", ".hidden", "Alice", ""))
    with pytest.raises(SystemExit, match="JupyterLab could read everyone's notes"):
        load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_LOCAL="1", STEADY_GROUND_HUB_PASSWORD="long enough",
                    STEADY_GROUND_HUB_LAB_GROUP="staff")


def test_jupyterlab_only_for_the_group_the_operator_names(monkeypatch, tmp_path):
    c = load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_LAB_GROUP="course-staff",
                    STEADY_GROUND_HUB_ALLOWED_GROUPS="learners")
    hook = c.Spawner.pre_spawn_hook

    def spawn(groups):
        spawner = SimpleNamespace(cmd=list(c.Spawner.cmd), default_url="/",
                                  user=SimpleNamespace(groups=[SimpleNamespace(name=g) for g in groups]))
        hook(spawner)
        return spawner

    staff, learner = spawn(["course-staff"]), spawn(["learners"])
    assert staff.cmd[0].endswith("jupyterhub-singleuser") and staff.default_url == "/lab"
    assert learner.cmd == [sys.executable, "-m", "course.hub"] and learner.default_url == "/"
    nobody = load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_ALLOWED_GROUPS="learners").Spawner.pre_spawn_hook
    unchanged = SimpleNamespace(cmd=["x"], default_url="/", user=SimpleNamespace(groups=[]))
    nobody(unchanged)
    assert unchanged.cmd == ["x"]


def test_kubernetes_runs_the_same_command_with_measured_sizes(monkeypatch, tmp_path):
    values = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    c = load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_ALLOWED_GROUPS="learners")
    assert values["singleuser"]["cmd"] == ["python", "-m", "course.hub"] == ["python", *c.Spawner.cmd[1:]]
    assert values["singleuser"]["defaultUrl"] == "/"
    assert values["singleuser"]["extraEnv"]["STEADY_GROUND_HOME"].startswith(
        values["singleuser"]["storage"]["homeMountPath"])
    assert values["cull"]["enabled"] is True and values["cull"]["users"] is False
    rules = values["singleuser"]["networkPolicy"]["egressAllowRules"]
    assert not rules["nonPrivateIPs"] and not rules["privateIPs"]
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] != "dummy"
    docker = DOCKERFILE.read_text(encoding="utf-8")
    assert "pip install -e '.[hub]'" in docker and "course notebooks" in docker
    assert 'CMD ["python", "-m", "course.hub"]' in docker


def test_the_single_user_command_says_what_is_missing(monkeypatch, tmp_path):
    with pytest.raises(HubError, match="JUPYTERHUB_SERVICE_PREFIX"):
        single_user_command({})
    portless = {"JUPYTERHUB_SERVICE_PREFIX": "/user/a/", "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1/user/a/",
                "JUPYTERHUB_USER": "a", "JUPYTERHUB_API_TOKEN": "t"}
    with pytest.raises(HubError, match="no host and port"):
        single_user_command(portless)
    env = {"JUPYTERHUB_SERVICE_PREFIX": "/user/alice/", "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:41234/user/alice/",
           "JUPYTERHUB_USER": "alice", "JUPYTERHUB_API_TOKEN": "t", "STEADY_GROUND_HOME": str(tmp_path / "a")}
    monkeypatch.setattr("course.notebooks.NOTEBOOKS", tmp_path / "none")
    with pytest.raises(HubError, match="course notebooks"):
        single_user_command(env)


def test_the_single_user_command_serves_the_persons_prefix_behind_the_hubs_login(monkeypatch, tmp_path):
    env = {"JUPYTERHUB_SERVICE_PREFIX": "/user/alice/", "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:41234/user/alice/",
           "JUPYTERHUB_USER": "alice", "JUPYTERHUB_API_TOKEN": "t", "STEADY_GROUND_HOME": str(tmp_path / "a")}
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    (notebooks / "00-start-here.ipynb").write_text("{}")
    monkeypatch.setattr("course.notebooks.NOTEBOOKS", notebooks)
    argv, environ = single_user_command(env)
    assert "--port=41234" in argv and "--Voila.ip=127.0.0.1" in argv
    assert "--Voila.base_url=/user/alice/" in argv and "--Voila.server_url=/user/alice/" in argv
    assert "--Voila.identity_provider_class=course.hub.OwnerOnly" in argv
    assert "--preheat_kernel=False" in argv  # no kernel waits in advance unless the operator asks
    assert "--Voila.token=" in argv  # the hub's login, not a token of Voila's own
    assert environ["STEADY_GROUND_HOME"] == str(tmp_path / "a") and environ["JUPYTERHUB_USER"] == "alice"
    assert not (Path(tmp_path) / "a").exists()  # nothing opened or written without the warm pages


def test_warm_pages_read_the_persons_own_folder(monkeypatch, tmp_path):
    """With STEADY_GROUND_HUB_WARM=1 the pages kept ready follow this person's notes, read from their folder,
    whatever folder the process itself was given."""
    from course.store import Store

    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    (notebooks / "00-start-here.ipynb").write_text("{}")
    monkeypatch.setattr("course.notebooks.NOTEBOOKS", notebooks)
    monkeypatch.setenv("STEADY_GROUND_HOME", str(tmp_path / "someone-else"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))  # where the warm pages' file goes
    mine = tmp_path / "alice"
    mine.mkdir()
    with Store(mine / "steady-ground.sqlite3") as store:
        store.add_journal("worked in module 4", module="m04")
    env = {"JUPYTERHUB_SERVICE_PREFIX": "/user/alice/", "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:41234/user/alice/",
           "JUPYTERHUB_USER": "alice", "JUPYTERHUB_API_TOKEN": "t", "STEADY_GROUND_HOME": str(mine),
           "STEADY_GROUND_HUB_WARM": "1"}
    argv, _environ = single_user_command(env)
    assert "--preheat_kernel=True" in argv
    config = next(Path(p) for p in _environ["JUPYTER_CONFIG_PATH"].split(":") if (Path(p) / "voila.json").exists())
    pools = (config / "voila.json").read_text()
    assert "00-start-here.ipynb" in pools and "05-listening-and-talking.ipynb" in pools  # the module after m04
    assert not (tmp_path / "someone-else").exists()
    assert config.is_relative_to(tmp_path / "runtime")


def test_no_room_unless_the_operator_names_its_module(monkeypatch, tmp_path):
    c = load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_ALLOWED_USERS="alice")
    assert [s["name"] for s in c.JupyterHub.services] == ["idle-culler"]
    assert "custom_scopes" not in c.JupyterHub and "load_groups" not in c.JupyterHub


def test_the_room_lets_in_the_hubs_people_and_its_facilitators_group_runs_it(monkeypatch, tmp_path):
    c = load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_ALLOWED_USERS="alice,fay",
                    STEADY_GROUND_HUB_ROOM="m03", STEADY_GROUND_HUB_FACILITATORS="fay,gus",
                    STEADY_GROUND_HUB_ADMINS="ops")
    room = next(s for s in c.JupyterHub.services if s["name"] == "room")
    assert room["command"] == [sys.executable, "-m", "course.hub_room"]
    assert room["url"] == "http://127.0.0.1:8010" and room["environment"]["STEADY_GROUND_HUB_ROOM"] == "m03"
    assert "STEADY_GROUND_HUB_ROOM_SIZE" not in room["environment"]  # unset: the room's own default
    assert room["oauth_client_allowed_scopes"] == [FACILITATE_SCOPE]  # it learns that, and who is logged in
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["room-facilitator"]["groups"] == ["facilitators"]
    assert set(roles["room-facilitator"]["scopes"]) == {FACILITATE_SCOPE, "access:services!service=room"}
    assert set(roles["user"]["scopes"]) == {"self", "access:services!service=room"}  # everyone may enter
    assert "admin" not in roles  # admins are not facilitators unless in the group
    assert c.JupyterHub.load_groups == {"facilitators": {"users": ["fay", "gus"]}}
    assert FACILITATE_SCOPE in c.JupyterHub.custom_scopes

    c = load_config(monkeypatch, tmp_path, STEADY_GROUND_HUB_ALLOWED_USERS="alice", STEADY_GROUND_HUB_ROOM="m03",
                    STEADY_GROUND_HUB_ROOM_GROUP="tuesday-group", STEADY_GROUND_HUB_ROOM_SIZE="30",
                    STEADY_GROUND_HUB_ROOM_PULSE_MIN="6")
    room = next(s for s in c.JupyterHub.services if s["name"] == "room")
    # A managed service gets only the environment its entry lists: what the operator set reaches the room.
    assert room["environment"]["STEADY_GROUND_HUB_ROOM_SIZE"] == "30"
    assert room["environment"]["STEADY_GROUND_HUB_ROOM_PULSE_MIN"] == "6"
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert "user" not in roles  # JupyterHub's own role for every user stays as it is
    assert roles["room-participant"] == {"name": "room-participant", "scopes": ["access:services!service=room"],
                                         "groups": ["tuesday-group"], "description": "Enter the room"}


def service_env(**extra) -> dict:
    return {"JUPYTERHUB_SERVICE_PREFIX": "/services/room/", "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:8010",
            "JUPYTERHUB_API_TOKEN": "secret-token", "JUPYTERHUB_SERVICE_NAME": "room", **extra}


@pytest.fixture
def built(monkeypatch, tmp_path):
    """A folder of built pages, as `course notebooks` leaves it (the room only checks there are some)."""
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    (notebooks / "00-start-here.ipynb").write_text("{}")
    monkeypatch.setattr("course.notebooks.NOTEBOOKS", notebooks)


def test_the_room_serves_a_workshop_behind_the_hubs_login(built):
    argv, env = room_command(service_env(STEADY_GROUND_HUB_ROOM="m05", STEADY_GROUND_HUB_ROOM_SIZE="6"))
    assert "--SteadyVoila.workshop=True" in argv and "--SteadyVoila.session_module=m05" in argv
    assert "--SteadyVoila.hub=True" in argv and "--Voila.identity_provider_class=course.hub.RoomMember" in argv
    assert "--Voila.base_url=/services/room/" in argv and "--port=8010" in argv and "--Voila.ip=127.0.0.1" in argv
    assert "--pool_size=6" in argv
    assert env["STEADY_GROUND_WORKSHOP"] == "1"  # notes live in the page's kernel only
    assert env["JUPYTERHUB_API_TOKEN"] == "secret-token"  # for the login; SteadyVoila drops it before any kernel


@pytest.mark.parametrize("extra, says", [
    ({"JUPYTERHUB_API_TOKEN": ""}, "JUPYTERHUB_API_TOKEN not set"),
    ({"STEADY_GROUND_HUB_ROOM": "m99"}, "STEADY_GROUND_HUB_ROOM must be one of m00"),
    ({"STEADY_GROUND_HUB_ROOM_SIZE": "many"}, "whole numbers"),
    ({"STEADY_GROUND_HUB_ROOM_SIZE": "500"}, "STEADY_GROUND_HUB_ROOM_SIZE must be from 1 to 200"),
    ({"STEADY_GROUND_HUB_ROOM_PULSE_MIN": "1"}, "STEADY_GROUND_HUB_ROOM_PULSE_MIN must be 3 or more"),
    ({"JUPYTERHUB_SERVICE_URL": "http://127.0.0.1"}, "no host and port"),
])
def test_a_room_set_up_wrong_says_what_is_wrong(built, extra, says):
    with pytest.raises(HubError, match=says):
        room_command(service_env(**extra))
