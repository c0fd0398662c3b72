"""Every user gets a personal team, and their projects and API keys move into it."""

from django.db import migrations
from django.utils.text import slugify


def _free_slug(Team, base: str) -> str:
    base = slugify(base)[:90] or "team"
    slug, number = base, 2
    while Team.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def forwards(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Team = apps.get_model("projects", "Team")
    Membership = apps.get_model("projects", "Membership")
    Project = apps.get_model("projects", "Project")
    ApiKey = apps.get_model("projects", "ApiKey")
    for user in User.objects.order_by("pk").iterator():
        team = Team.objects.create(
            name=user.username, slug=_free_slug(Team, user.username), is_personal=True
        )
        Membership.objects.create(team=team, user=user, role="owner")
        Project.objects.filter(owner=user).update(team=team)
        ApiKey.objects.filter(owner=user).update(team=team)


def backwards(apps, schema_editor):
    apps.get_model("projects", "Team").objects.filter(is_personal=True).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_teams")]

    operations = [migrations.RunPython(forwards, backwards)]
