from django import forms
from django.core.exceptions import ValidationError

from projects.forms import EnvironmentInput
from sentry_manager.lib.forms import AllErrorsAtOnce

from . import services
from .validators import DEFAULT_API_BASE_URL

TOKEN_HELP = {
    services.TOKEN_SET: "Set. Leave empty to keep it, type a new one to replace it.",
    services.TOKEN_NOT_SET: "Not set. Needed for source-map uploads and reading issues.",
    services.TOKEN_UNDECRYPTABLE: (
        f"Set, but it {services.UNDECRYPTABLE_MESSAGE} Type it again to replace it."
    ),
}


class IntegrationForm(AllErrorsAtOnce):
    """Collects the fields; integrations.services decides what is valid."""

    environment = forms.CharField(
        max_length=64,
        initial="production",
        widget=EnvironmentInput(attrs={"data-autofocus": ""}),
        help_text="development, staging, production, or your own name (a-z, 0-9, - _ .).",
    )
    dsn = forms.CharField(
        label="DSN",
        help_text="From Sentry: Project Settings → Client Keys (DSN).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    org = forms.CharField(label="Sentry organization slug", max_length=100)
    sentry_project = forms.CharField(label="Sentry project slug", max_length=100)
    api_base_url = forms.CharField(
        label="Sentry API URL",
        initial=DEFAULT_API_BASE_URL,
        max_length=200,
        help_text="https://sentry.io, a region such as https://de.sentry.io, or your own Sentry.",
    )
    traces_sample_rate = forms.FloatField(label="Traces sample rate", initial=0.1)
    replays_session_sample_rate = forms.FloatField(label="Replays session rate", initial=0.1)
    replays_on_error_sample_rate = forms.FloatField(label="Replays on-error rate", initial=1.0)
    auth_token = forms.CharField(
        label="Sentry auth token",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_auth_token = forms.BooleanField(label="Remove the stored auth token", required=False)
    webhook_secret = forms.CharField(
        label="Webhook client secret",
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_webhook_secret = forms.BooleanField(label="Remove the webhook secret", required=False)
    auto_explain = forms.BooleanField(
        label="Auto-explain new issues (Sentry webhooks)", required=False
    )

    def __init__(self, *args, project, integration=None, **kwargs):
        self.project = project
        self.integration = integration
        if integration is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                field: getattr(integration, field)
                for field in services.EDITABLE_FIELDS
                if field not in ("dsn", "is_active")
            }
        super().__init__(*args, **kwargs)
        status = services.TOKEN_NOT_SET
        if integration is not None:
            status = services.auth_token_status(integration)
            # The full DSN stays out of the page: an empty box keeps the stored one.
            self.fields["dsn"].required = False
            self.fields[
                "dsn"
            ].help_text = (
                f"Now {integration.masked_dsn}. Leave empty to keep it, or paste a new DSN."
            )
        self.fields["auth_token"].help_text = TOKEN_HELP[status]
        if status == services.TOKEN_NOT_SET:
            del self.fields["clear_auth_token"]
        has_secret = integration is not None and bool(integration.webhook_secret)
        self.fields["webhook_secret"].help_text = (
            "Set. Leave empty to keep it, type a new one to replace it."
            if has_secret
            else "The client secret of your Sentry internal integration; it signs the webhooks "
            "sent to /api/webhooks/sentry/<project id>."
        )
        if not has_secret:
            del self.fields["clear_webhook_secret"]

    def _changes(self, data: dict) -> dict:
        """The editable fields, without a DSN left empty while editing (that keeps it)."""
        fields = {name: data[name] for name in services.EDITABLE_FIELDS if name in data}
        if self.integration is not None and not fields.get("dsn"):
            fields.pop("dsn", None)
        return fields

    def _secret_changes(self, data: dict) -> tuple[dict, dict]:
        """Each write-only secret's box and its "remove" tick as one change; both at once is an
        error on the tick. Returns (changes, errors)."""
        changes, errors = {}, {}
        for field in services.ENCRYPTED_FIELDS:
            new_value, remove = data.get(field) or "", data.get(f"clear_{field}", False)
            try:
                changes.update(services.secret_change(field, new_value, remove))
            except ValidationError as conflict:
                errors[f"clear_{field}"] = conflict.messages
        return changes, errors

    def rule_errors(self, data, unchecked):
        fields = self._changes(data)
        errors = services.integration_errors(
            project=self.project,
            integration=self.integration,
            unchecked=unchecked,
            **{name: value for name, value in fields.items() if name not in unchecked},
        )
        return {**errors, **self._secret_changes(data)[1]}

    def save(self):
        """Create or update through the services; None (errors are on the form) if invalid."""
        if not self.is_valid():
            return None
        changes = {**self._changes(self.cleaned_data), **self._secret_changes(self.cleaned_data)[0]}
        try:
            if self.integration is None:
                return services.create_integration(project=self.project, **changes)
            return services.update_integration(self.integration, **changes)
        except services.IntegrationExists as exists:
            self.add_error("environment", str(exists))
        except ValidationError as error:
            self.add_error(None, error)
        return None
