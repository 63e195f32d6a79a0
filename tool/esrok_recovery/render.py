"""Result dict (the evaluate_json output) -> human-readable text or Markdown. Pure."""
from __future__ import annotations


def _n(result: dict, ident: str | None) -> str:
    if ident is None:
        return ""
    return result.get("names", {}).get(ident, ident)


def _names(result: dict, ids) -> str:
    return ", ".join(_n(result, i) for i in ids) or "none"


def _wait(days: int) -> str:
    return "same day" if days == 0 else ("after 1 day" if days == 1 else f"after {days} days")


def _route(result: dict, o: dict) -> str:
    via = f" ({_n(result, o['via'])})" if o.get("via") else ""
    return f"{_n(result, o['account'])} by {o['route']}{via}, {_wait(o['wait_days'])}"


def errors_text(errors: list[dict], source: str = "") -> str:
    prefix = f"{source}: " if source else ""
    return "\n".join(f"{prefix}{e['path']}: {e['message']}" for e in errors)


def to_text(result: dict) -> str:
    if not result.get("ok"):
        return errors_text(result.get("errors", []))
    out = [f"Esrok recovery check" + (f" (as of {result['as_of']})" if result.get("as_of") else ""),
           f"Readiness score: {result['score']['value']}/100"]
    out += [f"  - {line}" for line in result["score"]["explanation"]]
    out.append("")
    out.append("Actions, most important first")
    if not result["actions"]:
        out.append("  Nothing to do: no rule found a problem.")
    for i, a in enumerate(result["actions"], 1):
        who = f" - {_names(result, a['accounts'])}" if a["accounts"] else ""
        out.append(f"{i:>3}. [{a['tier']}] {a['title']}{who}")
        out.append(f"       Do: {a['action']}")
        out.append(f"       Why: {a['why']}")
        out.append(f"       Source: {a['source']}")
        if a["closes"]:
            out.append(f"       Also closes: {', '.join(a['closes'])}")
    out.append("")
    out.append("Loss scenarios")
    for s in result["scenarios"]:
        out.append(f"  {s['title']} [{s['id']}]")
        out.append(f"    lost: {_names(result, s['lost'])}")
        out.append(f"    still signed in: {_names(result, s['accessible'])}")
        if s["recovered"]:
            out.append("    recovered: " + "; ".join(_route(result, o) for o in s["recovered"]))
        out.append(f"    LOCKED OUT: {_names(result, s['locked_out'])}" if s["locked_out"]
                   else "    locked out: none")
    out.append("")
    out.append("Single points of failure")
    if not result["single_points_of_failure"]:
        out.append("  none found")
    for sp in result["single_points_of_failure"]:
        out.append(f"  {_n(result, sp['thing'])} -> {_names(result, sp['accounts'])}"
                   f" ({' -> '.join(_n(result, x) for x in sp['chain'])})")
    out.append("")
    out.append("Circular recovery dependencies")
    if not result["cycles"]:
        out.append("  none found")
    for c in result["cycles"]:
        out.append(f"  {' -> '.join(_n(result, x) for x in c['chain'])} (when: {', '.join(c['scenarios'])})")
    out.append("")
    out.append("Findings")
    for f in result["findings"]:
        who = _n(result, f["account"]) if f["account"] else "plan"
        out.append(f"  [{f['tier']}] {f['rule']} - {who}: {f['detail']}")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(result: dict) -> str:
    if not result.get("ok"):
        return "# Plan has errors\n\n" + "\n".join(f"- `{e['path']}`: {_cell(e['message'])}"
                                                 for e in result.get("errors", [])) + "\n"
    out = ["# Esrok recovery check" + (f" ({result['as_of']})" if result.get("as_of") else ""), "",
           f"**Readiness score: {result['score']['value']}/100**", ""]
    out += [f"- {line}" for line in result["score"]["explanation"]]
    out += ["", "## Actions, most important first", ""]
    if not result["actions"]:
        out.append("Nothing to do: no rule found a problem.")
    for i, a in enumerate(result["actions"], 1):
        who = f" ({_names(result, a['accounts'])})" if a["accounts"] else ""
        out.append(f"{i}. **{a['title']}**{who} - *{a['tier']}*  ")
        out.append(f"   {a['action']}  ")
        out.append(f"   Why: {a['why']} Source: {a['source']}.")
    out += ["", "## Loss scenarios", "", "| Scenario | Locked out | Recovered (route, wait) |", "|---|---|---|"]
    for s in result["scenarios"]:
        rec = "; ".join(_route(result, o) for o in s["recovered"]) or "-"
        out.append(f"| {_cell(s['title'])} | {_cell(_names(result, s['locked_out']))} | {_cell(rec)} |")
    out += ["", "## Single points of failure", ""]
    out += [f"- {_n(result, sp['thing'])}: {' → '.join(_n(result, x) for x in sp['chain'])}"
            for sp in result["single_points_of_failure"]] or ["None found."]
    out += ["", "## Circular recovery dependencies", ""]
    out += [f"- {' → '.join(_n(result, x) for x in c['chain'])} ({', '.join(c['scenarios'])})"
            for c in result["cycles"]] or ["None found."]
    return "\n".join(out) + "\n"
