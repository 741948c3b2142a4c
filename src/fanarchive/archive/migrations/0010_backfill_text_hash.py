"""Fill Work.text_hash for works imported before it existed, from their stored chapter bodies: the
importer hashes the sanitised bodies it stores, so hashing what is stored gives the same value.

Only imported works (those with a content hash) get one: works written here, and drafts uploaded by
their authors, must never be matched by an archivist's import."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from fanarchive.domain.fingerprint import text_hash

_BATCH = 500


def backfill(apps: Any, _schema_editor: Any) -> None:
    Work = apps.get_model("archive", "Work")
    Chapter = apps.get_model("archive", "Chapter")
    pending = Work.objects.filter(text_hash="").exclude(content_hash="").order_by("pk")
    last = 0
    while True:
        # Keyset pages: a batch's chapters are read together, never the whole table at once.
        ids = list(pending.filter(pk__gt=last).values_list("pk", flat=True)[:_BATCH])
        if not ids:
            return
        last = ids[-1]
        bodies: dict[int, list[str]] = {pk: [] for pk in ids}
        rows = Chapter.objects.filter(work_id__in=ids).order_by("work_id", "position")
        for work_id, body in rows.values_list("work_id", "body").iterator():
            bodies[work_id].append(body)
        changed = [Work(pk=pk, text_hash=text_hash(texts)) for pk, texts in bodies.items()]
        Work.objects.bulk_update([work for work in changed if work.text_hash], ["text_hash"])


class Migration(migrations.Migration):
    dependencies = [("archive", "0009_api_and_text_hash")]

    operations = [
        migrations.AddIndex(
            model_name="work", index=models.Index(fields=["title"], name="archive_wor_title_caf51d_idx")
        ),
        migrations.AddIndex(
            model_name="work",
            index=models.Index(fields=["source_id", "source_site"], name="archive_wor_source__caba07_idx"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
