from django.urls import path

from ..audit import views as audit_views
from . import views

app_name = "teams"
team = "teams/<slug:slug>"
urlpatterns = [
    path("teams", views.team_list, name="list"),
    path("teams/switch", views.switch, name="switch"),
    path(team, views.team_detail, name="detail"),
    path(f"{team}/invite", views.invite, name="invite"),
    path(f"{team}/members/<int:member_id>/role", views.change_role, name="change-role"),
    path(f"{team}/members/<int:member_id>/remove", views.remove_member, name="remove-member"),
    path(f"{team}/leave", views.leave, name="leave"),
    path(f"{team}/rotation", views.rotation, name="rotation"),
    path(f"{team}/audit", audit_views.audit_log, name="audit"),
    path(
        f"{team}/invitations/<uuid:invitation_id>/revoke",
        views.revoke_invitation,
        name="revoke-invitation",
    ),
    path("invitations/<str:token>", views.accept, name="accept"),
]
