from django.conf import settings


def site(request):
    return {
        "allow_signup": settings.ALLOW_SIGNUP,
        "password_reset_by_email": settings.PASSWORD_RESET_BY_EMAIL,
    }
