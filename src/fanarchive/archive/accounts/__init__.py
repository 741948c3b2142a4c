"""Accounts on django-allauth: its adapter (sign-up modes, invitations), the e-mail kept under the
archive's folder, the roles, and the few account pages allauth has none of (user name, deletion)."""
