"""Trivial tasks for the task-tracing tests."""

from django.tasks import task


@task
def add(a, b):
    return a + b


@task
def fail():
    raise ValueError("task failed with token=sntrys_PLANTEDintask")
