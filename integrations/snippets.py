"""What the project page tells people to paste: CI jobs that upload source maps with the
stored token, and the browser loader's `<script>` tag. Tests run these very snippets."""

from django.urls import reverse

# The CI secret that holds the ci key (GitHub Actions secret / GitLab CI/CD variable).
CI_KEY_VARIABLE = "SENTRY_MANAGER_CI_KEY"
BUILD_DIR = "./dist"


def ci_credentials_url(base_url: str, slug: str, environment: str) -> str:
    path = reverse("sentry-ci-credentials", args=[slug])
    return f"{base_url.rstrip('/')}{path}?environment={environment}&format=env"


def ci_commands(url: str, release: str) -> list[str]:
    """The shell lines of a job: fetch the credentials into the environment, then sentry-cli."""
    return [
        f'curl -fsS -H "Authorization: Bearer ${CI_KEY_VARIABLE}" "{url}" -o .env.sentry',
        "set -a; . ./.env.sentry; set +a; rm .env.sentry",
        f"npx @sentry/cli sourcemaps inject {BUILD_DIR}",
        f'npx @sentry/cli sourcemaps upload --release "{release}" {BUILD_DIR}',
    ]


def _yaml_item(line: str) -> str:
    # A plain YAML scalar cannot hold ": " (the Authorization header); single quotes can.
    return "'" + line.replace("'", "''") + "'" if ": " in line else line


def github_actions(url: str) -> str:
    commands = ci_commands(url, "$GITHUB_SHA")
    # The token reaches the job's log only if something prints it; mask it all the same.
    commands.insert(2, 'echo "::add-mask::$SENTRY_AUTH_TOKEN"')
    run = "".join(f"    {line}\n" for line in commands)
    return (
        "# A step for your workflow (.github/workflows/…), after the one that builds "
        f"{BUILD_DIR}.\n"
        f"# Settings → Secrets and variables → Actions: add {CI_KEY_VARIABLE} (a ci key).\n"
        "- name: Upload source maps to Sentry\n"
        "  env:\n"
        f"    {CI_KEY_VARIABLE}: ${{{{ secrets.{CI_KEY_VARIABLE} }}}}\n"
        "  run: |\n"
        f"{run}"
    )


def gitlab_ci(url: str) -> str:
    script = "".join(f"    - {_yaml_item(line)}\n" for line in ci_commands(url, "$CI_COMMIT_SHA"))
    return (
        f"# In .gitlab-ci.yml. Settings → CI/CD → Variables: add {CI_KEY_VARIABLE} (a ci key),\n"
        "# masked and protected. The build job leaves its output as an artifact.\n"
        "sentry-sourcemaps:\n"
        "  stage: deploy\n"
        "  image: node:20\n"
        "  script:\n"
        f"{script}"
    )


def loader_url(base_url: str, loader_id: str) -> str:
    return f"{base_url.rstrip('/')}{reverse('sentry-loader', args=[loader_id])}"


def loader_tag(base_url: str, loader_id: str) -> str:
    """The tag as text to copy (templates escape it; it never runs on our pages)."""
    return f'<script src="{loader_url(base_url, loader_id)}" crossorigin="anonymous"></script>'
