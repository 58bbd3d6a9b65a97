"""The forms of a checklist item: the unit's account, the review, and evidence files."""


from django import forms
from django.utils import timezone
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from ..models import (
    ChecklistItem,
    Verdict,
)
from ..uploads import ACCEPTED, check_evidence_file


from .base import BootstrapForm, DatePicker, bootstrap


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


class ValidUntilField(forms.DateField):
    """How long a file counts: empty (as its measure says, else for ever), or a day from today on."""

    def __init__(self, **kwargs):
        super().__init__(label=_("valid until"), required=False, widget=DatePicker(), help_text=_(
            "For a file that counts for a time only (a responsibility list for a year, a certificate)."), **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("This day has passed: a file given now counts from today on."))


# What the file picker offers: what the server accepts (uploads.ACCEPTED), and the camera and gallery.
ACCEPT = ",".join(["image/*", "video/*", *(f".{extension}" for extension in sorted(ACCEPTED))])


class EvidenceUploadForm(BootstrapForm, forms.Form):
    """Files for an item: on its own, or beside the item's text in one save (`required=False`), so that
    choosing a file never loses what was typed. On a phone the picker offers the camera and the gallery."""

    files = MultipleFileField(label=_("Evidence files"))
    valid_until = ValidUntilField()

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].required = required
        self.fields["files"].widget.attrs["accept"] = ACCEPT

    def clean_files(self):
        return check_uploads([upload for upload in self.cleaned_data["files"] if upload])


class EvidenceVersionForm(BootstrapForm, forms.Form):
    """The next version of one file, with how long it counts (empty: as the measure says, else for ever)."""

    file = forms.FileField(label=_("New version"))
    valid_until = ValidUntilField()

    def clean_file(self):
        return check_uploads([self.cleaned_data["file"]])[0]


class EvidenceVerdictForm(BootstrapForm, forms.Form):
    verdict = forms.ChoiceField(label=_("verdict"), required=False,
                                choices=[("", _("not judged")), *Verdict.choices])
    reason = forms.CharField(label=_("why not accepted"), required=False, max_length=300)


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
