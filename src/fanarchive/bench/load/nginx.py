"""nginx serving saved copies of the measured pages: the peer of `bench serve`, the fastest a page
of the same bytes can be answered on this machine. A config of its own in a temporary folder, on a
free loopback port, with no root-owned paths, so it runs beside any nginx the machine has."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

CONFIG = """\
{user}worker_processes {workers};
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    default_type "text/html; charset=utf-8";
    sendfile on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {root}/pages;
    }}
}}
"""


@dataclass
class StaticPeer:
    process: subprocess.Popen[bytes]
    port: int
    pages: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=30)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)), None
    )


def start(root: Path, port: int, pages: dict[str, bytes], workers: int) -> StaticPeer:
    """nginx on 127.0.0.1:`port` answering /<name> with `pages[name]`."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    (root / "pages").mkdir(exist_ok=True)
    for name, body in pages.items():
        (root / "pages" / name).write_bytes(body)
    # nginx started as root drops its workers to `nobody`, who must be able to read the pages.
    for folder in (root, root / "pages"):
        folder.chmod(0o755)
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = root / "nginx.conf"
    config.write_text(CONFIG.format(user=user, workers=workers, root=root.resolve(), port=port))
    process = subprocess.Popen(
        [binary, "-c", str(config.resolve()), "-p", str(root.resolve())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    peer = StaticPeer(process, port, root / "pages")
    _wait_until_listening(peer, root)
    return peer


def _wait_until_listening(peer: StaticPeer, root: Path) -> None:
    import socket

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if peer.process.poll() is not None:
            error = peer.process.stderr.read().decode() if peer.process.stderr else ""
            raise RuntimeError(f"nginx did not start: {error or (root / 'error.log').read_text()}")
        try:
            socket.create_connection(("127.0.0.1", peer.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    peer.stop()
    raise RuntimeError("nginx did not start listening within 20 s")
