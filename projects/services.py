"""Project actions. Pages, the JSON API and the admin all call these, so they cannot drift."""

import copy
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .audit.services import diff, record
from .models import Project
from .teams.services import personal_team
from .validators import PROJECT_SLUG_MAX_LENGTH, validate_environment_name

EDITABLE_FIELDS = ("name", "slug", "description", "environment")


def environment_or_default(requested: str | None, default: str) -> str:
    """The environment a request means: the one it names, else the project's default.

    The config endpoint and the explainer both ask this. Raises ValidationError (code
    invalid_environment) for a name that cannot be an environment.
    """
    if requested is None:
        return default
    validate_environment_name(requested)
    return requested


def slug_from_name(name: str) -> str:
    # slugify keeps "_" and can leave "--", which a project slug may not have.
    base = re.sub(r"[_-]+", "-", slugify(name))[: PROJECT_SLUG_MAX_LENGTH - 10].strip("-")
    return base or "project"


def unique_slug(name: str) -> str:
    """`My App` → `my-app`, or `my-app-2`, `my-app-3`… when taken."""
    base = slug_from_name(name)
    taken = set(
        Project.objects.filter(slug__regex=rf"^{base}(-[0-9]+)?$").values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _clean(project: Project) -> None:
    project.name = (project.name or "").strip()
    project.description = (project.description or "").strip()
    project.slug = (project.slug or "").strip()
    project.full_clean()


def project_errors(*, project=None, unchecked=frozenset(), **fields) -> dict[str, list[str]]:
    """Every reason `fields` cannot make (or change `project` into) a valid project, by field.

    `unchecked` fields have no known value and are not checked; an empty slug on a new
    project is generated, so it is not checked either.
    """
    candidate = Project(owner_id=None) if project is None else copy.copy(project)
    for field, value in fields.items():
        setattr(candidate, field, value)
    exclude = {
        "owner",
        "team",
        *unchecked,
        *(name for name in EDITABLE_FIELDS if name not in fields),
    }
    if project is None and not (fields.get("slug") or "").strip():
        exclude.add("slug")
    try:
        candidate.name = (candidate.name or "").strip()
        candidate.slug = (candidate.slug or "").strip()
        candidate.full_clean(exclude=sorted(exclude))
    except ValidationError as error:
        return error.message_dict
    return {}


def create_project(
    *,
    owner,
    name: str,
    description: str = "",
    environment: str = "development",
    slug=None,
    team=None,
) -> Project:
    """Create a project in `team` (the owner's personal team when None); the slug comes from
    the name unless given. Raises ValidationError."""
    explicit_slug = bool(slug and slug.strip())
    team = team or personal_team(owner)
    for _attempt in range(5):
        project = Project(
            team=team,
            owner=owner,
            name=name,
            description=description,
            environment=environment,
            slug=slug if explicit_slug else unique_slug((name or "").strip()),
        )
        _clean(project)
        try:
            with transaction.atomic():
                project.save(force_insert=True)
                record("project.created", project=project, target=project)
            return project
        except IntegrityError as error:
            # Another request took the slug between the check and the insert.
            if explicit_slug:
                raise ValidationError(
                    {"slug": "The slug is already taken by another project."}
                ) from error
    raise ValidationError({"slug": "Could not find a free slug; give one explicitly."})


def update_project(project: Project, **changes) -> Project:
    """Change the editable fields given in `changes`. Raises ValidationError, saving nothing."""
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"is_active"}
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    original = {field: getattr(project, field) for field in changes}
    for field, value in changes.items():
        setattr(project, field, value)
    try:
        _clean(project)
        with transaction.atomic():
            project.save()
            changed = diff(original, {field: getattr(project, field) for field in changes})
            if changed:
                record("project.changed", project=project, target=project, changes=changed)
    except (ValidationError, IntegrityError) as error:
        for field, value in original.items():
            setattr(project, field, value)
        if isinstance(error, IntegrityError):
            raise ValidationError(
                {"slug": "The slug is already taken by another project."}
            ) from error
        raise
    return project


def set_project_active(project: Project, active: bool) -> Project:
    project.is_active = active
    with transaction.atomic():
        project.save(update_fields=["is_active", "updated_at"])
        action = "project.reactivated" if active else "project.deactivated"
        record(action, project=project, target=project)
    return project


def delete_project(project: Project) -> None:
    with transaction.atomic():
        record("project.deleted", team=project.team, target=project)
        project.delete()
