from __future__ import annotations

import os


def setup_django(migrate: bool = False, *, read_only: bool = False) -> None:
    """Django is set up only by the commands that touch the database: `parse` stays instant.

    `read_only` commands (search, export, reindex) stop with a message naming FANARCHIVE_HOME when
    the folder holds no archive, and create nothing: run from the wrong folder, they would
    otherwise make an empty ./fanarchive-data and answer "0 works"."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
    import django

    from fanarchive import datadir

    datadir.read_only = read_only
    try:
        django.setup()
    except datadir.NoArchive as error:
        raise SystemExit(f"fanarchive: {error}") from None
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
