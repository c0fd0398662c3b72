from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from .event_import import parse_event_json


class ImportEventForm(forms.Form):
    event_json = forms.CharField(
        label="Event JSON",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text="In Sentry, open an event, then ⋯ → JSON; or paste an event.created webhook "
        "body.",
    )
    event_file = forms.FileField(label="…or upload the .json file", required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("event_file")
        text = data.get("event_json") or ""
        if upload and text.strip():
            raise ValidationError("Paste the JSON or upload a file, not both.")
        limit = settings.EVENT_IMPORT_MAX_BYTES
        if upload:
            if upload.size > limit:
                raise ValidationError(
                    f"The file is {upload.size / 1048576:.1f} MB; the limit is "
                    f"{limit / 1048576:.0f} MB."
                )
            raw = upload.read()
            data["source"] = "upload"
        else:
            raw = text
            data["source"] = "paste"
        data["body"] = parse_event_json(raw)
        return data
