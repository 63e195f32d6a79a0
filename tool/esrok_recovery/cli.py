"""Command line: ``esrok-recovery check|quick|questions|schema|plan-ui`` (also ``python -m esrok_recovery``).

Exit status: 0 when the input is valid (whatever the check finds), 2 for invalid
input or usage. The CLI is the only place that reads files or the clock: it fills
``as_of`` with today's date when the plan or answers lack it. Output is written so that
no input can make printing fail (text that cannot be encoded is escaped).

Service-aware advice, as on the page: when the plan's accounts (or the quick check's first
answer) name services (``"service": "github.com"``), the CLI reads the service catalogue
(``catalogue_file.load_catalogue``: ``--services FILE``, else ``$ESROK_SERVICES``, else the
project's ``data/services/catalogue.json``) and sends the engine the same envelope the page
sends, ``{"plan" | "answers": ..., "services": <the entries named>}``. Input that already is an
envelope is passed on as it is.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from typing import Callable, TextIO

from .boundary import SERVICES_KEY, evaluate_json, is_envelope, plan_ui_json, questions_json, quick_json, schema_json
from .catalogue import subset
from .catalogue_file import ENV_VAR, CatalogueFileError, load_catalogue
from .parse import DOMAIN_RE, decode
from .questions import QUESTIONS, QUESTIONS_VERSION
from .render import errors_text, to_markdown, to_text

PROG = "esrok-recovery"


def _read(path: str, err: TextIO, stdin: TextIO | None = None) -> str | None:
    try:
        if path == "-":
            return (stdin or sys.stdin).read()
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        err.write(f"{PROG}: {path}: no such file\n")
    except IsADirectoryError:
        err.write(f"{PROG}: {path}: is a directory, expected a JSON file\n")
    except UnicodeDecodeError as e:
        err.write(f"{PROG}: {path}: not UTF-8 text (byte {e.start})\n")
    except OSError as e:
        err.write(f"{PROG}: {path}: cannot read ({e.strerror})\n")
    return None


def with_as_of(text: str, today: str, key: str = "plan") -> str:
    """Add ``"as_of": today`` to a JSON object that lacks it (to the plan or answers inside an envelope);
    anything else is passed on untouched (the engine then reports what is wrong with it)."""
    data, problems, _ = decode(text)
    if not problems and is_envelope(data, key):
        inner = data.get(key)
        if not isinstance(inner, dict) or "as_of" in inner:
            return text
        inner["as_of"] = today
        try:
            return json.dumps(data, ensure_ascii=False)
        except (TypeError, ValueError):   # a number too large: the engine reports it
            return text
    if problems or not isinstance(data, dict) or "as_of" in data:
        return text
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return text
    rest = stripped[1:].lstrip()
    return '{"as_of": ' + json.dumps(today) + ("" if rest.startswith("}") else ", ") + rest


def named_services(data, key: str) -> list[str]:
    """The service domains a decoded plan ("plan") or answers document ("answers") names."""
    if not isinstance(data, dict):
        return []
    if key == "plan":
        accounts = data.get("accounts")
        return [a["service"] for a in accounts if isinstance(a, dict) and isinstance(a.get("service"), str)] \
            if isinstance(accounts, list) else []
    answers = data.get("answers")
    picked = answers.get("main_account") if isinstance(answers, dict) else None
    return [picked["service"]] if isinstance(picked, dict) and isinstance(picked.get("service"), str) else []


def with_services(text: str, key: str, services_file: str | None, err: TextIO) -> str | None:
    """The input, wrapped in an envelope with the catalogue entries it names when it names any (or when
    ``--services`` is given); None after printing why the catalogue cannot be read."""
    data, problems, _ = decode(text)
    if problems or is_envelope(data, key):
        return text            # the engine reports what is wrong, or reads the envelope as it is
    domains = named_services(data, key)
    if not domains and services_file is None:
        return text
    try:
        catalogue = load_catalogue(services_file)
    except CatalogueFileError as e:
        for line in e.lines:
            err.write(f"{PROG}: {line}\n")
        err.write(f"{PROG}: the service catalogue cannot be read (set --services FILE or {ENV_VAR}); "
                  f"nothing was checked\n")
        return None
    part = subset(catalogue, domains).as_dict()
    return "{" + json.dumps(key) + ": " + text.strip() + ", " + json.dumps(SERVICES_KEY) + ": " + \
        json.dumps(part, ensure_ascii=False) + "}"


def _emit(result_json: str, fmt: str, source: str, out: TextIO, err: TextIO) -> int:
    result = json.loads(result_json)
    if not result.get("ok"):
        n = len(result["errors"])
        err.write(errors_text(result["errors"], source) + "\n")
        err.write(f"{PROG}: {n} problem{'' if n == 1 else 's'} in {source}; nothing was checked\n")
        return 2
    if fmt == "json":
        out.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "markdown":
        out.write(to_markdown(result))
    else:
        out.write(to_text(result))
    return 0


def ask(questions, read: Callable[[str], str], out: TextIO) -> dict:
    """Ask each question in the terminal; a number or a value picks an option; Enter skips it
    (nothing is pre-selected, and a skipped question is listed in the result). A question that
    accepts a service also takes the service's web address ("github.com")."""
    answers = {}
    for q in questions:
        values = [o.value for o in q.options]
        out.write(f"\n{q.text}\n  {q.help}\n")
        for i, o in enumerate(q.options, 1):
            out.write(f"  {i}. {o.label}\n")
        service = " or a web address, like github.com" if q.accepts_service else ""
        while True:
            try:
                raw = read(f"Choose 1-{len(values)}{service} [Enter = skip]: ").strip()
            except EOFError:
                raw = ""
            if not raw:
                break
            if raw.isdigit() and 1 <= int(raw) <= len(values):
                answers[q.id] = values[int(raw) - 1]
                break
            if raw in values:
                answers[q.id] = raw
                break
            if q.accepts_service and DOMAIN_RE.match(raw.lower()):
                answers[q.id] = {"service": raw.lower()}
                break
            out.write(f"  Please type a number from 1 to {len(values)}{service}.\n")
    return answers


def _prompt_reader(inp: TextIO, err: TextIO) -> Callable[[str], str]:
    """Prompts go to stderr so stdout carries only the result; EOF skips the remaining questions."""
    def read(prompt: str) -> str:
        err.write(prompt)
        err.flush()
        line = inp.readline()
        if not line:
            raise EOFError
        return line
    return read


def _safe(stream: TextIO) -> TextIO:
    """The stream, set to escape what its encoding cannot write (a lone surrogate in a name)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass
    return stream


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Esrok recovery checklist: ranks 2FA and account-recovery "
                                                       "actions and simulates device, number and key loss.")
    sub = p.add_subparsers(dest="command", required=True, metavar="{check,quick,questions,schema,plan-ui}")
    c = sub.add_parser("check", help="check a plan file (JSON)")
    c.add_argument("plan", metavar="PLAN.json", help="the plan file, or - for standard input")
    c.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    services_help = (f"the service catalogue (default: ${ENV_VAR}, else the project's data/services/catalogue.json); "
                     f"read when the plan names services")
    c.add_argument("--services", metavar="FILE", help=services_help)
    q = sub.add_parser("quick", help="answer the quick-check questions (or read them with --answers)")
    q.add_argument("--answers", metavar="FILE", help=f'answers JSON: {{"version": {QUESTIONS_VERSION}, "answers": {{...}}}}')
    q.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    q.add_argument("--services", metavar="FILE", help=services_help)
    sub.add_parser("questions", help="print the quick-check questions as JSON")
    sub.add_parser("schema", help="print the JSON Schema of the plan format")
    sub.add_parser("plan-ui", help="print the page's vocabulary (labels, references, defaults) as JSON")
    return p


def main(argv=None, stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None,
         today: str | None = None, read: Callable[[str], str] | None = None) -> int:
    out = _safe(stdout or sys.stdout)
    err = _safe(stderr or sys.stderr)
    today = today or _dt.date.today().isoformat()
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 2
    if args.command == "questions":
        out.write(json.dumps(json.loads(questions_json()), indent=2, ensure_ascii=False) + "\n")
        return 0
    if args.command == "schema":
        out.write(schema_json() + "\n")
        return 0
    if args.command == "plan-ui":
        out.write(plan_ui_json() + "\n")
        return 0
    if args.command == "check":
        text = _read(args.plan, err, stdin)
        if text is None:
            return 2
        text = with_services(with_as_of(text, today), "plan", args.services, err)
        if text is None:
            return 2
        return _emit(evaluate_json(text), args.format, args.plan, out, err)
    # quick
    if args.answers:
        text = _read(args.answers, err, stdin)
        if text is None:
            return 2
        source = args.answers
    else:
        answers = ask(QUESTIONS, read or _prompt_reader(stdin or sys.stdin, err), err)
        text, source = json.dumps({"version": QUESTIONS_VERSION, "as_of": today, "answers": answers}), "answers"
    text = with_services(with_as_of(text, today, "answers"), "answers", args.services, err)
    if text is None:
        return 2
    return _emit(quick_json(text), args.format, source, out, err)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
