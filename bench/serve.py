"""Preview benchmark: how long `mkdocs serve` takes to rebuild after one post is edited.

    .venv/bin/python bench/serve.py [--runs 3] [--dirty] [--posts N]

Copies the project (the real site, as bench/build.py does; plus N synthetic posts if --posts
is given) to a temporary directory, starts `mkdocs serve` there on a free port (with
`--dirty --no-strict` if asked: only changed pages are rebuilt; MkDocs warns on every dirty
build, which the site's strict mode would turn into an abort), waits for the first build, then --runs
times appends a sentence to one real post and waits for the rebuild. It reports, per edit,
the seconds mkdocs itself logs ("Documentation built in X seconds") and the wall time from
the edit to that log line (includes the file watcher's delay), then the medians.
Target (issue 5): one-post edit rebuilt in <= 2 s on the real site.
"""
from __future__ import annotations

import argparse
import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import make_copy  # noqa: E402  (bench/build.py: same copy of the project)

BUILT_RE = re.compile(r"Documentation built in ([0-9.]+) seconds")
TIMEOUT_S = 600


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_built(lines: queue.Queue, proc: subprocess.Popen, log: list[str]) -> float:
    """Seconds of the next "Documentation built in X seconds" line; exits on a build error."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                sys.exit("mkdocs serve exited:\n" + "".join(log[-40:]))
            continue
        log.append(line)
        if m := BUILT_RE.search(line):
            return float(m.group(1))
        if "Aborted with" in line or "Error" in line and "ERROR" in line:
            sys.exit("mkdocs serve reported an error:\n" + "".join(log[-40:]))
    sys.exit(f"no rebuild within {TIMEOUT_S} s:\n" + "".join(log[-40:]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="edits to time (median; at least 3)")
    ap.add_argument("--dirty", action="store_true", help="pass --dirty to mkdocs serve")
    ap.add_argument("--posts", type=int, default=0, help="synthetic posts to add (0: the real site only)")
    args = ap.parse_args(argv)
    if args.runs < 3:
        sys.exit("--runs must be at least 3")
    with tempfile.TemporaryDirectory(prefix="esrok-serve-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        make_copy(site, args.posts)
        real = sorted(p for p in (site / "docs/blog/posts").glob("*.md") if not p.name.startswith("bench-"))
        post = next((p for p in real if "<!-- more -->" in p.read_text(encoding="utf-8")), real[0])
        port = free_port()
        cmd = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
        # MkDocs logs a warning on every dirty build, which strict mode (mkdocs.yml) turns into an abort.
        cmd += ["--dirty", "--no-strict"] if args.dirty else []
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=f"http://127.0.0.1:{port}/")
        proc = subprocess.Popen(cmd, cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, bufsize=1)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
        log: list[str] = []
        try:
            first = wait_built(lines, proc, log)
            print(f"mkdocs serve{' --dirty' if args.dirty else ''}: first build {first:.2f} s "
                  f"({len(real) + args.posts} posts); editing {post.relative_to(site)}", flush=True)
            built, wall = [], []
            for i in range(args.runs):
                time.sleep(1.5)  # let the watcher settle, so each edit is one change event
                start = time.monotonic()
                with post.open("a", encoding="utf-8") as f:
                    f.write(f"\nEdited by bench/serve.py, edit {i + 1}.\n")
                built.append(wait_built(lines, proc, log))
                wall.append(time.monotonic() - start)
                print(f"  edit {i + 1}: mkdocs built in {built[-1]:.2f} s, edit-to-built {wall[-1]:.2f} s", flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        print(f"median of {args.runs}: mkdocs rebuild {statistics.median(built):.2f} s, edit-to-built "
              f"{statistics.median(wall):.2f} s (target <= 2 s); load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
