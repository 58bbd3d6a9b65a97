from django.conf import settings
from django.db import models
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .access import Role, ScopedQuerySetMixin
from .audit import audit_trail


class UnitKind(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("County or district")
    ORGAN = "organ", _("Organ")
    SCHOOL = "school", _("School")
    VILLAGE = "village", _("Village or community")
    HOSPITAL = "hospital", _("Hospital")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other")


class UnitQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):
    unit_field = ""

    def subtree(self, unit):
        """The unit and everything below it: one indexed prefix query."""
        return self.filter(path__startswith=unit.path)

    def counties(self):
        return self.filter(kind=UnitKind.COUNTY)

    def city_departments(self):
        """The units under the city in no county or district (市直单位), and those below them."""
        counties = self.model.objects.counties().values("path")
        return self.filter(depth__gte=2).annotate(
            county_path=Substr("path", 1, 2 * self.model.steplen)).exclude(county_path__in=counties)

    def county_names(self):
        """{path: name} of the counties these units lie in, whether or not the user reaches the county
        itself (a liaison's unit is still in its county). A unit in none is directly under the city."""
        width = 2 * self.model.steplen
        prefixes = self.annotate(county_path=Substr("path", 1, width)).values("county_path")
        return dict(self.model.objects.counties().filter(path__in=prefixes).values_list("path", "name"))


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self):
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(MP_Node):
    """A node of the unit tree: city → counties/districts → organs, schools, villages..."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, blank=True)
    kind = models.CharField(_("unit kind"), max_length=16, choices=UnitKind.choices, default=UnitKind.ORGAN)
    is_demonstration_site = models.BooleanField(_("demonstration site"), default=False)
    demonstration_year = models.PositiveSmallIntegerField(_("year named demonstration site"), null=True, blank=True)

    objects = UnitManager()
    history = audit_trail()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["kind", "path"], name="unit_kind_path")]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unit_code_unique_when_set"
            ),
            models.CheckConstraint(
                condition=models.Q(is_demonstration_site=True) | models.Q(demonstration_year__isnull=True),
                name="unit_demonstration_year_only_for_sites",
            ),
        ]

    def __str__(self):
        return self.name

    def ancestor_paths(self):
        return [self.path[:end] for end in range(self.steplen, len(self.path), self.steplen)]


class UnitAliasQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


class UnitAlias(models.Model):
    """Another name offices write for a unit in their lists (组织部 for 郊区·区委组织部), beside its
    full name, its name within its county and the usual abbreviations an import knows by itself."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("unit"))
    name = models.CharField(_("other name"), max_length=100)

    objects = UnitAliasQuerySet.as_manager()

    class Meta:
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unit_alias_unique")]

    def __str__(self):
        return self.name


class MembershipQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


class Membership(models.Model):
    """A user acting for a unit in a role. Office and viewer reach the unit's subtree;
    liaison and unit leader reach the unit itself."""

    SUBTREE_ROLES = frozenset({Role.OFFICE, Role.VIEWER})
    UNIT_ROLES = frozenset({Role.LIAISON, Role.LEADER})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_one_role_per_unit")]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
