from django import forms
from django.core.exceptions import ValidationError

from sentry_manager.lib.forms import AllErrorsAtOnce

from . import services
from .validators import STANDARD_ENVIRONMENTS


class EnvironmentInput(forms.TextInput):
    """A text box offering the usual environments; any valid name may be typed."""

    template_name = "projects/widgets/environment_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["choices"] = STANDARD_ENVIRONMENTS
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-choices"
        return context


class ProjectForm(AllErrorsAtOnce):
    """Collects the fields; projects.services decides what is valid."""

    name = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"data-autofocus": ""}))
    slug = forms.CharField(
        required=False,
        max_length=100,
        help_text="Used in URLs and by applications. Leave empty to derive it from the name.",
    )
    description = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    environment = forms.CharField(
        label="Default environment",
        max_length=64,
        initial="development",
        widget=EnvironmentInput,
        help_text="development, staging, production, or your own name (a-z, 0-9, - _ .).",
    )

    def __init__(self, *args, project=None, **kwargs):
        self.project = project
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": project.name,
                "slug": project.slug,
                "description": project.description,
                "environment": project.environment,
            }
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields[
                "slug"
            ].help_text = "Changing it changes the URL applications use to fetch their config."

    def rule_errors(self, data, unchecked):
        fields = {name: value for name, value in data.items() if name not in unchecked}
        if self.project is not None and not fields.get("slug"):
            fields.pop("slug", None)  # empty: keeps the current slug
        return services.project_errors(project=self.project, unchecked=unchecked, **fields)

    def save(self, owner):
        """Create or update through the services; None (errors are on the form) if invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            if self.project is None:
                return services.create_project(owner=owner, **data)
            if not data["slug"]:
                data["slug"] = self.project.slug
            return services.update_project(self.project, **data)
        except ValidationError as error:
            self.add_error(None, error)
            return None


class TypedConfirmationForm(forms.Form):
    """Deleting asks for the exact slug (or environment) to be typed, GitHub-style: a click
    on the wrong row cannot delete what applications fetch."""

    confirm = forms.CharField(max_length=100, strip=True)

    def __init__(self, *args, expected: str, what: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected
        field = self.fields["confirm"]
        field.label = f"Type the {what} “{expected}” to confirm"
        field.widget.attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "none",
                "data-confirm-value": expected,
                "data-autofocus": "",
            }
        )
        self.what = what

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"]
        if typed != self.expected:
            raise ValidationError(
                f"That is not “{self.expected}”: type the {self.what} exactly to delete it."
            )
        return typed
