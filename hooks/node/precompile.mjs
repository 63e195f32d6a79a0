// Runs hooks/toolbuild/precompile.py INSIDE the pinned Pyodide (so the bytecode carries the
// magic number of Pyodide's own CPython), for hooks/toolbuild/stdlib.py. Offline: the runtime
// is loaded from the given directory (node_modules/pyodide); nothing is fetched.
//
// usage: node precompile.mjs <pyodide dir> <job.json>
//   job.json: {"stdlib": {"in": zip, "out": zip}, "engine": {"sources": dir, "out": zip}}
//   (either key may be left out; paths are host paths, mounted into Pyodide's file system)
// Prints the script's JSON result on one line.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [pyodideDir, jobPath] = process.argv.slice(2);
if (!pyodideDir || !jobPath) {
  process.stderr.write("usage: node precompile.mjs <pyodide dir> <job.json>\n");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const script = await readFile(path.join(here, "..", "toolbuild", "precompile.py"), "utf8");
const job = JSON.parse(await readFile(jobPath, "utf8"));
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", packages: [],
  stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") });

// Mount each host directory once; Python sees /mnt/<i>/<name>.
const mounts = new Map();
function mount(hostPath, isDir = false) {
  const dir = isDir ? path.resolve(hostPath) : path.dirname(path.resolve(hostPath));
  if (!mounts.has(dir)) {
    const where = `/mnt/${mounts.size}`;
    py.FS.mkdirTree(where);
    py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, where);
    mounts.set(dir, where);
  }
  return isDir ? mounts.get(dir) : `${mounts.get(dir)}/${path.basename(hostPath)}`;
}
const inside = {};
if (job.stdlib) inside.stdlib = { in: mount(job.stdlib.in), out: mount(job.stdlib.out) };
if (job.engine) inside.engine = { sources: mount(job.engine.sources, true), out: mount(job.engine.out) };
py.globals.set("JOB", JSON.stringify(inside));
process.stdout.write(py.runPython(script, { filename: "hooks/toolbuild/precompile.py" }) + "\n");
