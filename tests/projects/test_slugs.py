import pytest
from django.core.exceptions import ValidationError

from projects.models import Project
from projects.services import create_project, update_project

pytestmark = pytest.mark.django_db


def test_slug_is_generated_from_the_name(user):
    assert create_project(owner=user, name="My App").slug == "my-app"


def test_slug_is_suffixed_on_collision_across_owners(user, other_user):
    create_project(owner=user, name="My App")
    assert create_project(owner=other_user, name="My App").slug == "my-app-2"
    assert create_project(owner=user, name="my app!").slug == "my-app-3"


def test_name_without_letters_gets_a_usable_slug(user):
    assert create_project(owner=user, name="!!!").slug == "project"


def test_unicode_name_is_transliterated_or_dropped(user):
    assert create_project(owner=user, name="Café Über").slug == "cafe-uber"


def test_explicit_slug_is_used(user):
    assert create_project(owner=user, name="My App", slug="backend").slug == "backend"


@pytest.mark.parametrize(
    "slug", ["Has Caps", "under_score", "-leading", "trailing-", "a--b", "x" * 101]
)
def test_malformed_slug_is_rejected_and_nothing_stored(user, slug):
    with pytest.raises(ValidationError) as error:
        create_project(owner=user, name="My App", slug=slug)
    assert "slug" in error.value.message_dict
    assert Project.objects.count() == 0


def test_taken_slug_is_rejected_on_create_and_update(user, other_user):
    create_project(owner=other_user, name="Taken", slug="taken")
    with pytest.raises(ValidationError) as error:
        create_project(owner=user, name="Mine", slug="taken")
    assert error.value.message_dict["slug"] == ["The slug is already taken by another project."]

    mine = create_project(owner=user, name="Mine")
    with pytest.raises(ValidationError):
        update_project(mine, slug="taken")
    mine.refresh_from_db()
    assert mine.slug == "mine"
