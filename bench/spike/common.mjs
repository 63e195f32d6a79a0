// Shared helpers for the /tmp/perf Pyodide start-up spike (Node 20).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

export const INDEX_URL = "/work/main/node_modules/pyodide/";
export const PYODIDE_MJS = INDEX_URL + "pyodide.mjs";

export function args(extra = {}) {
  const { values } = parseArgs({
    options: {
      wheel: { type: "string", default: "/tmp/perf/wheel/esrok_toy-0.1.0-py3-none-any.whl" },
      module: { type: "string", default: "esrok_toy" },
      fn: { type: "string", default: "evaluate_json" },
      inputs: { type: "string", default: "/tmp/perf/toy/inputs.json" },
      stdlib: { type: "string" },          // stdLibURL (path under Node)
      snapshot: { type: "string" },
      out: { type: "string" },
      "no-reinstall": { type: "boolean", default: false },
      ...extra,
    },
  });
  return values;
}

// Python source that imports the engine and calls fn on every input once;
// returns the list of outputs as a JSON string (no PyProxy survives).
export function warmupCode(a) {
  const inputs = JSON.parse(readFileSync(a.inputs, "utf8"));
  return `
import json as _j, importlib as _il
_m = _il.import_module(${JSON.stringify(a.module)})
_f = getattr(_m, ${JSON.stringify(a.fn)})
def _call(_x):
    # an input is either a string (passed to --fn) or [fn, arg|null]
    if isinstance(_x, str):
        return _f(_x)
    _g = getattr(_m, _x[0])
    return _g() if _x[1] is None else _g(_x[1])
_out = _j.dumps([_call(_x) for _x in _j.loads(${JSON.stringify(JSON.stringify(inputs))})])
del _j, _il, _m, _f, _call
_out`;
}

export function installWheel(py, wheelPath, sitePackages) {
  const buf = readFileSync(wheelPath);
  // A Node Buffer must be wrapped ("Unknown typed array type 'Buffer'").
  py.unpackArchive(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), "wheel",
                   { extractDir: sitePackages });
}

export const ms = (t) => Math.round(t * 10) / 10;
