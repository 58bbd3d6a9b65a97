"""The forms of exports, imports, the year's turn and the account."""

import datetime
import json

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ..models import (
    Campaign,
    StandardSet,
    Unit,
    reach_of,
)


from .base import BootstrapForm, DatePicker, bootstrap


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
            refusal = cleaned.get("campaign") and self.exporters[kind].period_refusal(
                cleaned["campaign"], *cleaned["period"])
            if refusal:
                self.add_error("period", refusal)
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
