import logging

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.views import LogoutView
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The reason names the database's host and port: logged, never shown to callers.
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
def password_reset(request):
    """Reset by email when mail is configured; otherwise a page saying why it is not offered
    (a link mailed through no mail server would silently never arrive)."""
    if settings.PASSWORD_RESET_BY_EMAIL:
        return auth_views.PasswordResetView.as_view()(request)
    return render(request, "registration/password_reset_unavailable.html")


def home(request):
    return redirect("projects:list")


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request):
    if not settings.ALLOW_SIGNUP:
        raise Http404("Sign-up is turned off on this installation.")
    if request.user.is_authenticated:
        return redirect("projects:list")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return redirect("projects:list")
    return render(request, "registration/signup.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def logout(request):
    """Log out on POST (CSRF-protected, as Django wants); a GET, such as a typed or bookmarked
    /accounts/logout/, gets a page with the button instead of a blank 405."""
    if request.method == "POST":
        return LogoutView.as_view()(request)
    return render(request, "registration/logout.html")
