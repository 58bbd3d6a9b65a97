from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import ChecklistItem


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
        super().__init__(*args, **kwargs)
        self.item = item
        points = item.standard_item.points
        self.fields["score"].validators.append(MaxValueValidator(
            points, _("The score must be between 0 and %(points)s, the item's points.") % {"points": points}))
        self.fields["score"].widget.attrs.update({"max": points, "step": "0.5"})
        self.fields["score"].help_text = _("At most %(points)s points.") % {"points": points}
        self.fields["score"].initial = item.score if item.score is not None else points


class ReturnForm(BootstrapForm, forms.Form):
    comment = forms.CharField(label=_("Why it is returned"), widget=forms.Textarea(attrs={"rows": 3}))


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
    files = MultipleFileField(label=_("Evidence files"))

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.EVIDENCE_MAX_BYTES
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s is %(size)s; a file may be at most %(limit)s.")
                    % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        return files
