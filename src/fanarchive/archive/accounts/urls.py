"""Account routes: allauth's under accounts/, ours beside them, and AO3's short names."""

from __future__ import annotations

from django.urls import include, path
from django.views.generic import RedirectView

from fanarchive.archive.accounts import views

urlpatterns = [
    path("accounts/username/", views.change_username, name="account_change_username"),
    path("accounts/delete/", views.delete_account, name="account_delete"),
    path("accounts/", include("allauth.urls")),
    path("invitations/request", views.invitation_request, name="signup_invitation_request"),
    path("invitations/<str:token>", views.invitation_accept, name="signup_invitation"),
    path("login", RedirectView.as_view(pattern_name="account_login", query_string=True), name="login"),
    path("logout", RedirectView.as_view(pattern_name="account_logout", query_string=True), name="logout"),
    path("signup", RedirectView.as_view(pattern_name="account_signup", query_string=True), name="signup"),
]
