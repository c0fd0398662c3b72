from django import template

register = template.Library()


@register.filter
def key_status(api_key, now):
    return api_key.status(now)
