"""esrok_recovery.catalogue: the service model, the validator's messages (with field paths),
lookups, subsets, the canonical file text and the trimmed browser asset."""
from __future__ import annotations

import ast
import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from esrok_recovery import catalogue as cat
from esrok_recovery.catalogue import (ASSET_FIELDS, COMMON_SERVICES, SIGN_IN_TYPES, Catalogue, CommonChoice, Method,
                                      PasskeyUse, Service, browser_asset, domain_key, dump_catalogue, loads_services,
                                      parse_services, subset, with_common)
from esrok_recovery.model import AccountKind, SignInType
from esrok_recovery.parse import Problem

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "services" / "catalogue.json"
ASSET_BROTLI_LIMIT = 150 * 1024

SOURCES = [
    {"id": "2fa-directory", "name": "2FA Directory", "date": "2026-08-04", "licence": "MIT",
     "attribution": "From 2FA Directory, MIT License."},
    {"id": "passkeys", "name": "Passkeys Directory", "date": "2026-08-04", "licence": "CC BY 4.0",
     "attribution": "From the Passkeys Directory, CC BY 4.0."},
]
GITHUB = {"domain": "github.com", "name": "GitHub", "methods": ["sms", "totp", "security_key", "vendor_app"],
          "vendor_apps": ["GitHub Mobile"], "passkey": ["second_factor", "passwordless"],
          "documentation": "https://docs.github.com/2fa", "recovery": "https://docs.github.com/recover",
          "categories": ["developer"], "sources": ["2fa-directory", "passkeys"]}
NETFLIX = {"domain": "netflix.com", "name": "Netflix", "categories": ["entertainment"], "sources": ["2fa-directory"]}
TAILSCALE = {"domain": "tailscale.com", "name": "Tailscale", "passkey": ["passwordless"], "sources": ["passkeys"]}
NORDVPN = {"domain": "nordvpn.com", "name": "NordVPN", "additional_domains": ["nordaccount.com"],
           "methods": ["totp"], "sources": ["2fa-directory"]}
NORDPASS = {"domain": "nordpass.com", "name": "NordPass", "additional_domains": ["nordaccount.com"],
            "methods": ["totp"], "sources": ["2fa-directory"]}


def doc(*services, **top) -> dict:
    d = {"format": 1, "sources": copy.deepcopy(SOURCES), "services": [copy.deepcopy(s) for s in services]}
    d.update(top)
    return d


def problems(data) -> list[str]:
    result, found = parse_services(data)
    assert result is None and found, "expected problems"
    return [str(p) for p in found]


def only(data) -> str:
    found = problems(data)
    assert len(found) == 1, found
    return found[0]


def one_service(**changes) -> dict:
    service = dict(GITHUB)
    for k, v in changes.items():
        if v is None:
            service.pop(k, None)
        else:
            service[k] = v
    return doc(service)


# --- the model ------------------------------------------------------------------

def test_a_valid_document_becomes_frozen_services_sorted_by_domain():
    catalogue, found = parse_services(doc(NETFLIX, GITHUB, TAILSCALE))
    assert found == ()
    assert [s.domain for s in catalogue.services] == ["github.com", "netflix.com", "tailscale.com"]
    gh = catalogue.get("github.com")
    assert gh == Service(domain="github.com", name="GitHub", sources=("2fa-directory", "passkeys"),
                         methods=(Method.SMS, Method.TOTP, Method.SECURITY_KEY, Method.VENDOR_APP),
                         vendor_apps=("GitHub Mobile",), passkey=(PasskeyUse.SECOND_FACTOR, PasskeyUse.PASSWORDLESS),
                         documentation="https://docs.github.com/2fa", recovery="https://docs.github.com/recover",
                         categories=("developer",))
    with pytest.raises(AttributeError):
        gh.name = "x"
    assert gh.offers("security_key") and gh.offers(Method.TOTP) and not gh.offers(Method.CALL)
    assert gh.passkey_second_factor and gh.passkey_passwordless and gh.in_2fa_directory and not gh.lists_no_2fa
    assert catalogue.source("passkeys").licence == "CC BY 4.0" and catalogue.source("nope") is None
    assert catalogue.attributions == ("From 2FA Directory, MIT License.", "From the Passkeys Directory, CC BY 4.0.")
    assert len(catalogue) == 3


def test_no_2fa_is_known_only_for_services_in_2fa_directory():
    catalogue, _ = parse_services(doc(NETFLIX, TAILSCALE))
    netflix, tailscale = catalogue.get("netflix.com"), catalogue.get("tailscale.com")
    assert netflix.lists_no_2fa and netflix.methods == ()
    assert not tailscale.in_2fa_directory and not tailscale.lists_no_2fa   # unknown, not "none"
    passkey_2fa = dict(NETFLIX, passkey=["second_factor"], sources=["2fa-directory", "passkeys"])
    assert not parse_services(doc(passkey_2fa))[0].get("netflix.com").lists_no_2fa


def test_lookup_by_main_or_additional_domain_urls_and_www():
    catalogue, _ = parse_services(doc(GITHUB, NORDVPN, NORDPASS, dict(NETFLIX, additional_domains=["github.com"])))
    assert catalogue.get("GitHub.com").domain == "github.com"
    assert catalogue.get("https://www.github.com/login?x=1").domain == "github.com"
    assert catalogue.get("  github.com.  ").domain == "github.com"
    assert catalogue.get("nordaccount.com") is None          # claimed by two services: ambiguous
    assert catalogue.get("nordvpn.com").name == "NordVPN"
    assert catalogue.get("example.org") is None and catalogue.get("not a domain") is None
    assert catalogue.get(None) is None


def test_domain_key():
    assert domain_key("https://User@Mail.Google.com:443/mail/u/0") == "mail.google.com"
    assert domain_key("gmail.com") == "gmail.com"
    assert domain_key("localhost") is None and domain_key("") is None and domain_key(3) is None


def test_method_labels_and_sign_in_types_match_the_plan_model():
    plan_types = {t.value for t in SignInType}
    for method in Method:
        assert set(SIGN_IN_TYPES[method]) <= plan_types, method
        assert method.label
    assert cat.PASSKEY_SIGN_IN_TYPE in plan_types
    assert Method.SECURITY_KEY.label == "security keys"


def test_as_dict_round_trips_and_leaves_empty_values_out():
    catalogue, _ = parse_services(doc(GITHUB, NETFLIX))
    assert catalogue.get("netflix.com").as_dict() == NETFLIX
    assert parse_services(catalogue.as_dict())[0] == catalogue
    assert catalogue.get("github.com").as_dict(["name", "domain"]) == {"domain": "github.com", "name": "GitHub"}


# --- the validator: exact messages with field paths --------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"methods": ["sms", "u2f"]},
     'services[0].methods[1]: "u2f" is 2FA Directory\'s name; write "security_key"'),
    ({"methods": ["sms", "topt"]}, 'services[0].methods[1]: unknown method "topt"; did you mean "totp"?'),
    ({"methods": ["sms", "pigeon"]},
     'services[0].methods[1]: unknown method "pigeon"; use one of: sms, call, email, totp, security_key, '
     "vendor_app, vendor_hardware"),
    ({"methods": ["sms", "sms"]}, 'services[0].methods[1]: "sms" is listed twice; remove the repeat'),
    ({"methods": "sms"}, "services[0].methods: expected a list of methods, got a string; write it as [...]"),
    ({"methods": []}, "services[0].methods: is an empty list; remove the key when there are no methods"),
    ({"passkey": ["mfa"]},
     'services[0].passkey[0]: unknown passkey use "mfa"; use one of: second_factor, passwordless'),
    ({"domain": "https://github.com/"}, 'services[0].domain: "https://github.com/" is not a bare domain name; '
                                        'write "github.com"'),
    ({"domain": "Git Hub"}, 'services[0].domain: "Git Hub" is not a domain name; write a lower-case host name '
                            'such as "example.com"'),
    ({"domain": None}, 'services[0]: missing required key "domain"; add it'),
    ({"name": ""}, "services[0].name: must not be empty; write the value or remove the key"),
    ({"name": 7}, "services[0].name: expected a string, got a number; write it in double quotes"),
    ({"documentation": "javascript:alert(1)"},
     'services[0].documentation: "javascript:alert(1)" is not a web address; write a full https:// link, '
     "or remove the key"),
    ({"recovery": "https://ex ample.com/x"},
     'services[0].recovery: "https://ex ample.com/x" is not a web address; write a full https:// link, '
     "or remove the key"),
    ({"additional_domains": ["github.com"]},
     'services[0].additional_domains[0]: "github.com" is the main domain; remove it from additional_domains'),
    ({"categories": ["Developer Tools"]},
     'services[0].categories[0]: "Developer Tools" is not a category id; write it like "banking"'),
    ({"regions": ["usa"]}, 'services[0].regions[0]: "usa" is not a two-letter country code; write it like "de"'),
    ({"regions": ["de"], "excluded_regions": ["de"]},
     'services[0].excluded_regions: "de" is both in regions and excluded_regions; keep one'),
    ({"sources": ["2fa-directry"]}, 'services[0].sources[0]: unknown source "2fa-directry"; did you mean "2fa-directory"?'),
    ({"sources": ["elsewhere"]},
     'services[0].sources[0]: unknown source "elsewhere"; the catalogue\'s sources are: 2fa-directory, passkeys'),
    ({"sources": ["passkeys"]},
     'services[0].sources: lists methods but not "2fa-directory"; add "2fa-directory" to sources '
     "(the methods come from 2FA Directory)"),
    ({"sources": ["2fa-directory"]},
     'services[0].sources: lists passkey support but not "passkeys"; add "passkeys" to sources'),
    ({"methods": ["sms"]},
     'services[0].vendor_apps: names vendor apps but methods has no "vendor_app"; add "vendor_app" to methods '
     "or remove vendor_apps"),
    ({"logo": "x.svg"}, 'services[0].logo: unknown key "logo"; allowed keys: domain, name, additional_domains, '
                        "methods, vendor_apps, vendor_hardware, passkey, documentation, passkey_documentation, "
                        "recovery, categories, regions, excluded_regions, sources"),
    ({"recovry": "https://x.example/"}, 'services[0].recovry: unknown key "recovry"; did you mean "recovery"?'),
    ({"sources": []}, "services[0].sources: must list at least one of the sources (2fa-directory, passkeys)"),
    ({"methods": [7]}, "services[0].methods[0]: expected a string, got a number; use one of: sms, call, email, "
                       "totp, security_key, vendor_app, vendor_hardware"),
    ({"additional_domains": [None]},
     'services[0].additional_domains[0]: expected a domain name in a string, got null; write it like "example.com"'),
    ({"regions": [49]}, 'services[0].regions[0]: expected a two-letter country code in a string, got a number; '
                        'write it like "de"'),
    ({"vendor_apps": [" GitHub Mobile"]},
     'services[0].vendor_apps[0]: " GitHub Mobile" is empty or has surrounding spaces; write the name alone'),
])
def test_each_malformed_field_gets_one_message_with_its_path(changes, message):
    assert only(one_service(**changes)) == message


def test_every_problem_is_reported_not_just_the_first():
    bad = dict(GITHUB, methods=["u2f"], recovery="ftp://x", regions=["usa"])
    assert problems(doc(NETFLIX, bad)) == [
        'services[1].methods[0]: "u2f" is 2FA Directory\'s name; write "security_key"',
        'services[1].recovery: "ftp://x" is not a web address; write a full https:// link, or remove the key',
        'services[1].regions[0]: "usa" is not a two-letter country code; write it like "de"',
    ]


@pytest.mark.parametrize("data, message", [
    ([], "(catalogue): expected an object, got a list; write it as {...}"),
    ({"format": 1, "sources": SOURCES}, '(catalogue): missing required key "services"; add it'),
    (doc(format=2), "format: unsupported format 2; this engine reads format 1"),
    (doc(sources=[]), "sources: add at least one source (where the facts come from, with its licence)"),
    (doc(services={}), "services: expected a list of services, got an object; write it as [...]"),
    (doc(extra=1), 'extra: unknown key "extra"; allowed keys: format, sources, services, common, account_kinds, '
                   'sign_in_types'),
    (doc(GITHUB, account_kinds={"banks": ["github.com"]}),
     'account_kinds.banks: unknown account kind "banks"; did you mean "bank"?'),
    (doc(GITHUB, account_kinds={"bank": ["Not A Domain"]}),
     'account_kinds.bank[0]: "Not A Domain" is not a domain name; write a lower-case host name such as "example.com"'),
    (doc(GITHUB, sign_in_types={"sms": ["text"]}),
     'sign_in_types.sms[0]: unknown sign-in type "text"; use one of: password, passkey, security_key, totp, push, '
     'sms, voice, email_code'),
    (doc(sources=[SOURCES[0], SOURCES[0], SOURCES[1]]),
     'sources[1].id: "2fa-directory" is listed twice; give each source its own id'),
    (doc(sources=[dict(SOURCES[0], date="4 Aug 2026"), SOURCES[1]]),
     'sources[0].date: "4 Aug 2026" is not a date; write it as YYYY-MM-DD'),
    (doc(sources=[dict(SOURCES[0], commit="HEAD"), SOURCES[1]]),
     'sources[0].commit: "HEAD" is not a git commit id; write the hex id, or remove the key'),
    (doc(sources=[{k: v for k, v in SOURCES[0].items() if k != "attribution"}, SOURCES[1]]),
     'sources[0]: missing required key "attribution"; add it'),
    (doc(GITHUB, GITHUB), 'services[1].domain: "github.com" is listed twice (also services[0]); merge the two entries'),
    (doc(GITHUB, common=[{"domain": "gitlab.com", "label": "GitLab"}]),
     'common[0].domain: "gitlab.com" is not a service in this catalogue; use a listed main domain'),
])
def test_document_level_problems(data, message):
    assert only(data) == message


def test_loads_services_reports_bad_json_and_bytes():
    assert loads_services('{"format": 1,') == (None, (Problem(
        "(catalogue)", "invalid JSON at line 1, column 14: Expecting property name enclosed in double quotes; "
        "fix the syntax"),))
    assert loads_services(b"\xff") == (None, (Problem("(catalogue)", "the file is not UTF-8 text (byte 0); "
                                                                     "save it as UTF-8"),))
    assert loads_services("  ")[1] == (Problem("(catalogue)", "the input is empty; expected a JSON object"),)
    assert loads_services(json.dumps(doc(GITHUB)))[0].get("github.com").name == "GitHub"


# --- output -----------------------------------------------------------------------

def test_dump_is_one_service_per_line_and_stable():
    catalogue, _ = parse_services(doc(NETFLIX, GITHUB))
    text = dump_catalogue(catalogue)
    lines = text.splitlines()
    assert lines[:3] == ["{", '"format": 1,', '"sources": [']
    assert lines[-4:] == [json.dumps(GITHUB, ensure_ascii=False) + ",", json.dumps(NETFLIX, ensure_ascii=False),
                          "]", "}"]
    assert loads_services(text)[0] == catalogue
    assert dump_catalogue(loads_services(text)[0]) == text


def test_subset_keeps_the_named_services_and_the_sources():
    catalogue, _ = parse_services(doc(GITHUB, NETFLIX, NORDVPN, TAILSCALE))
    part = subset(catalogue, ["https://github.com", "github.com", "unknown.example", "nordvpn.com"])
    assert [s.domain for s in part.services] == ["github.com", "nordvpn.com"]
    assert part.sources == catalogue.sources and part.common == ()
    assert parse_services(part.as_dict())[0] == part
    assert subset(catalogue, []).services == ()


def test_browser_asset_is_a_trimmed_catalogue_with_common_choices():
    full = dict(GITHUB, regions=["us"], passkey_documentation="https://docs.github.com/passkeys")
    bank = {"domain": "chime.com", "name": "Chime", "methods": ["sms"], "categories": ["banking"],
            "sources": ["2fa-directory"]}
    catalogue, _ = parse_services(doc(full, NETFLIX, bank))
    common = (CommonChoice("github.com", "GitHub", ("octocat",)), CommonChoice("gitlab.com", "GitLab"))
    text = browser_asset(catalogue, common)
    assert "\n" not in text.rstrip("\n") and text.endswith("\n")
    data = json.loads(text)
    assert data["common"] == [{"domain": "github.com", "label": "GitHub", "aliases": ["octocat"]}]  # gitlab: absent
    assert data["services"][1] == dict(GITHUB, passkey_documentation="https://docs.github.com/passkeys")  # no regions
    assert set(data["sources"][0]) == {"id", "name", "date", "licence", "attribution"}
    # the plan's vocabulary, so the page restates nothing: kinds of the services that are not "other",
    # and each method's sign-in types (vendor_hardware has none)
    assert data["account_kinds"] == {"bank": ["chime.com"]}
    assert data["sign_in_types"] == {"sms": ["sms"], "call": ["voice"], "email": ["email_code"], "totp": ["totp"],
                                     "security_key": ["security_key"], "vendor_app": ["push"], "passkey": ["passkey"]}
    assert list(data) == ["format", "sources", "common", "account_kinds", "sign_in_types", "services"]
    back, found = parse_services(data)
    assert found == () and back.common == (common[0],)


def test_with_common_skips_choices_that_are_only_additional_domains():
    catalogue, _ = parse_services(doc(NORDVPN))
    assert with_common(catalogue, [CommonChoice("nordaccount.com", "Nord")]).common == ()


# --- the project's data -------------------------------------------------------------

@pytest.fixture(scope="module")
def project():
    catalogue, found = loads_services(DATA.read_bytes())
    assert found == ()
    return catalogue


def test_project_catalogue_is_valid_canonical_and_complete(project):
    assert DATA.read_text(encoding="utf-8") == dump_catalogue(project)
    assert len(project) == 2584
    assert sum(1 for s in project.services if s.in_2fa_directory) == 2566
    assert sum(1 for s in project.services if s.lists_no_2fa) == 684
    assert [(s.id, s.date) for s in project.sources] == [("2fa-directory", "2026-08-04"), ("passkeys", "2026-08-04")]


def test_every_common_choice_is_a_main_domain_of_the_project_catalogue(project):
    assert [c.domain for c in with_common(project).common] == [c.domain for c in COMMON_SERVICES]


def test_asset_fields_are_what_the_browser_needs():
    """The picker, the search and the advice (links to the 2FA, passkey and recovery pages); no regions."""
    assert set(ASSET_FIELDS) <= set(cat.SERVICE_KEYS)
    assert {"domain", "name", "additional_domains", "methods", "passkey", "documentation", "passkey_documentation",
            "recovery"} <= set(ASSET_FIELDS)
    assert not {"regions", "excluded_regions"} & set(ASSET_FIELDS)


@pytest.mark.parametrize("domain, categories, kind", [
    ("mail.google.com", ["email"], "google"), ("youtube.com", [], "google"), ("appleid.apple.com", ["retail"], "apple"),
    ("m365.cloud.microsoft", ["communication"], "microsoft"), ("teams.live.com", [], "microsoft"),
    ("bitwarden.com", ["identity"], "password_manager"), ("okta.com", ["identity"], "work"),
    ("proton.me", ["backup", "email", "identity", "vpn"], "email"), ("chime.com", ["banking"], "bank"),
    ("mit.edu", ["universities"], "school"), ("x.com", ["social"], "social"), ("github.com", ["developer"], "other"),
    ("notgoogle.com", [], "other"),
])
def test_account_kind_by_domain_then_category(domain, categories, kind):
    assert cat.account_kind(domain, categories) == kind


def test_kind_table_names_real_services_and_plan_kinds(project):
    kinds = {k.value for k in AccountKind}
    assert set(cat.KIND_BY_DOMAIN.values()) <= kinds and {k for _, k in cat.KIND_BY_CATEGORY} <= kinds
    for suffix in cat.KIND_BY_DOMAIN:   # no stale row: each names at least one service's main domain
        assert any(s.domain == suffix or s.domain.endswith("." + suffix) for s in project.services), suffix
    assert project.get("github.com").kind == "other" and project.get("mail.google.com").kind == "google"


def test_sign_in_types_a_service_offers_in_the_plans_order():
    catalogue, _ = parse_services(doc(GITHUB, TAILSCALE, NETFLIX))
    assert catalogue.get("github.com").sign_in_types == ("passkey", "security_key", "totp", "push", "sms")
    assert catalogue.get("tailscale.com").sign_in_types == ("passkey",)
    assert catalogue.get("netflix.com").sign_in_types == ()


def test_project_asset_is_at_most_150_kb_brotli(project):
    """Measured with Node's zlib brotli (quality 11, as the build's precompress step uses)."""
    text = browser_asset(project)
    script = ("const z=require('zlib');const b=require('fs').readFileSync(0);"
              "process.stdout.write(String(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))")
    proc = subprocess.run(["node", "-e", script], input=text.encode("utf-8"), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    size = int(proc.stdout)
    assert 20_000 < size <= ASSET_BROTLI_LIMIT, size


def test_the_module_imports_only_the_stdlib_and_does_no_io():
    tree = ast.parse((ROOT / "tool" / "esrok_recovery" / "catalogue.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in {"open", "print", "input"}
    assert imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)


def test_with_services_marks_only_accounts_whose_service_takes_passkeys_instead_of_the_password():
    from engine_support import base_plan, parsed
    data = base_plan()
    mail = data["accounts"][0]
    data["accounts"] += [dict(mail, id=f"x{i}", name=f"X{i}", service=d)
                         for i, d in enumerate(["only.example", "both.example", "mfa.example", "nope.example"])]
    sources = [{"id": "2fa-directory", "name": "2FA Directory", "date": "2026-08-04", "licence": "MIT",
                "attribution": "From 2FA Directory."},
               {"id": "passkeys", "name": "Passkeys Directory", "date": "2026-08-04", "licence": "CC BY 4.0",
                "attribution": "From the Passkeys Directory."}]
    entries = [{"domain": "only.example", "name": "Only", "passkey": ["passwordless"], "sources": ["2fa-directory", "passkeys"]},
               {"domain": "both.example", "name": "Both", "passkey": ["second_factor", "passwordless"],
                "sources": ["2fa-directory", "passkeys"]},
               {"domain": "mfa.example", "name": "Mfa", "passkey": ["second_factor"], "sources": ["2fa-directory", "passkeys"]}]
    catalogue, problems = cat.parse_services({"format": 1, "sources": sources, "services": entries})
    assert problems == ()
    plan = parsed(data)
    marked = cat.with_services(plan, catalogue)
    assert [a.id for a in marked.accounts if a.passkey_instead_of_password] == ["x0"]
    assert [a.id for a in marked.accounts] == [a.id for a in plan.accounts] and marked.things is plan.things
    assert cat.with_services(plan, None) is plan
    data["accounts"] = [mail]   # nothing to mark: the same plan object
    plain = parsed(data)
    assert cat.with_services(plain, catalogue) is plain
