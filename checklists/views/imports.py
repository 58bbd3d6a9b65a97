from django.utils.http import content_disposition_header
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import tasks
from ..forms import ImportForm
from ..imports import IMPORTERS, ImportRefused
from ..models import reach_of


def importers_for(request):
    """The imports this user may run; none is a 403."""
    reach = reach_of(request.user)
    allowed = {key: importer for key, importer in IMPORTERS.items() if importer.allowed(reach)}
    if not allowed:
        raise PermissionDenied
    return allowed


@login_required
def import_page(request):
    """Upload a unit tree, a task list or an offline checklist; check it, see what would change, import it.

    A workbook of more than IMPORT_BACKGROUND_ROWS rows is checked and imported in the background; its
    job's page shows the progress and then the same outcome."""
    importers = importers_for(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user, importers=importers)
    plan, refused, status = None, None, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if importers[data["kind"]].row_count(data["file"]) > settings.IMPORT_BACKGROUND_ROWS:
            return redirect(tasks.import_start(
                user=request.user, importer=data["kind"], upload=data["file"], dry_run=data["dry_run"],
                campaign=data.get("campaign"), standard_set=data.get("standard_set")))
        importer = importers[form.cleaned_data["kind"]](user=request.user, campaign=form.cleaned_data.get("campaign"),
                                                        standard_set=form.cleaned_data.get("standard_set"))
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
        "form": form, "plan": plan, "refused": refused, "importers": importers}, status=status)


@login_required
def import_template(request, kind):
    importers = importers_for(request)
    if kind not in importers or not importers[kind].has_template:
        raise Http404
    importer = importers[kind]
    response = HttpResponse(importer.template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(
        True, _("%(what)s template.xlsx") % {"what": importer.verbose_name})
    return response
