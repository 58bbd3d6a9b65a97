from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..forms import ImportForm
from ..imports import IMPORTERS, ImportRefused
from ..models import Role, reach_of


def _check_office(request):
    reach = reach_of(request.user)
    if not (reach.is_all or Role.OFFICE in reach.roles):
        raise PermissionDenied


@login_required
def import_page(request):
    """Upload a unit tree or a task list; check it, see what would change, then import it in one go."""
    _check_office(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user, importers=IMPORTERS)
    plan, refused, status = None, None, 200
    if request.method == "POST" and form.is_valid():
        importer = IMPORTERS[form.cleaned_data["kind"]](user=request.user, campaign=form.cleaned_data["campaign"])
        try:
            plan = importer.run(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
        except ImportRefused as error:
            refused, status = str(error), 400
        else:
            if not plan.ok:
                status = 400
            elif not form.cleaned_data["dry_run"]:
                messages.success(request, _("Imported: %(count)d row(s).") % {"count": len(plan.lines)})
    elif request.method == "POST":
        status = 400
    return render(request, "checklists/import_page.html", {
        "form": form, "plan": plan, "refused": refused, "importers": IMPORTERS}, status=status)


@login_required
def import_template(request, kind):
    _check_office(request)
    if kind not in IMPORTERS:
        raise Http404
    importer = IMPORTERS[kind]
    response = HttpResponse(importer.template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename={kind}-template.xlsx"
    return response
