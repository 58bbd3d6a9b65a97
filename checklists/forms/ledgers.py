"""The forms of the ledgers: entries with the items they count towards, duties, problems."""


from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ..models import (
    LEDGER_MODELS,
    SUBKINDS,
    ChecklistItem,
    Duty,
    LedgerEntry,
    LedgerKind,
    Problem,
    ResponsibilityList,
    Role,
    Unit,
    reach_of,
)


from .base import BootstrapForm, DatePicker, bootstrap
from .items import MultipleFileField, ValidUntilField, check_uploads


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
    valid_until = ValidUntilField()

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


class DutyForm(BootstrapForm, forms.ModelForm):
    class Meta:
        model = Duty
        fields = ["holder", "position", "is_head", "duties", "signed_on"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 2}), "signed_on": DatePicker()}

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("A signing is recorded once it has happened: not a day after today."))
        return day


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


class RenewalForm(BootstrapForm, forms.Form):
    """The year whose lists are looked for, and the day they are due (31 March unless given)."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
    deadline = forms.DateField(label=_("deadline"), required=False, widget=DatePicker())

    def __init__(self, *args, default_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_year = default_year

    def chosen(self):
        """(year, deadline) asked for, each defaulting: `default_year`, and 31 March of the year; a field
        with an error is taken as not given."""
        self.is_valid()  # a bound form keeps the fields without errors in cleaned_data
        data = getattr(self, "cleaned_data", {})
        year = data.get("year") or self.default_year
        return year, data.get("deadline") or ResponsibilityList.renewal_deadline(year)

    def clean(self):
        cleaned = super().clean()
        year, deadline = cleaned.get("year") or self.default_year, cleaned.get("deadline")
        if deadline and deadline.year != year:
            self.add_error("deadline", _("The deadline must fall in %(year)s.") % {"year": year})
        return cleaned
