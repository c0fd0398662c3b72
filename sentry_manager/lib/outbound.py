"""Where requests that carry a stored secret (a Sentry auth token, the OpenAI key) may go.

Only to public addresses, unless the operator allows more: OUTBOUND_ALLOWED_HOSTS (host names;
`.example.com` allows its subdomains) and OUTBOUND_ALLOWED_NETWORKS (CIDRs, e.g. 10.0.0.0/8
for a self-hosted Sentry on the private network). Loopback, private, link-local (the cloud
metadata service at 169.254.169.254 included), shared, reserved and multicast addresses are
refused, on save (`check_url`) and again when connecting, after DNS resolution, so that a name
that later resolves elsewhere is caught too: `GuardedHTTPAdapter` for `requests`,
`GuardedTransport` for `httpx2` (the openai client). Both connect to the address they checked.
"""

import functools
import ipaddress
import socket
from urllib.parse import urlsplit

import httpx2
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError

METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
}


class OutboundRefused(Exception):
    """A destination a secret may not be sent to; the message says how to allow it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def host_is_allowed(host: str) -> bool:
    host = host.lower().rstrip(".")
    for entry in settings.OUTBOUND_ALLOWED_HOSTS:
        entry = entry.strip().lower()
        if entry and (host == entry or (entry.startswith(".") and host.endswith(entry))):
            return True
    return False


def address_kind(address) -> str | None:
    """Why `address` is not public ("loopback", "private", ...), or None when it may be used."""
    address = ipaddress.ip_address(address)
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    if any(address in network for network in _networks(tuple(settings.OUTBOUND_ALLOWED_NETWORKS))):
        return None
    if address in METADATA_ADDRESSES:
        return "cloud metadata"
    for kind in ("loopback", "link_local", "private", "multicast", "unspecified", "reserved"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if address.is_global else "non-public"


def _refusal(what: str, host: str, address, kind: str) -> OutboundRefused:
    resolved = "" if host == str(address) else f" resolves to {address}, which"
    return OutboundRefused(
        f"{what}: {host}{resolved} is a {kind} address, and requests carrying a token go only to "
        f"public addresses. For a self-hosted server on a private network, allow it with "
        f"OUTBOUND_ALLOWED_HOSTS={host} or OUTBOUND_ALLOWED_NETWORKS=<its network, e.g. "
        f"{_example_network(address)}> in the server's settings."
    )


def _example_network(address) -> str:
    address = ipaddress.ip_address(address)
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _literal(host: str):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (socket.gaierror when it does not)."""
    literal = _literal(host)
    if literal is not None:
        return [str(literal)]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def checked_addresses(host: str, port: int, what: str = "Outbound request") -> list[str]:
    """`host`'s addresses, each allowed, else OutboundRefused (socket.gaierror if none)."""
    addresses = resolve(host, port)
    if not host_is_allowed(host):
        for address in addresses:
            kind = address_kind(address)
            if kind is not None:
                raise _refusal(what, host, address, kind)
    return addresses


# Sentry's own service: public by definition (and checked when connecting like any host).
# Saving the default URL then needs no DNS lookup.
PUBLIC_SERVICE_DOMAINS = ("sentry.io",)


def check_url(url: str, what: str) -> None:
    """On save: OutboundRefused when `url`'s host resolves to an address that is not allowed.
    A name that does not resolve (yet) passes; the connection-time check still applies."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or any(host == d or host.endswith("." + d) for d in PUBLIC_SERVICE_DOMAINS):
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        checked_addresses(host, port, what)
    except (socket.gaierror, UnicodeError):
        return


# --- requests (urllib3) -------------------------------------------------------------------------


class _GuardedConnection:
    """A urllib3 connection that resolves its host, checks every address, and then connects
    to the checked one (TLS still verifies the certificate against the host name)."""

    what = "The Sentry API URL"

    def _new_conn(self):
        # The name, kept: a reconnection checks (and allows) the name again, not the address.
        name = self.__dict__.setdefault("_guarded_name", self._dns_host)
        try:
            addresses = checked_addresses(name, self.port, self.what)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        self._dns_host = addresses[0]
        return super()._new_conn()


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = type(
        "GuardedHTTPConnection", (_GuardedConnection, HTTPConnectionPool.ConnectionCls), {}
    )


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = type(
        "GuardedHTTPSConnection", (_GuardedConnection, HTTPSConnectionPool.ConnectionCls), {}
    )


class GuardedHTTPAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }


def guard_session(session):
    """Mount the guard on a requests session for both schemes; returns the session."""
    adapter = GuardedHTTPAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.trust_env = False  # no proxy from the environment: it would see the token
    return session


# --- httpx2 (the openai client) -----------------------------------------------------------------


class GuardedTransport(httpx2.HTTPTransport):
    def __init__(self, what: str = "OPENAI_BASE_URL", **kwargs):
        super().__init__(**kwargs)
        self.what = what

    def handle_request(self, request):
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            addresses = checked_addresses(host, port, self.what)
        except socket.gaierror as error:
            raise httpx2.ConnectError(f"Cannot resolve {host}: {error}", request=request) from error
        if _literal(host) is None:
            # Connect to the address checked, and keep the name for TLS (SNI and the
            # certificate check); the Host header already carries it.
            request.extensions = {**request.extensions, "sni_hostname": host}
            request.url = request.url.copy_with(host=addresses[0])
        return super().handle_request(request)
