from django.urls import path

from fanarchive.archive.web.views import (
    autocomplete,
    chapters_edit,
    downloads,
    health,
    home,
    series,
    tags,
    users,
    works,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("works", works.work_index, name="works"),
    path("works/<int:work_id>", works.work_page, name="work"),
    path("works/<int:work_id>/chapters/<int:position>", works.chapter_page, name="chapter"),
    path("downloads/<int:work_id>/<str:filename>", downloads.download, name="download"),
    path("works/<int:work_id>/kudos", works.leave_kudos, name="kudos"),
    path("works/<int:work_id>/chapters/new", chapters_edit.chapter_new, name="chapter_new"),
    path("works/<int:work_id>/chapters/manage", chapters_edit.chapters_manage, name="chapters_manage"),
    path("works/<int:work_id>/chapters/<int:position>/edit", chapters_edit.chapter_edit, name="chapter_edit"),
    path(
        "works/<int:work_id>/chapters/<int:position>/delete",
        chapters_edit.chapter_delete,
        name="chapter_delete",
    ),
    path("works/<int:work_id>/chapters/<int:position>/post", chapters_edit.chapter_post, name="chapter_post"),
    path("series/<int:series_id>", series.series_page, name="series"),
    path("tags/<str:tag_name>", tags.tag_page, name="tag"),
    path("tags/<str:tag_name>/works", tags.tag_works, name="tag_works"),
    path("fandoms", tags.fandoms, name="fandoms"),
    path("autocomplete/tags", autocomplete.tag_autocomplete, name="tag_autocomplete"),
    path("users/<str:username>", users.user_page, name="user"),
    path("users/<str:username>/works", users.user_works, name="user_works"),
    path("healthz", health.healthz, name="healthz"),
]
