"""Detail and write views reach their object through these: out of reach is a 404,
the same answer as "does not exist"; in reach but not the user's to change is a 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from ..models import ChecklistItem, Evidence, LedgerEntry, Problem, reach_of


def get_item_for_user(request, pk):
    items = ChecklistItem.objects.for_user(request.user).select_related(
        "unit", "campaign", "standard_item__dimension", "reviewed_by")
    return get_object_or_404(items, pk=pk)


def get_item_for_unit_work(request, pk):
    item = get_item_for_user(request, pk)
    if not reach_of(request.user).acts_for(item.unit):
        raise PermissionDenied
    return item


def get_item_for_review(request, pk):
    item = get_item_for_user(request, pk)
    if not reach_of(request.user).may_review(item):
        raise PermissionDenied
    return item


def get_evidence_for_user(request, pk, versions=False):
    """A file in use; with `versions`, also an earlier version of one (kept, archived, when replaced)."""
    files = Evidence.all_objects.filter(Q(archived_at__isnull=True) | Q(later_versions__isnull=False)).distinct() \
        if versions else Evidence.objects
    return get_object_or_404(files.for_user(request.user).select_related("unit", "item"), pk=pk)


def get_entry_for_user(request, pk):
    return get_object_or_404(LedgerEntry.objects.for_user(request.user).select_related("unit", "inspector_unit"), pk=pk)


def get_entry_for_change(request, pk):
    entry = get_entry_for_user(request, pk)
    if not reach_of(request.user).may_keep_ledger(entry.unit, entry.kind):
        raise PermissionDenied
    return entry


def get_problem_for_user(request, pk):
    return get_object_or_404(Problem.objects.for_user(request.user).select_related("unit", "source"), pk=pk)


def office_only(request):
    """Pages of office work (待办, the year's turn): a 403 for everyone else."""
    reach = reach_of(request.user)
    if not (reach.is_all or reach.office_paths):
        raise PermissionDenied
