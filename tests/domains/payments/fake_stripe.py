"""Local stand-ins for api.stripe.com in the tests: localstripe (PyPI) in a subprocess, and a
recording proxy in front of it that keeps each request's method, path, headers and form body
(localstripe ignores idempotency keys, so the tests read them here)."""

import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LAUNCHER = """
import socket
from aiohttp import web
from localstripe import resources
resources.Store.dump_to_disk = lambda self: None  # no /tmp/localstripe.pickle
from localstripe.server import app
sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
print(sock.getsockname()[1], flush=True)
web.run_app(app, sock=sock, print=None, access_log=None)
"""


class LocalStripe:
    """localstripe on a free port of 127.0.0.1, until stop()."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=Path(__file__).parent,
        )
        line = self.process.stdout.readline().strip()
        if not line.isdigit():
            self.stop()
            raise RuntimeError("localstripe did not start")
        self.url = f"http://127.0.0.1:{line}"
        self._wait_ready()

    def _wait_ready(self) -> None:
        import time

        for _ in range(100):
            try:
                urllib.request.urlopen(self.url + "/js.stripe.com/v3/", timeout=1)
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        raise RuntimeError("localstripe is not answering")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class RecordingProxy:
    """Forwards to `target` and records every request, until stop()."""

    def __init__(self, target: str) -> None:
        self.requests: list[dict] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                proxy.requests.append(
                    {
                        "method": self.command,
                        "path": urllib.parse.urlsplit(self.path).path,
                        "headers": dict(self.headers),
                        "form": urllib.parse.parse_qs(body.decode()) if body else {},
                    }
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                request = urllib.request.Request(
                    target + self.path, data=body, headers=headers, method=self.command
                )
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        status, payload = response.status, response.read()
                        content_type = response.headers.get("Content-Type", "application/json")
                except urllib.error.HTTPError as error:
                    status, payload = error.code, error.read()
                    content_type = error.headers.get("Content-Type", "application/json")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _forward

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def posts(self, path_prefix: str) -> list[dict]:
        return [
            r for r in self.requests if r["method"] == "POST" and r["path"].startswith(path_prefix)
        ]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
