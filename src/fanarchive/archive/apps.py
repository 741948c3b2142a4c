from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "fanarchive.archive"
    label = "archive"
    verbose_name = "Archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fanarchive.archive.accounts import signals
        from fanarchive.archive.pagecache import invalidation

        signals.connect(self)
        invalidation.install()
