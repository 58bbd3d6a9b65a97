import datetime
import json

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .models import (
    LEDGER_MODELS,
    Campaign,
    SUBKINDS,
    ChecklistItem,
    Duty,
    LedgerEntry,
    LedgerKind,
    Problem,
    Role,
    StandardSet,
    Unit,
    Verdict,
    reach_of,
)
from .uploads import check_evidence_file


class DatePicker(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates only: in the localised format
    (2023/04/21 in Chinese) it showed an empty field, and a re-saved form lost the date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def bootstrap(form):
    """Give a form's widgets Bootstrap's classes."""
    for field in form.fields.values():
        widget = field.widget
        css = ("form-check-input" if isinstance(widget, forms.CheckboxInput)
               else "form-select form-select-sm" if isinstance(widget, forms.Select)
               else "form-control form-control-sm")
        widget.attrs["class"] = css
    return form


class BootstrapForm:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ItemUnitForm(BootstrapForm, forms.ModelForm):
    """What a unit may change on its item; `version` is what the user loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ChecklistItem
        fields = ["progress", "account"]
        widgets = {"account": forms.Textarea(attrs={"rows": 5}),
                   "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 10})}


class ApproveForm(BootstrapForm, forms.Form):
    score = forms.DecimalField(label=_("score"), min_value=0, max_digits=5, decimal_places=1)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("auto_id", "approve_%s")  # beside the return form on one page: ids of its own
        super().__init__(*args, **kwargs)
        self.item = item
        points = item.standard_item.points
        self.fields["score"].validators.append(MaxValueValidator(
            points, _("The score must be between 0 and %(points)s, the item's points.") % {"points": points}))
        self.fields["score"].widget.attrs.update({"max": points, "step": "0.5",
                                                  "placeholder": item.suggested_score})
        self.fields["score"].help_text = _("Suggested: %(suggested)s (the item's %(points)s points × its "
                                           "completion %(share)s%%); at most %(points)s points.") % {
            "suggested": item.suggested_score, "points": points, "share": round(100 * item.completion_share)}
        self.fields["score"].initial = item.score


class BulkReviewForm(BootstrapForm, forms.Form):
    """Many submitted items at once: approved, each with a score (the item's points × its completion
    offered), or returned with one comment."""

    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items, approving, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        if approving:
            for item in items:
                points = item.standard_item.points
                self.fields[f"score_{item.pk}"] = forms.DecimalField(
                    label=_("score of %(item)s") % {"item": item}, min_value=0, max_value=points, max_digits=5,
                    decimal_places=1, initial=item.suggested_score,
                    widget=forms.NumberInput(attrs={"step": "0.5", "max": points, "min": 0}))
        else:
            self.fields["comment"].required = True
            self.fields["comment"].label = _("Why they are returned")
        bootstrap(self)

    def rows(self):
        """Each item with its score field (None when returning)."""
        return [(item, self[f"score_{item.pk}"] if f"score_{item.pk}" in self.fields else None)
                for item in self.items]

    def decisions(self):
        return [(item, self.cleaned_data[f"score_{item.pk}"]) for item in self.items]


class ReturnForm(BootstrapForm, forms.Form):
    comment = forms.CharField(label=_("Why it is returned"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "return_%s")
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, each checked as a file (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        return [single(each, initial) for each in data] if isinstance(data, (list, tuple)) else [
            single(data, initial)]


class EvidenceUploadForm(BootstrapForm, forms.Form):
    """Files for an item: on its own, or beside the item's text in one save (`required=False`), so that
    choosing a file never loses what was typed. On a phone the picker offers the camera and the gallery."""

    files = MultipleFileField(label=_("Evidence files"))
    valid_until = forms.DateField(
        label=_("valid until"), required=False, widget=DatePicker(),
        help_text=_("For a file that counts for a time only (a responsibility list for a year, a certificate)."))

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].required = required
        self.fields["files"].widget.attrs["accept"] = "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt,.zip,video/*"

    def clean_files(self):
        return check_uploads([upload for upload in self.cleaned_data["files"] if upload])


class EvidenceVersionForm(BootstrapForm, forms.Form):
    """The next version of one file, with how long it counts (empty: as the measure says, else for ever)."""

    file = forms.FileField(label=_("New version"))
    valid_until = forms.DateField(label=_("valid until"), required=False, widget=DatePicker())

    def clean_file(self):
        return check_uploads([self.cleaned_data["file"]])[0]


class EvidenceVerdictForm(BootstrapForm, forms.Form):
    verdict = forms.ChoiceField(label=_("verdict"), required=False,
                                choices=[("", _("not judged")), *Verdict.choices])
    reason = forms.CharField(label=_("why not accepted"), required=False, max_length=300)


class ItemPickerWidget(forms.SelectMultiple):
    """Each option says whose item it is (data-unit), so that the picker offers only the items of the
    unit chosen in the form (js/picker.js)."""

    units = {}  # item pk -> unit pk, filled as the choices are read

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        unit = self.units.get(getattr(value, "value", value))
        if unit is not None:
            option["attrs"]["data-unit"] = unit
        return option


class ItemPickerField(forms.ModelMultipleChoiceField):
    """Checklist items grouped by task list, the newest list first, each named by its code, title,
    period and due date (and unit, for a user working for several); searched by typing (Tom Select)."""

    show_unit = False
    widget = ItemPickerWidget

    def label_from_instance(self, item):
        label = _("%(code)s %(title)s · %(period)s · due %(due)s") % {
            "code": item.standard_item.code, "title": item.standard_item.title[:30], "period": item.period,
            "due": date_format(item.due_date)}
        return f"{label} · {item.unit}" if self.show_unit else label

    def _get_choices(self):
        groups, units = {}, {}
        for item in self.queryset.select_related("campaign"):
            groups.setdefault(str(item.campaign), []).append((item.pk, self.label_from_instance(item)))
            units[item.pk] = item.unit_id
        self.widget.units = units
        return list(groups.items())

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class LedgerEntryForm(BootstrapForm, forms.ModelForm):
    """One form for every ledger kind: the shared fields, the kind's own, the items it counts towards."""

    items = ItemPickerField(
        label=_("Counts towards these checklist items"), queryset=ChecklistItem.objects.none(), required=False,
        help_text=_("Type part of a code or title to find an item; choose as many as apply. Only your unit's "
                    "items that are not submitted or approved are listed; links to those stay until the office "
                    "returns them."))
    files = MultipleFileField(label=_("Evidence files"), required=False)

    class Meta:
        model = LedgerEntry
        fields = ["unit", "subkind", "title", "occurred_on", "place", "count", "participants", "materials",
                  "description"]
        widgets = {"occurred_on": DatePicker(),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, kind, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = kind
        model = LEDGER_MODELS[kind]
        self.fields["subkind"].choices = [("", "---------"), *SUBKINDS[kind].choices]
        units = units_for_entries(user, kind)
        self.fields["unit"].queryset = units
        if not self.instance.pk and len(units) == 1:
            self.initial["unit"] = units[0].pk
        if "inspector_unit" in self.fields:
            offices = Unit.objects.filter(pk__in=[m.unit_id for m in user.memberships.filter(role=Role.OFFICE)])
            self.fields["inspector_unit"].queryset = Unit.objects.for_user(user) | offices
            if not self.instance.pk and offices:
                self.initial["inspector_unit"] = offices[0].pk
        self.order_fields(["unit", "subkind", "title", "occurred_on", "place", *model.KIND_FIELDS])
        self.fields["items"].show_unit = len(units) > 1
        self.fields["items"].queryset = (
            ChecklistItem.objects.for_user(user).filter(unit__in=units)
            .exclude(status__in=ChecklistItem.LOCKED_STATUSES)
            .select_related("standard_item", "unit").order_by("-campaign__year", "due_date", "standard_item__code"))
        self.fields["items"].widget.attrs.update({"data-picker": "", "size": 8,
                                                  "data-placeholder": _("Type a code or part of a title…"),
                                                  "data-none": _("No item of yours matches.")})
        if kind == LedgerKind.VISIT:  # a visit counts visits: how many attended or copies mean nothing here
            for name in ("participants", "materials"):
                del self.fields[name]
        if self.instance.pk:
            self.fields["items"].initial = list(self.instance.items.exclude(
                status__in=ChecklistItem.LOCKED_STATUSES).values_list("pk", flat=True))
        bootstrap(self)

    def clean_files(self):
        return check_uploads(self.cleaned_data.get("files") or [])


def ledger_form(kind):
    """The form class of one ledger kind: the shared fields and the kind's own."""
    fields = [*LedgerEntryForm.Meta.fields, *LEDGER_MODELS[kind].KIND_FIELDS]
    return forms.modelform_factory(LedgerEntry, form=LedgerEntryForm, fields=fields)


def units_for_entries(user, kind):
    """Units whose ledger of this kind the user keeps (`Reach.may_keep_ledger`)."""
    return Unit.objects.for_user(user).filter(reach_of(user).q_keeps_ledger(kind))


def check_uploads(files):
    errors = []
    for upload in files:
        try:
            check_evidence_file(upload)
        except forms.ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise forms.ValidationError(errors)
    return files


class DutyForm(BootstrapForm, forms.ModelForm):
    class Meta:
        model = Duty
        fields = ["holder", "position", "is_head", "duties", "signed_on"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 2}), "signed_on": DatePicker()}


DutyFormSet = forms.inlineformset_factory(LedgerEntry, Duty, form=DutyForm, fk_name="responsibility_list",
                                          extra=2, can_delete=True)


class ProblemFoundForm(BootstrapForm, forms.ModelForm):
    class Meta:
        model = Problem
        fields = ["description", "deadline"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "deadline": DatePicker()}


ProblemFormSet = forms.inlineformset_factory(LedgerEntry, Problem, form=ProblemFoundForm, fk_name="source",
                                             extra=1, can_delete=False)  # rows are added on the page


class RectificationForm(BootstrapForm, forms.Form):
    rectification = forms.CharField(label=_("What was done to rectify it"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Evidence files"), required=False)

    def clean_files(self):
        return check_uploads(self.cleaned_data.get("files") or [])


class VerifyForm(BootstrapForm, forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExportForm(BootstrapForm, forms.Form):
    kind = forms.ChoiceField(label=_("Workbook"))
    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=Campaign.objects.none())
    period = forms.CharField(label=_("Period"))
    county = forms.ModelChoiceField(label=_("county or district"), queryset=Unit.objects.none(), required=False,
                                    empty_label=_("All I reach"))
    issue = forms.BooleanField(label=_("Issue it: numbered as the next issue (第N期), kept as issued and listed "
                                       "under issued reports; it is never written again"), required=False)

    def __init__(self, *args, user, exporters, **kwargs):
        super().__init__(*args, **kwargs)
        self.exporters = exporters
        reach = reach_of(user)
        if not (reach.is_all or reach.office_paths):
            del self.fields["issue"]
        self.fields["kind"].choices = [(key, exporter.verbose_name) for key, exporter in exporters.items()]
        self.fields["period"].help_text = "；".join(
            f"{exporter.verbose_name}{pgettext('after a label', ': ')}{exporter.period_help}"
            for exporter in exporters.values())
        self.fields["campaign"].queryset = Campaign.objects.for_user(user)
        self.fields["county"].queryset = Unit.objects.for_user(user).counties()
        # Recent periods offered by the workbook chosen (js/export.js); typed text is read leniently.
        self.fields["period"].widget.attrs["data-inputs"] = json.dumps(
            {key: exporter.period_input for key, exporter in exporters.items()})
        bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        kind, period = cleaned.get("kind"), cleaned.get("period")
        if kind and period:
            try:
                cleaned["period"] = self.exporters[kind].period_bounds(period)
            except ValueError as error:
                self.add_error("period", str(error))
        return cleaned


class NextYearForm(forms.Form):
    """生成下一年度任务清单 (in the admin): the year and the standard set version of the new list."""

    year = forms.IntegerField(label=_("year"))
    standard_set = forms.ModelChoiceField(label=_("standard set"), queryset=StandardSet.objects.none(),
                                          help_text=_("The same version, or a revised one."))

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(min=campaign.year + 1, max=campaign.year + 10)
        self.fields["year"].validators.append(MinValueValidator(campaign.year + 1))
        self.fields["year"].validators.append(MaxValueValidator(campaign.year + 10))
        self.fields["standard_set"].queryset = StandardSet.objects.for_user(user).select_related("owner")

    @staticmethod
    def initial_for(campaign):
        """Next year, on the newest version of the list's standard set."""
        current = campaign.standard_set
        newest = StandardSet.objects.filter(owner=current.owner, name=current.name).order_by("-version").first()
        return {"year": campaign.year + 1, "standard_set": (newest or current).pk}


class YearTurnForm(BootstrapForm, forms.Form):
    """The year's turn: carry the chosen unfinished items into next year's list, due on a day, or close
    them as not done, with the reason."""

    action = forms.ChoiceField(choices=[("carry", _("Carry over into next year's list")),
                                        ("close", _("Close as not done"))], widget=forms.HiddenInput)
    due_date = forms.DateField(label=_("due date of the carried items"), required=False, widget=DatePicker())
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = datetime.date(campaign.year + 1, 3, 31)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "carry" and not cleaned.get("due_date"):
            self.add_error("due_date", _("Give the day the carried items are due."))
        if cleaned.get("action") == "close" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason the items were not done."))
        return cleaned


class ImportForm(BootstrapForm, forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=Campaign.objects.none(), required=False,
                                      help_text=_("For a task list: the task list it belongs to."))
    standard_set = forms.ModelChoiceField(label=_("standard set"), queryset=StandardSet.objects.none(),
                                          required=False, help_text=_("For a standard set: the set it fills."))
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only: show what would change, write nothing"), required=False,
                                 initial=True)

    def __init__(self, *args, user, importers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(key, importer.verbose_name) for key, importer in importers.items()]
        reach = reach_of(user)
        self.fields["campaign"].queryset = Campaign.objects.filter(reach.q("owner"))
        self.fields["standard_set"].queryset = StandardSet.objects.filter(reach.q("owner"))
        for name, kind in (("campaign", "tasks"), ("standard_set", "standards")):
            if kind not in importers:  # a liaison imports only its checklist: no field that cannot apply
                del self.fields[name]
        bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "tasks" and not cleaned.get("campaign"):
            self.add_error("campaign", _("Choose the task list the tasks belong to."))
        if cleaned.get("kind") == "standards" and not cleaned.get("standard_set"):
            self.add_error("standard_set", _("Choose the standard set the measures belong to."))
        return cleaned


class AccountLanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of my emails"), choices=settings.LANGUAGES)
