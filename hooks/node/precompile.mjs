// Precompile Python sources to .pyc INSIDE the pinned Pyodide, so the bytecode carries the
// magic number of Pyodide's own CPython (3.14), not the build machine's. Offline: the
// runtime is loaded from the given directory (node_modules/pyodide); nothing is fetched.
//
// usage: node precompile.mjs <pyodide dir> <job.json>
//   job.json: {"stdlib": {"in": zip, "out": zip, "compression": "stored" | "deflated"},
//              "wheel":  {"in": whl, "out": whl}}          (either key may be left out)
// Writes the outputs and prints one JSON line: {"magic", "stdlib": {...}, "wheel": {...}}.
//
// stdlib: every .py entry of the stock zip becomes an unchecked hash-based .pyc (the .py is
//   dropped: zipimport loads sourceless .pyc); every other entry is copied byte for byte; a
//   .py that does not compile is kept as source. co_filename stays /lib/python314.zip/<path>.py.
// wheel: adds <pkg>/__pycache__/<mod>.cpython-314.pyc next to every .py (sources kept, so
//   tracebacks show lines), with RECORD updated.
// Entries are written in the input's order with a fixed timestamp: same inputs, same bytes.
import { readFile } from "node:fs/promises";
import path from "node:path";

const [pyodideDir, jobPath] = process.argv.slice(2);
if (!pyodideDir || !jobPath) {
  process.stderr.write("usage: node precompile.mjs <pyodide dir> <job.json>\n");
  process.exit(2);
}
const job = JSON.parse(await readFile(jobPath, "utf8"));
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", packages: [],
  stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });

// Mount each file's directory; Python sees /mnt/<i>/<name>.
const files = {};
let n = 0;
function mount(hostFile) {
  const dir = path.dirname(path.resolve(hostFile));
  const where = `/mnt/${n++}`;
  py.FS.mkdirTree(where);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, where);
  return `${where}/${path.basename(hostFile)}`;
}
for (const [key, spec] of Object.entries(job)) {
  files[key] = { in: mount(spec.in), out: mount(spec.out), compression: spec.compression || "deflated" };
}
py.globals.set("JOB", JSON.stringify(files));
const result = py.runPython(`
import base64, hashlib, importlib.util, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

FIXED = (1980, 1, 1, 0, 0, 0)
job = json.loads(JOB)

def pyc(src, filename):
    code = compile(src, filename, "exec", dont_inherit=True, optimize=0)
    return _code_to_hash_pyc(code, importlib.util.source_hash(src), checked=False)

def write(zout, name, data, compress, attr):
    info = zipfile.ZipInfo(name, date_time=FIXED)
    info.compress_type = compress
    info.external_attr = attr
    info.create_system = 3
    zout.writestr(info, data, compresslevel=9 if compress == zipfile.ZIP_DEFLATED else None)

out = {"magic": importlib.util.MAGIC_NUMBER.hex(), "cache_tag": sys.implementation.cache_tag}
spec = job.get("stdlib")
if spec:
    prefix = "/lib/python%d%d.zip/" % sys.version_info[:2]
    compress = zipfile.ZIP_STORED if spec["compression"] == "stored" else zipfile.ZIP_DEFLATED
    compiled, kept = 0, []
    with zipfile.ZipFile(spec["in"]) as zin, zipfile.ZipFile(spec["out"], "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            attr = info.external_attr or (0o644 << 16)
            if info.filename.endswith(".py"):
                try:
                    data = pyc(data, prefix + info.filename)
                except SyntaxError as e:
                    kept.append(f"{info.filename}: {e}")
                else:
                    write(zout, info.filename + "c", data, compress, attr)
                    compiled += 1
                    continue
            write(zout, info.filename, data, compress if not info.is_dir() else zipfile.ZIP_STORED, attr)
    out["stdlib"] = {"compiled": compiled, "kept_as_source": kept}
spec = job.get("wheel")
if spec:
    site = next(p for p in sys.path if p.endswith("site-packages"))
    with zipfile.ZipFile(spec["in"]) as zin:
        entries = [(i, zin.read(i)) for i in zin.infolist()]
    added = {}
    for info, data in entries:
        name = info.filename
        if name.endswith(".py") and ".dist-info/" not in name:
            cached = importlib.util.cache_from_source(site + "/" + name)[len(site) + 1:]
            added[cached] = pyc(data, site + "/" + name)
    def record_line(name, data):
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        return f"{name},sha256={digest},{len(data)}"
    with zipfile.ZipFile(spec["out"], "w") as zout:
        for info, data in entries:
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode().splitlines()
                data = ("\\n".join(lines[:-1] + [record_line(k, v) for k, v in added.items()] + lines[-1:]) + "\\n").encode()
            write(zout, info.filename, data, zipfile.ZIP_DEFLATED, info.external_attr or (0o644 << 16))
            if info.filename.endswith(".py") and ".dist-info/" not in info.filename:
                pass
        for name, data in added.items():
            write(zout, name, data, zipfile.ZIP_DEFLATED, 0o644 << 16)
    out["wheel"] = {"compiled": len(added)}
json.dumps(out)
`);
process.stdout.write(result + "\n");
