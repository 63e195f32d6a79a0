// Precompile every .py in python_stdlib.zip to unchecked hash-based .pyc *inside Pyodide*
// (so the magic number matches Pyodide's CPython 3.14), writing <entry>c files under --out dir.
// usage: node compile_stdlib.mjs [--stdlib zip] --out out/pyc [--optimize 0|1|2]
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadPyodide } from "/work/main/node_modules/pyodide/pyodide.mjs";
const { values: a } = parseArgs({ options: { stdlib: { type: "string", default: "/work/main/node_modules/pyodide/python_stdlib.zip" }, out: { type: "string", default: "/tmp/perf/out/pyc" }, optimize: { type: "string", default: "0" } } });
mkdirSync(a.out, { recursive: true });
const py = await loadPyodide({ indexURL: "/work/main/node_modules/pyodide/" });
py.FS.mkdirTree("/host_in"); py.FS.mkdirTree("/host_out");
py.FS.mount(py.FS.filesystems.NODEFS, { root: a.stdlib.replace(/\/[^/]*$/, "") }, "/host_in");
py.FS.mount(py.FS.filesystems.NODEFS, { root: a.out }, "/host_out");
const res = py.runPython(`
import zipfile, os, json, importlib.util
from importlib._bootstrap_external import _code_to_hash_pyc
zpath = "/host_in/" + ${JSON.stringify(a.stdlib.split("/").pop())}
ok, bad = 0, []
with zipfile.ZipFile(zpath) as z:
    for n in z.namelist():
        if not n.endswith(".py"):
            continue
        src = z.read(n)
        try:
            code = compile(src, "/lib/python314.zip/" + n, "exec", dont_inherit=True, optimize=${Number(a.optimize)})
        except SyntaxError as e:
            bad.append(f"{n}: {e}"); continue
        data = _code_to_hash_pyc(code, importlib.util.source_hash(src), checked=False)
        dst = "/host_out/" + n + "c"
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "wb") as f:
            f.write(data)
        ok += 1
json.dumps({"compiled": ok, "failed": bad, "magic": importlib.util.MAGIC_NUMBER.hex()})`);
console.log(res);
