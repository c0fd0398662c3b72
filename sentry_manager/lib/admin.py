"""Admin helpers: saving through the apps' service functions instead of ModelForm.save()."""


def adopt(instance, saved) -> None:
    """Make the admin's unsaved `instance` the row a service created (`saved`), so that the
    admin's log entry and redirect name the real row."""
    for field in instance._meta.concrete_fields:
        setattr(instance, field.attname, getattr(saved, field.attname))
    instance._state.adding = False
    instance._state.db = saved._state.db
