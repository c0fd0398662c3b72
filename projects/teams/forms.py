from django import forms

from .models import Membership


class TeamForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="E.g. your company or group.")


class InviteForm(forms.Form):
    email = forms.EmailField(
        help_text="The invitation link is shown to copy (and mailed when this server sends mail)."
    )
    role = forms.ChoiceField(
        choices=Membership.ROLE_CHOICES, initial=Membership.MEMBER, widget=forms.RadioSelect
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.ROLE_CHOICES)
