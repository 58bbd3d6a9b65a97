from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404

from ..files import file_response
from ..models import Bulletin, Evidence, Job, reach_of


@login_required
def stored_file(request, name):
    """Where every stored file's link points: the record the file belongs to is looked up within
    the user's reach (an archived evidence file only for the office over its unit), else 404."""
    # a re-used file has a row on each item that uses it: one still in use answers first
    evidence = (Evidence.all_objects.for_user(request.user).select_related("unit").filter(file=name)
                .order_by(F("archived_at").asc(nulls_first=True), "pk").first())
    if evidence is not None and (not evidence.is_archived or reach_of(request.user).manages(evidence.unit)):
        return file_response(evidence.file, evidence.name)
    bulletin = Bulletin.objects.for_user(request.user).filter(file=name).first()
    if bulletin is not None:
        return file_response(bulletin.file, bulletin.filename)
    job = Job.objects.for_user(request.user).filter(Q(file=name) | Q(source=name)).first()
    if job is not None:
        return file_response(job.file if job.file.name == name else job.source,
                             job.filename if job.file.name == name else name.rsplit("/", 1)[-1])
    raise Http404
