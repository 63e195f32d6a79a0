"""Step 5 of the tool build, hooks/toolbuild/page.py: questions, CSP hashes, the boot configuration, the built tool page."""
from __future__ import annotations

import base64
import hashlib

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape

from hooks.toolbuild.cache import key

from hooks.toolbuild.page import (
    CSP_TEMPLATE, HASH_TOKEN, STYLE_HASH_TOKEN, TOOL_STYLES, ToolPageError, apply_csp_hashes, boot_config,
    inline_script_hashes, inline_style_hashes, read_styles,
    load_questions, parse_questions,
)

ROOT = Path(__file__).resolve().parents[2]
Q = {"id": "sms", "text": "Text?", "help": "", "default": "no",
     "options": [{"value": "no", "label": "No"}, {"value": "yes", "label": "Yes"}]}


def qs(*questions):
    return json.dumps({"version": 1, "questions": list(questions)})


def sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_parse_questions_accepts_valid_data():
    assert parse_questions(qs(Q)) == [Q]


@pytest.mark.parametrize("text, message", [
    ("nope", "questions_json() did not return JSON"),
    (json.dumps({"version": 2, "questions": []}), 'questions_json(): expected an object with "version": 1'),
    (qs(), "questions_json(): questions must be a non-empty list"),
    (qs(dict(Q, text="")), "questions_json(): questions[0].text must be a non-empty string"),
    (qs(Q, Q), 'questions_json(): questions[1].id "sms" is used twice'),
    (qs(dict(Q, options=[Q["options"][0]])), "questions_json(): questions[0].options must list at least two options"),
    (qs(dict(Q, options=[{"value": "a"}, {"value": "b", "label": "B"}])),
     "questions_json(): questions[0].options[0] needs string value and label"),
    (qs(dict(Q, default="maybe")), 'questions_json(): questions[0].default "maybe" is not one of its option values'),
])
def test_parse_questions_errors_name_the_field(text, message):
    with pytest.raises(ToolPageError) as e:
        parse_questions(text)
    assert str(e.value).startswith(message)


def test_inline_script_hashes_cover_only_executable_inline_scripts():
    page = ('<script>a=1</script><script src="x.js"></script>'
            '<script type="application/json">{"a":1}</script>'
            '<script type="application/ld+json">{}</script><script type="module">b()</script>'
            '<script>a=1</script>')
    assert inline_script_hashes(page) == [sha("a=1"), sha("b()")]


def test_apply_csp_hashes_fills_the_token():
    page = (f'<meta http-equiv="Content-Security-Policy" content="{CSP_TEMPLATE}"><script>x()</script>'
            '<style>p{color:red}</style><style>a{}</style>')
    out = apply_csp_hashes(page)
    assert HASH_TOKEN not in out and STYLE_HASH_TOKEN not in out
    assert f"script-src 'self' 'wasm-unsafe-eval' {sha('x()')};" in out
    assert f"style-src 'self' {sha('p{color:red}')} {sha('a{}')};" in out
    assert apply_csp_hashes("<p>no token</p>") == "<p>no token</p>"


def test_inline_style_hashes_cover_every_style_element():
    assert inline_style_hashes('<style>a{}</style><style media="print">b{}</style><style>a{}</style>') == [
        sha("a{}"), sha("b{}")]


def test_the_tool_styles_are_read_in_order_and_a_closing_tag_is_refused(tmp_path):
    text = read_styles(ROOT)
    first = (ROOT / "overrides" / TOOL_STYLES[0]).read_text(encoding="utf-8")
    assert text.startswith(first.rstrip("\n")) and len(TOOL_STYLES) == 2
    for path in TOOL_STYLES:
        (tmp_path / "overrides" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "overrides" / path).write_text("p { color: red }\n", encoding="utf-8")
    assert read_styles(tmp_path) == "p { color: red }\n" * 2
    (tmp_path / "overrides" / TOOL_STYLES[1]).write_text('p::after { content: "</style>" }', encoding="utf-8")
    with pytest.raises(ToolPageError) as e:
        read_styles(tmp_path)
    assert str(e.value) == ("overrides/assets/stylesheets/service-picker.css contains '</style', which would end "
                            "the page's inline <style> element; write it as '<\\/style' in a string or remove it")
    (tmp_path / "overrides" / TOOL_STYLES[0]).unlink()
    with pytest.raises(ToolPageError) as e:
        read_styles(tmp_path)
    assert str(e.value) == "overrides/assets/stylesheets/tool.css is missing; restore it from git"


def test_csp_allows_nothing_but_self():
    assert "unsafe" not in CSP_TEMPLATE.replace("'wasm-unsafe-eval'", "")  # no 'unsafe-inline'/'unsafe-eval'
    script_src = re.search(r"script-src ([^;]*);", CSP_TEMPLATE).group(1)
    assert script_src == f"'self' 'wasm-unsafe-eval' {HASH_TOKEN}"
    assert re.search(r"style-src ([^;]*);", CSP_TEMPLATE).group(1) == f"'self' {STYLE_HASH_TOKEN}"
    assert "http" not in CSP_TEMPLATE and "*" not in CSP_TEMPLATE
    assert "connect-src 'self'" in CSP_TEMPLATE and "worker-src 'self'" in CSP_TEMPLATE


def test_real_engine_questions_are_valid():
    assert load_questions(ROOT)


def test_built_tool_page_renders_the_form_as_plain_html(built_site):
    """The quick-check form is in the built HTML: every question and option, no JS needed."""
    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    questions = load_questions(ROOT)
    for q in questions:
        assert f"<legend>{escape(q['text'])}</legend>" in page
        for opt in q["options"]:
            assert f'name="{q["id"]}" value="{escape(opt["value"])}"' in page
            assert f"<span>{escape(opt['label'])}</span>" in page
    assert "The checker needs JavaScript" in page
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    assert HASH_TOKEN not in csp and STYLE_HASH_TOKEN not in csp and "'unsafe-inline'" not in csp
    for h in inline_script_hashes(page) + inline_style_hashes(page):
        assert h in csp
    # Pyodide is only referenced from the tool page (the offline page links it, as a link).
    for other in built_site.dir.rglob("*.html"):
        if other.parent.name != "recovery-checklist":
            assert "checklist/app.js" not in other.read_text(), other


def test_boot_configuration_is_emitted_once_and_read_by_page_and_worker(built_site):
    """One JSON element in the tool page; the scripts hold no URL, hash or timeout of their own."""
    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    found = re.findall(r'<script type="application/json" id="esrok-boot">(.*?)</script>', page, re.S)
    assert len(found) == 1
    boot = json.loads(found[0])
    for path in (boot["wheel"]["url"], boot["bytecode"]["url"], boot["stdlib"], boot["stdlibFull"],
                 boot["snapshot"]["url"], boot["pyodide"]["indexURL"] + "pyodide.mjs", *boot["data"].values()):
        assert (built_site.dir / path).is_file(), path
    assert list(boot["data"]) == ["plan-ui", "services"]   # the vocabulary; the trimmed catalogue (step 4b)
    assert re.fullmatch(r"assets/esrok/services\.[0-9a-f]{12}\.json", boot["data"]["services"])
    assert hashlib.sha256((built_site.dir / boot["wheel"]["url"]).read_bytes()).hexdigest() == boot["wheel"]["sha256"]
    assert boot["pyodide"]["version"] == "314.0.7" and boot["timeouts"] == {"bootMs": 120000, "snapshotMs": 20000}
    # The saved plan's key: read by the inline boot script (a saved plan boots at once) and by store.js.
    store = (ROOT / "overrides" / "assets" / "javascripts" / "checklist" / "store.js").read_text()
    assert boot["storage"] == {"plan": "esrok.recovery-plan"}
    assert 'export const STORE_KEY = "esrok.recovery-plan";' in store
    rest = {k: v for k, v in boot.items() if k != "build"}
    assert boot["build"] == key(json.dumps(rest, sort_keys=True))[:16]
    sw = (built_site.dir / "sw.js").read_text()
    assert f'"build": "{boot["build"]}"' in sw  # the service worker is rendered from the same value
    scripts = ROOT / "overrides" / "assets" / "javascripts"
    names = ["checklist-worker.js", "sw-register.js"] + [p.relative_to(scripts).as_posix()
                                                         for p in sorted((scripts / "checklist").glob("*.js"))]
    assert len(names) > 5
    for name in names:
        text = (scripts / name).read_text()
        assert "assets/pyodide" not in text and ".whl" not in text and "120" not in text and "20000" not in text, name
        code = re.sub(r"(?m)^\s*//[^\n]*|/\*.*?\*/", "", text, flags=re.S)  # comments may name them
        assert not re.search(r"python_stdlib|snapshot\.[0-9a-f]", code), name


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True)


def test_broken_engine_is_a_clear_error_and_a_changed_engine_is_reimported(tmp_path):
    """In a separate process (it imports engine copies): errors name the problem; under
    `mkdocs serve`, edited engine sources are picked up on the next build."""
    pkg = tmp_path / "tool" / "esrok_recovery"
    pkg.mkdir(parents=True)
    init = pkg / "__init__.py"
    init.write_text("def questions_json(:\n")
    code = ("import sys, json, os; from pathlib import Path; from hooks.toolbuild.page import load_questions, ToolPageError\n"
            "root = Path(sys.argv[1]); init = root / 'tool/esrok_recovery/__init__.py'\n"
            "try:\n    load_questions(root)\nexcept ToolPageError as e:\n    print('ERR', e)\n"
            "q = {'id': 'a', 'text': 'A?', 'help': '', 'default': 'x', 'options': [{'value': 'x', 'label': 'X'}, {'value': 'y', 'label': 'Y'}]}\n"
            "for text in ('One?', 'Two?'):\n"
            "    init.write_text('import json\\ndef questions_json():\\n    return json.dumps(' + repr({'version': 1, 'questions': [dict(q, text=text)]}) + ')\\n')\n"
            "    st = init.stat(); os.utime(init, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9 * (text == 'Two?')))\n"
            "    print(load_questions(root)[0]['text'])\n")
    proc = _run(code, str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("ERR cannot import the engine from tool/esrok_recovery (SyntaxError: ")
    assert lines[1:] == ["One?", "Two?"]


# --- the page's vocabulary (plan-ui.json) and its modules (issue 10) ---------------------------

from hooks.toolbuild.page import UI_MODULES, data_urls, module_imports, parse_plan_ui, ui_modules  # noqa: E402

MODULES_DIR = ROOT / "overrides" / "assets" / "javascripts"


def test_plan_ui_is_emitted_at_the_page_data_step_and_named_in_the_boot_configuration(built_site):
    from esrok_recovery import plan_ui_json

    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    boot = json.loads(re.search(r'id="esrok-boot">(.*?)</script>', page, re.S).group(1))
    url = boot["data"]["plan-ui"]
    assert re.fullmatch(r"assets/esrok/plan-ui\.[0-9a-f]{10}\.json", url)
    assert (built_site.dir / url).read_text(encoding="utf-8") == plan_ui_json()   # the engine's, as is
    # Not preloaded: the page's script, run in <head>, fetches it (a preload would take a connection
    # from the stylesheets the parser waits for).
    assert f'href="../../{url}"' not in page


def test_the_service_catalogue_is_named_in_boot_data_but_never_preloaded(built_site):
    """The picker's catalogue is fetched on first use (checklist/services.js), not with the page."""
    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    boot = json.loads(re.search(r'id="esrok-boot">(.*?)</script>', page, re.S).group(1))
    url = boot["data"]["services"]
    assert (built_site.dir / url).is_file()
    preloads = re.findall(r'<link rel="preload"[^>]*>', page)
    assert not [p for p in preloads if "services." in p]


@pytest.mark.parametrize("text, message", [
    ("nope", "plan_ui_json() did not return JSON"),
    (json.dumps({"version": 2, "enums": {}, "shapes": {}}), "plan_ui_json(): never is missing or not a str"),
    (json.dumps({"version": 2, "enums": {}, "shapes": {"plan": {}}, "never": "never"}),
     "plan_ui_json(): shapes.habits is missing"),
])
def test_parse_plan_ui_errors_name_the_field(text, message):
    with pytest.raises(ToolPageError) as e:
        parse_plan_ui(text)
    assert str(e.value).startswith(message)


def test_data_urls_are_named_by_their_stem():
    from hooks.toolbuild.page import data_asset
    blob = data_asset("plan-ui", '{"a": 1}')
    assert data_urls([blob]) == {"plan-ui": blob.url}


def test_module_imports_and_the_one_directory_rule():
    assert module_imports('import { a } from "./a.js";\nexport { b } from "../b.js";\nimport "./c.js";\n') == [
        "./a.js", "../b.js", "./c.js"]
    blobs = ui_modules([("x/app.js", b'import { a } from "./a.js";'), ("x/a.js", b"export const a = 1;")])
    assert len({b.url.rsplit("/", 2)[0] for b in blobs}) == 1 and blobs[0].url.endswith("/x/app.js")
    with pytest.raises(ToolPageError, match=r'x/app\.js imports "\./b\.js", which is not in UI_MODULES'):
        ui_modules([("x/app.js", b'import { b } from "./b.js";')])
    with pytest.raises(ToolPageError, match=r'imports "https://cdn\.example/x\.js": the page\'s modules import each other'):
        ui_modules([("x/app.js", b'import x from "https://cdn.example/x.js";')])


def test_every_checklist_module_is_listed_small_and_builds_no_html_from_strings():
    listed = {m for m in UI_MODULES if m.startswith("checklist/")}
    on_disk = {p.relative_to(MODULES_DIR).as_posix() for p in (MODULES_DIR / "checklist").glob("*.js")}
    assert listed == on_disk
    for name in sorted(on_disk):
        text = (MODULES_DIR / name).read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 300, name
        assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", text), name
        assert not re.search(r"""["'`]\s*<[a-z]""", text), name     # no markup in string literals


def test_no_label_of_the_engine_is_restated_in_javascript():
    """Labels come from plan-ui.json: none of the engine's enum or field labels is a string literal
    of a checklist module (a restated copy drifts: "Apple ID" against "Apple Account")."""
    from esrok_recovery import plan_ui_json

    data = json.loads(plan_ui_json())
    labels = {o["label"] for opts in data["enums"].values() for o in opts}
    for shape in data["shapes"].values():
        labels |= {f["label"] for f in shape["fields"]}
        for v in shape.get("variants", []):
            labels |= {v["label"]} | {f["label"] for f in v["fields"]}
    for name in sorted(p.relative_to(MODULES_DIR).as_posix() for p in (MODULES_DIR / "checklist").glob("*.js")):
        code = re.sub(r"(?m)^\s*//[^\n]*|/\*.*?\*/|//[^\n\"'`]*$", "", (MODULES_DIR / name).read_text(encoding="utf-8"),
                      flags=re.S)
        literals = set(re.findall(r'"([^"\n]*)"', code)) | set(re.findall(r"'([^'\n]*)'", code))
        assert not sorted(literals & labels), name


def test_the_table_of_contents_names_the_check_s_steps(built_site):
    from hooks.toolbuild.page import STEPS

    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', page, re.S).group(0)
    assert re.findall(r'href="#([^"]+)"', toc) == [hid for hid, _ in STEPS]
    for hid, title in STEPS:
        assert re.search(rf'<h2 id="{hid}"[^>]*>{re.escape(title)}</h2>', page), hid


def test_the_page_loads_its_modules_as_one_bundle(built_site):
    """esbuild puts the entry and everything it imports in one classic script at the entry's URL:
    preloaded with the stylesheets, run in place at the end of <head> (after the stylesheets, so it
    adds no wait of its own), and once more, async, at the end of the content (for Material's
    instant navigation); the bundle imports nothing more."""
    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    ui = re.findall(r'<link rel="preload" as="script" href="([^"]+)">', page)
    assert len(ui) == 1 and re.search(r"assets/esrok/ui/[0-9a-f]{12}/checklist/app\.js$", ui[0])
    assert not re.findall(r'<link rel="modulepreload" href="[^"]*/assets/esrok/ui/', page)
    head, body = page.split("</head>", 1)
    tag = f'<script src="{ui[0]}" data-esrok-app data-root="../../"></script>'
    assert tag in head and head.rindex("stylesheet") < head.index(tag)
    assert body.count(f'<script async src="{ui[0]}" data-esrok-app') == 1
    assert body.index('id="esrok-checker"') < body.index(f'<script async src="{ui[0]}"')
    bundle = (built_site.dir / "tools" / "recovery-checklist" / ui[0]).resolve().read_text(encoding="utf-8")
    assert module_imports(bundle) == [] and "import(" not in bundle and "import.meta" not in bundle
    assert bundle.startswith("(()=>{")   # a classic script: no top-level names leak into the page
    for name in ("function summaryText", "function bindQuick", "function loadVocab"):   # from three modules
        assert name in bundle, name
    assert [p.name for p in (built_site.dir / "tools" / "recovery-checklist" / ui[0]).resolve().parent.iterdir()
            if p.suffix == ".js"] == ["app.js"]


def test_no_script_runs_in_head_before_the_stylesheets_are_asked_for(built_site):
    """The stylesheets hold back every script after them, and a script before them holds back the
    preload scanner: so <head> runs no script until the last stylesheet link, and the page's bundle
    is preloaded above them. The boot data and the inline boot script follow the stylesheets."""
    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    head = page.split("</head>", 1)[0]
    last_sheet = head.rindex('rel="stylesheet"')
    scripts = [m.start() for m in re.finditer(r"<script(?![^>]*type=\"application/(?:ld\+)?json\")", head)]
    assert scripts and min(scripts) > last_sheet, head[:min(scripts, default=0)][-400:]
    assert head.index('<link rel="preload" as="script"') < head.index('rel="stylesheet"')
    assert last_sheet < head.index('id="esrok-boot"') < head.index("window.__esrokBoot")


def test_the_tool_styles_are_inline_not_linked(built_site):
    """The tool's stylesheets cost no request of their own: one <style> element after Material's
    stylesheets, allowed by its hash; the files are not linked."""
    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    head = page.split("</head>", 1)[0]
    styles = re.findall(r"<style>(.*?)</style>", head, re.S)
    assert styles == [read_styles(ROOT)]
    assert head.index("palette.") < head.index("<style>")
    assert "tool.css" not in page and "service-picker.css" not in page
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    assert f"style-src 'self' {sha(styles[0])};" in csp


def test_a_missing_bundler_names_the_fix(tmp_path):
    from hooks.toolbuild.page import ESBUILD_MISSING, bundle_modules, read_modules

    assert ESBUILD_MISSING.startswith("node_modules/esbuild is missing: run `npm ci --ignore-scripts`")
    with pytest.raises(ToolPageError) as e:
        bundle_modules(tmp_path, read_modules(ROOT))
    assert str(e.value) == ESBUILD_MISSING


def test_rendering_waits_for_the_quick_check_where_the_app_binds_it(built_site):
    """No half-parsed frame is drawn before the quick check can be used: the head's rel=expect names
    the element whose arrival checklist/app.js waits for (QUICK_PARSED), which follows the whole form."""
    page = (built_site.dir / "tools" / "recovery-checklist" / "index.html").read_text()
    head, body = page.split("</head>", 1)
    expected = re.findall(r'<link rel="expect" href="#([^"]+)" blocking="render">', head)
    app = (MODULES_DIR / "checklist" / "app.js").read_text(encoding="utf-8")
    assert expected == re.findall(r'^const QUICK_PARSED = "#([^"]+)";$', app, re.M) == ["esrok-results"]
    form = body.index('<form id="esrok-quick"')
    end = body.index("</form>", form)
    assert form < body.index('id="esrok-quick-submit"', form) < end < body.index(f'id="{expected[0]}"')
