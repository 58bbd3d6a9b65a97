"""Accounts: passwords someone else set, and the language of a person's emails."""

from ..models import AccountFlags


def account_change_password(*, user, form) -> None:
    """Save the new password the form checked; the account no longer has to change it."""
    form.save()
    AccountFlags.objects.filter(user=user).update(must_change_password=False)


def account_set_language(*, user, language: str) -> None:
    """The language the tracker's emails to this person are written in."""
    AccountFlags.objects.update_or_create(user=user, defaults={"language": language})


def account_require_password_change(*, user) -> None:
    """An account whose password someone else set (or whose change a superuser asks for) must set
    its own, different one at its next login."""
    AccountFlags.objects.update_or_create(user=user, defaults={"must_change_password": True})
