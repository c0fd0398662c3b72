"""The image's HEALTHCHECK: `python -m sentry_manager.deploy.healthcheck` exits 0 when the web
server on this machine answers /healthz with 200 (its database answers), 1 otherwise.

Runs outside Django (no settings loaded, a fraction of a second), so it reads the environment
the server was given: PORT, and ALLOWED_HOSTS for a host name the server accepts (Django
answers 400 to a Host header not in ALLOWED_HOSTS). /healthz is exempt from the HTTPS redirect.
"""

import os
import sys
import urllib.error
import urllib.request


def host_header(allowed_hosts: str) -> str:
    """A name the server accepts: the first entry of ALLOWED_HOSTS ("localhost" for "*")."""
    first = next((name.strip() for name in allowed_hosts.split(",") if name.strip()), "")
    if not first or first == "*":
        return "localhost"
    return "www" + first if first.startswith(".") else first


def check(port: int, allowed_hosts: str, timeout: float = 4.0) -> tuple[bool, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": host_header(allowed_hosts)}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status == 200, f"{response.status} {response.read(200).decode()}"
    except urllib.error.HTTPError as error:
        return False, f"{error.code} {error.read(200).decode(errors='replace')}"
    except OSError as error:
        return False, str(error)


def main() -> int:
    allowed = os.environ.get("ALLOWED_HOSTS", "localhost")
    healthy, detail = check(int(os.environ.get("PORT") or 8000), allowed)
    print(detail)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
