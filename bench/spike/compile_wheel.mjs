// Add unchecked-hash .pyc files (compiled inside Pyodide, so the magic number matches)
// to a pure-Python wheel: <pkg>/__pycache__/<mod>.cpython-314.pyc next to each .py.
// usage: node compile_wheel.mjs in.whl out.whl
import { readFileSync, writeFileSync } from "node:fs";
import { loadPyodide } from "/work/main/node_modules/pyodide/pyodide.mjs";
const [inp, out] = process.argv.slice(2);
const py = await loadPyodide({ indexURL: "/work/main/node_modules/pyodide/" });
const b = readFileSync(inp);
py.FS.writeFile("/tmp/in.whl", new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
const n = py.runPython(`
import zipfile, sys, importlib.util
from importlib._bootstrap_external import _code_to_hash_pyc
tag = sys.implementation.cache_tag
n = 0
with zipfile.ZipFile("/tmp/in.whl") as zi, zipfile.ZipFile("/tmp/out.whl", "w", zipfile.ZIP_DEFLATED) as zo:
    for info in zi.infolist():
        data = zi.read(info)
        zo.writestr(info, data)
        if info.filename.endswith(".py") and ".dist-info/" not in info.filename:
            d, _, f = info.filename.rpartition("/")
            code = compile(data, "/lib/python3.14/site-packages/" + info.filename, "exec", dont_inherit=True)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            zo.writestr(zipfile.ZipInfo(f"{d}/__pycache__/{f[:-3]}.{tag}.pyc", info.date_time), pyc, zipfile.ZIP_DEFLATED)
            n += 1
n`);
writeFileSync(out, py.FS.readFile("/tmp/out.whl"));
console.log(JSON.stringify({ out, compiled: n, bytes: py.FS.readFile("/tmp/out.whl").length, in_bytes: b.length }));
