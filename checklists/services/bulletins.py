"""Issuing a report: an office's weekly dispatch, monthly bulletin or bimonthly analysis numbered 第N期
and kept as issued."""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Bulletin, reach_of
from .errors import NotPermitted, ServiceError

ATTEMPTS = 3  # another office issuing the same report at the same moment takes the number: write it again


def bulletin_check(*, user, exporter) -> None:
    """The report can be issued by this user: a report offices issue, by the office of its body itself (a
    city office does not take up a county's numbers)."""
    if not exporter.issuable:
        raise ServiceError(_("Only the weekly dispatch, the monthly bulletin and the bimonthly analysis are issued."))
    reach, body = reach_of(user), exporter.scope.body
    if not (reach.is_all or body.path in reach.office_paths):
        raise NotPermitted(_("Only the task force of %(body)s issues its reports, numbered in its own series.") % {
            "body": body.name})


def bulletin_issue(*, user, exporter, write) -> Bulletin:
    """Number the report (the next 第N期 of its body, kind and year), write it with the number in its
    titles, and keep the file as issued: it is never written again, whatever changes later.

    `write(exporter)` returns (file name, content type, bytes), as `exports.render` does.
    """
    bulletin_check(user=user, exporter=exporter)
    scope, issuer = exporter.scope, exporter.scope.body
    year = scope.start.year
    for _attempt in range(ATTEMPTS):
        number = Bulletin.objects.next_number(issuer=issuer, kind=exporter.identifier, year=year)
        exporter.issue = (year, number)
        name, _content_type, content = write(exporter)
        bulletin = Bulletin(issuer=issuer, kind=exporter.identifier, year=year, number=number,
                            campaign=scope.campaign, period_start=scope.start, period_end=scope.end,
                            title=str(exporter.title()), filename=name, issued_by=user, issued_at=scope.generated_at)
        bulletin.file.save(name, ContentFile(content), save=False)
        try:
            with transaction.atomic():
                bulletin.save()
        except IntegrityError:
            bulletin.file.delete(save=False)
            continue
        return bulletin
    raise ServiceError(_("Another office issued the same report at the same moment; please issue it again."))
