"""An account in Chromium under the site's CSP, as a newcomer makes one: sign up, confirm by the link
read from a real SMTP server, log in, turn on an authenticator app (its QR code drawn in the page),
log out, and log in again with a code. No page breaks the CSP."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from tests.browser.test_csp import _visit, _watch

from fanarchive.archive.models import User
from support.smtp_server import Inbox, smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["smtp_server"]

PASSWORD = "tidepool-lantern-42"


def _submit(page: Any, errors: list[str]) -> None:
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == [] and errors == [], page.url


def test_sign_up_confirm_log_in_and_two_factor(
    live_server: Any, page: Any, smtp_server: Inbox, artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()  # rate-limit counters of earlier tests
    errors = _watch(page)
    _visit(page, live_server.url + "/signup", errors)
    page.fill("#id_username", "ada")
    page.fill("#id_email", "ada@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    _submit(page, errors)
    assert page.url.endswith("/accounts/confirm-email/")

    link = smtp_server.link_in(
        smtp_server.last_to("ada@example.org"), r"https?://\S+/accounts/confirm-email/\S+/"
    )
    _visit(page, live_server.url + re.sub(r"^https?://[^/]+", "", link), errors)
    _submit(page, errors)

    _visit(page, live_server.url + "/login", errors)
    page.fill("#id_login", "ada@example.org")
    page.fill("#id_password", PASSWORD)
    _submit(page, errors)
    assert page.locator(".account-menu").inner_text().count("ada") == 1

    _visit(page, live_server.url + "/accounts/2fa/totp/activate/", errors)
    assert "/accounts/reauthenticate/" in page.url
    page.fill("#id_password", PASSWORD)
    _submit(page, errors)
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    assert page.locator(".totp-qr svg").is_visible()
    page.screenshot(path=str(artifacts / "account_totp.png"), full_page=True)
    secret = page.locator("#authenticator_secret").input_value()
    now = time.time()
    page.fill("#id_code", format_hotp_value(hotp_value(secret, int(now) // 30)))
    _submit(page, errors)
    assert "/accounts/2fa/recovery-codes/" in page.url

    _visit(page, live_server.url + "/accounts/logout/", errors)
    _submit(page, errors)
    _visit(page, live_server.url + "/login", errors)
    page.fill("#id_login", "ada")
    page.fill("#id_password", PASSWORD)
    _submit(page, errors)
    assert page.url.endswith("/accounts/2fa/authenticate/")
    later = now + 60  # the next window: a code is never accepted twice
    monkeypatch.setattr(time, "time", lambda: later)
    page.fill("#id_code", format_hotp_value(hotp_value(secret, int(later) // 30)))
    _submit(page, errors)
    assert page.url == live_server.url + "/"
    assert "Log out" in page.locator(".account-menu").inner_text()
    assert User.objects.get(username="ada").pseuds.get().name == "ada"
