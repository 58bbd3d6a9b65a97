from django.conf import settings
from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..files import stored_name
from .access import reach_of


def bulletin_path(instance, filename):
    return stored_name("bulletins", filename)


def issue_words(year, number):
    """2023年第5期."""
    return _("%(year)s, no. %(number)s") % {"year": year, "number": number}


class BulletinQuerySet(models.QuerySet):
    def for_user(self, user):
        """A bulletin is read by whoever could have written it: its figures cover the issuing body's whole
        subtree, so the office that issued it and the offices and leaders in charge above it."""
        return self.filter(reach_of(user).q_whole("issuer")) if user.is_authenticated else self.none()

    def next_number(self, *, issuer, kind, year):
        return (self.filter(issuer=issuer, kind=kind, year=year).aggregate(last=Max("number"))["last"] or 0) + 1


class Bulletin(models.Model):
    """An issued report (山水市清廉建设工作月通报2023年第5期): numbered per issuing body, report and year,
    its file kept exactly as issued and never written again."""

    issuer = models.ForeignKey("checklists.Unit", on_delete=models.PROTECT, related_name="bulletins",
                               verbose_name=_("issued by the office of"))
    kind = models.CharField(_("report"), max_length=20)  # the exporter's identifier: weekly, monthly, bimonthly
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("issue number"))
    campaign = models.ForeignKey("checklists.Campaign", on_delete=models.PROTECT, related_name="bulletins",
                                 verbose_name=_("campaign"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(upload_to=bulletin_path)
    filename = models.CharField(max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by whom"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["issuer", "kind", "year", "number"],
                                               name="one_bulletin_per_number")]

    def __str__(self):
        return self.title

    @property
    def number_words(self):
        return issue_words(self.year, self.number)

    def get_download_url(self):
        return reverse("stored_file", args=[self.file.name])
