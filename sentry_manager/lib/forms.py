"""Forms that report every error of a submit at once.

A form checks its own fields (required, a number, a date), the services check the rules. Asked
one after the other, a user fixes the name, submits, then learns the environment is wrong, then
that it needs a project. `AllErrorsAtOnce` asks the service's checker in `clean()` with whatever
did clean, and shows its errors beside the form's own.
"""

from django import forms


class AllErrorsAtOnce(forms.Form):
    def rule_errors(self, data: dict, unchecked: set[str]) -> dict[str, list[str]]:
        """The service's errors for `data`; `unchecked` fields have no clean value. Each form
        names its service's checker; a form without one has no rules beyond its fields."""
        return {}

    def clean(self):
        data = super().clean()
        unchecked = set(self._errors)
        for field, messages in self.rule_errors(data, unchecked).items():
            if field in self._errors:
                continue  # one message at a time per field: the form's own comes first
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data
