"""Build a trimmed python_stdlib.zip holding only the entries recorded by record_imports.mjs.

usage: python3 trim_stdlib.py out/imports.json [more manifests...] --out out/python_stdlib.trim.zip
       [--stock /work/main/node_modules/pyodide/python_stdlib.zip] [--extra mod/a.py ...]
       [--store] [--all] [--pyc-dir DIR]   # optional: DIR holds <entry>c files (precompiled under Pyodide); ship .pyc instead of .py

Entries are copied byte-for-byte (same compression) unless --level is given; parent
directory entries are kept so zipimport namespace/package lookups behave as in the stock zip.
Deterministic: fixed order and timestamps come from the stock zip.
"""
from __future__ import annotations
import argparse, json, sys, zipfile
from pathlib import Path, PurePosixPath

STOCK = "/work/main/node_modules/pyodide/python_stdlib.zip"
ALWAYS = ["_sysconfigdata__emscripten_wasm32-emscripten.py"]  # read by sysconfig, tiny


def wanted_entries(manifests: list[dict], extra: list[str]) -> set[str]:
    want = set(ALWAYS) | set(extra)
    for m in manifests:
        want |= set(m["entries"])
    # parents: directory entries for every package path
    for e in list(want):
        p = PurePosixPath(e).parent
        while str(p) != ".":
            want.add(str(p) + "/")
            p = p.parent
    return want


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("manifests", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--stock", default=STOCK)
    ap.add_argument("--extra", nargs="*", default=[])
    ap.add_argument("--pyc-dir")
    ap.add_argument("--all", action="store_true", help="keep every entry (use with --pyc-dir)")
    ap.add_argument("--store", action="store_true",
                    help="write entries uncompressed (ZIP_STORED) so HTTP brotli/gzip compresses across files")
    a = ap.parse_args(argv)
    manifests = [json.loads(Path(p).read_text()) for p in a.manifests]
    with zipfile.ZipFile(a.stock) as src:
        infos = src.infolist()
        names = {i.filename for i in infos}
        want = names if a.all else wanted_entries(manifests, a.extra)
        missing = sorted(w for w in want if w not in names)
        if missing:
            print(f"error: not in {a.stock}: {', '.join(missing)}", file=sys.stderr)
            return 2
        n = 0
        with zipfile.ZipFile(a.out, "w") as dst:
            for info in infos:
                if info.filename not in want:
                    continue
                data = src.read(info)
                if a.pyc_dir and info.filename.endswith(".py"):
                    pyc = Path(a.pyc_dir) / (info.filename + "c")
                    if pyc.exists():
                        zi = zipfile.ZipInfo(info.filename + "c", info.date_time)
                        zi.compress_type = zipfile.ZIP_STORED if a.store else zipfile.ZIP_DEFLATED
                        dst.writestr(zi, pyc.read_bytes(), compresslevel=9)
                        n += 1
                        continue
                ct = zipfile.ZIP_STORED if a.store else info.compress_type
                dst.writestr(info, data, compress_type=ct, compresslevel=9)
                n += 1
    print(json.dumps({"out": a.out, "entries": n, "bytes": Path(a.out).stat().st_size,
                      "stock_bytes": Path(a.stock).stat().st_size}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
