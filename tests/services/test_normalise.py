"""services/normalise.py: upstream entries -> the catalogue, checked against a golden file.

The fixtures in fixtures/snapshot/ are 16 raw 2FA Directory entries and 12 Passkeys
Directory entries, copied unchanged (upstream order) from the snapshots at the commits
in data/services/README.md. After a deliberate change to the normalisation, regenerate
the golden file and review its diff:

    .venv/bin/python -m services.update --snapshot tests/services/fixtures/snapshot/entries.json \
        tests/services/fixtures/snapshot/passkeys.json --out tests/services/golden/snapshot-catalogue.json
"""
from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from esrok_recovery.catalogue import Method, PasskeyUse, dump_catalogue, loads_services
from services.normalise import (PASSKEY_SOURCE, TWO_FA_SOURCE, UpstreamError, merge, normalise_snapshots,
                                passkey_facts, source, twofa_record)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ENTRIES = json.loads((HERE / "fixtures" / "snapshot" / "entries.json").read_text(encoding="utf-8"))
PASSKEYS = json.loads((HERE / "fixtures" / "snapshot" / "passkeys.json").read_text(encoding="utf-8"))
GOLDEN = HERE / "golden" / "snapshot-catalogue.json"


@pytest.fixture(scope="module")
def sample():
    return normalise_snapshots(ENTRIES, PASSKEYS)


def test_golden_file(sample):
    assert dump_catalogue(sample) == GOLDEN.read_text(encoding="utf-8")


def test_output_does_not_depend_on_upstream_order(sample):
    entries, passkeys = copy.deepcopy(ENTRIES), copy.deepcopy(PASSKEYS)
    rnd = random.Random(7)
    for _ in range(3):
        rnd.shuffle(entries["services"])
        rnd.shuffle(passkeys["services"])
        for s in entries["services"]:
            if "tfa" in s:
                rnd.shuffle(s["tfa"])
        assert dump_catalogue(normalise_snapshots(entries, passkeys)) == dump_catalogue(sample)


def test_github_offers_stronger_methods_and_passkeys(sample):
    gh = sample.get("github.com")
    assert gh.methods == (Method.SMS, Method.TOTP, Method.SECURITY_KEY, Method.VENDOR_APP)
    assert gh.vendor_apps == ("GitHub Mobile",)
    assert gh.passkey == (PasskeyUse.SECOND_FACTOR, PasskeyUse.PASSWORDLESS)
    assert gh.documentation.endswith("/configuring-two-factor-authentication")
    assert gh.passkey_documentation == "https://docs.github.com/en/authentication/authenticating-with-a-passkey/about-passkeys"
    assert gh.recovery.endswith("/recovering-your-account-if-you-lose-your-2fa-credentials")
    assert gh.sources == ("2fa-directory", "passkeys")


def test_paypal_google_and_a_bank_with_only_sms(sample):
    paypal = sample.get("paypal.com")
    assert paypal.methods == (Method.TOTP, Method.SECURITY_KEY) and paypal.passkey == (PasskeyUse.PASSWORDLESS,)
    assert paypal.recovery is None and sample.get("paypal-search.com") is paypal
    gmail = sample.get("gmail.com")
    assert gmail.domain == "mail.google.com" and gmail.name == "Gmail"
    assert gmail.vendor_apps == ("Google Prompts", "Google Smart Lock")
    assert gmail.recovery == "https://support.google.com/accounts/answer/185834"
    pnc = sample.get("pnc.com")
    assert pnc.methods == (Method.SMS,) and pnc.categories == ("banking",) and pnc.regions == ("us",)


def test_no_2fa_and_passkey_only_services(sample):
    netflix = sample.get("netflix.com")
    assert netflix.lists_no_2fa and netflix.sources == ("2fa-directory",)
    tailscale = sample.get("tailscale.com")
    assert tailscale.sources == ("passkeys",) and not tailscale.lists_no_2fa
    assert tailscale.passkey == (PasskeyUse.PASSWORDLESS,) and tailscale.documentation == "https://tailscale.com/kb/1269"
    yahoo_mail = sample.get("mail.yahoo.com")   # not matched to yahoo.com: matching is by exact domain only
    assert yahoo_mail.sources == ("passkeys",) and sample.get("yahoo.com").passkey_passwordless
    tire = sample.get("canadiantire.ca")        # listed without 2FA, but with passwordless passkeys
    assert tire.lists_no_2fa and tire.passkey_passwordless
    assert tire.documentation.endswith("/passkey.html") and tire.passkey_documentation is None
    assert tire.additional_domains == ("marks.com", "partycity.ca", "sportchek.ca", "triangle.com")


def test_matching_through_additional_domains(sample):
    dinero = sample.get("dinero.dk")            # Visma's passkey entry lists dinero.dk
    assert dinero.passkey == (PasskeyUse.PASSWORDLESS,) and dinero.additional_domains == ()
    visma = sample.get("visma.fi")              # and stays a service of its own
    assert visma.domain == "visma.com" and visma.sources == ("passkeys",) and "dinero.dk" in visma.additional_domains
    nordvpn, nordpass = sample.get("nordvpn.com"), sample.get("nordpass.com")
    assert nordvpn.passkey == (PasskeyUse.SECOND_FACTOR,) and nordpass.passkey == ()
    assert sample.get("nordaccount.com") is None  # shared by both: ambiguous


def test_upstream_quirks_are_normalised(sample):
    degiro = sample.get("degiro.nl")
    assert "degiro.nl" not in degiro.additional_domains and len(degiro.additional_domains) == 17
    assert list(degiro.additional_domains) == sorted(degiro.additional_domains)
    assert sample.get("yahoo.com").excluded_regions == ("jp",) and sample.get("yahoo.com").regions == ()
    assert sample.get("improvmx.com").documentation == "http://help.improvmx.com/en/articles/4892466"
    x = sample.get("x.com")   # both give a recovery page: 2FA Directory's wins
    assert x.recovery == "https://help.x.com/en/managing-your-account/issues-with-login-authentication"
    aws = sample.get("aws.amazon.com")
    assert aws.vendor_hardware == ("SafeNet IDProve 110 6-digit OTP Token", "SafeNet IDProve 700 OTP Card")


def test_the_project_catalogue_agrees_with_the_normaliser_on_the_sample(sample):
    """Services whose every upstream entry is in the fixture come out of the project file identically."""
    project, found = loads_services((ROOT / "data" / "services" / "catalogue.json").read_bytes())
    assert found == ()
    assert project.sources == sample.sources
    for domain in ("github.com", "paypal.com", "mail.google.com", "pnc.com", "netflix.com", "tailscale.com",
                   "outlook.com", "aws.amazon.com", "x.com", "degiro.nl", "canadiantire.ca", "yahoo.com"):
        assert project.get(domain) == sample.get(domain), domain


@pytest.mark.parametrize("entry, message", [
    ({"name": "A", "domain": "a.com", "tfa": ["pigeon"]},
     "x.tfa[0]: unknown 2FA method 'pigeon' (known: sms, call, email, totp, u2f, custom-software, "
     "custom-hardware); teach services/normalise.py about it"),
    ({"name": "A", "domain": "a.com", "tfa": "sms"}, "x.tfa: expected a list of strings, got 'sms'"),
    ({"name": "A"}, "x: needs a name and a domain"),
    ({"name": "A", "domain": "https://a.com/"}, "x.domain: 'https://a.com/' is not a domain name"),
    ({"name": " ", "domain": "a.com"}, "x.name: expected a non-empty string, got ' '"),
    ("a.com", "x: expected an object, got str"),
])
def test_twofa_record_errors(entry, message):
    with pytest.raises(UpstreamError) as e:
        twofa_record(entry, "x")
    assert str(e.value) == message


def test_passkey_facts_errors_and_string_categories():
    with pytest.raises(UpstreamError, match=r"^x\.mfa: expected \"allowed\", got 'maybe'$"):
        passkey_facts({"domain": "a.com", "mfa": "maybe"}, "x")
    facts = passkey_facts({"domain": "A.com", "mfa": "allowed", "categories": "email"}, "x")
    assert facts["domain"] == "a.com" and facts["name"] == "a.com" and facts["categories"] == ["email"]


def test_merge_refuses_a_duplicate_domain_and_normalise_checks_the_documents():
    sources = [source(TWO_FA_SOURCE, "2026-08-04"), source(PASSKEY_SOURCE, "2026-08-04")]
    twice = [{"name": "A", "domain": "a.com"}, {"name": "B", "domain": "A.com"}]
    with pytest.raises(UpstreamError, match=r"^2FA Directory services\[1\]: domain 'a\.com' is listed twice$"):
        merge(twice, [], sources)
    with pytest.raises(UpstreamError, match='^passkeys: expected an object with a "services" list$'):
        normalise_snapshots(ENTRIES, {"services": {}})


def test_source_records_carry_licence_and_credit():
    s = source(PASSKEY_SOURCE, "2026-08-04", "4b68cbc2", ["https://passkeys-api.2fa.directory/v1/all.json"])
    assert list(s) == ["id", "name", "url", "repository", "commit", "date", "api", "licence", "licence_url",
                       "licence_file", "attribution"]
    assert s["licence"] == "CC BY 4.0" and "CC BY 4.0" in s["attribution"] and "changed" in s["attribution"]
    assert "MIT License" in TWO_FA_SOURCE["attribution"] and "2FA Directory" in TWO_FA_SOURCE["attribution"]
    for template in (TWO_FA_SOURCE, PASSKEY_SOURCE):
        assert (ROOT / "data" / "services" / template["licence_file"]).is_file()
