"""The forms of API key pages: create a key, roll one."""

from datetime import UTC, datetime, time

from django import forms
from django.core.exceptions import ValidationError

from sentry_manager.lib.forms import AllErrorsAtOnce

from .. import access
from ..forms import EnvironmentInput
from . import services
from .models import ApiKey


def _end_of_day(day):
    return datetime.combine(day, time.max, tzinfo=UTC) if day else None


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, project):
        # "My App (my-app-2)": two projects may share a name, never a slug.
        return str(project) if project.is_active else f"{project} — inactive"


class ApiKeyForm(AllErrorsAtOnce):
    name = forms.CharField(
        max_length=100,
        help_text="Which application or script uses it.",
        widget=forms.TextInput(attrs={"data-autofocus": ""}),
    )
    project = ProjectChoiceField(
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
        label="Access level",
        choices=ApiKey.ACCESS_CHOICES,
        initial=ApiKey.CONFIG,
        widget=forms.RadioSelect,
        help_text="Config, read and write each include the one before; ci stands apart (CI "
        "credentials of one project, nothing else). Ship only config keys in applications.",
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
        "(space-separated). Give a browser only a config key.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].queryset = access.visible_projects(access.Principal(user=user))

    def rule_errors(self, data, unchecked):
        return services.api_key_errors(
            owner=self.user,
            name=data.get("name", ""),
            project=data.get("project"),
            environment=data.get("environment", ""),
            access=data.get("access", ApiKey.CONFIG),
            expires_at=_end_of_day(data.get("expires_at")),
            allowed_origins=data.get("allowed_origins", ""),
            unchecked=unchecked,
        )

    def save(self):
        """Issue the key through the services; None (errors on the form) if invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            return services.issue_api_key(
                owner=self.user,
                name=data["name"],
                project=data["project"],
                environment=data["environment"],
                access=data["access"],
                expires_at=_end_of_day(data["expires_at"]),
                allowed_origins=data["allowed_origins"],
            )
        except ValidationError as error:
            self.add_error(None, error)
            return None


class RollKeyForm(forms.Form):
    grace_hours = forms.IntegerField(
        label="Old key keeps working for (hours)", min_value=0, max_value=720, initial=24
    )
