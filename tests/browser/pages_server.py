"""A static server on 127.0.0.1 that answers like GitHub Pages.

It serves a built site under a path prefix ("/" or "/fashionnet/"): a folder
address gets its index.html (without the trailing slash, a redirect to it),
and any missing address gets the site's root 404.html with status 404.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PagesHandler(BaseHTTPRequestHandler):
    site: Path
    prefix: str

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        path = unquote(urlsplit(self.path).path)
        target = self._file(path)
        if target is not None and target.is_dir():
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/")
            self.end_headers()
        elif target is not None:
            self._send(HTTPStatus.OK, target)
        else:
            self._send(HTTPStatus.NOT_FOUND, self.site / "404.html")

    def _file(self, path: str) -> Path | None:
        """The file an address names, a folder to redirect to, or None."""
        if not (path + "/").startswith(self.prefix):
            return None
        target = (self.site / path[len(self.prefix) :]).resolve()
        if not target.is_relative_to(self.site.resolve()):
            return None
        if target.is_dir() and path.endswith("/"):
            target = target / "index.html"
        return target if target.exists() else None

    def _send(self, status: HTTPStatus, file: Path) -> None:
        body = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        """Stay quiet; pytest shows failures, not every request."""


@contextmanager
def serve(site: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `site` under `prefix` on a free port; yields the site's URL."""
    handler = type("Handler", (PagesHandler,), {"site": site, "prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
