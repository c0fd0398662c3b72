from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .audit import signals

        user_logged_in.connect(signals.logged_in, dispatch_uid="audit-login")
        user_login_failed.connect(signals.login_failed, dispatch_uid="audit-login-failed")
