"""DSN reveals and copies were recorded in their own table; they now live in the audit log."""

from django.db import migrations


def move_to_audit_log(apps, schema_editor):
    DsnRevealEvent = apps.get_model("integrations", "DsnRevealEvent")
    AuditEntry = apps.get_model("projects", "AuditEntry")
    for event in DsnRevealEvent.objects.select_related("user", "integration__project"):
        project = event.integration.project
        entry = AuditEntry.objects.create(
            team_id=project.team_id,
            action="dsn.revealed" if event.action == "reveal" else "dsn.copied",
            actor_user=event.user,
            actor=event.user.username if event.user else "",
            project=project,
            target_type="sentryintegration",
            target_id=str(event.integration_id),
            target=f"{project.name} · {event.integration.environment}",
        )
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=event.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0003_browser_loader"),
        ("projects", "0008_audit_log"),
    ]

    operations = [
        migrations.RunPython(move_to_audit_log, migrations.RunPython.noop),
        migrations.DeleteModel(name="DsnRevealEvent"),
    ]
