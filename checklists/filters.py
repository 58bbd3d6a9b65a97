"""Table filters; every choice they offer comes from the user's reach, and they start from `for_user`."""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import ratings
from .forms import bootstrap
from .models import (
    SUBKINDS,
    Campaign,
    ChecklistItem,
    Dimension,
    ItemStatus,
    LedgerEntry,
    Problem,
    ProblemStatus,
    Unit,
    UnitKind,
    reach_of,
)


CITY_DEPARTMENTS = "city"  # the county filter's value for the units under the city in no county


def scoped_campaigns(request):
    return Campaign.objects.for_user(request.user) if request else Campaign.objects.none()


def date_range(label, field_name):
    return django_filters.DateFromToRangeFilter(
        label=label, field_name=field_name, widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}))


class YesNoAll(django_filters.widgets.BooleanWidget):
    """A yes/no filter that starts at 全部 (all), not at “unknown”."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


def yes_no(label, **kwargs):
    return django_filters.BooleanFilter(label=label, widget=YesNoAll, **kwargs)


class ScopedFilterSet(django_filters.FilterSet):
    """Free text over `search_fields`, and the counties and unit kinds within the user's reach."""

    search_fields = ()
    unit_path = "unit__path"
    q = django_filters.CharFilter(label=_("Search"), method="search")
    county = django_filters.ChoiceFilter(label=_("county or district"), method="in_county")
    unit_kind = django_filters.ChoiceFilter(label=_("unit kind"), field_name="unit__kind", choices=UnitKind.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for each in self.filters.values():  # a choice not made means all of them
            if isinstance(each, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                each.extra["empty_label"] = _("All")
        reach = reach_of(self.request.user)
        if not (reach.is_all or reach.subtree_paths):  # one unit, or a few: nothing to compare units by
            for name in ("county", "unit_kind", "is_demonstration_site", "rag"):
                self.filters.pop(name, None)
            return
        units = Unit.objects.for_user(self.request.user)
        choices = [(county.path, county.name) for county in units.counties()]
        # counted, not exists(): with none there, LIMIT 1 made PostgreSQL read every unit of a province
        if units.city_departments().count():
            choices.append((CITY_DEPARTMENTS, _("City departments")))
        self.filters["county"].extra["choices"] = choices

    @property
    def form(self):
        return bootstrap(super().form)

    def search(self, queryset, name, value):
        return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": value}) for field in self.search_fields)))

    def in_county(self, queryset, name, value):
        """Within the county's subtree; for "city", the units under the city in no county (市直单位)."""
        if value == CITY_DEPARTMENTS:
            unit = self.unit_path.removesuffix("__path") if "__" in self.unit_path else "pk"
            return queryset.filter(**{f"{unit}__in": Unit.objects.city_departments()})
        return queryset.filter(**{f"{self.unit_path}__startswith": value})


class ChecklistItemFilter(ScopedFilterSet):
    search_fields = ("unit__name", "standard_item__code", "standard_item__title", "account")
    unit = django_filters.NumberFilter(field_name="unit", widget=django_filters.widgets.forms.HiddenInput)
    campaign = django_filters.ModelChoiceFilter(label=_("campaign"), queryset=scoped_campaigns)
    period = django_filters.CharFilter(label=_("period"), lookup_expr="exact")
    dimension = django_filters.ChoiceFilter(label=_("dimension"), field_name="standard_item__dimension__name")
    status = django_filters.ChoiceFilter(label=_("status"), choices=ItemStatus.choices)
    overdue = yes_no(_("overdue"), method="late")
    evidence_expired = yes_no(_("evidence expired"), method="expired")
    due = date_range(_("due between"), "due_date")

    class Meta:
        model = ChecklistItem
        fields = ["q", "unit", "campaign", "period", "county", "unit_kind", "dimension", "status", "overdue",
                  "evidence_expired", "due"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].field.widget.attrs["placeholder"] = _("unit, measure or account")
        names = Dimension.objects.for_user(self.request.user).values_list("name", flat=True)
        self.filters["dimension"].extra["choices"] = [(name, name) for name in sorted(set(names))]

    def late(self, queryset, name, value):
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def expired(self, queryset, name, value):
        return queryset.filter(evidence_expired=value)


class LedgerEntryFilter(ScopedFilterSet):
    search_fields = ("title", "description", "unit__name", "speaker", "audience")
    subkind = django_filters.ChoiceFilter(label=_("kind"))
    occurred = date_range(_("date between"), "occurred_on")

    class Meta:
        model = LedgerEntry
        fields = ["q", "county", "unit_kind", "subkind", "occurred"]

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["subkind"].extra["choices"] = SUBKINDS[kind].choices


class ProblemFilter(ScopedFilterSet):
    search_fields = ("description", "rectification", "unit__name")
    status = django_filters.ChoiceFilter(label=_("status"), choices=ProblemStatus.choices)
    past_deadline = yes_no(_("past deadline"), method="late")
    found = date_range(_("found between"), "found_on")

    class Meta:
        model = Problem
        fields = ["q", "county", "unit_kind", "status", "past_deadline", "found"]

    def late(self, queryset, name, value):
        late = queryset.past_deadline()
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class UnitScoreFilter(ScopedFilterSet):
    search_fields = ("name", "code")
    unit_path = "path"
    unit_kind = django_filters.ChoiceFilter(label=_("unit kind"), field_name="kind", choices=UnitKind.choices)
    is_demonstration_site = yes_no(_("demonstration site"))
    rag = django_filters.ChoiceFilter(label=_("rating"), method="rated", choices=ratings.choices)

    class Meta:
        model = Unit
        fields = ["q", "county", "unit_kind", "is_demonstration_site", "rag"]

    def rated(self, queryset, name, value):
        low, high = ratings.RANGES[value]
        if low is not None:
            queryset = queryset.filter(completion__gte=low)
        return queryset.filter(completion__lt=high) if high is not None else queryset
