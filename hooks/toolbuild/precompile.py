"""Build-time precompile, run INSIDE Pyodide by hooks/node/precompile.mjs (never by the host).

Compiling inside the pinned Pyodide gives bytecode with the magic number of Pyodide's own
CPython (3.14), not the build machine's. ``JOB`` (a JSON string set by the Node script) says:

    {"stdlib": {"in": zip, "out": zip},              # every .py -> unchecked hash-based .pyc
     "engine": {"sources": dir, "out": zip}}         # every .py -> <pkg>/__pycache__/*.pyc (checked)

* stdlib: the .py is dropped (zipimport loads a sourceless .pyc); other entries are copied byte
  for byte; a module that does not compile is kept as source and reported. ``co_filename``
  stays ``/lib/python314.zip/<path>.py``. Entries are deflated (hosts rarely compress zips).
* engine: a plain zip of ``__pycache__`` entries, unpacked by the worker over the wheel in
  site-packages. They are *checked* hash-based .pyc: Python uses one only if the source next to
  it has the hash it was compiled from, so bytecode can never run for other sources.

Entries are written in the input's order with a fixed timestamp: same inputs, same bytes.
The value of the last expression is one JSON line for hooks/toolbuild/stdlib.py.
"""
import importlib.util
import json
import os
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

FIXED = (1980, 1, 1, 0, 0, 0)


def pyc(src, filename, checked):
    code = compile(src, filename, "exec", dont_inherit=True, optimize=0)
    return _code_to_hash_pyc(code, importlib.util.source_hash(src), checked=checked)


def write(zout, name, data, compress, attr=0o644 << 16):
    info = zipfile.ZipInfo(name, date_time=FIXED)
    info.compress_type = compress
    info.external_attr = attr
    info.create_system = 3
    zout.writestr(info, data, compresslevel=9 if compress == zipfile.ZIP_DEFLATED else None)


def stdlib(spec):
    prefix = "/lib/python%d%d.zip/" % sys.version_info[:2]
    compiled, kept = 0, []
    with zipfile.ZipFile(spec["in"]) as zin, zipfile.ZipFile(spec["out"], "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            attr = info.external_attr or (0o644 << 16)
            if info.filename.endswith(".py"):
                try:
                    data = pyc(data, prefix + info.filename, checked=False)
                except SyntaxError as e:
                    kept.append(f"{info.filename}: {e}")
                else:
                    write(zout, info.filename + "c", data, zipfile.ZIP_DEFLATED, attr)
                    compiled += 1
                    continue
            write(zout, info.filename, data, zipfile.ZIP_STORED if info.is_dir() else zipfile.ZIP_DEFLATED, attr)
    return {"compiled": compiled, "kept_as_source": kept}


def engine(spec):
    site = next(p for p in sys.path if p.endswith("site-packages"))
    base = spec["sources"]
    names = sorted(os.path.relpath(os.path.join(d, f), base).replace(os.sep, "/")
                   for d, _dirs, files in os.walk(base) for f in files if f.endswith(".py"))
    with zipfile.ZipFile(spec["out"], "w") as zout:
        for name in names:
            with open(os.path.join(base, name), "rb") as f:
                src = f.read()
            cached = importlib.util.cache_from_source(site + "/" + name)[len(site) + 1:]
            write(zout, cached, pyc(src, site + "/" + name, checked=True), zipfile.ZIP_DEFLATED)
    return {"compiled": len(names)}


job = json.loads(JOB)  # noqa: F821 - set by hooks/node/precompile.mjs
out = {"magic": importlib.util.MAGIC_NUMBER.hex(), "cache_tag": sys.implementation.cache_tag}
if "stdlib" in job:
    out["stdlib"] = stdlib(job["stdlib"])
if "engine" in job:
    out["engine"] = engine(job["engine"])
json.dumps(out)
