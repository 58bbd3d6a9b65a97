from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..filters import ProblemFilter
from ..forms import RectificationForm, VerifyForm
from ..models import Problem, ProblemStatus, reach_of
from ..tables import ProblemTable, configure
from .access import get_problem_for_user


@login_required
def problem_list(request):
    problems = Problem.objects.for_user(request.user).select_related("unit").order_by("-found_on", "-pk")
    filterset = ProblemFilter(request.GET, queryset=problems, request=request)
    table = ProblemTable(filterset.qs)
    configure(request, table)
    return render(request, "checklists/problem_list.html", {"filter": filterset, "table": table})


def render_problem(request, problem, status=200, **forms):
    reach = reach_of(request.user)
    context = {"problem": problem, "acts_for": reach.acts_for(problem.unit), "manages": reach.may_review(problem),
               "evidence": problem.evidence.select_related("uploaded_by"),
               "transitions": problem.transitions.select_related("by")}
    if context["acts_for"] and problem.status == ProblemStatus.OPEN:
        forms.setdefault("report_form", RectificationForm(initial={"rectification": problem.rectification}))
    if context["manages"] and problem.status == ProblemStatus.REPORTED:
        forms.setdefault("verify_form", VerifyForm())
    return render(request, "checklists/problem_detail.html", {**context, **forms}, status=status)


@login_required
def problem_detail(request, pk):
    return render_problem(request, get_problem_for_user(request, pk))


@require_POST
@login_required
def problem_report(request, pk):
    problem = get_problem_for_user(request, pk)
    form = RectificationForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_problem(request, problem, 400, report_form=form)
    try:
        problem = services.problem_report_rectification(
            problem=problem, user=request.user, rectification=form.cleaned_data["rectification"])
        for upload in form.cleaned_data["files"]:
            services.evidence_attach(owner=problem, upload=upload, user=request.user)
    except services.NotPermitted as error:
        return render_problem(request, problem, 403, error=str(error))
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Rectification reported to the office."))
    return redirect(problem)


def _verify(request, pk, function, success, comment_required=False):
    problem = get_problem_for_user(request, pk)
    form = VerifyForm(request.POST)
    form.fields["comment"].required = comment_required
    if not form.is_valid():
        return render_problem(request, problem, 400, verify_form=form)
    try:
        function(problem=problem, user=request.user, comment=form.cleaned_data["comment"])
    except services.NotPermitted as error:
        return render_problem(request, problem, 403, error=str(error))
    except services.ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(problem)


@require_POST
@login_required
def problem_close(request, pk):
    return _verify(request, pk, services.problem_close, _("Verified and closed."))


@require_POST
@login_required
def problem_send_back(request, pk):
    return _verify(request, pk, services.problem_send_back, _("Sent back to the unit."), comment_required=True)
