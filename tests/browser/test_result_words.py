"""The page's words, in real Chromium: every persona plan's rendered result is in plain language
(no "(s)" plurals, percentages of the score, raw ids or internal route names; action titles of at
most 70 characters), and the inventory shows no label the engine does not define."""
from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser_support import BOOT_TIMEOUT_MS, SMS_ONLY, answer_quick, engine_quick, open_tool

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "engine"))
from engine_support import load_golden, persona_files, plain_words_problems  # noqa: E402

from esrok_recovery import evaluate_json, plan_ui_json  # noqa: E402

pytestmark = pytest.mark.browser
OPEN_ALL = "() => document.querySelectorAll('#esrok-results details').forEach((d) => { d.open = true; })"
CLEAR = ("() => { document.getElementById('esrok-summary').textContent = '';"
         " document.getElementById('esrok-result-body').replaceChildren(); }")


def with_services(plan: dict) -> dict:
    """What the page sends for a plan: the envelope with the browser asset's entries the plan names."""
    from esrok_recovery.catalogue import browser_asset
    from esrok_recovery.catalogue_file import load_catalogue

    asset = json.loads(browser_asset(load_catalogue(env={})))
    named = {a.get("service") for a in plan.get("accounts", []) if isinstance(a, dict)}
    by_domain = {d: s for s in asset["services"] for d in [s["domain"], *s.get("additional_domains", [])]}
    entries = {by_domain[d]["domain"]: by_domain[d] for d in named if d in by_domain}
    if not named - {None}:
        return plan
    return {"plan": plan, "services": {"format": asset["format"], "sources": asset["sources"],
                                       "services": [entries[d] for d in sorted(entries)]}}


def import_file(page: Page, name: str, text: str) -> None:
    page.get_by_label("Import a plan (JSON file)").set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": text.encode()}])


def shown_result(page: Page) -> tuple[str, list[str]]:
    """The whole result as a reader sees it with every fold open, and its action titles."""
    page.evaluate(OPEN_ALL)
    results = page.locator("#esrok-results")
    return results.inner_text(), results.locator(".esrok-action__title [data-part=title]").all_inner_texts()


def test_every_persona_result_on_the_page_is_in_plain_words(page: Page, site_server):
    open_tool(page, site_server.url)
    problems = {}
    answer_quick(page, SMS_ONLY)
    expect(page.locator("#esrok-summary")).to_contain_text("out of 100", timeout=BOOT_TIMEOUT_MS)
    text, titles = shown_result(page)
    problems["quick check (SMS only)"] = plain_words_problems(text, engine_quick(SMS_ONLY))
    assert titles
    personas = persona_files()
    assert len(personas) >= 10
    for path in personas:
        plan = load_golden(path)["plan"]
        out = json.loads(evaluate_json(json.dumps(with_services({**plan, "as_of": date.today().isoformat()}))))
        page.evaluate(CLEAR)
        import_file(page, path.name, json.dumps(plan))
        expect(page.locator("#esrok-storage-status")).to_contain_text(f"Imported {path.name}.", timeout=BOOT_TIMEOUT_MS)
        expect(page.locator("#esrok-summary")).to_contain_text("out of 100", timeout=BOOT_TIMEOUT_MS)
        text, titles = shown_result(page)
        assert len(titles) == len(out["actions"]), path.name   # every action is on the page (folded or not)
        problems[path.stem] = plain_words_problems(text, out) + [
            f"title over 70 characters: {t}" for t in titles if len(t) > 70]
    assert problems == {k: [] for k in problems}


# The page's own words in the editor (its buttons, placeholders and yes/no answers); every other
# label, legend and option comes from plan-ui.json or is a name the person typed.
PAGE_WORDS = {"Yes", "No", "Not sure", "(choose)", "(not recorded)", "Add a sign-in method", "Add a recovery route",
              "Add a device, number, key or other thing", "New account", "Never"}
PAGE_PATTERNS = [r"\(choose an? .+\)", r"\(choose one\)", r"\(choose an account\)"]


def engine_labels() -> set[str]:
    labels: set[str] = set()

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "label" and isinstance(v, str):
                    labels.add(v)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(json.loads(plan_ui_json()))
    return labels


@pytest.mark.parametrize("persona", ["small-business-sol", "two-keys-kai", "shared-phone-family"])
def test_the_inventory_shows_no_label_the_engine_does_not_define(page: Page, site_server, persona):
    plan = load_golden(ROOT / "tests" / "engine" / "personas" / f"{persona}.json")["plan"]
    open_tool(page, site_server.url)
    import_file(page, f"{persona}.json", json.dumps(plan))
    expect(page.locator("#esrok-storage-status")).to_contain_text("Imported", timeout=BOOT_TIMEOUT_MS)
    editor = page.locator("#esrok-editor")
    texts = editor.evaluate("""(el) => [...el.querySelectorAll('label, legend, option, h3')]
        .map((n) => n.textContent.replace(/\\s+/g, ' ').trim()).filter(Boolean)""")
    names = {t["label"] for t in plan["things"] if t.get("label")} | {a["name"] for a in plan["accounts"]}
    known = engine_labels()
    type_names = {f"{k}: {n}" for k in known for n in names}   # a thing's legend: "Phone: Pixel"
    unknown = sorted({t for t in texts if t not in known | names | PAGE_WORDS | type_names
                      and not any(re.fullmatch(p, t) for p in PAGE_PATTERNS)})
    assert len(texts) > 30 and unknown == []
