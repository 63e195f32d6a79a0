"""services/update.py (``make update-services``) against a real local HTTP server standing in
for upstream's APIs, offline: refresh, readable diff, carried-over names, and every failure
(no network, HTTP errors, not JSON, APIs that disagree) with its message and nothing written.

The fixture APIs (fixtures/api/) hold the same services as fixtures/snapshot/ in the shapes
upstream publishes (2FA Directory API v3 and v4, Passkeys Directory API v1), so a refresh of
the snapshot's golden catalogue must change only what the APIs are known to differ in.
"""
from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest

from esrok_recovery.catalogue import PasskeyUse, dump_catalogue, loads_services
from services.update import (UpdateError, fetch_json, main, passkey_entries_from_api, summary,
                             twofa_entries_from_api)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
API = HERE / "fixtures" / "api"
SNAPSHOT_GOLDEN = HERE / "golden" / "snapshot-catalogue.json"
TODAY = "2026-12-01"


@dataclass
class FixtureAPI:
    url: str
    routes: dict[str, tuple[int, bytes]]
    requests: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def api():
    """A real HTTP server on 127.0.0.1 serving fixtures/api/ (routes can be replaced per test)."""
    routes = {"/" + p.relative_to(API).as_posix(): (200, p.read_bytes()) for p in API.rglob("*.json")}
    state = FixtureAPI(url="", routes=routes)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            state.requests.append((self.path, self.headers.get("User-Agent", "")))
            status, body = state.routes.get(self.path, (404, b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def run(out: Path, api_url: str, *extra: str) -> tuple[int, str, str]:
    stdout, stderr = StringIO(), StringIO()
    code = main(["--out", str(out), "--twofa-api", f"{api_url}/2fa", "--passkeys-api", f"{api_url}/passkeys",
                 "--today", TODAY, "--timeout", "5", *extra], stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def current(tmp_path) -> Path:
    path = tmp_path / "catalogue.json"
    shutil.copy(SNAPSHOT_GOLDEN, path)
    return path


def test_refresh_changes_only_what_the_apis_differ_in(api, current):
    code, out, err = run(current, api.url)
    assert (code, err) == (0, "")
    urls = [f"{api.url}/2fa/v3/all.json", f"{api.url}/2fa/v4/all.json", f"{api.url}/passkeys/v1/all.json"]
    assert out == (f"update-services: downloading {', '.join(urls)}\n"
                   f"update-services: wrote {current} (19 services: 0 added, 0 removed, 1 changed)\n")
    assert [p for p, _ in api.requests] == ["/2fa/v3/all.json", "/2fa/v4/all.json", "/passkeys/v1/all.json"]
    assert all(ua.startswith("esrok-update-services/1") for _, ua in api.requests)
    before = SNAPSHOT_GOLDEN.read_text(encoding="utf-8").splitlines()
    after = current.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 3   # the two sources and one service: a readable diff
    sources = [json.loads(b.rstrip(",")) for a, b in changed[:2]]
    assert [(s["id"], s["date"], s["api"], "commit" in s) for s in sources] == [
        ("2fa-directory", TODAY, urls[:2], False), ("passkeys", TODAY, urls[2:], False)]
    old, new = (json.loads(x.rstrip(",")) for x in changed[2])
    # upstream's passkey API lists every 2FA Directory service with security keys as "mfa": "allowed"
    assert new == dict(old, passkey=["second_factor"], sources=["2fa-directory", "passkeys"])
    catalogue, found = loads_services(current.read_bytes())
    assert found == () and current.read_text(encoding="utf-8") == dump_catalogue(catalogue)
    assert catalogue.get("tailscale.com").name == "Tailscale"          # name carried over: the API has none
    assert catalogue.get("visma.fi").domain == "visma.com"              # repeats grouped under the known service
    assert "github.com.svg" not in current.read_text(encoding="utf-8")  # logos and notes are dropped

    code, out, _ = run(current, api.url)                                 # a second run: nothing to do
    assert code == 0 and out.endswith(f"update-services: unchanged: {current} (19 services, no service changed)\n")


def test_a_first_refresh_without_a_catalogue_names_new_passkey_services_by_domain(api, tmp_path):
    out_file = tmp_path / "new" / "catalogue.json"
    code, out, _ = run(out_file, api.url)
    assert code == 0 and out.endswith(f"wrote {out_file} (28 services (new file))\n")
    catalogue, found = loads_services(out_file.read_bytes())
    assert found == ()
    assert catalogue.get("tailscale.com").name == "tailscale.com"
    assert catalogue.get("visma.fi").domain == "visma.fi"     # the API repeats Visma under each domain
    assert catalogue.get("github.com").passkey == (PasskeyUse.SECOND_FACTOR, PasskeyUse.PASSWORDLESS)


NO_NETWORK = ("update-services: cannot reach {url} (connection refused); this needs a network connection: "
              "connect and run make update-services again\n")


def test_no_network_fails_clearly_and_writes_nothing(current, tmp_path):
    import socket
    with socket.socket() as s:          # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = current.read_bytes()
    code, out, err = run(current, f"http://127.0.0.1:{port}")
    assert code == 1
    assert err == NO_NETWORK.format(url=f"http://127.0.0.1:{port}/2fa/v3/all.json")
    assert current.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.json"]


def test_unresolvable_host_names_the_cause():
    with pytest.raises(UpdateError) as e:
        fetch_json("http://does-not-exist.invalid/v4/all.json", timeout=5)
    assert str(e.value) == ("cannot reach http://does-not-exist.invalid/v4/all.json (the host name could not be "
                            "resolved); this needs a network connection: connect and run make update-services again")


def test_http_error_and_not_json(api, current):
    before = current.read_bytes()
    api.routes["/passkeys/v1/all.json"] = (503, b"busy")
    code, _, err = run(current, api.url)
    assert (code, err) == (1, f"update-services: {api.url}/passkeys/v1/all.json answered HTTP 503 Service "
                              f"Unavailable; check the address, or try again later\n")
    api.routes["/passkeys/v1/all.json"] = (200, b"<html>moved</html>")
    code, _, err = run(current, api.url)
    assert code == 1 and err.startswith(f"update-services: {api.url}/passkeys/v1/all.json did not send JSON "
                                        f"(Expecting value: line 1 column 1 (char 0))")
    assert current.read_bytes() == before


def test_v3_and_v4_must_agree(api, current):
    v4 = json.loads(api.routes["/2fa/v4/all.json"][1])
    del v4["pnc.com"]
    v4["brand-new.example"] = {"methods": ["totp"]}
    api.routes["/2fa/v4/all.json"] = (200, json.dumps(v4).encode())
    code, _, err = run(current, api.url)
    assert (code, err) == (1, "update-services: 2FA Directory API v3 and v4 disagree: 1 service(s) of v3 are "
                              "missing from v4 (pnc.com); 1 domain(s) of v4 are not in v3 (brand-new.example); "
                              "upstream may be half-way through publishing, try again in an hour\n")


def test_a_changed_api_format_is_refused():
    with pytest.raises(UpdateError, match=r"^2FA Directory API v4 all\.json: expected an object keyed by domain, "
                                          r"got list; the API format has changed"):
        twofa_entries_from_api([], [])
    with pytest.raises(UpdateError, match=r"^2FA Directory API v3 all\.json\[0\]: expected \[name, "):
        twofa_entries_from_api([{"domain": "a.com"}], {})
    with pytest.raises(UpdateError, match=r"^Passkeys Directory API v1 all\.json: expected an object"):
        passkey_entries_from_api([], None)


def test_bad_upstream_values_are_refused_with_the_entry(api, current):
    v4 = json.loads(api.routes["/2fa/v4/all.json"][1])
    v4["pnc.com"] = {"methods": ["sms", "carrier-pigeon"]}
    api.routes["/2fa/v4/all.json"] = (200, json.dumps(v4).encode())
    code, _, err = run(current, api.url)
    assert (code, err) == (1, "update-services: 2FA Directory services[13] (PNC Bank).tfa[1]: unknown 2FA method "
                              "'carrier-pigeon' (known: sms, call, email, totp, u2f, custom-software, "
                              "custom-hardware); teach services/normalise.py about it; nothing was written\n")


def test_a_broken_current_file_is_reported_first(api, current):
    current.write_text(current.read_text(encoding="utf-8").replace('"u2f"', '"x"').replace(
        '"methods": ["sms"]', '"methods": ["sms", "u2f"]'), encoding="utf-8")
    code, _, err = run(current, api.url)
    assert code == 1
    assert err.splitlines() == [
        f"update-services: {current} is not a valid catalogue, fix it first (or delete it):",
        f"{current}: services[14].methods[1]: \"u2f\" is 2FA Directory's name; write \"security_key\""]
    assert api.requests == []


def test_reformat_rewrites_a_hand_edited_file_in_canonical_form(tmp_path):
    path = tmp_path / "catalogue.json"
    catalogue, _ = loads_services(SNAPSHOT_GOLDEN.read_bytes())
    path.write_text(json.dumps(catalogue.as_dict(), indent=2), encoding="utf-8")
    stdout = StringIO()
    assert main(["--out", str(path), "--reformat"], stdout=stdout) == 0
    assert stdout.getvalue() == f"update-services: wrote {path} (19 services, no service changed)\n"
    assert path.read_text(encoding="utf-8") == SNAPSHOT_GOLDEN.read_text(encoding="utf-8")


def test_snapshot_mode_and_usage_errors(tmp_path):
    err = StringIO()
    assert main(["--out", str(tmp_path / "c.json"), "--snapshot", str(tmp_path / "nope.json"), "x"], stderr=err) == 1
    assert err.getvalue() == f"update-services: {tmp_path / 'nope.json'}: no such file\n"
    assert main(["--reformat", "--snapshot", "a", "b"], stderr=StringIO()) == 2
    err = StringIO()
    assert main(["--out", str(tmp_path / "c.json"), "--reformat"], stderr=err) == 1
    assert err.getvalue() == f"update-services: {tmp_path / 'c.json'}: no such file; nothing to reformat\n"


def test_summary():
    catalogue, _ = loads_services(SNAPSHOT_GOLDEN.read_bytes())
    assert summary(None, catalogue) == "19 services (new file)"
    assert summary(catalogue, catalogue) == "19 services, no service changed"


def test_the_make_target_runs_the_module(api, current):
    """`make update-services` is `python -m services.update $(UPDATE_ARGS)`: run it for real."""
    proc = subprocess.run(["make", "-s", "update-services",
                           f"UPDATE_ARGS=--out {current} --twofa-api {api.url}/2fa --passkeys-api {api.url}/passkeys "
                           f"--today {TODAY}"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == f"update-services: wrote {current} (19 services: 0 added, 0 removed, 1 changed)"
