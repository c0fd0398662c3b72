"""HTMX helpers: one template and its partials, and a redirect either kind of request follows.

A full page for a normal request, a fragment (`{% partialdef %}`) when HTMX asks for one;
the django-htmx example project picks the same way with `request.htmx`.
"""

from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect


def render_page_or_fragment(request, template, fragment, context, status=200):
    """Render `template` whole, or only its `{% partialdef fragment %}` when HTMX asks."""
    name = f"{template}#{fragment}" if request.htmx else template
    return render(request, name, context, status=status)


def redirect_to(request, url):
    """HTMX follows a client redirect (HX-Redirect); a plain form post follows a normal one."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
