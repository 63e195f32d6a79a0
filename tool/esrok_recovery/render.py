"""Result dict (the evaluate_json output, version 2) -> readable text or Markdown. Pure.

Plain words only: names instead of ids, rule titles instead of rule ids, route words
instead of route ids.
"""
from __future__ import annotations


def _n(result: dict, ident: str | None) -> str:
    if ident is None:
        return ""
    return result.get("names", {}).get(ident, ident)


def _names(result: dict, ids) -> str:
    return ", ".join(_n(result, i) for i in ids) or "none"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def errors_text(errors: list[dict], source: str = "") -> str:
    prefix = f"{source}: " if source else ""
    return "\n".join(f"{prefix}{e['path']}: {e['message']}" for e in errors)


def _problem_titles(result: dict) -> dict:
    titles = {}
    for a in result["actions"]:
        titles[a["rule"]] = a["problem"]
    return titles


def _action_lines(result: dict, a: dict, i: int, rule_titles: dict, markdown: bool = False) -> list[str]:
    listed = all(_n(result, x) in a["title"] for x in a["accounts"])
    who = ""
    accounts_line = [] if listed or not a["accounts"] else [f"For: {_names(result, a['accounts'])}"]
    facts = [a["tier"], f"{a['effort_minutes']} minutes"]
    if a["gain_text"]:
        facts.append(a["gain_text"])
    if markdown:
        out = [f"{i}. **{a['title']}**{who} - *{' · '.join(facts)}*  "] + [f"   {x}  " for x in accounts_line]
        if a.get("gain_note"):
            out.append(f"   {a['gain_note']}  ")
        out.append(f"   {a['do']}  ")
        if a["detail"]:
            out.append(f"   Found: {a['detail']}  ")
        if a["trade_off"]:
            out.append(f"   Trade-off: {a['trade_off']}  ")
        out.append(f"   Why: {a['why']} Source: {a['source']}.")
        for link in a.get("links", []):
            out[-1] += "  "
            out.append(f"   [{_cell(link['label'])}](<{link['url']}>)")
        return out
    out = [f"{i:>3}. {a['title']}{who}", f"       [{' · '.join(facts)}]"] + [f"       {x}" for x in accounts_line]
    if a.get("gain_note"):
        out.append(f"       {a['gain_note']}")
    out.append(f"       Do: {a['do']}")
    if a["detail"]:
        out.append(f"       Found: {a['detail']}")
    if a["trade_off"]:
        out.append(f"       Trade-off: {a['trade_off']}")
    out.append(f"       Why: {a['why']}")
    out.append(f"       Source: {a['source']}")
    for link in a.get("links", []):
        out.append(f"       Link: {link['label']}: {link['url']}")
    if a["closes"]:
        out.append("       Also settles: " + "; ".join(rule_titles.get(c, c) for c in a["closes"]))
    return out


def _scenario_lines(result: dict, s: dict) -> list[str]:
    lines = []
    for o in s["outcomes"]:
        lines.append(f"{_n(result, o['account'])}: {o['text'][0].lower()}{o['text'][1:]}")
    if s["still_in"]:
        lines.append(f"Still in: {_names(result, s['still_in'])}")
    return lines


def _losses(result: dict) -> tuple[list[dict], str | None]:
    """The baseline and the losses that reach something in the plan; and one sentence for those that
    reach nothing (no key listed, no password manager, nothing kept at home), as the page says it."""
    shown = [result["baseline"]] + [s for s in result["scenarios"] if s.get("applies", True)]
    left = [s["title"][0].lower() + s["title"][1:] for s in result["scenarios"] if not s.get("applies", True)]
    return shown, (f"Nothing in the plan is affected if {'; or if '.join(left)}." if left else None)


def to_text(result: dict) -> str:
    if not result.get("ok"):
        return errors_text(result.get("errors", []))
    from .rules import RULES_BY_ID
    rule_titles = {r: RULES_BY_ID[r].title for r in RULES_BY_ID}
    m = result["measures"]
    out = ["Esrok recovery check" + (f" (as of {result['as_of']})" if result.get("as_of") else ""), ""]
    for key in ("protection", "recoverability"):
        v = m[key]
        out.append(f"{v['label']:<15}{v['value']:>3}/100  {v['explanation']}")
    out.append(m["headline"]["text"])
    out.append("")
    actions = result["actions"]
    fold = result.get("fold_after", 5)
    out.append("What to do, most important first")
    if not actions:
        out.append("  Nothing to do: no rule found a problem.")
    for i, a in enumerate(actions, 1):
        if i == fold + 1:
            out.append("")
            out.append(f"More actions ({len(actions) - fold})")
        out += _action_lines(result, a, i, rule_titles)
    out.append("")
    out.append("If something is lost")
    shown, unaffected = _losses(result)
    for s in shown:
        out.append(f"  {s['title']}")
        out += [f"    {line}" for line in _scenario_lines(result, s)]
        if s["down"]:
            out.append(f"    Unavailable by definition: {_names(result, s['down'])}")
    if unaffected:
        out.append(f"  {unaffected}")
    out.append("")
    out.append("Single points of failure")
    if not result["single_points_of_failure"]:
        out.append("  None found: no single thing you could lose locks you out of a critical account.")
    titles = {s["id"]: s["title"] for s in result["scenarios"]}
    for sp in result["single_points_of_failure"]:
        for acct in sp["accounts"]:
            chain = " → ".join(_n(result, x) for x in sp["chains"][acct])
            out.append(f"  {_n(result, sp['thing'])} locks you out of {_n(result, acct)} ({chain}); shown in "
                       f"“{titles.get(sp['scenarios'][acct], '')}”")
    out.append("")
    out.append("Recovery loops")
    if not result["cycles"]:
        out.append("  None found: no accounts recover only through each other.")
    for c in result["cycles"]:
        out.append(f"  {' → '.join(_n(result, x) for x in c['chain'])}")
    if result.get("tips"):
        out.append("")
        out.append("Tips (the plan does not say, so these are not actions)")
        out += [f"  - {t['text']}" for t in result["tips"]]
    if result.get("assumptions"):
        out.append("")
        out.append("Assumed")
        out += [f"  - {x['text']}" for x in result["assumptions"]]
    if result.get("skipped"):
        out.append("")
        out.append("Questions skipped")
        out += [f"  - {q['text']} ({q['answer']})" for q in result["skipped"]]
    accepted = [f for f in result["findings"] if f.get("accepted")]
    if accepted:
        out.append("")
        out.append("Trade-offs you accepted")
        out += [f"  - {_n(result, f['account'])}: {rule_titles[f['rule']]} ({f['detail']})" for f in accepted]
    out += _catalogue_lines(result)
    return "\n".join(out) + "\n"


def _catalogue_lines(result: dict, markdown: bool = False) -> list[str]:
    """The services' own pages per account, the "checked against 2FA Directory" line and the credits."""
    cat = result.get("catalogue")
    if not cat:
        return []
    out = ["", "## Services", ""] if markdown else ["", "Services"]
    for acct in result.get("accounts", []):
        svc = acct.get("service")
        if not svc or not svc.get("known"):
            continue
        offers = f": offers {svc['offers_text']}" if svc.get("offers_text") else ": lists no second sign-in step"
        which = svc["domain"] if svc["name"] == acct["name"] else f"{svc['name']}, {svc['domain']}"
        out.append(f"{'- ' if markdown else '  '}{acct['name']} ({which}){offers}")
        for link in svc.get("links", []):
            out.append(f"    - [{_cell(link['label'])}](<{link['url']}>)" if markdown
                       else f"      {link['label']}: {link['url']}")
    out += ["", cat["text"]] + [("- " if markdown else "  ") + line for line in cat["attribution"]]
    return out


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(result: dict) -> str:
    if not result.get("ok"):
        return "# Plan has errors\n\n" + "\n".join(f"- `{e['path']}`: {_cell(e['message'])}"
                                                 for e in result.get("errors", [])) + "\n"
    from .rules import RULES_BY_ID
    rule_titles = {r: RULES_BY_ID[r].title for r in RULES_BY_ID}
    m = result["measures"]
    out = ["# Esrok recovery check" + (f" ({result['as_of']})" if result.get("as_of") else ""), ""]
    for key in ("protection", "recoverability"):
        v = m[key]
        out.append(f"- **{v['label']}: {v['value']}/100.** {v['explanation']}")
    out += ["", m["headline"]["text"], "", "## What to do, most important first", ""]
    if not result["actions"]:
        out.append("Nothing to do: no rule found a problem.")
    for i, a in enumerate(result["actions"], 1):
        if i == result.get("fold_after", 5) + 1:
            out += ["", f"### More actions ({len(result['actions']) - result.get('fold_after', 5)})", ""]
        out += _action_lines(result, a, i, rule_titles, markdown=True)
    out += ["", "## If something is lost", "", "| Loss | What happens |", "|---|---|"]
    shown, unaffected = _losses(result)
    for s in shown:
        out.append(f"| {_cell(s['title'])} | {_cell('; '.join(_scenario_lines(result, s)) or '-')} |")
    if unaffected:
        out += ["", unaffected]
    out += ["", "## Single points of failure", ""]
    sps = [f"- {_n(result, sp['thing'])}: {' → '.join(_n(result, x) for x in sp['chains'][a])}"
           for sp in result["single_points_of_failure"] for a in sp["accounts"]]
    out += sps or ["None found."]
    out += ["", "## Recovery loops", ""]
    out += [f"- {' → '.join(_n(result, x) for x in c['chain'])}" for c in result["cycles"]] or ["None found."]
    if result.get("tips"):
        out += ["", "## Tips", ""] + [f"- {t['text']}" for t in result["tips"]]
    if result.get("assumptions"):
        out += ["", "## Assumed", ""] + [f"- {x['text']}" for x in result["assumptions"]]
    if result.get("skipped"):
        out += ["", "## Questions skipped", ""] + [f"- {q['text']} ({q['answer']})" for q in result["skipped"]]
    out += _catalogue_lines(result, markdown=True)
    return "\n".join(out) + "\n"
