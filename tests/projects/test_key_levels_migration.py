"""Existing keys keep what they could do when access levels became config / read / write."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("projects", "0002_api_keys")]
AFTER = [("projects", "0003_key_access_levels")]


@pytest.mark.django_db(transaction=True)
def test_read_only_becomes_read_and_read_write_becomes_write(django_user_model):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    ApiKey = old_apps.get_model("projects", "ApiKey")
    User = old_apps.get_model("auth", "User")
    owner = User.objects.create(username="owner")
    for name, access in (("reader", "read_only"), ("writer", "read_write")):
        ApiKey.objects.create(owner=owner, name=name, prefix=name, key_hash="0" * 64, access=access)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    levels = dict(new_apps.get_model("projects", "ApiKey").objects.values_list("name", "access"))
    assert levels == {"reader": "read", "writer": "write"}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the schema as the suite expects
