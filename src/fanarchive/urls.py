from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# Staff log in through the site's log-in page, so that two-factor log-in, the rate limits and the
# throttle hold for the admin too (its own form would let a password alone in).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("fanarchive.archive.api.app")),
    path("", include("fanarchive.archive.accounts.urls")),
    path("", include("fanarchive.archive.feeds.urls")),
    path("", include("fanarchive.archive.web.urls")),
]

# Styled like the site; rendered without context processors (the database may be what failed).
handler500 = "fanarchive.archive.web.views.errors.server_error"
# allauth's rate limits answer with this (it looks the name up here): the site's page, and Retry-After.
handler429 = "fanarchive.archive.accounts.throttle.too_many_requests"
