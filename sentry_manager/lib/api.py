"""Shared pieces of the JSON API: the base view and strict JSON field types."""

from django.contrib.auth.decorators import login_not_required
from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import APIView


class ApiView(APIView):
    """Base for every JSON API view: DRF authenticates, not the login-page redirect.

    `policy_actions` maps each method to what it asks to do (an access-policy action); the
    permission class in settings checks it before the handler runs.
    """

    policy_actions: dict = {}

    @property
    def policy_action(self):
        method = "GET" if self.request.method == "HEAD" else self.request.method
        return self.policy_actions.get(method)

    def paginated(self, queryset, serialize):
        """One page of `queryset` as `{"count", "next", "previous", "results"}`;
        `serialize(rows)` turns the page's rows into JSON."""
        # List views name their pagination_class so that the OpenAPI schema shows the page.
        paginator = (getattr(self, "pagination_class", None) or PageNumberPagination)()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(serialize(page))

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))


NOT_BLANK = RegexValidator(r"\S", "Must not be blank.")


class StrictCharField(serializers.CharField):
    """A JSON string, and nothing that merely converts to one (123, true, lists)."""

    default_error_messages = {"invalid": "Must be a string."}

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return data


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictFloatField(serializers.FloatField):
    default_error_messages = {"invalid": "Must be a number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class InputSerializer(serializers.Serializer):
    """Rejects fields it does not know, so a typo in a script is an error, not a no-op."""

    ignored_fields: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = set(self.fields) | set(self.ignored_fields)
            unknown = sorted(key for key in data if key not in known)
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
            data = {key: value for key, value in data.items() if key in self.fields}
        return super().to_internal_value(data)
