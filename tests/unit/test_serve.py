"""Serving profiles (course/serve.py): which pages keep a warm kernel, and the module opened next."""
from __future__ import annotations

import json
import os
from itertools import pairwise
from pathlib import Path

import pytest
import trustme

from course import cli
from course.serve import next_module, profile, voila_command, warm_config
from course.syllabus import load_syllabus


def config_of(env: dict) -> dict:
    folder = Path(env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0])
    return json.loads((folder / "voila.json").read_text(encoding="utf-8"))


def test_start_preheats_only_its_warm_pages(tmp_path, monkeypatch):
    monkeypatch.setattr("course.serve.SERVE_CONFIG", tmp_path)
    argv, env = voila_command(profile("start", pool_size=1, warm=("00-start-here", "04-rebuilding-trust")), 8866)
    assert "--preheat_kernel=True" in argv
    pools = config_of(env)["VoilaKernelManager"]["kernel_pools_config"]
    assert pools == {"default": {"pool_size": 0}, "00-start-here.ipynb": {"pool_size": 1},
                     "04-rebuilding-trust.ipynb": {"pool_size": 1}}


def test_a_workshop_keeps_a_pool_for_every_page_and_no_pool_means_none(monkeypatch):
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    argv, env = voila_command(profile("workshop"), 8866)
    assert "--pool_size=4" in argv and "JUPYTER_CONFIG_PATH" not in env
    argv, env = voila_command(profile("start", pool_size=0, warm=("00-start-here",)), 8866)
    assert "--preheat_kernel=False" in argv and "JUPYTER_CONFIG_PATH" not in env


def test_the_same_warm_pages_reuse_one_config_folder(tmp_path):
    prof = profile("start", warm=("00-start-here",))
    assert warm_config(prof, tmp_path) == warm_config(prof, tmp_path)
    assert warm_config(prof, tmp_path) != warm_config(profile("start", warm=("notes-00",)), tmp_path)


@pytest.fixture
def syllabus():
    return load_syllabus()


def test_a_new_learner_is_likely_to_open_the_first_module_next(store, syllabus):
    assert next_module(syllabus, store).id == syllabus.ready()[1].id


def test_the_module_after_the_last_one_worked_in_comes_next(store, syllabus):
    store.put_record("quiz", "m03", {"answers": {}})
    store.add_journal("Words.", module="m05")
    store.put_record("quiz", "m05-rewrite", {"answers": {}})  # a second quiz of module 5 is not a module
    assert next_module(syllabus, store).id == "m06"
    last = syllabus.ready()[-1]
    store.add_journal("Done.", module=last.id)
    assert next_module(syllabus, store).id == last.id


@pytest.mark.parametrize("discreet, expected", [(False, ("00-start-here", "04-rebuilding-trust")),
                                                (True, ("notes-00", "notes-04"))])
def test_course_start_warms_start_here_and_the_next_module(monkeypatch, tmp_path, discreet, expected):
    from course.store import open_store

    with open_store() as store:
        store.put_record("quiz", "m03", {"answers": {}})
    served = {}
    monkeypatch.setattr(cli, "_run", lambda argv, env: served.update(argv=argv, env=env) or 0)
    monkeypatch.setattr(cli, "_notebooks", lambda discreet=False: None)
    monkeypatch.setattr("course.serve.SERVE_CONFIG", tmp_path)
    args = ["start", "--no-browser", "--port", "18866"] + (["--discreet-titles"] if discreet else [])
    assert cli.main(args) == 0
    pools = config_of(served["env"])["VoilaKernelManager"]["kernel_pools_config"]
    assert set(pools) == {"default", *(f"{name}.ipynb" for name in expected)}


def serve_args(monkeypatch, tmp_path, argv: list[str]) -> dict:
    served = {}
    monkeypatch.setattr(cli, "_run", lambda argv, env: served.update(argv=argv, env=env) or 0)
    monkeypatch.setattr(cli, "_notebooks", lambda discreet=False: None)
    monkeypatch.setattr("course.serve.SERVE_CONFIG", tmp_path)
    assert cli.main(argv) == 0
    return served


def test_a_workshop_for_one_module_warms_that_page_for_the_room(monkeypatch, tmp_path, capsys):
    served = serve_args(monkeypatch, tmp_path, ["workshop", "--host", "127.0.0.1", "--port", "18867",
                                                "--token", "room-token", "--module", "m03", "--room", "12"])
    pools = config_of(served["env"])["VoilaKernelManager"]["kernel_pools_config"]
    assert pools == {"default": {"pool_size": 0}, "03-calming-the-body.ipynb": {"pool_size": 12}}
    said = capsys.readouterr().out
    assert "m03" in said and "room of 12" in said and "?token=room-token" in said


@pytest.mark.parametrize("extra, words", [(["--module", "m42"], "--module must be one of m00"),
                                          (["--module", "m03", "--room", "0"], "--room must be from 1 to 200"),
                                          (["--pulse-min", "2"], "--pulse-min must be 3 or more")])
def test_a_workshop_with_an_unknown_module_or_room_says_so(monkeypatch, tmp_path, capsys, extra, words):
    monkeypatch.setattr(cli, "_run", lambda argv, env: pytest.fail("served anyway"))
    code = cli.main(["workshop", "--host", "127.0.0.1", "--port", "18868", "--token", "room-token", *extra])
    assert code != 0 and words in capsys.readouterr().err


@pytest.fixture(scope="module")
def room_certificate(tmp_path_factory):
    """A certificate for 127.0.0.1 from a throwaway authority, as a facilitator's IT team would issue."""
    folder = tmp_path_factory.mktemp("tls")
    cert = trustme.CA().issue_cert("127.0.0.1", "localhost")
    cert.cert_chain_pems[0].write_to_path(folder / "room.pem")
    cert.private_key_pem.write_to_path(folder / "room-key.pem")
    return folder / "room.pem", folder / "room-key.pem"


def test_a_workshop_with_a_certificate_prints_an_https_link_and_its_fingerprint(monkeypatch, tmp_path, capsys,
                                                                                 room_certificate):
    import hashlib
    import ssl

    certfile, keyfile = room_certificate
    served = serve_args(monkeypatch, tmp_path, ["workshop", "--host", "127.0.0.1", "--port", "18869", "--token",
                                                "room-token", "--certfile", str(certfile), "--keyfile", str(keyfile)])
    said = capsys.readouterr().out
    assert "Participants: https://127.0.0.1:18869/?token=room-token" in said
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(certfile.read_text())).hexdigest().upper()
    assert ":".join(digest[i:i + 2] for i in range(0, 64, 2)) in said
    assert f"--SteadyVoila.certfile={certfile.resolve()}" in served["argv"]
    assert f"--SteadyVoila.keyfile={keyfile.resolve()}" in served["argv"]


def test_a_workshop_without_a_certificate_says_its_link_is_plain_http(monkeypatch, tmp_path, capsys):
    served = serve_args(monkeypatch, tmp_path, ["workshop", "--host", "127.0.0.1", "--port", "18870",
                                                "--token", "room-token"])
    said = capsys.readouterr().out
    assert "http://127.0.0.1:18870/?token=room-token" in said and "plain http" in said and "--certfile" in said
    assert not [a for a in served["argv"] if "certfile" in a]


@pytest.mark.parametrize("which, words", [("cert only", "go together"), ("missing", "no such file"),
                                          ("wrong key", "cannot be used together")])
def test_a_bad_certificate_is_refused_before_serving(monkeypatch, tmp_path, capsys, room_certificate, which, words):
    certfile, keyfile = room_certificate
    other = tmp_path / "other-key.pem"
    trustme.CA().issue_cert("127.0.0.1").private_key_pem.write_to_path(other)
    extra = {"cert only": ["--certfile", str(certfile)],
             "missing": ["--certfile", str(tmp_path / "gone.pem"), "--keyfile", str(keyfile)],
             "wrong key": ["--certfile", str(certfile), "--keyfile", str(other)]}[which]
    monkeypatch.setattr(cli, "_run", lambda argv, env: pytest.fail("served anyway"))
    code = cli.main(["workshop", "--host", "127.0.0.1", "--port", "18871", "--token", "room-token", *extra])
    assert code != 0 and words in capsys.readouterr().err


def test_kernels_use_local_sockets_and_the_course_launcher():
    argv, _env = voila_command(profile("workshop", pool_size=0), 8866, token="room-token")
    assert argv[1:3] == ["-m", "course.voila_app"]
    assert "--KernelManager.transport=ipc" in argv


@pytest.mark.parametrize("name, immutable", [
    ("remoteEntry.698dcaf7.js", True), ("7.2a0ce575775f5aad.js", True), ("528.d9f5934c.js", True),
    ("remoteEntry.be18471aaf567c023b03.js", True), ("style.js", False), ("package.json", False),
    ("third-party-licenses.json", False), ("main.js", False)])
def test_only_content_hashed_extension_files_are_cached_for_good(name, immutable):
    from course.voila_app import HASHED_NAME

    assert bool(HASHED_NAME.search(name)) is immutable


def test_voilas_static_address_changes_with_its_files_not_with_a_restart(tmp_path):
    import os

    from course.voila_app import static_version

    voila_static, ours = tmp_path / "voila", tmp_path / "steadyground" / "static"
    voila_static.mkdir()
    ours.mkdir(parents=True)
    (voila_static / "voila.js").write_text("one", encoding="utf-8")
    (ours / "page.js").write_text("course", encoding="utf-8")
    first = static_version([str(ours), str(voila_static)], skip=str(ours))
    assert first.startswith("v-")
    os.utime(voila_static / "voila.js", (1, 1))  # a restart rewrites nothing in Voila's files, but times may move
    (ours / "page.js").write_text("course, rebuilt at start", encoding="utf-8")  # the course's own files change
    assert static_version([str(ours), str(voila_static)], skip=str(ours)) == first
    (voila_static / "voila.js").write_text("two", encoding="utf-8")  # same size, new content: a new Voila
    assert static_version([str(ours), str(voila_static)], skip=str(ours)) != first


@pytest.mark.parametrize("tmp, expected", [("/tmp", "/tmp"), ("/" + "t" * 60, "/tmp")])
def test_kernel_sockets_go_where_their_path_fits(tmp, expected, monkeypatch):
    from course.serve import kernel_transport

    monkeypatch.setattr("os.path.isdir", lambda p: p in ("/tmp",))
    assert kernel_transport(tmp) == ["--KernelManager.transport=ipc", f"--Voila.connection_dir_root={expected}"]


def test_kernels_use_tcp_when_no_short_folder_is_there(monkeypatch):
    from course.serve import kernel_transport

    monkeypatch.setattr("os.path.isdir", lambda p: False)
    assert kernel_transport("/" + "t" * 60) == []


def test_a_rooms_page_keeps_a_fifth_of_its_pool_warm_once_everyone_has_arrived(monkeypatch, tmp_path):
    served = serve_args(monkeypatch, tmp_path, ["workshop", "--host", "127.0.0.1", "--port", "18872",
                                                "--token", "room-token", "--module", "m03", "--room", "30"])
    assert "--SteadyVoila.steady_pool=6" in served["argv"] and "--SteadyVoila.session_module=m03" in served["argv"]


def test_refills_after_a_handout_are_spread_out_and_shrink_to_the_steady_pool():
    from course.voila_app import stagger_refills

    calls = []

    class FakeManager:
        kernel_pools_config = {"default": {"pool_size": 0}, "m.ipynb": {"pool_size": 30}}

        def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
            calls.append((delay, self.kernel_pools_config[notebook_name]["pool_size"]))

    km = FakeManager()
    stagger_refills(km, after=5, spacing=1.5, steady=6)
    km.fill_if_needed(delay=0, notebook_name="m.ipynb")  # start-up fills at once, to the room's size
    for _ in range(4):
        km.fill_if_needed(delay=None, notebook_name="m.ipynb")  # four people arrive together
    assert calls[0] == (0, 30)
    delays = [d for d, _ in calls[1:]]
    assert delays[0] >= 4.9 and all(later - earlier > 1.4 for earlier, later in pairwise(delays))
    assert [size for _, size in calls[1:]] == [6, 6, 6, 6]


def test_the_printed_links_use_the_name_on_the_certificate(monkeypatch, tmp_path, capsys, room_certificate):
    certfile, keyfile = room_certificate
    serve_args(monkeypatch, tmp_path, ["workshop", "--port", "18873", "--token", "room-token", "--address",
                                       "room.example.org", "--certfile", str(certfile), "--keyfile", str(keyfile)])
    said = capsys.readouterr().out
    assert "Participants: https://room.example.org:18873/?token=room-token" in said
    assert "Facilitator: https://room.example.org:18873/steady/facilitator?key=" in said
