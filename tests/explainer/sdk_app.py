"""A small WSGI application that fails in the common ways, for the real sentry-sdk to report.

Each route raises one exception from ordinary-looking code (with locals, a chain, a request);
`tests/explainer/test_sdk_events.py` runs it behind the SDK's WSGI middleware, captures what
the SDK sends to a local ingest, and feeds those events to the explainer. The planted values
(user identity, tokens, cookies) must never reach a page or the LLM.
"""

import json
import math
import socket

import sentry_sdk

PLANTED_USER = {
    "id": "user-424242",
    "username": "planted_user",
    "email": "planted.user@example.com",
    "ip_address": "203.0.113.200",
    "name": "Plantina Userova",
}
PLANTED_SECRETS = [
    "sk-proj-PLANTEDopenai0123456789abcdef",
    "smk_plantd1234_PLANTEDappkey0123456789abcdef",
    "ghp_PLANTEDgithub0123456789abcdefghijklmn",
    "PLANTEDcookie77",
    "PLANTEDquerytoken9",
    "PLANTEDpassword!",
    "planted.user@example.com",
    "planted_user",
    "user-424242",
    "203.0.113.200",
    "Plantina",
    "Userova",
]


# --- the application code that fails ------------------------------------------------------


def apply_discount(total, rate):
    periods = int(rate * 12)
    return total / periods


COUPONS = {"WINTER": 0.1}


def coupon_rate(code):
    return COUPONS[code]


def price_cart(code):
    try:
        return coupon_rate(code)
    except KeyError:
        raise RuntimeError(f"Could not price the cart of planted_user with coupon {code}")  # noqa: B904


def first_item(items):
    return items[0]


def customer_name(customer):
    return customer.name.title()


def line_total(line):
    return line["price"] * line["quantity"]


def parse_quantity(raw):
    return int(raw)


def load_settings(text):
    return json.loads(text)


def read_template(path):
    with open(path) as handle:
        return handle.read()


def decode_upload(data):
    return data.decode("utf-8")


def refund(order):
    raise NotImplementedError(f"refunds for {order['kind']} orders")  # allowed: test data


def reserve(stock, wanted):
    assert stock >= wanted, f"only {stock} left, {wanted} wanted"
    return stock - wanted


def call_billing(port):
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return "connected"


def growth(rate):
    return math.exp(rate)


def walk(node):
    return walk(node)


def load_plugin(name):
    import importlib

    return importlib.import_module(name)


def nothing_found(results):
    return next(iter(results))


def total_with_tax(amount):
    result = amount * tax_rate  # noqa: F821 - the NameError is the point
    return result


class Customer:
    name = None


ROUTES = {
    "/zero-division": lambda: apply_discount(129.5, 0),
    "/key-error": lambda: coupon_rate("SPRING24"),
    "/chained": lambda: price_cart("SPRING24"),
    "/index-error": lambda: first_item([]),
    "/attribute-error": lambda: customer_name(None),
    "/type-error": lambda: line_total(None),
    "/value-error": lambda: parse_quantity("twelve"),
    "/json-error": lambda: load_settings("<html>502 Bad Gateway</html>"),
    "/file-not-found": lambda: read_template("/srv/templates/missing.html"),
    "/unicode-error": lambda: decode_upload(b"\xff\xfe\xfa"),
    "/not-implemented": lambda: refund({"kind": "gift-card"}),
    "/assertion": lambda: reserve(2, 5),
    "/connection-refused": lambda: call_billing(9),
    "/overflow": lambda: growth(1000),
    "/recursion": lambda: walk({}),
    "/module-not-found": lambda: load_plugin("shop_plugins_missing"),
    "/stop-iteration": lambda: nothing_found([]),
    "/name-error": lambda: total_with_tax(10),
    "/none-attribute": lambda: Customer().name.upper(),
}


def application(environ, start_response):
    """The WSGI app: a breadcrumb with planted data, then the route's failure."""
    sentry_sdk.add_breadcrumb(
        category="auth",
        message=f"signed in {PLANTED_USER['email']} as planted_user (Plantina Userova)",
        data={"session": "PLANTEDcookie77"},
    )
    sentry_sdk.add_breadcrumb(
        category="http",
        type="http",
        data={"method": "GET", "url": "https://rates.internal/v1?token=PLANTEDquerytoken9"},
    )
    password = "PLANTEDpassword!"  # noqa: F841 - a local the SDK reports
    ROUTES[environ["PATH_INFO"]]()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
