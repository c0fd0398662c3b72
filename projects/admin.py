from django.contrib import admin

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
