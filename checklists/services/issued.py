"""What an office issues (a standard set, a task list, and what they hold) is changed by that office."""

from django.utils.translation import gettext as _

from ..models import reach_of
from .errors import NotPermitted


def check_issuer(record, user, issued_in) -> None:
    """The user may change the record: the office that issued the set or list it is in (`issued_in`),
    before and after the change (one handed to another office)."""
    reach = reach_of(user)
    documents = [issued_in(record)]
    if record.pk is not None:
        documents.append(issued_in(type(record).objects.get(pk=record.pk)))
    for document in documents:
        if not reach.may_issue(document.owner):
            raise NotPermitted(_("Only the office that issued %(document)s may change it.") % {"document": document})
