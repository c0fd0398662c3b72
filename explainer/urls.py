from django.urls import path

from . import views

app_name = "explainer"
urlpatterns = [
    path("projects/<slug:slug>/issues", views.issue_list, name="issues"),
    path("projects/<slug:slug>/issues/<int:issue_id>", views.issue_detail, name="issue"),
    path("projects/<slug:slug>/events/import", views.import_event, name="import-event"),
    path(
        "projects/<slug:slug>/events/<uuid:event_pk>",
        views.imported_event,
        name="imported-event",
    ),
]
