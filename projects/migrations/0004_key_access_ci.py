from django.db import migrations, models


class Migration(migrations.Migration):
    """The ci access level: a new choice, no data to change."""

    dependencies = [("projects", "0003_key_access_levels")]

    operations = [
        migrations.AlterField(
            model_name="apikey",
            name="access",
            field=models.CharField(
                choices=[
                    ("config", "Config: the config endpoint only (safe to ship in an application)"),
                    ("read", "Read: config, plus reading projects, integrations, issues and explanations"),
                    ("write", "Write: read, plus changes within the key's project and environment"),
                    ("ci", "CI: only the CI credentials of one project (sentry-cli in a build), nothing else"),
                ],
                default="config",
                max_length=10,
            ),
        ),
    ]
