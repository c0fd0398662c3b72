from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from integrations.config_urls import urlpatterns as config_urlpatterns
from sentry_manager.lib.login_throttle import (
    ThrottledAdminAuthenticationForm,
    ThrottledAuthenticationForm,
)

from . import views

handler400 = "sentry_manager.lib.errors.handler400"
handler404 = "sentry_manager.lib.errors.handler404"
handler500 = "sentry_manager.lib.errors.handler500"
handler403 = "sentry_manager.lib.errors.handler403"
admin.site.login_form = ThrottledAdminAuthenticationForm
login_view = auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm)

urlpatterns = [
    # The endpoint every application calls at start-up resolves first, without nesting.
    *config_urlpatterns,
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers and tools ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
        name="favicon",
    ),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", login_view, name="login"),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    # Before Django's auth URLs: a GET gets a page with a logout button (theirs is POST-only).
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("explainer.urls")),
    # integrations.urls serves the project page (with its integrations): keep it first.
    path("", include("integrations.urls")),
    path("", include("projects.urls")),
    path("", include("projects.keys.urls")),
    path("", include("projects.teams.urls")),
    path("api/", include("projects.api_urls")),
    path("api/", include("projects.keys.api_urls")),
    path("api/", include("integrations.api_urls")),
    path("api/", include("explainer.api_urls")),
    path("api/v1/debug/", include("sentry_manager.monitoring.urls")),
    path("api/schema", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    # DRF exempts its views from LoginRequiredMiddleware; the docs are pages like the others.
    path("docs", login_required(SpectacularSwaggerView.as_view(url_name="schema")), name="docs"),
    path("redoc", login_required(SpectacularRedocView.as_view(url_name="schema")), name="redoc"),
]
