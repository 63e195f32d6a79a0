# Safety net for a trimmed stdlib zip: the last sys.meta_path finder. On the first import of a
# stdlib module that the trimmed zip lacks, fetch the full python_stdlib.zip once (synchronously:
# a sync XMLHttpRequest is allowed in a Web Worker; readFileSync under Node), write it to MEMFS and
# import from it. Install it at run time (after a snapshot restore), never before making a snapshot.
import importlib
import importlib.machinery
import sys


class FullStdlibFinder:
    full = "/lib/python314-full.zip"

    def __init__(self, fetch):
        self.fetch = fetch  # JS function returning the zip bytes (Uint8Array / ArrayBuffer)
        self.loaded = False

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in sys.stdlib_module_names:
            return None
        if not self.loaded:
            self.loaded = True
            data = self.fetch()
            with open(self.full, "wb") as f:
                f.write(data.to_bytes() if hasattr(data, "to_bytes") else bytes(data))
            sys.path.append(self.full)
            importlib.invalidate_caches()
            print(f"stdlib fallback: loaded {self.full} for {name!r}", file=sys.stderr)
        if path is None:
            return importlib.machinery.PathFinder.find_spec(name, [self.full])
        pkg = name.rpartition(".")[0].replace(".", "/")
        return importlib.machinery.PathFinder.find_spec(name, [f"{self.full}/{pkg}"])


def install(fetch):
    sys.meta_path.append(FullStdlibFinder(fetch))
