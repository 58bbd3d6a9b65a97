from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSent(models.Model):
    """One reminder email to one person on one day; the constraint keeps it to one a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    day = models.DateField(_("day"))
    items = models.PositiveIntegerField(_("items due soon or overdue"), default=0)
    units = models.PositiveIntegerField(_("units with overdue items"), default=0)
    problems = models.PositiveIntegerField(_("problems past deadline"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_reminder_a_day")]

    def __str__(self):
        return f"{self.user} {self.day}"
