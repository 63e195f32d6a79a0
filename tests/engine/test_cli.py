"""cli.py: check / quick / questions / schema / plan-ui; exit 0 for valid input, 2 for invalid; no tracebacks,
whatever the input (lone surrogates, huge numbers, deep nesting)."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from esrok_recovery.cli import main, with_as_of

from engine_support import EXAMPLE, base_plan


def run(argv, stdin="", answers=None):
    out, err = io.StringIO(), io.StringIO()
    feed = iter(answers or [])

    def read(prompt):
        err.write(prompt)
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err, today="2026-11-29", read=read)
    return code, out.getvalue(), err.getvalue()


def test_check_text_json_markdown():
    code, out, err = run(["check", str(EXAMPLE)])
    assert code == 0 and err == "" and out.startswith("Esrok recovery check (as of 2026-11-29)")
    code, out, _ = run(["check", str(EXAMPLE), "--format", "json"])
    assert code == 0 and json.loads(out)["ok"] is True
    code, out, _ = run(["check", str(EXAMPLE), "--format", "markdown"])
    assert code == 0 and out.startswith("# Esrok recovery check")


def test_check_fills_in_today_when_as_of_is_missing(tmp_path):
    data = base_plan()
    del data["as_of"]
    p = tmp_path / "plan.json"
    p.write_text(json.dumps(data))
    code, out, _ = run(["check", str(p), "--format", "json"])
    assert code == 0 and json.loads(out)["as_of"] == "2026-11-29"
    assert with_as_of("[1]", "2026-11-29") == "[1]" and with_as_of("{", "x") == "{"
    assert json.loads(with_as_of('{"version": 2}', "2026-11-29")) == {"as_of": "2026-11-29", "version": 2}
    assert json.loads(with_as_of(' {}', "2026-11-29")) == {"as_of": "2026-11-29"}


def test_invalid_plan_exits_2_with_every_problem_on_stderr(tmp_path):
    p = tmp_path / "plan.json"
    p.write_text('{"version": 2, "accounts": [{"id": "a", "kind": "bank", "importance": "big", '
                 '"sign_in": [{"type": "totp", "on": "ap"}]}]}')
    code, out, err = run(["check", str(p)])
    assert code == 2 and out == ""
    assert err == (f'{p}: accounts[0].importance: unknown importance "big"; expected one of: critical, important, '
                   f'normal\n'
                   f'{p}: accounts[0].sign_in[0].on: no thing with id "ap"; the plan has no things\n'
                   f'esrok-recovery: 2 problems in {p}; nothing was checked\n')


def test_unreadable_files_and_bad_usage_exit_2(tmp_path):
    assert run(["check", str(tmp_path / "nope.json")])[:3] == (2, "", f"esrok-recovery: {tmp_path}/nope.json: no such file\n")
    assert run(["check", str(tmp_path)])[2] == f"esrok-recovery: {tmp_path}: is a directory, expected a JSON file\n"
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe")
    assert run(["check", str(tmp_path / "bin.json")])[2] == f"esrok-recovery: {tmp_path}/bin.json: not UTF-8 text (byte 0)\n"
    assert run(["check"])[0] == 2
    assert run(["frobnicate"])[0] == 2
    assert run(["check", str(EXAMPLE), "--format", "yaml"])[0] == 2


def test_check_reads_stdin():
    code, out, _ = run(["check", "-", "--format", "json"], stdin=EXAMPLE.read_text())
    assert code == 0 and json.loads(out)["ok"]


def test_quick_interactive_numbers_values_and_skips():
    code, out, err = run(["quick", "--format", "json"], answers=["2", "zz", "", "app"])
    assert code == 0
    result = json.loads(out)
    assert result["plan"]["accounts"][0]["kind"] == "google"
    assert {"type": "totp", "on": "authapp"} in result["plan"]["accounts"][0]["sign_in"]
    assert "Please type a number from 1 to 5.\n" in err
    assert "Which account would hurt most to lose?" in err and "(default)" not in err and "Enter = skip" in err
    assert [s["question"] for s in result["skipped"]][:2] == ["password", "app_backup"]


def test_quick_with_answers_file(tmp_path):
    p = tmp_path / "answers.json"
    p.write_text('{"version": 1, "answers": {"second_step": "key"}}')
    code, out, _ = run(["quick", "--answers", str(p), "--format", "json"])
    assert code == 0 and json.loads(out)["as_of"] == "2026-11-29"
    p.write_text('{"version": 1, "answers": {"second_step": "kee"}}')
    code, out, err = run(["quick", "--answers", str(p)])
    assert code == 2 and err == (f'{p}: answers.second_step: "kee" is not an answer to this question; '
                                 f'did you mean "key"?\nesrok-recovery: 1 problem in {p}; nothing was checked\n')


def test_questions_schema_and_plan_ui_print_json():
    code, out, _ = run(["questions"])
    assert code == 0 and json.loads(out)["questions"][0]["id"] == "main_account"
    code, out, _ = run(["schema"])
    assert code == 0 and json.loads(out)["$schema"].startswith("https://json-schema.org/draft/2020-12")
    code, out, _ = run(["plan-ui"])
    assert code == 0 and json.loads(out)["version"] == 2


def test_python_dash_m_and_console_script_work_end_to_end(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "esrok_recovery", "check", str(EXAMPLE), "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and json.loads(proc.stdout)["ok"] and proc.stderr == ""
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    proc = subprocess.run([sys.executable, "-m", "esrok_recovery", "check", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{bad}: (plan): invalid JSON at line 1, column 2:")


def cli(tmp_path, text: str, *extra):
    p = tmp_path / "plan.json"
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    return subprocess.run([sys.executable, "-m", "esrok_recovery", "check", str(p), *extra], capture_output=True,
                          timeout=120, env={"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"})


def test_a_lone_surrogate_never_crashes_the_cli(tmp_path):
    data = base_plan()
    text = json.dumps(data).replace('"name": "Mail"', '"name": "M\\ud800il"')
    proc = cli(tmp_path, text)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert proc.stderr.decode() == (f"{tmp_path}/plan.json: accounts[0].name: contains a character that is not "
                                    f"valid text (a lone surrogate); retype it\n"
                                    f"esrok-recovery: 1 problem in {tmp_path}/plan.json; nothing was checked\n")
    text = json.dumps(data).replace('"label": "Phone"', '"label": "Phone", "\\udfff": 1')
    proc = cli(tmp_path, text, "--format", "markdown")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr and b"\\udfff" in proc.stderr


@pytest.mark.parametrize("text, message", [
    ('{"version": 2, "accounts": [{"id": "a", "kind": "bank", "importance": "normal", "sign_in": [], '
     '"recovery": [{"type": "support", "wait_days": ' + "9" * 5000 + '}]}]}',
     "accounts[0].recovery[0].wait_days: a number with 5000 digits is too large; expected a whole number such as 14"),
    ("[" * 100_000, "(plan): the JSON is nested too deeply (a plan is at most 5 levels deep); check the file is a "
                    "recovery plan"),
])
def test_huge_numbers_and_deep_nesting_are_field_errors_in_the_cli(tmp_path, text, message):
    proc = cli(tmp_path, text)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert proc.stderr.decode().splitlines()[0] == f"{tmp_path}/plan.json: {message}"


def test_a_50_mb_plan_gets_a_size_error(tmp_path):
    text = '{"version": 2, "accounts": [' + ",".join(['{"id": "a%d", "kind": "other", "importance": "normal"}' % i
                                                      for i in range(1_000_000)]) + "]}"
    assert len(text) > 50_000_000
    proc = cli(tmp_path, text)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert "the checker reads plans of up to 10 million (about 20,000 accounts)" in proc.stderr.decode()


# --- service-aware advice: the CLI sends the same envelope as the page ---------------------------

SNAPSHOT = EXAMPLE.parents[2] / "tests" / "services" / "golden" / "snapshot-catalogue.json"


def github_plan(tmp_path, **account) -> str:
    data = base_plan()
    data["accounts"][0].update(name="GitHub", kind="other", service="github.com", **account)
    data["accounts"][0]["sign_in"] = [{"type": "password", "reused": False}, {"type": "sms", "on": "mobile"}]
    p = tmp_path / "plan.json"
    p.write_text(json.dumps(data))
    return str(p)


def test_check_on_a_plan_naming_a_service_gives_the_service_aware_advice(tmp_path):
    from esrok_recovery import evaluate_json

    from engine_support import catalogue_doc
    plan = github_plan(tmp_path)
    code, out, err = run(["check", plan, "--format", "json"])
    assert code == 0 and err == ""
    result = json.loads(out)
    switch = next(a for a in result["actions"] if a["rule"] == "stronger-method-available")
    assert "GitHub also offers passkeys" in switch["detail"] and switch["links"]
    assert result["catalogue"]["checked"] == ["mail"]
    # exactly what the page gets for the same plan and the entries it names
    page = json.loads(evaluate_json(json.dumps({"plan": json.loads(open(plan).read()),
                                                "services": catalogue_doc("github.com")})))
    assert result == page
    code, out, _ = run(["check", plan])
    assert "Link: GitHub: set up two-step sign-in: https://docs.github.com/" in out
    assert "Checked against 2FA Directory and the Passkeys Directory, data of 2026-08-04." in out


def test_services_option_and_environment_variable(tmp_path, monkeypatch):
    plan = github_plan(tmp_path)
    code, out, _ = run(["check", plan, "--format", "json", "--services", str(SNAPSHOT)])
    assert code == 0 and json.loads(out)["catalogue"]["checked"] == ["mail"]
    monkeypatch.setenv("ESROK_SERVICES", str(tmp_path / "gone.json"))
    code, out, err = run(["check", plan])
    assert code == 2 and out == ""
    assert err == (f"esrok-recovery: {tmp_path}/gone.json: no service catalogue here; pass --services FILE or set "
                   f"ESROK_SERVICES; the file ships in the project's data/services/ folder\n"
                   f"esrok-recovery: the service catalogue cannot be read (set --services FILE or ESROK_SERVICES); "
                   f"nothing was checked\n")
    # a plan naming no service never needs the catalogue
    p = tmp_path / "plain.json"
    p.write_text(json.dumps(base_plan()))
    assert run(["check", str(p)])[0] == 0


def test_a_malformed_services_file_exits_2_naming_file_and_field(tmp_path):
    bad = tmp_path / "services.json"
    data = json.loads(SNAPSHOT.read_text())
    data["services"][0]["methods"] = ["fax"]
    bad.write_text(json.dumps(data))
    code, out, err = run(["check", github_plan(tmp_path), "--services", str(bad)])
    assert code == 2 and out == ""
    assert err.splitlines()[0] == (f'esrok-recovery: {bad}: services[0].methods[0]: unknown method "fax"; use one of: '
                                   f'sms, call, email, totp, security_key, vendor_app, vendor_hardware')


def test_an_envelope_given_to_the_cli_is_passed_on_as_it_is(tmp_path):
    from engine_support import catalogue_doc
    p = tmp_path / "envelope.json"
    p.write_text(json.dumps({"plan": json.loads(open(github_plan(tmp_path)).read()),
                             "services": catalogue_doc("github.com")}))
    code, out, _ = run(["check", str(p), "--format", "json"])
    result = json.loads(out)
    assert code == 0 and result["as_of"] == "2026-11-29" and result["catalogue"]["checked"] == ["mail"]


def test_quick_with_a_service(tmp_path):
    p = tmp_path / "answers.json"
    p.write_text('{"version": 1, "answers": {"main_account": {"service": "github.com"}, "second_step": "sms"}}')
    code, out, _ = run(["quick", "--answers", str(p), "--format", "json"])
    result = json.loads(out)
    assert code == 0 and result["plan"]["accounts"][0]["service"] == "github.com"
    assert "stronger-method-available" in [a["rule"] for a in result["actions"]]
    code, out, err = run(["quick", "--format", "json"], answers=["GitHub.com", "", "2"])
    result = json.loads(out)
    assert code == 0 and result["plan"]["accounts"][0]["name"] == "GitHub"
    assert "Choose 1-8 or a web address, like github.com [Enter = skip]: " in err
    assert "stronger-method-available" in [a["rule"] for a in result["actions"]]
