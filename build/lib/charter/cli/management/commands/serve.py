"""`charter serve`: gunicorn in-process, optionally migrating and loading the demo first."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command

from charter.cli.base import CharterCommand
from charter.cli.demo.content import OWNER_EMAIL, OWNER_PASSWORD
from charter.organizations.models import User

MAX_WORKERS = 12
SQLITE_WORKERS = 3  # SQLite serializes writes: more processes only queue on its lock


def default_workers() -> int:
    """One worker per core and one more, to compute while another waits on the database: the pages are
    CPU-bound, and on 2 cores 3 workers served every benchmarked endpoint faster than 4 (bench/README)."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return SQLITE_WORKERS
    return min((os.cpu_count() or 1) + 1, MAX_WORKERS)


class Command(CharterCommand):
    help = "Serve Charter with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, help="Worker processes (default: by database and cores).")
        parser.add_argument("--migrate", action="store_true", help="Apply migrations first.")
        parser.add_argument(
            "--demo-if-empty", action="store_true", help="Load the demo organization when there is none."
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run `charter worker` (background tasks and schedule) as a child process.",
        )

    def handle(self, *args, host, port, workers, migrate, demo_if_empty, with_worker, **options):
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
            self.stderr.write("Database is up to date.")
        if demo_if_empty:
            call_command("demo", if_empty=True, stdout=self.stdout, stderr=self.stderr)
        workers = workers or default_workers()
        url = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}/"
        self.stdout.write(f"Charter at {url} ({workers} workers; Ctrl+C stops)")
        if demo_if_empty and _demo_login_works():
            self.stdout.write(f"Log in as {OWNER_EMAIL} with the password {OWNER_PASSWORD}")
        worker = _start_worker() if with_worker else None
        try:
            serve(host=host, port=port, workers=workers)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=15)


def _start_worker() -> subprocess.Popen:
    """The background worker beside the web server, so that a one-command set-up indexes and notifies."""
    return subprocess.Popen([sys.executable, "-c", "from charter.cli import main; main(['worker'])"])


def _demo_login_works() -> bool:
    user = User.objects.filter(email=OWNER_EMAIL).first()
    return user is not None and user.check_password(OWNER_PASSWORD)


def serve(*, host: str, port: int, workers: int) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    connections.close_all()  # workers fork; they must not share the parent's connection

    class CharterApplication(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                "logger_class": "charter.core.gunicorn_logging.RedactingLogger",  # no tokens in access lines
                "timeout": 60,
                "graceful_timeout": 10,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from config.wsgi import application

            return application

    CharterApplication().run()
