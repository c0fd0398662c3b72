"""Background work (django.tasks on the django-tasks-db backend; `make run` starts a worker)."""

from django.tasks import task

from . import explanations


@task
def run_explanation(explanation_id: str) -> str:
    return explanations.run_explanation(explanation_id)
