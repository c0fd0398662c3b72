"""Admin: projects, changed through projects.services like the pages and the API."""

from django.contrib import admin

from sentry_manager.lib.admin import adopt

from . import access, services
from .keys import admin as keys_admin  # noqa: F401  (registers the API key admin)
from .models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "environment", "is_active", "created_at"]
    list_filter = ["is_active", "environment"]
    search_fields = ["name", "slug", "description", "owner__username", "owner__email"]
    list_select_related = ["owner"]
    readonly_fields = ["id", "created_at", "updated_at"]
    autocomplete_fields = ["owner"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(pk__in=access.visible_projects(access.for_admin(request)))

    def get_readonly_fields(self, request, obj=None):
        # The owner is chosen at creation; no service moves a project to another owner.
        return [*self.readonly_fields, "owner"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            fields = [name for name in services.EDITABLE_FIELDS if name in form.changed_data]
            fresh = Project.objects.get(pk=obj.pk)
            services.update_project(fresh, **{name: data[name] for name in fields})
            if "is_active" in form.changed_data:
                services.set_project_active(fresh, data["is_active"])
            return
        created = services.create_project(
            owner=data["owner"],
            name=data["name"],
            slug=data["slug"],
            description=data.get("description", ""),
            environment=data["environment"],
        )
        if not data.get("is_active", True):
            services.set_project_active(created, False)
        adopt(obj, created)

    def delete_model(self, request, obj):
        services.delete_project(obj)

    def delete_queryset(self, request, queryset):
        for project in queryset:
            services.delete_project(project)
