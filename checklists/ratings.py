"""The red, amber or green rating of a unit's completion rate, as the monthly bulletin colours it:
one set of thresholds for the units table, its filter, the dashboards and every workbook."""

from django.utils.translation import gettext_lazy as _

GREEN_FROM, AMBER_FROM = 90, 70  # per cent of the items due that are approved

NAMES = {"green": _("green"), "amber": _("amber"), "red": _("red")}

# Completion bounds of each rating, in per cent: (at least, below); None where open.
RANGES = {"green": (GREEN_FROM, None), "amber": (AMBER_FROM, GREEN_FROM), "red": (None, AMBER_FROM)}


def rating(completion) -> str:
    """"green", "amber" or "red" for a completion rate in per cent."""
    return "green" if completion >= GREEN_FROM else "amber" if completion >= AMBER_FROM else "red"


def choices():
    """The ratings with their bounds, for a filter."""
    return [("green", _("green: %(low)s%% and above") % {"low": GREEN_FROM}),
            ("amber", _("amber: %(low)s%% to %(high)s%%") % {"low": AMBER_FROM, "high": GREEN_FROM}),
            ("red", _("red: below %(high)s%%") % {"high": AMBER_FROM})]
