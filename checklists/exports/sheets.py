"""Sheets more than one workbook carries."""

from django.utils.translation import gettext_lazy as _

from ..selectors.statistics import figures_for
from .base import Column, Sheet


def statistics_sheet(scope):
    """Each figure of the kind the reports quote, exact and in the reports' rounded "N余" form."""
    values = figures_for(scope.user, start=scope.campaign.period_start, end=scope.end, within=scope.county)
    return Sheet(
        name=str(_("Statistics")),
        columns=[Column(_("figure"), 40), Column(_("exact"), 12, "int"), Column(_("as reports write it"), 18),
                 Column(_("measure word"), 10)],
        rows=([str(v.figure.label), v.value, v.written, v.figure.unit_word]
              for v in values),
        note=str(_("Ledger entries from the start of the task list to the end of the period.")),
    )


def county_namer(user):
    """A function from a unit (or its path) to its county's name; the city's own departments are one group."""
    from ..models import Unit

    counties = Unit.objects.for_user(user).county_names()
    city = str(_("City departments"))
    width = 2 * Unit.steplen

    def county_of(unit_or_path):
        path = unit_or_path if isinstance(unit_or_path, str) else unit_or_path.path
        return counties.get(path[:width], city)

    return county_of
