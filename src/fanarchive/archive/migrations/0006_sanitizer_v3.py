"""Sanitizer version 3 (domain/sanitize.py) only admits more: what version 2 cleaned is unchanged
by version 3, so no row is cleaned again and rows keep the version they were cleaned with (a
version 2 row cannot hold audio, video or a player). New rows default to 3."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0005_authoring"),
    ]

    operations = [
        migrations.AlterField(
            model_name=model_name,
            name="sanitizer_version",
            field=models.PositiveSmallIntegerField(default=3),
        )
        for model_name in ("bookmark", "chapter", "comment", "work")
    ]
