from datetime import UTC, datetime, time

from django import forms
from django.core.exceptions import ValidationError

from . import api_keys, services
from .access import visible_projects
from .models import ApiKey
from .validators import STANDARD_ENVIRONMENTS


class EnvironmentInput(forms.TextInput):
    """A text box offering the usual environments; any valid name may be typed."""

    template_name = "projects/widgets/environment_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["choices"] = STANDARD_ENVIRONMENTS
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-choices"
        return context


class ProjectForm(forms.Form):
    """Collects the fields; projects.services decides what is valid."""

    name = forms.CharField(max_length=100)
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


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Which application or script uses it.")
    project = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All my projects",
        help_text="Restrict the key to one project.",
    )
    environment = forms.CharField(
        required=False,
        max_length=64,
        widget=EnvironmentInput,
        help_text="Restrict it to one environment of that project (optional).",
    )
    access = forms.ChoiceField(
        choices=ApiKey.ACCESS_CHOICES, initial=ApiKey.READ_ONLY, widget=forms.RadioSelect
    )
    expires_at = forms.DateField(
        label="Expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: never expires.",
    )
    allowed_origins = forms.CharField(
        label="Allowed browser origins",
        required=False,
        help_text="Only for keys used from front-end code, e.g. https://app.example.com "
        "(space-separated). Never give a browser a read-write key.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].queryset = visible_projects(user)

    def save(self):
        """Issue the key through the services; None (errors on the form) if invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        expires_at = None
        if data["expires_at"]:
            expires_at = datetime.combine(data["expires_at"], time.max, tzinfo=UTC)
        try:
            return api_keys.issue_api_key(
                owner=self.user,
                name=data["name"],
                project=data["project"],
                environment=data["environment"],
                access=data["access"],
                expires_at=expires_at,
                allowed_origins=data["allowed_origins"],
            )
        except ValidationError as error:
            self.add_error(None, error)
            return None


class RollKeyForm(forms.Form):
    grace_hours = forms.IntegerField(
        label="Old key keeps working for (hours)", min_value=0, max_value=720, initial=24
    )
