"""The site's contact (`extra.contact` in mkdocs.yml): checked once, then used by templates.

How readers reach the people behind the site: the footer, the About page's
correction process, the 404 page and the feeds' editor fields all read
`config.extra.contact` (`name`, `email`, optional `repository`). Plain links
only: the theme's `repo_url` is never set, because Material would then call the
GitHub API from every page.

Markdown pages can link the address as `[Email the editors][contact-email]` (and
`[...][contact-repository]` when a repository is set): the hook appends those two
reference definitions to every page.

The build fails with one clear line per problem when the contact is unset or
malformed. A reserved placeholder domain (`.example`, `.test`, `.invalid`,
`localhost`) is fine for a local preview, but a build whose `site_url` is a public
address refuses it, so a placeholder address is never deployed.

The pure helpers are unit-tested in tests/hooks/test_contact.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$")
PLACEHOLDER_DOMAINS = ("example", "test", "invalid", "localhost")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
WHERE = "mkdocs.yml: extra.contact"


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    repository: str | None = None

    @property
    def rss_person(self) -> str:
        """The RSS 2.0 form of a person: `email (Name)`."""
        return f"{self.email} ({self.name})"


def is_placeholder(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower().rstrip(".")
    return any(domain == d or domain.endswith("." + d) for d in PLACEHOLDER_DOMAINS)


def is_local(site_url: str | None) -> bool:
    host = urlsplit(site_url or "").hostname or ""
    return host in LOCAL_HOSTS or not host


def check_contact(value, site_url: str | None = None) -> list[str]:
    """Every problem with `extra.contact`, as `<where>: <problem>; <fix>` lines."""
    example = "contact: {name: Esrok editors, email: editors@your-domain}"
    if value is None:
        return [f"{WHERE}: missing; readers need a way to reach the editors: add {example}"]
    if not isinstance(value, dict):
        return [f"{WHERE}: expected a mapping, got {type(value).__name__}; write {example}"]
    out = []
    for key in value:
        if key not in ("name", "email", "repository"):
            out.append(f"{WHERE}.{key}: unknown key; use only name, email and repository")
    name = value.get("name")
    if not (isinstance(name, str) and name.strip()):
        out.append(f"{WHERE}.name: missing; add name: (who answers, e.g. Esrok editors)")
    email = value.get("email")
    if not (isinstance(email, str) and email.strip()):
        out.append(f"{WHERE}.email: missing; add email: with the address that answers readers")
    elif not EMAIL_RE.match(email.strip()):
        out.append(f"{WHERE}.email: '{email}' is not an email address; write it as name@domain")
    elif is_placeholder(email) and not is_local(site_url):
        out.append(f"{WHERE}.email: '{email}' is a placeholder address, and this build is for "
                   f"{site_url}; set the real address readers can write to "
                   "(or ESROK_CONTACT_EMAIL when building)")
    repo = value.get("repository")
    if repo is not None:
        parts = urlsplit(repo) if isinstance(repo, str) else None
        if not (parts and parts.scheme == "https" and parts.netloc):
            out.append(f"{WHERE}.repository: '{repo}' is not an https:// URL; "
                       "link the public source repository, or remove the key")
    return out


def parse_contact(value) -> Contact:
    """The contact from a value `check_contact` accepted."""
    repo = value.get("repository")
    return Contact(name=value["name"].strip(), email=value["email"].strip(),
                   repository=repo.rstrip("/") if repo else None)


# ---------------------------------------------------------------------- MkDocs hook

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402


@event_priority(100)
def on_config(config):
    problems = check_contact(config.extra.get("contact"), config.site_url)
    if problems:
        raise PluginError("Contact check failed:\n" + "\n".join(problems))
    config.extra["contact"] = parse_contact(config.extra["contact"])
    return config


def link_definitions(contact: Contact) -> str:
    """Markdown reference links every page may use: `[Email the editors][contact-email]`."""
    lines = [f"[contact-email]: mailto:{contact.email}"]
    if contact.repository:
        lines.append(f"[contact-repository]: {contact.repository}")
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    return f"{markdown}\n\n{link_definitions(config.extra['contact'])}\n"
