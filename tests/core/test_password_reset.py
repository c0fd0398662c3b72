"""Password reset is offered only when a mail server is configured (EMAIL_URL): otherwise the
page says why instead of pretending to send a link that never arrives."""

from django.core import mail


def test_without_mail_the_page_explains_and_sends_nothing(client, user):
    user.email = "alice@example.com"
    user.save()
    page = client.get("/accounts/password_reset/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "no mail server configured" in html and "EMAIL_URL" in html
    assert "<form" not in html.split("<main", 1)[1]
    posted = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert posted.status_code == 200 and "no mail server configured" in posted.content.decode()
    assert mail.outbox == []


def test_the_login_page_offers_reset_only_with_mail(client, settings):
    assert "Forgot your password" not in client.get("/accounts/login/").content.decode()
    settings.PASSWORD_RESET_BY_EMAIL = True
    assert "Forgot your password" in client.get("/accounts/login/").content.decode()


def test_with_mail_a_reset_link_is_sent(client, user, settings):
    settings.PASSWORD_RESET_BY_EMAIL = True  # as EMAIL_URL sets it, with its mailer
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    user.email = "alice@example.com"
    user.save()
    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body
