from django import forms

DATE = forms.DateInput(attrs={"type": "date"})


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, max_length=150, label="Who")
    action = forms.ChoiceField(required=False, label="Action")
    project = forms.ChoiceField(required=False, label="Project")
    since = forms.DateField(required=False, label="From", widget=DATE)
    until = forms.DateField(required=False, label="To", widget=DATE)

    def __init__(self, *args, actions, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "any"), *((name, name) for name in actions)]
        self.fields["project"].choices = [("", "any"), *((p.slug, p.name) for p in projects)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}
