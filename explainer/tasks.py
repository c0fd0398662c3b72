"""Background work (django.tasks on the django-tasks-db backend; `make run` starts a worker)."""

from django.tasks import task

from . import explanations, runs


@task
def run_explanation(explanation_id: str) -> str:
    return explanations.run_explanation(explanation_id)


@task
def watch_explanation(explanation_id: str, run_token: str) -> str:
    """Fails a run whose worker died (see explainer.runs); reschedules itself while alive."""
    return runs.watch(explanation_id, run_token)
