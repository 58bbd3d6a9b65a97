import re

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class AccountFlags(models.Model):
    """What the tracker keeps about an account beside Django's user: whether its password was set by
    someone else and must be changed at the next login, and the language of its emails."""

    SESSION_KEY = "must_change_password"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="account_flags")
    must_change_password = models.BooleanField(default=False)
    language = models.CharField(gettext_lazy("language of emails"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)

    @classmethod
    def language_of(cls, user):
        """The language the tracker writes to this person in (reminder emails); Chinese unless chosen."""
        return cls.objects.filter(user=user).values_list("language", flat=True).first() or settings.LANGUAGE_CODE

    @classmethod
    def must_change(cls, user):
        return cls.objects.filter(user=user, must_change_password=True).exists()


class MixedCharactersValidator:
    """A password with letters and digits, not one kind of character only."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError(_("The password must contain both letters and digits."),
                                  code="password_not_mixed")

    def get_help_text(self):
        return _("Your password must contain both letters and digits.")


class NotTheCurrentPasswordValidator:
    """A new password differs from the current one: a password someone else set, which they
    therefore know, cannot be kept by "changing" it to itself."""

    def validate(self, password, user=None):
        if user is not None and user.pk and user.has_usable_password() and user.check_password(password):
            raise ValidationError(_("The new password must differ from the current one."),
                                  code="password_unchanged")

    def get_help_text(self):
        return _("Your new password must differ from the current one.")


@receiver(user_logged_in)
def remember_a_password_to_change(sender, request, user, **kwargs):
    """Noted in the session at login, so that no page needs a query to know it."""
    if request is not None and AccountFlags.must_change(user):
        request.session[AccountFlags.SESSION_KEY] = True


def person_name(first_name, last_name, username):
    """How pages and workbooks name a person: the full name, the login name only when none is recorded."""
    return f"{first_name} {last_name}".strip() or username
