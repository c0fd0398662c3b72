# One import per event. A migration of its own: PostgreSQL cannot alter a table in the
# transaction that just merged its duplicate rows (0004), with deferred triggers pending.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('explainer', '0004_rca_fields_and_merge_duplicate_imports'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='importedevent',
            constraint=models.UniqueConstraint(fields=('project', 'event_id'), name='one_import_per_event'),
        ),
    ]
