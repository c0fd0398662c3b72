from django.db import migrations, models

# read_only keys could read every GET route; read_write keys could also change things.
RENAMES = {"read_only": "read", "read_write": "write"}


def forwards(apps, schema_editor):
    ApiKey = apps.get_model("projects", "ApiKey")
    for old, new in RENAMES.items():
        ApiKey.objects.filter(access=old).update(access=new)


def backwards(apps, schema_editor):
    ApiKey = apps.get_model("projects", "ApiKey")
    for old, new in RENAMES.items():
        ApiKey.objects.filter(access=new).update(access=old)
    # A config-only key was never less than read-only before this migration.
    ApiKey.objects.filter(access="config").update(access="read_only")


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_api_keys")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="apikey",
            name="access",
            field=models.CharField(
                choices=[
                    ("config", "Config: the config endpoint only (safe to ship in an application)"),
                    ("read", "Read: config, plus reading projects, integrations, issues and explanations"),
                    ("write", "Write: read, plus changes within the key's project and environment"),
                ],
                default="config",
                max_length=10,
            ),
        ),
    ]
