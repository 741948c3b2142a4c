"""fanarchive serve: migrate, seed the demo works into an empty archive, then serve with gunicorn."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from fanarchive import datadir
from fanarchive.cli.setup import setup_django
from fanarchive.cli.supervisor import Supervisor, die_with_parent

# gunicorn's default of 2 s closes connections that readers (and nginx, and load generators) reuse
# after a pause of a few seconds, and a request sent as it closes fails with a reset. Idle kept-alive
# connections cost a socket in the worker's poller, not a thread.
KEEP_ALIVE_SECONDS = 20


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the archive's web server (migrates the database first)",
        description="Apply database migrations, load the demo works when the archive is empty "
        "(unless --no-demo), then serve the archive with gunicorn.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn worker processes (default: 2 per core, fewer if memory is short; see docs/performance.md)",
    )
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default 4)")
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=KEEP_ALIVE_SECONDS,
        metavar="SECONDS",
        help=f"how long an idle connection is kept open for the client's next request (default {KEEP_ALIVE_SECONDS})",
    )
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo works")
    parser.add_argument(
        "--no-indexer",
        action="store_true",
        help="do not run the search indexer (run `fanarchive indexer` elsewhere)",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not run the background task worker (run `fanarchive worker` elsewhere)",
    )
    parser.set_defaults(run=run)


def _share_metrics_between_processes() -> None:
    """Point prometheus-client's multiprocess mode at an empty folder of this archive's, before
    anything imports prometheus-client (Django's logging set-up does): each gunicorn worker, the
    indexer and the task worker write their counters there, and /metrics adds them up."""
    # Made private, as every process of the archive makes it, if this is the first to need it.
    home = datadir.make_home(Path(os.environ.get("FANARCHIVE_HOME", datadir.DEFAULT_HOME)))
    folder = home / "metrics"
    # Counters of a previous run's processes would be added to this one's.
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder.resolve())


def _forget_worker_metrics(_server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def run(args: argparse.Namespace) -> int:
    _share_metrics_between_processes()
    setup_django(migrate=True)
    if not args.no_demo:
        from fanarchive.archive.demo import load_demo_if_empty

        if loaded := load_demo_if_empty():
            print(f"loaded {len(loaded)} demo works")
    from django.conf import settings

    from fanarchive.archive.web.staticfiles import collect_if_stale

    # Hashed static file names for far-future caching: collected here, so no build step is needed.
    if collect_if_stale():
        print(f"collected static files into {settings.STATIC_ROOT}")

    # The indexer and the task worker run as processes of their own: the index has one writer,
    # and gunicorn's workers are forked from this one, which must not carry their threads across fork.
    helpers = {
        name: [sys.executable, "-m", "fanarchive.cli.main", name]
        for name, wanted in (("indexer", not args.no_indexer), ("worker", not args.no_worker))
        if wanted
    }
    supervisor = Supervisor(helpers)
    supervisor.start()
    from gunicorn.app.base import BaseApplication

    from fanarchive.cli.serve_sizing import this_machine
    from fanarchive.wsgi import application

    sizing = this_machine()
    workers = args.workers or sizing.workers
    threads = args.threads or sizing.threads

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{args.host}:{args.port}",
                "workers": workers,
                "threads": threads,
                # gthread, stamping how long each request waits for a thread (load shedding).
                "worker_class": "fanarchive.cli.serve_worker.QueueTimedWorker",
                "keepalive": args.keep_alive,
                # With JSON logs the archive writes its own line per request; two would be noise.
                "accesslog": None if settings.LOG_FORMAT == "json" else "-",
                # gunicorn 25+ opens a control socket, by default one path shared by every server
                # on the machine: each archive gets its own, beside its data.
                "control_socket": str((settings.HOME / "gunicorn.ctl").resolve()),
                # Web workers, too, end with a master killed by kill -9, freeing the port at once.
                "post_fork": lambda _server, _worker: die_with_parent(),
                "child_exit": _forget_worker_metrics,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    print(f"serving on http://{args.host}:{args.port}/ ({workers} workers x {threads} threads)")
    try:
        Server().run()
    finally:
        supervisor.stop()
    return 0
