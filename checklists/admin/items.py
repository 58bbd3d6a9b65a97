"""Checklist items and their review, item transitions and evidence files."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import ChecklistItem, Evidence, ItemTransition, LedgerLink, reach_of
from ..uploads import check_evidence_file
from .base import ArchiveAdmin, HistoryInReach, ReadOnly, ScopedAdmin, UNIT_SIDE, warning
from .filters import CampaignInReach, CountyFilter, DimensionFilter, LateFilter


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    score = forms.DecimalField(label=_("score"), required=False, min_value=0, max_digits=5, decimal_places=1,
                               help_text=_("Leave empty to keep each item's score."))


class ChecklistItemForm(forms.ModelForm):
    """Carries the version the user loaded, so a save over someone else's is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ChecklistItem
        fields = ["progress", "account", "score", "review_comment", "due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        self.loaded_version = cleaned.get("loaded_version")
        current = ChecklistItem.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if self.loaded_version is not None and current != self.loaded_version:
            raise forms.ValidationError(
                _("Someone else saved this item since you opened it. Reload the page to see their changes; "
                  "nothing was saved.")
            )
        return cleaned


class RecordInline(admin.TabularInline):
    """A read-only record shown under its parent to whoever may see the parent."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return self.admin_site._registry[self.parent_model].has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(RecordInline):
    model = ItemTransition
    fields = ["at", "by", "from_status", "to_status", "comment"]


class EvidenceInline(RecordInline):
    model = Evidence
    fields = ["name", "file", "size", "uploaded_by", "uploaded_at", "valid_until", "verdict", "verdict_reason"]


class LinkedEntryInline(RecordInline):
    """The ledger entries that count towards the item: where its achieved quantity comes from."""

    model = LedgerLink
    fields = ["entry"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entry")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(HistoryInReach, ScopedAdmin):
    form = ChecklistItemForm
    edit_roles = UNIT_SIDE
    list_display = ["measure", "unit", "period", "due_date", "status", "progress", "quantity_shown", "score",
                    "overdue"]
    # No date hierarchy and no filter by period: both list the distinct values of a city's items
    # on every page (1.7 s at 300,000 items); the due-date filter does the same work.
    list_filter = ["status", LateFilter, ("campaign", CampaignInReach), CountyFilter, "unit__kind",
                   ("standard_item__dimension__name", DimensionFilter), "due_date"]
    search_fields = ["unit__name", "standard_item__code", "standard_item__title", "account"]
    list_select_related = ["unit", "standard_item", "campaign"]
    ordering = ["due_date", "unit_id", "standard_item_id", "pk"]  # read off the item_due_order index
    show_full_result_count = False
    actions = ["submit_items", "approve_items", "return_items"]
    inlines = [LinkedEntryInline, EvidenceInline, TransitionInline]
    service_argument = "item"
    fields = ["campaign", "unit", "standard_item", "target", "period", "due_date", "status", "progress",
              "quantity_achieved", "account", "score", "review_comment", "submitted_at", "reviewed_by",
              "reviewed_at", "version", "loaded_version"]

    def get_readonly_fields(self, request, obj=None):
        reach = reach_of(request.user)
        editable = set()
        if obj is not None and reach.acts_for(obj.unit):
            editable |= set(ChecklistItem.UNIT_FIELDS)
        if obj is not None and reach.may_review(obj):
            editable |= {"review_comment", "due_date"} | ({"score"} if obj.is_scorable else set())
        return [f for f in self.fields if f not in editable and f != "loaded_version"]

    def may_edit(self, reach, obj):
        return reach.may_review(obj) or reach.acts_for(obj.unit)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        services.items_delete(items=[obj], user=request.user)

    def delete_queryset(self, request, queryset):
        services.items_delete(items=queryset, user=request.user)

    @admin.display(description=_("quantity target"))
    def target(self, obj):
        return obj.standard_item.target_display

    @admin.display(description=_("standard item"), ordering="standard_item__code")
    def measure(self, obj):
        title = obj.standard_item.title
        return f"{obj.standard_item.code} {title[:16]}…" if len(title) > 17 else f"{obj.standard_item.code} {title}"

    @admin.display(description=_("quantity achieved"))
    def quantity_shown(self, obj):
        target = obj.standard_item.quantity_target
        return f"{obj.quantity_achieved}/{target}" if target else obj.quantity_achieved

    @admin.display(description=_("overdue"))
    def overdue(self, obj):
        return warning(_("overdue")) if obj.is_overdue else ""

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "loaded_version"}
        if changes:
            fresh = ChecklistItem.objects.select_related("unit", "standard_item").get(pk=obj.pk)
            services.item_update(item=fresh, user=request.user, expected_version=form.loaded_version, **changes)

    @admin.action(description=_("Submit the selected items for review"))
    def submit_items(self, request, queryset):
        self.run_service(request, services.item_submit, queryset.select_related("unit"))

    def _review(self, request, queryset, action, function):
        """Ask for a comment (and for approval an optional score), then apply the service."""
        approving = function is services.item_approve
        form = ReviewForm(request.POST if "apply" in request.POST else None)
        if not approving:
            form.fields.pop("score")
            form.fields["comment"].required = True
        if form.is_valid():
            self.run_service(request, function, queryset.select_related("unit", "standard_item"),
                             **form.cleaned_data)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": self.actions_descriptions[action],
            "form": form,
            "queryset": queryset.select_related("unit", "standard_item"),
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/checklists/review_action.html", context)

    actions_descriptions = {
        "approve_items": _("Approve the selected submitted items"),
        "return_items": _("Return the selected items with a comment"),
    }

    @admin.action(description=_("Approve the selected submitted items"))
    def approve_items(self, request, queryset):
        return self._review(request, queryset, "approve_items", services.item_approve)

    @admin.action(description=_("Return the selected items with a comment"))
    def return_items(self, request, queryset):
        return self._review(request, queryset, "return_items", services.item_return)


@admin.register(ItemTransition)
class ItemTransitionAdmin(ReadOnly, ScopedAdmin):
    list_display = ["item", "from_status", "to_status", "by", "at", "comment"]
    list_filter = ["to_status", "at"]
    search_fields = ["item__unit__name", "comment"]
    list_select_related = ["item__unit", "item__standard_item", "by"]


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["item", "entry", "problem", "file", "valid_until"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        return check_evidence_file(upload) if isinstance(upload, UploadedFile) else upload

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:  # only its validity changes; a new file is a new version, on the item's page
            return cleaned
        owners = [cleaned.get(name) for name in ("item", "entry", "problem") if cleaned.get(name)]
        if len(owners) != 1:
            raise forms.ValidationError(_("Attach the file to exactly one item, ledger entry or problem."))
        blocker = services.evidence_attach_blocker(owners[0])
        if blocker:
            raise forms.ValidationError(blocker)
        return cleaned


@admin.register(Evidence)
class EvidenceAdmin(ArchiveAdmin, HistoryInReach, ScopedAdmin):
    form = EvidenceForm
    edit_roles = UNIT_SIDE
    list_display = ["name", "unit", "belongs_to", "size", "uploaded_by", "uploaded_at", "valid_until", "verdict"]
    list_filter = [CountyFilter, "uploaded_at", "verdict"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit", "uploaded_by", "item__standard_item", "item__unit", "entry", "problem"]
    autocomplete_fields = ["item", "entry", "problem"]

    def may_edit(self, reach, obj):
        return reach.may_review(obj) or reach.acts_for(obj.unit)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "item", "entry", "problem", "file"] if obj is not None else fields

    @admin.display(description=_("belongs to"))
    def belongs_to(self, obj):
        return obj.owner

    def save_model(self, request, obj, form, change):
        if change:
            services.evidence_set_validity(evidence=obj, valid_until=form.cleaned_data["valid_until"],
                                           user=request.user)
            return
        services.evidence_attach(
            owner=form.cleaned_data["item"] or form.cleaned_data["entry"] or form.cleaned_data["problem"],
            upload=form.cleaned_data["file"], user=request.user, evidence=obj,
            valid_until=form.cleaned_data["valid_until"],
        )
