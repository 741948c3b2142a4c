"""Re-clean what sanitizer version 1 let through: it checked URL schemes on `href` and `src` only,
so a stored `<blockquote cite="javascript:…">` (or `<q>`, `<del>`, `<ins>`) kept its script URL.

Only rows whose HTML holds a `cite` attribute can differ under version 2 (characters XML forbids are
also dropped by version 2, but every writer of XML strips them on output), so those alone are
cleaned again; the rest are marked version 2 in one UPDATE each. A migration writes rows itself:
it runs on the historical models, before any action could."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Q

from fanarchive.domain.sanitize import sanitize_html

# (model, HTML fields, has a sanitizer_version column)
_HTML_FIELDS = (
    ("Work", ("summary", "notes", "end_notes"), True),
    ("Chapter", ("summary", "notes", "end_notes", "body"), True),
    ("Comment", ("body",), True),
    ("Bookmark", ("notes",), True),
    ("Series", ("summary", "notes"), False),
)
_BATCH = 500


def reclean(apps: Any, schema_editor: Any) -> None:
    for model_name, fields, versioned in _HTML_FIELDS:
        model = apps.get_model("archive", model_name)
        rows = model.objects.all()
        if versioned:
            rows = rows.filter(sanitizer_version__lt=2)
        mentions_cite = Q()
        for name in fields:
            mentions_cite |= Q(**{f"{name}__icontains": "cite"})
        changed = []
        for row in rows.filter(mentions_cite).only("pk", *fields).iterator(chunk_size=_BATCH):
            before = [getattr(row, name) for name in fields]
            after = [sanitize_html(value) if value else value for value in before]
            if after != before:
                for name, value in zip(fields, after, strict=True):
                    setattr(row, name, value)
                changed.append(row)
            if len(changed) >= _BATCH:
                model.objects.bulk_update(changed, list(fields))
                changed = []
        if changed:
            model.objects.bulk_update(changed, list(fields))
        if versioned:
            rows.update(sanitizer_version=2)


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_sanitizer_version_2")]

    operations = [migrations.RunPython(reclean, migrations.RunPython.noop)]
