"""Fixtures for self-monitoring tests: a local Sentry ingest and real WSGI requests."""

import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string


@pytest.fixture
def wsgi(db):
    """Requests through Django's real WSGIHandler, as gunicorn calls it, so the SDK's WSGI
    instrumentation (per-request scope, transaction) runs exactly as in production."""
    handler = WSGIHandler()

    def request(method, path, *, query="", headers=None, cookies=None, body=b"", user=None):
        cookies = dict(cookies or {})
        headers = dict(headers or {})
        if user is not None:
            from django.test import Client

            client = Client()
            client.force_login(user)
            cookies["sessionid"] = client.cookies["sessionid"].value
        if method != "GET":
            csrf = _get_new_csrf_string()
            cookies.setdefault("csrftoken", csrf)
            headers.setdefault("X-CSRFToken", cookies["csrftoken"])
            headers.setdefault("Referer", "https://testserver/")
        if cookies:
            extra = headers.pop("Cookie", "")
            pairs = "; ".join(f"{name}={value}" for name, value in cookies.items())
            headers["Cookie"] = f"{extra}; {pairs}" if extra else pairs
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json" if body else "",
            "HTTP_HOST": "testserver",
        }
        for name, value in headers.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        started = {}

        def start_response(status, response_headers, exc_info=None):
            started["status"] = int(status.split(" ", 1)[0])
            started["headers"] = dict(response_headers)

        # As Django's test client does: keep the test's database connection open.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = handler(environ, start_response)
            try:
                content = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return started["status"], started["headers"], content

    return request
