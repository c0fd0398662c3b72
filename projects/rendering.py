"""One template, its partials: a full page for a normal request, a fragment for HTMX."""

from django.shortcuts import render


def render_page_or_fragment(request, template, fragment, context, status=200):
    """Render `template` whole, or only its `{% partialdef fragment %}` when HTMX asks."""
    name = f"{template}#{fragment}" if request.htmx else template
    return render(request, name, context, status=status)
