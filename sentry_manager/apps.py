from django.apps import AppConfig


class SentryManagerConfig(AppConfig):
    """The wiring package as an app, so that self-monitoring starts with Django."""

    name = "sentry_manager"
    verbose_name = "Sentry Manager"

    def ready(self):
        from . import monitoring

        monitoring.connect_task_signals()
        monitoring.init_sentry()
