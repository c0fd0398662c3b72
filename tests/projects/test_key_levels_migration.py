"""Existing keys keep what they could do when access levels became config / read / write."""

BEFORE = [("projects", "0002_api_keys")]
AFTER = [("projects", "0003_key_access_levels")]


def test_read_only_becomes_read_and_read_write_becomes_write(django_user_model, migrate):
    old_apps = migrate(BEFORE)
    ApiKey = old_apps.get_model("projects", "ApiKey")
    User = old_apps.get_model("auth", "User")
    owner = User.objects.create(username="owner")
    for name, access in (("reader", "read_only"), ("writer", "read_write")):
        ApiKey.objects.create(owner=owner, name=name, prefix=name, key_hash="0" * 64, access=access)

    new_apps = migrate(AFTER)
    levels = dict(new_apps.get_model("projects", "ApiKey").objects.values_list("name", "access"))
    assert levels == {"reader": "read", "writer": "write"}
