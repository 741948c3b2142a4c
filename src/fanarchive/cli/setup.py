from __future__ import annotations

import os


def setup_django(migrate: bool = False) -> None:
    """Django is set up only by the commands that touch the database: `parse` stays instant."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanarchive.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
