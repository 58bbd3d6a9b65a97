"""Table filters; every choice they offer comes from the user's reach, and they start from `for_user`."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forms import bootstrap
from .models import Campaign, ChecklistItem, Dimension, ItemStatus, Unit, UnitKind


def scoped_campaigns(request):
    return Campaign.objects.for_user(request.user) if request else Campaign.objects.none()


class ChecklistItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("unit, measure or account")}))
    campaign = django_filters.ModelChoiceFilter(label=_("campaign"), queryset=scoped_campaigns)
    period = django_filters.CharFilter(label=_("period"), lookup_expr="exact")
    county = django_filters.ChoiceFilter(label=_("county or district"), method="in_county")
    unit_kind = django_filters.ChoiceFilter(label=_("unit kind"), field_name="unit__kind", choices=UnitKind.choices)
    dimension = django_filters.ChoiceFilter(label=_("dimension"), field_name="standard_item__dimension__name")
    status = django_filters.ChoiceFilter(label=_("status"), choices=ItemStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("overdue"), method="late")
    due = django_filters.DateFromToRangeFilter(
        label=_("due between"), field_name="due_date",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}))

    class Meta:
        model = ChecklistItem
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.filters["county"].extra["choices"] = [
            (county.path, county.name) for county in Unit.objects.for_user(user).counties()]
        names = Dimension.objects.for_user(user).values_list("name", flat=True).distinct().order_by("name")
        self.filters["dimension"].extra["choices"] = [(name, name) for name in names]

    @property
    def form(self):
        return bootstrap(super().form)

    def search(self, queryset, name, value):
        return queryset.filter(Q(unit__name__icontains=value) | Q(standard_item__code__icontains=value)
                               | Q(standard_item__title__icontains=value) | Q(account__icontains=value))

    def in_county(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value)

    def late(self, queryset, name, value):
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
