from __future__ import annotations

from django.urls import URLPattern, path

from fanarchive.archive.feeds import atom_views, opds_views, private

urlpatterns: list[URLPattern] = [
    path("opds/", opds_views.opds_root, name="opds_root"),
    path("opds/opensearch.xml", opds_views.opds_opensearch, name="opds_opensearch"),
    path("opds/search", opds_views.opds_search, name="opds_search"),
    path("opds/recent", opds_views.opds_recent, name="opds_recent"),
    path("opds/fandoms", opds_views.opds_fandoms, name="opds_fandoms"),
    path("opds/fandoms/<str:tag_name>", opds_views.opds_fandom, name="opds_fandom"),
    path("opds/tags", opds_views.opds_tag_kinds, name="opds_tags"),
    path("opds/tags/<str:tag_name>", opds_views.opds_tag, name="opds_tag"),
    path("opds/kinds/<str:kind>", opds_views.opds_kind, name="opds_kind"),
    path("opds/authors", opds_views.opds_authors, name="opds_authors"),
    path("opds/authors/<str:username>", opds_views.opds_author, name="opds_author"),
    path("tags/<str:tag_name>/feed.atom", atom_views.tag_feed, name="tag_feed"),
    path("users/<str:username>/feed.atom", atom_views.user_feed, name="user_feed"),
    path("works/<int:work_id>/feed.atom", atom_views.work_feed, name="work_feed"),
    path("users/<str:username>/inbox/<str:token>.atom", private.inbox_feed, name="inbox_feed"),
]
