from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "fanarchive.archive"
    label = "archive"
    verbose_name = "Archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fanarchive.archive.accounts import signals

        signals.connect(self)
