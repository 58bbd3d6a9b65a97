from django.utils.translation import gettext_lazy as _

from ..models import Duty, LedgerEntry, LedgerKind, Problem
from .base import Column, Sheet, YearOrMonthExporter
from .sheets import county_namer


class LedgerWorkbook(YearOrMonthExporter):
    """台账: the ledgers themselves, a sheet for each kind; visits one row per problem found,
    responsibility lists one row per duty."""

    identifier = "ledgers"
    verbose_name = _("Ledgers")

    def entries(self, kind):
        scope = self.scope
        entries = LedgerEntry.objects.for_user(scope.user).filter(
            kind=kind, occurred_on__gte=scope.start, occurred_on__lte=scope.end)
        entries = scope.within(entries)
        return entries.select_related("unit", "inspector_unit").order_by("occurred_on", "unit__path", "pk")

    def sheets(self):
        county_of = county_namer(self.scope.user)
        common = [Column(_("date"), 14, "date"), Column(_("unit"), 30), Column(_("county or district"), 12),
                  Column(_("kind"), 16), Column(_("title"), 36)]

        def base(e):
            return [e.occurred_on, e.unit.name, county_of(e.unit), e.get_subkind_display(), e.title]

        yield Sheet(str(_("training sessions")), common + [
            Column(_("speaker or chair"), 16), Column(_("who attended"), 20),
            Column(_("participants (person-times)"), 10, "int"), Column(_("hours"), 8, "decimal")],
            ([*base(e), e.speaker, e.audience, e.participants, e.hours] for e in self.entries(LedgerKind.TRAINING)))
        yield Sheet(str(_("meetings")), common + [
            Column(_("speaker or chair"), 16), Column(_("sessions or works"), 8, "int"),
            Column(_("participants (person-times)"), 10, "int")],
            ([*base(e), e.speaker, e.count, e.participants] for e in self.entries(LedgerKind.MEETING)))
        yield Sheet(str(_("integrity activities")), common + [
            Column(_("sessions or works"), 8, "int"), Column(_("participants (person-times)"), 10, "int"),
            Column(_("materials (copies)"), 10, "int")],
            ([*base(e), e.count, e.participants, e.materials] for e in self.entries(LedgerKind.ACTIVITY)))
        yield Sheet(str(_("supervision visits")), common + [
            Column(_("inspecting body"), 14), Column(_("inspectors"), 14), Column(_("problem"), 36),
            Column(_("rectification deadline"), 14, "date"), Column(_("status"), 12)],
            self.visit_rows(base))
        yield Sheet(str(_("responsibility lists")), common + [
            Column(_("holder"), 14), Column(_("position"), 12), Column(_("head of the unit (一把手)"), 8),
            Column(_("duties"), 36), Column(_("signed on"), 14, "date")],
            self.duty_rows(base))
        yield Sheet(str(_("documents issued")), common + [Column(_("document number"), 20)],
                    ([*base(e), e.document_number] for e in self.entries(LedgerKind.DOCUMENT)))
        yield Sheet(str(_("self-inspections")), common + [Column(_("checked against"), 30)],
                    ([*base(e), e.basis] for e in self.entries(LedgerKind.SELF_INSPECTION)))

    def visit_rows(self, base):
        visits = list(self.entries(LedgerKind.VISIT))
        problems = {}
        for problem in Problem.objects.filter(source__in=[v.pk for v in visits]).order_by("pk"):
            problems.setdefault(problem.source_id, []).append(problem)
        for visit in visits:
            head = [*base(visit), visit.inspector_unit.name if visit.inspector_unit else "", visit.inspectors]
            for problem in problems.get(visit.pk) or [None]:
                yield head + ([problem.description, problem.deadline, problem.get_status_display()] if problem
                              else ["", None, ""])

    def duty_rows(self, base):
        lists = list(self.entries(LedgerKind.RESPONSIBILITY))
        duties = {}
        for duty in Duty.objects.filter(responsibility_list__in=[e.pk for e in lists]).order_by("pk"):
            duties.setdefault(duty.responsibility_list_id, []).append(duty)
        yes = str(_("Yes"))
        for entry in lists:
            for duty in duties.get(entry.pk) or [None]:
                yield [*base(entry)] + ([duty.holder, duty.position, yes if duty.is_head else "", duty.duties,
                                          duty.signed_on] if duty else ["", "", "", "", None])
