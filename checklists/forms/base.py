"""What every form shares: the date picker and Bootstrap's classes."""

from django import forms


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
