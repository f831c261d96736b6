"""A local web server for the link checker to talk to: 200, redirects, 404, 500 and a slow page."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3.0


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path
        if path == "/ok":
            self._send(200)
        elif path == "/moved":
            self._send(301, location="/ok")
        elif path == "/moved-relative":
            self._send(302, location="ok")
        elif path == "/moved-to-nowhere":
            self._send(301, location="/missing")
        elif path == "/loop":
            self._send(302, location="/loop")
        elif path == "/error":
            self._send(500)
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200)
        else:
            self._send(404)

    def _send(self, status: int, *, location: str = "") -> None:
        body = b"<p>page</p>"
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        try:
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the checker gave up waiting (the slow page), as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def link_server() -> Iterator[str]:
    """Serve on a free local port; yields the base address, e.g. http://127.0.0.1:40123."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
