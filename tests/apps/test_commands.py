"""`course start` and `course workshop` as a learner and a facilitator type them."""
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from course.browser import free_port, module_url, wait_for
from tests.apps.conftest import open_module

pytestmark = pytest.mark.browser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status(url: str) -> int:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def launch(tmp_path):
    procs, ports = [], []

    def _launch(*args: str, home=None, tls=None):
        port = free_port()
        log = tmp_path / f"course-{len(procs)}.log"
        env = {"STEADY_GROUND_HOME": str(home or tmp_path / "home"), "PATH": "/usr/bin:/bin"}
        proc = subprocess.Popen([sys.executable, "-m", "course.cli", *args, "--port", str(port)],
                                stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)
        procs.append(proc)
        # follows to /login when a token is needed; tls: an ssl context that trusts the server's certificate
        wait_for(f"{'https' if tls else 'http'}://127.0.0.1:{port}/", proc, log, context=tls)
        ports.append((port, log))
        return port, log

    yield _launch
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=30)
    for (port, _log) in ports:
        # Stopping `course` stops its Voila too: nothing is left listening.
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, f"a server is still running on port {port}"


def test_course_start_serves_the_landing_page_on_localhost(launch):
    port, log = launch("start", "--no-browser", "--pool-size", "0")
    assert status(f"http://127.0.0.1:{port}/") == 200
    assert f"Steady Ground is open at http://127.0.0.1:{port}/" in log.read_text()


def test_workshop_requires_the_printed_token(launch):
    port, log = launch("workshop", "--host", "127.0.0.1", "--pool-size", "0")
    printed = re.search(r"Participants: (\S+)", log.read_text())
    assert printed, log.read_text()
    url = printed.group(1)
    token = url.split("token=")[1]
    assert len(token) >= 20
    base = f"http://127.0.0.1:{port}/"
    assert status(base) in (302, 403)                                   # no token: not let in
    assert status(module_url(base, "03-calming-the-body")) in (302, 403)
    assert status(f"{base}?token=wrong-token-123") in (302, 403)
    assert status(f"{base}?token={token}") == 200


def test_workshop_keeps_nothing_on_the_server(launch, tmp_path, offline_page):
    page = offline_page
    home = tmp_path / "server-home"
    port, _log = launch("workshop", "--host", "127.0.0.1", "--pool-size", "0", "--token", "room-token-1234",
                        home=home)
    base = f"http://127.0.0.1:{port}/"
    page.goto(f"{base}?token=room-token-1234")
    open_module(page, base, "03-calming-the-body")
    checkin = page.locator(".sg-checkin").first
    checkin.get_by_role("button", name="Save check-in").click()
    expect(checkin.get_by_role("status")).to_have_text(re.compile("Saved"), timeout=15_000)
    # The participant sees it in their trend, but no file was written on the server.
    expect(checkin.locator("img")).to_have_attribute("alt", re.compile("1 from"))
    assert not home.exists() or not any(home.iterdir())


def test_a_workshop_with_a_certificate_keeps_the_room_on_https(launch, tmp_path, browser):
    """On shared Wi-Fi: the printed link is https, the server answers nothing in clear text, and a
    participant's page, its kernel connection and their saved note all go over TLS."""
    import http.client
    import ssl

    import trustme

    authority = trustme.CA()
    cert = authority.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile = tmp_path / "room.pem", tmp_path / "room-key.pem"
    cert.cert_chain_pems[0].write_to_path(certfile)
    cert.private_key_pem.write_to_path(keyfile)
    trusting = ssl.create_default_context()
    authority.configure_trust(trusting)
    port, log = launch("workshop", "--host", "127.0.0.1", "--pool-size", "0", "--token", "room-token-1234",
                       "--certfile", str(certfile), "--keyfile", str(keyfile), tls=trusting)
    assert f"Participants: https://127.0.0.1:{port}/?token=room-token-1234" in log.read_text()

    with urllib.request.urlopen(f"https://127.0.0.1:{port}/?token=room-token-1234", context=trusting,
                                timeout=10) as response:
        assert response.status == 200
    with pytest.raises((OSError, http.client.HTTPException)):  # plain http gets no page
        urllib.request.urlopen(f"http://127.0.0.1:{port}/?token=room-token-1234", timeout=10).read()

    context = browser.new_context(ignore_https_errors=True)  # Chromium does not know the throwaway authority
    page = context.new_page()
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda ws: seen.append(ws.url))
    page.goto(f"https://127.0.0.1:{port}/?token=room-token-1234")
    open_module(page, f"https://127.0.0.1:{port}/", "03-calming-the-body")
    journal = page.locator(".sg-journal")
    journal.get_by_role("textbox", name=re.compile("first signs that you are leaving your window")).fill(
        "Said over TLS only")
    expect(journal.get_by_role("status")).to_have_text(re.compile(r"Saved at \d\d:\d\d"), timeout=30_000)
    local = [u for u in seen if "127.0.0.1" in u and not u.startswith(("blob:", "data:"))]  # blob: is in-page
    assert local and all(u.startswith(("https://", "wss://")) for u in local), \
        [u for u in local if not u.startswith(("https://", "wss://"))]
    assert any(u.startswith("wss://") for u in local)  # the kernel connection too
    context.close()
