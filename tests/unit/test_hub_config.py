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
from course.hub import HubError, single_user_command

HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
VALUES = ROOT / "deploy" / "z2jh" / "values.yaml"
DOCKERFILE = ROOT / "deploy" / "z2jh" / "Dockerfile"


def load_config(monkeypatch, tmp_path, **env) -> Config:
    for name in ("STEADY_GROUND_HUB_LOCAL", "STEADY_GROUND_HUB_PASSWORD", "STEADY_GROUND_HUB_URL",
                 "STEADY_GROUND_HUB_LAB_GROUP", "STEADY_GROUND_HUB_WARM", "STEADY_GROUND_HUB_ALLOWED_GROUPS",
                 "STEADY_GROUND_HUB_ALLOWED_USERS", "STEADY_GROUND_HUB_ADMINS"):
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
