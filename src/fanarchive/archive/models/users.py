"""Users and their pseuds. Works belong to pseuds through creatorships, as on AO3, so one person can
write under several names and a work can have several creators."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    # Authors brought in by an import have an account that nobody can log into until claimed.
    imported = models.BooleanField(default=False)
    # The address the source held for an imported author: claim links go there. Kept apart from
    # `email`, which sign-up and password resets look at, so the author can sign up with it.
    source_email = models.EmailField(blank=True)

    class Meta(AbstractUser.Meta):
        # Imports find a byline's account by its name in any case: an index SQLite and PostgreSQL
        # both use for `lower(username) = lower(%s)`, where `username__iexact` (LIKE) scans.
        indexes = [models.Index(Lower("username"), name="user_username_lower")]

    def default_pseud(self) -> Pseud | None:
        # A getter only: actions.authors.do_ensure_default_pseud makes one for a user without.
        return self.pseuds.filter(is_default=True).first()


class Pseud(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=150)
    is_default = models.BooleanField(default=False)
    description = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="pseud_unique_per_user")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name if self.name == self.user.username else f"{self.name} ({self.user.username})"


class Creatorship(models.Model):
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    work = models.ForeignKey("archive.Work", on_delete=models.CASCADE, related_name="creatorships")
    # Byline order, as the source listed the authors.
    position = models.PositiveSmallIntegerField(default=0)
    # A co-creator invited by pseud is credited (and may edit) only once they accept.
    accepted = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pseud", "work"], name="creatorship_unique")]
        ordering = ["position", "id"]
