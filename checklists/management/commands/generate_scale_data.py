import datetime
import random
import sys
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from checklists import services
from checklists.management.progress import Progress
from checklists.demo.standards import DIMENSIONS, STANDARDS
from checklists.models import (
    SUBKINDS,
    Campaign,
    ChecklistItem,
    Dimension,
    Evidence,
    ItemStatus,
    ItemTransition,
    LedgerEntry,
    LedgerKind,
    LedgerLink,
    Membership,
    Problem,
    ProblemStatus,
    Role,
    StandardItem,
    StandardSet,
    Unit,
    UnitKind,
)

CODE = "SCALE"
PROVINCE_CITIES = 11
KINDS = [(UnitKind.ORGAN, 40), (UnitKind.SCHOOL, 15), (UnitKind.VILLAGE, 30), (UnitKind.HOSPITAL, 5),
         (UnitKind.ENTERPRISE, 10)]
BATCH = 5000


class Command(BaseCommand):
    help = "Build a synthetic city for benchmarks: units, items in every status, ledgers, visits, problems."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=3000,
                            help="How many units, under ten counties a city; past 5,000, a province.")
        parser.add_argument("--cities", type=int, default=None,
                            help="How many cities share the units (default: 1, or 11 past 5,000 units).")
        parser.add_argument("--years", type=int, default=1, help="How many yearly task lists, ending this year.")
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, units, cities, years, seed, quiet, **options):
        cities = cities or (PROVINCE_CITIES if units > 5000 else 1)
        if units < 10 * cities or years < 1:
            raise CommandError("--units must be at least ten a city and --years at least 1.")
        if Unit.objects.filter(code=CODE).exists():
            raise CommandError("The scale city is already there; start from an empty database.")
        self.rng = random.Random(seed)
        self.progress = Progress(sys.stdout if not quiet else self.stdout, quiet)
        started = time.monotonic()
        for number in range(cities):  # a city at a time: memory stays that of one city
            with transaction.atomic():
                self.build_city(number, units // cities, years)
        # Fresh statistics, or PostgreSQL plans a city's lists as if the tables were empty; and on
        # PostgreSQL the visibility map autovacuum would build later, for index-only counts.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        counts = {model.__name__: model.objects.count() for model in (Unit, ChecklistItem, LedgerEntry, Problem)}
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s: " +
                          ", ".join(f"{n:,} {name}" for name, n in counts.items()))

    def build_city(self, number, units, years):
        """A city of `units` units under ten counties, its office, and its items in the yearly task lists
        with their ledgers. The first city is 规模测试市 (code SCALE), its office scale-office, and it issues
        the task lists (a province's, when there are more cities); the others are 规模测试02市 … (SCALE02 …),
        their offices scale-office-02 …"""
        code, name = (CODE, "规模测试市") if number == 0 else (f"{CODE}{number + 1:02d}", f"规模测试{number + 1:02d}市")
        leaves = self.build_units(units, code, name)
        office = self.build_office("scale-office" if number == 0 else f"scale-office-{number + 1:02d}", name)
        if number == 0:  # one standard set and one task list a year, the first city's, for every city
            standard_set = self.build_standards()
            this_year = timezone.localdate().year
            self.campaigns = [Campaign.objects.create(
                owner=self.city, name=f"{year}年规模测试任务清单", year=year,
                period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
                standard_set=standard_set) for year in range(this_year - years + 1, this_year + 1)]
        for campaign in self.campaigns:
            campaign.scope_units.add(self.city)
            items = self.build_items(campaign, office)
            self.build_ledgers(leaves, items, campaign.year, office)

    def build_units(self, count, code, city_name):
        per_county = count // 10
        weights = [w for _, w in KINDS]

        def unit(name, kind, code, children=()):
            return {"data": {"name": name, "kind": kind, "code": code}, "children": list(children)}

        counties = []
        for c in range(10):
            kinds = self.rng.choices([k for k, _ in KINDS], weights, k=per_county)
            county = f"{city_name.removesuffix('市').removeprefix('规模测试')}测试县{c + 1:02d}"
            counties.append(unit(county, UnitKind.COUNTY, f"{code}-C{c:02d}", [
                unit(f"{county}·单位{n + 1:04d}", kind, f"{code}-C{c:02d}-{n:05d}")
                for n, kind in enumerate(kinds)]))
        Unit.objects.load_bulk([unit(city_name, UnitKind.CITY, code, counties)], bulk_create=True)
        self.city = Unit.objects.get(code=code)
        leaves = list(Unit.objects.filter(path__startswith=self.city.path, depth=self.city.depth + 2))
        sites = self.rng.sample(leaves, len(leaves) // 10)
        for site in sites:
            site.is_demonstration_site, site.demonstration_year = True, 2023
        Unit.objects.bulk_update(sites, ["is_demonstration_site", "demonstration_year"], batch_size=BATCH)
        self.progress(f"units of {city_name}", len(leaves), len(leaves))
        return leaves

    def build_office(self, username, city_name):
        user = get_user_model().objects.create(username=username, first_name=f"{city_name}工作专班", is_staff=True)
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, unit=self.city, role=Role.OFFICE)
        return user

    def build_standards(self):
        standard_set = StandardSet.objects.create(owner=self.city, name="规模测试创建标准", unit_kind="")
        dimensions = {code: Dimension.objects.create(standard_set=standard_set, code=code, name=name,
                                                     slogan=slogan, order=i)
                      for i, (code, name, slogan) in enumerate(DIMENSIONS, 1)}
        counters = {}
        rows = []
        for order, (dim, title, kind, recurrence, target, word, points, evidence) in enumerate(STANDARDS, 1):
            counters[dim] = counters.get(dim, 0) + 1
            rows.append(StandardItem(standard_set=standard_set, dimension=dimensions[dim], code=f"{dim}{counters[dim]:02d}",
                                     title=title, measure_kind=kind, recurrence=recurrence, quantity_target=target,
                                     measure_word=word, points=Decimal(points), evidence_expected=evidence, order=order))
        StandardItem.objects.bulk_create(rows)
        return standard_set

    def build_items(self, campaign, office):
        today, rng = timezone.localdate(), self.rng
        items = services.campaign_missing_items(campaign, within=self.city)
        past = {ItemStatus.DRAFT: 2, ItemStatus.IN_PROGRESS: 4, ItemStatus.AWAITING_SIGNOFF: 1,
                ItemStatus.SUBMITTED: 6, ItemStatus.RETURNED: 5, ItemStatus.APPROVED: 82}
        for item in items:
            if item.due_date < today:
                item.status = rng.choices(list(past), list(past.values()))[0]
            else:
                item.status = rng.choice([ItemStatus.DRAFT, ItemStatus.DRAFT, ItemStatus.IN_PROGRESS])
            item.progress = 100 if item.status in ChecklistItem.DONE_STATUSES else rng.choice([0, 20, 40, 60, 80])
            if item.status in (*ChecklistItem.DONE_STATUSES, ItemStatus.RETURNED):  # as a unit and office work
                item.submitted_at = _at(item.due_date - datetime.timedelta(days=3))
            if item.status == ItemStatus.APPROVED:
                item.score, item.reviewed_by = Decimal(2), office
                item.reviewed_at = _at(min(item.due_date + datetime.timedelta(days=4), today))
        for start in range(0, len(items), BATCH):
            ChecklistItem.objects.bulk_create(items[start:start + BATCH])
            self.progress(f"items {campaign.year}", min(start + BATCH, len(items)), len(items))
        self.build_moves(items, office)
        return items

    def build_moves(self, items, office):
        """The workflow moves the items' statuses imply, so that figures as of a past day read a history
        as large as a real city's."""
        moves = []
        for item in items:
            if item.submitted_at is None:
                continue
            moves.append(ItemTransition(item_id=item.pk, from_status=ItemStatus.IN_PROGRESS,
                                        to_status=ItemStatus.SUBMITTED, by=office, at=item.submitted_at))
            if item.status == ItemStatus.APPROVED:
                moves.append(ItemTransition(item_id=item.pk, from_status=ItemStatus.SUBMITTED,
                                            to_status=ItemStatus.APPROVED, by=office, at=item.reviewed_at))
            elif item.status == ItemStatus.RETURNED:
                moves.append(ItemTransition(item_id=item.pk, from_status=ItemStatus.SUBMITTED,
                                            to_status=ItemStatus.RETURNED, by=office,
                                            at=item.submitted_at + datetime.timedelta(days=1)))
        for start in range(0, len(moves), BATCH):
            ItemTransition.objects.bulk_create(moves[start:start + BATCH])
            self.progress("moves", min(start + BATCH, len(moves)), len(moves))

    def build_ledgers(self, leaves, items, year, office):
        rng = self.rng
        by_unit = {}
        for item in items:
            by_unit.setdefault(item.unit_id, []).append(item)
        kinds = [LedgerKind.TRAINING, LedgerKind.MEETING, LedgerKind.ACTIVITY, LedgerKind.DOCUMENT,
                 LedgerKind.SELF_INSPECTION, LedgerKind.RESPONSIBILITY]
        entries, links = [], []
        for unit in leaves:
            for n in range(rng.randint(6, 14)):
                kind = rng.choice(kinds)
                on = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                entries.append(LedgerEntry(kind=kind, subkind=rng.choice(SUBKINDS[kind].values), unit=unit,
                                           title=f"{unit.name}的台账记录{n + 1}", occurred_on=on,
                                           participants=rng.randint(0, 80), materials=rng.randint(0, 20)))
            entries.append(LedgerEntry(kind=LedgerKind.VISIT, subkind="routine", unit=unit, title="督导检查",
                                       occurred_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                                       inspector_unit=self.city, inspectors="督导组"))
        created = []
        for start in range(0, len(entries), BATCH):
            created += LedgerEntry.objects.bulk_create(entries[start:start + BATCH])
            self.progress(f"ledgers {year}", len(created), len(entries))
        problems, evidence = [], []
        for entry in created:
            if entry.kind == LedgerKind.VISIT:
                for _ in range(rng.randint(0, 3)):
                    status = rng.choice([ProblemStatus.CLOSED] * 8 + [ProblemStatus.REPORTED, ProblemStatus.OPEN])
                    problems.append(Problem(unit_id=entry.unit_id, source=entry, description="台账不完整",
                                            found_on=entry.occurred_on, status=status,
                                            deadline=entry.occurred_on + datetime.timedelta(days=30)))
            elif by_unit.get(entry.unit_id):
                links.append(LedgerLink(entry=entry, item=rng.choice(by_unit[entry.unit_id])))
                evidence.append(Evidence(unit_id=entry.unit_id, entry=entry, file="evidence/scale/placeholder.pdf",
                                         name="签到表.pdf", size=12345, uploaded_by=office))
        for rows, model, stage in [(problems, Problem, f"problems {year}"), (links, LedgerLink, f"links {year}"),
                                   (evidence, Evidence, f"evidence {year}")]:
            for start in range(0, len(rows), BATCH):
                model.objects.bulk_create(rows[start:start + BATCH])
                self.progress(stage, min(start + BATCH, len(rows)), len(rows))
        linked = list({link.item_id for link in links})
        for start in range(0, len(linked), BATCH):
            services.item_refresh_quantities(item_ids=linked[start:start + BATCH])
        self.progress(f"quantities {year}", len(linked), len(linked))


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
