"""Voila as the course serves it: `python -m course.voila_app <notebooks> [voila options]`.

Voila 0.5 with three things it lacks for a room on shared Wi-Fi (issue 9):

* **HTTPS** with ``--SteadyVoila.certfile`` and ``--SteadyVoila.keyfile``: the token and what
  people type do not cross the network in clear text. Voila 0.5's own app has no such option.
* **Compressed responses** (gzip, for text: pages, scripts, styles).
* **Long-lived caching** of the JavaScript every page loads: Voila's own bundle is served under
  a versioned address (``voila/static/v-<version>/``) and labextension files whose names carry
  a content hash are immutable, so a second module page revalidates nothing. Voila serves all of
  them ``no-cache`` or with no caching header at all.
"""
from __future__ import annotations

import hashlib
import os
import re
import ssl
from functools import partial

import tornado.web
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join
from traitlets import Unicode
from voila import __version__ as VOILA_VERSION
from voila.app import Voila
from voila.static_file_handler import MultiStaticFileHandler

IMMUTABLE = "public, max-age=31536000, immutable"
HASHED_NAME = re.compile(r"(?:^|[./-])[0-9a-f]{8,}\.(?:js|css|woff2?|svg)$")
"""A built file whose name carries its content hash (``remoteEntry.698dcaf7.js``, ``7.2a0c...f.js``)."""


class VersionedStaticHandler(MultiStaticFileHandler):
    """Voila's bundle under an address that changes whenever its files do: cache for a year."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", IMMUTABLE)

    def compute_etag(self) -> str | None:
        return None  # never asked to revalidate


class LabExtensionHandler(FileFindHandler):
    """Labextension files: content-hashed names are immutable, the rest (package.json, style.js) revalidate."""

    def set_headers(self) -> None:
        super().set_headers()
        name = self.request.path.rsplit("/", 1)[-1]
        self.set_header("Cache-Control", IMMUTABLE if HASHED_NAME.search(name) else "no-cache")


def static_version(paths: list[str]) -> str:
    """A short stamp of Voila's static files (names, sizes, times): a new Voila or template, a new address."""
    digest = hashlib.sha256(VOILA_VERSION.encode())
    for root in paths:
        if not os.path.isdir(root):
            continue
        for entry in sorted(os.scandir(root), key=lambda e: e.name):
            if entry.is_file():
                info = entry.stat()
                digest.update(f"{entry.name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return f"v-{digest.hexdigest()[:12]}"


class SteadyVoila(Voila):
    certfile = Unicode("", config=True, help="TLS certificate (PEM) to serve https; needs keyfile too")
    keyfile = Unicode("", config=True, help="the certificate's private key (PEM)")

    def _url(self, ip):
        return f"{'https' if self.certfile else 'http'}://{ip}:{self.port}{self.base_url}"

    def init_settings(self) -> dict:
        self._static_version = static_version(self.static_paths)
        chained = self.voila_configuration.page_config_hook
        versioned = url_path_join(self.base_url, "voila/static", self._static_version)

        def hook(page_config, **kwargs):
            if chained:
                page_config = chained(page_config, **kwargs)
            page_config["fullStaticUrl"] = versioned
            return page_config

        self.voila_configuration.page_config_hook = hook
        return super().init_settings()

    def init_handlers(self) -> list:
        handlers = []
        labextensions = url_path_join(self.server_url, r"/voila/labextensions/(.*)")
        for route in super().init_handlers():
            if route[0] == labextensions:
                route = (route[0], LabExtensionHandler, {"path": self.labextensions_path})
            handlers.append(route)
        versioned = url_path_join(self.server_url, r"/voila/static", self._static_version, r"(.*)")
        handlers.insert(0, (versioned, VersionedStaticHandler, {"paths": self.static_paths}))
        return handlers

    def listen(self):
        self.app.add_transform(tornado.web.GZipContentEncoding)
        if bool(self.certfile) != bool(self.keyfile):
            self.log.critical("https needs both a certificate file and its key file")
            self.exit(1)
        if self.certfile:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            try:
                context.load_cert_chain(self.certfile, self.keyfile)
            except (OSError, ssl.SSLError) as exc:
                self.log.critical("cannot use the certificate %s with key %s: %s", self.certfile, self.keyfile, exc)
                self.exit(1)
            self.app.listen = partial(self.app.listen, ssl_options=context)
        super().listen()


main = SteadyVoila.launch_instance

if __name__ == "__main__":
    main()
