from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    RETURNED = "returned", _("Item returned")
    APPROVED = "approved", _("Item approved")
    SIGNOFF_DECLINED = "declined", _("Sign-off declined")
    PROBLEM_FOUND = "problem", _("Problem found")
    PROBLEM_SENT_BACK = "sent_back", _("Rectification sent back")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """A message is its recipient's alone."""
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to a person of a unit: what the office did to its item or problem (消息). The text is
    composed when shown, in the reader's language, from the kind, the record and the comment."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind.choices)
    item = models.ForeignKey("checklists.ChecklistItem", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    problem = models.ForeignKey("checklists.Problem", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    @property
    def record(self):
        return self.item or self.problem

    @property
    def target_url(self):
        return self.record.get_absolute_url() if self.record else reverse("home")

    def get_absolute_url(self):
        return reverse("notification_open", args=[self.pk])
