"""Build-time benchmark: the Esrok site against a bare Material blog, same content.

    .venv/bin/python bench/build.py 100 1000 [--runs R] [--profile]

For each N, writes N synthetic posts (about 800 words, the real front-matter
schema: title, description, date.created, categories, authors, tags, related,
tool, sources) into a temporary copy of the site, then times `mkdocs build
--strict` over several runs (median), alternating two configurations:

  ours  the project's mkdocs.yml: all hooks (front-matter check, templates,
        Pyodide runtime, engine wheel, tool page, service worker) and overrides/
  bare  the same docs (minus `template:` keys naming our overrides), plugins (search, tags, blog, rss) and Markdown
        extensions, but no project hooks, no custom_dir, no extra CSS/JS

It prints, per N: median seconds for each, ratio ours/bare and seconds per
post; then t(max N)/t(min N). Targets: ours/bare <= 1.10, t(1000)/t(100) <= 11.
`--profile` runs one extra `ours` build under cProfile and prints the time
spent in each project hook file.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import resource
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COPY = ["mkdocs.yml", "docs", "overrides", "hooks", "tool", "pyproject.toml", "package.json",
        "package-lock.json", "README.md"]
LINK = ["node_modules"]
TEMPLATE_RE = re.compile(r"^template:.*\n", re.M)
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")

WORDS = (
    "account recovery backup codes passkey security key authenticator app phone number carrier "
    "sign in password manager email provider fallback method device lost stolen reset verify "
    "identity support ticket waiting period trusted contact printed stored offline safe drawer "
    "review quarterly replace revoke session alert phishing relay prompt number matching code "
    "enrolment second factor primary risk plan checklist step priority habit test private window"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 18))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, n: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(n))


def synthetic_post(i: int, n: int, author: str, categories: list[str], tool: str | None,
                   today: date) -> tuple[str, str]:
    """(file name, text) of synthetic post i of n; deterministic."""
    rng = random.Random(i)
    name = f"synthetic-post-{i:04d}.md"
    related = [f"blog/posts/synthetic-post-{(i + k) % n:04d}.md" for k in (1, 2) if (i + k) % n != i]
    created = today - timedelta(days=1 + i % 900)
    lines = [
        "---",
        f'title: "Synthetic post {i:04d}: {" ".join(rng.choice(WORDS) for _ in range(4))}"',
        f'description: "Synthetic benchmark post {i:04d} about backup codes, passkeys and a recovery plan you can test."',
        "date:",
        f"  created: {created.isoformat()}",
        "categories:",
        f"  - {categories[i % len(categories)]}",
        "authors:",
        f"  - {author}",
        "tags:",
        f"  - {rng.choice(WORDS)}",
        f"  - {rng.choice(WORDS)}",
        "related:",
        *[f"  - {r}" for r in related],
        *([f"tool: {tool}"] if tool else []),
        "sources:",
        '  - title: "NIST SP 800-63B-4"',
        '    section: "4.2.1"',
        "    url: https://pages.nist.gov/800-63-4/sp800-63b.html",
        "---",
        "",
        f"# Synthetic post {i:04d}",
        "",
        paragraph(rng, 3),
        "",
        "<!-- more -->",
        "",
    ]
    for heading in ("Why this matters", "Steps", "Common mistakes to avoid"):
        lines += [f"## {heading}", "", paragraph(rng, 8), "", paragraph(rng, 8), ""]
    lines += ["## Action checklist", ""]
    lines += [f"- [ ] {sentence(rng)}" for _ in range(8)]
    other = f"synthetic-post-{(i + 3) % n:04d}.md"
    lines += ["", f"See also [another post]({other}).", ""]
    return name, "\n".join(lines)


def site_facts() -> tuple[str, list[str], str | None]:
    authors = yaml.safe_load((ROOT / "docs/blog/.authors.yml").read_text(encoding="utf-8"))["authors"]
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.search(r"categories_allowed:\n((?:\s+- .+\n)+)", text)
    categories = [c.strip()[2:].strip() for c in block.group(1).splitlines()]
    tool = "recovery-checklist" if (ROOT / "docs/tools/recovery-checklist.md").is_file() else None
    return next(iter(authors)), categories, tool


def bare_config(ours: str) -> str:
    """The project's mkdocs.yml without hooks, custom_dir, extra CSS/JS."""
    out, skip = [], False
    for line in ours.splitlines():
        if re.match(r"^(hooks|extra_css|extra_javascript):", line):
            skip = True
            continue
        if skip and (line.startswith((" ", "\t", "-")) or not line.strip()):
            continue
        skip = False
        if re.match(r"^\s+custom_dir:", line):
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def make_copy(dest: Path, n: int) -> None:
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=IGNORE)
        elif src.is_file():
            shutil.copy(src, dest / name)
    for name in LINK:
        if (ROOT / name).exists():
            (dest / name).symlink_to(ROOT / name)
    author, categories, tool = site_facts()
    today = date.today()
    posts = dest / "docs/blog/posts"
    for i in range(n):
        name, text = synthetic_post(i, n, author, categories, tool, today)
        (posts / name).write_text(text, encoding="utf-8")
    # The bare site: same Markdown, minus `template:` keys that name our overrides.
    shutil.copytree(dest / "docs", dest / "docs-bare")
    for page in (dest / "docs-bare").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if TEMPLATE_RE.search(text):
            page.write_text(TEMPLATE_RE.sub("", text, count=1), encoding="utf-8")
    (dest / "bare.yml").write_text(
        bare_config((dest / "mkdocs.yml").read_text(encoding="utf-8")) + "docs_dir: docs-bare\n",
        encoding="utf-8")


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds, as a reader of the clock sees it
    cpu: float  # user + system seconds of the build process (less sensitive to other load)


def build(site: Path, config: str, out: Path) -> Timing:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q",
                           "-f", config, "-d", str(out)], cwd=site, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"error: {config} build failed for the benchmark copy in {site}:\n{proc.stderr[-4000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(elapsed, cpu)


def profile(site: Path, out: Path) -> None:
    """One `ours` build in-process under cProfile; time per project hook file."""
    os.chdir(site)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config

    config = load_config(str(site / "mkdocs.yml"), site_dir=str(out), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    mk_build(config)
    prof.disable()
    total = time.perf_counter() - start
    config.plugins.on_shutdown()
    stats = pstats.Stats(prof)
    per_file: dict[str, float] = {}
    for (filename, _, func), (_, _, _, cum, _) in stats.stats.items():
        if f"{os.sep}hooks{os.sep}" in filename and func.startswith("on_"):
            key = f"{Path(filename).name}:{func}"
            per_file[key] = per_file.get(key, 0.0) + cum
    print(f"\nprofile of one 'ours' build ({total:.2f} s total); cumulative time in project hook events:")
    for key, cum in sorted(per_file.items(), key=lambda kv: -kv[1]):
        print(f"  {key:<40} {cum:7.3f} s  ({100 * cum / total:4.1f} %)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="+", type=int, help="numbers of synthetic posts, e.g. 100 1000")
    parser.add_argument("--runs", type=int, default=None,
                        help="builds per configuration and size (default 5 below 1000 posts, 3 from 1000)")
    parser.add_argument("--profile", action="store_true", help="profile one extra 'ours' build per size")
    args = parser.parse_args(argv)

    results: dict[int, dict[str, tuple[float, float]]] = {}  # n -> config -> (wall, cpu) medians
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    for n in args.sizes:
        runs = args.runs or (3 if n >= 1000 else 5)
        with tempfile.TemporaryDirectory(prefix=f"esrok-bench-{n}-") as tmp:
            site = Path(tmp) / "site"
            site.mkdir()
            make_copy(site, n)
            total_posts = len(list((site / "docs/blog/posts").glob("*.md")))
            times: dict[str, list[Timing]] = {"ours": [], "bare": []}
            build(site, "mkdocs.yml", Path(tmp) / "warm")  # warm caches (wheel, imports) once
            for run in range(runs):
                order = ("ours", "bare") if run % 2 == 0 else ("bare", "ours")
                for name in order:
                    cfg = "mkdocs.yml" if name == "ours" else "bare.yml"
                    times[name].append(build(site, cfg, Path(tmp) / f"out-{name}"))
                print(f"  N={n} run {run + 1}/{runs}: ours {times['ours'][-1].wall:.2f} s "
                      f"(cpu {times['ours'][-1].cpu:.2f}), bare {times['bare'][-1].wall:.2f} s "
                      f"(cpu {times['bare'][-1].cpu:.2f}); load {os.getloadavg()[0]:.2f}", flush=True)
            med = {name: (statistics.median(t.wall for t in ts), statistics.median(t.cpu for t in ts))
                   for name, ts in times.items()}
            results[n] = med
            (ow, oc), (bw, bc) = med["ours"], med["bare"]
            print(f"N={n} ({total_posts} posts incl. the real ones, {runs} runs, medians):\n"
                  f"  wall: ours {ow:.2f} s, bare {bw:.2f} s, ratio ours/bare {ow / bw:.3f} (target <= 1.10), "
                  f"{ow / n:.4f} s/post ours, {bw / n:.4f} s/post bare\n"
                  f"  cpu:  ours {oc:.2f} s, bare {bc:.2f} s, ratio ours/bare {oc / bc:.3f}, "
                  f"{oc / n:.4f} s/post ours, {bc / n:.4f} s/post bare", flush=True)
            if args.profile:
                here = os.getcwd()
                try:
                    profile(site, Path(tmp) / "out-profile")
                finally:
                    os.chdir(here)

    if len(results) > 1:
        lo, hi = min(results), max(results)
        scale = hi / lo
        for name in ("ours", "bare"):
            wall = results[hi][name][0] / results[lo][name][0]
            cpu = results[hi][name][1] / results[lo][name][1]
            print(f"t({hi})/t({lo}) {name}: wall {wall:.2f}, cpu {cpu:.2f} "
                  f"(posts x{scale:g}; target <= {1.1 * scale:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
