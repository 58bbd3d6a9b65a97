"""List filters that offer only what lies within the user's reach."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Campaign, SUBKINDS, Unit


class CountyFilter(admin.SimpleListFilter):
    """Filter by the county/district the row's unit lies in, among those the user reaches."""

    title = _("county or district")
    parameter_name = "county"
    unit_path = "unit__path"

    def lookups(self, request, model_admin):
        counties = Unit.objects.for_user(request.user).counties()
        return [(county.path, county.name) for county in counties]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.unit_path}__startswith": self.value()})
        return queryset


class UnitCountyFilter(CountyFilter):
    unit_path = "path"


class LateFilter(admin.SimpleListFilter):
    """Rows the model's queryset calls late: overdue items, problems past their deadline."""

    title = _("overdue")
    parameter_name = "late"
    late = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        late = getattr(queryset.model.objects, self.late)().values("pk")
        return queryset.filter(pk__in=late) if self.value() == "yes" else queryset.exclude(pk__in=late)


class PastDeadlineFilter(LateFilter):
    title = _("past deadline")
    late = "past_deadline"


class DimensionFilter(admin.AllValuesFieldListFilter):
    """Dimensions by name, among the rows the user reaches."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("dimension")


# Related-object filters list only objects of rows within reach, never the whole table.
Scoped = admin.RelatedOnlyFieldListFilter


class CampaignInReach(admin.RelatedFieldListFilter):
    """The task lists the user reaches, without scanning a city's items for those they use."""

    def field_choices(self, field, request, model_admin):
        return [(c.pk, str(c)) for c in Campaign.objects.for_user(request.user).order_by("-year", "name")]


class SubkindFilter(admin.SimpleListFilter):
    """The kinds of the ledger shown (meeting kinds for meetings...), not every ledger's."""

    title = _("kind")
    parameter_name = "subkind"

    def lookups(self, request, model_admin):
        return SUBKINDS[model_admin.model.KIND].choices

    def queryset(self, request, queryset):
        return queryset.filter(subkind=self.value()) if self.value() else queryset
