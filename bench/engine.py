"""Benchmark the recovery engine on generated plans of 10, 100 and 1000 accounts.

Prints the median milliseconds for a full ``evaluate_json`` (parse, every rule, the
baseline and all seven loss scenarios, single points of failure, cycles, ranking,
score, JSON out) and the growth ratio t(1000)/t(100).

    .venv/bin/python bench/engine.py [--repeat N] [--sizes 10,100,1000] [--json] [--strict]

Targets (CPython): 1000 accounts <= 100 ms; t(1000)/t(100) <= 12.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

try:
    from esrok_recovery import evaluate_json
except ImportError:  # running from a checkout without the editable install
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tool"))
    from esrok_recovery import evaluate_json

TARGET_MS_1000 = 100.0
TARGET_RATIO = 12.0


def generate_plan(n: int, seed: int = 1) -> dict:
    """A realistic household/small-team mix that grows with the number of accounts."""
    rnd = random.Random(seed * 100003 + n)
    people = max(1, n // 40)
    things: list[dict] = []
    accounts: list[dict] = []
    pms = [f"pm{i}" for i in range(max(1, n // 150))]
    emails = [f"mail{i}" for i in range(max(2, n // 12))]
    idents = [f"id{i}" for i in range(max(1, n // 25))]
    for p in range(people):
        things += [
            {"id": f"phone{p}", "type": "phone", "label": f"Phone {p}", "location": "carried"},
            {"id": f"laptop{p}", "type": "device", "label": f"Laptop {p}", "location": "home"},
            {"id": f"num{p}", "type": "phone_number", "label": f"Number {p}", "on": f"phone{p}",
             "port_out_lock": rnd.random() < 0.4, "carrier": "carrier0"},
            {"id": f"app{p}", "type": "authenticator_app", "label": f"Authenticator {p}", "on": f"phone{p}",
             "backup": rnd.choice(["none", "cloud", "export"])},
            {"id": f"key{p}", "type": "security_key", "label": f"Key {p}", "location": "carried"},
            {"id": f"spare{p}", "type": "security_key", "label": f"Spare key {p}", "location": "home"},
            {"id": f"paper{p}", "type": "code_store", "kind": "paper", "label": f"Printed codes {p}"},
            {"id": f"file{p}", "type": "code_store", "kind": "device_file", "label": f"Codes file {p}",
             "on": f"phone{p}"},
            {"id": f"contact{p}", "type": "recovery_contact", "label": f"Contact {p}"},
        ]
    things += [{"id": f"note{i}", "type": "code_store", "kind": "password_manager", "label": f"Vault note {i}",
                "via": pm} for i, pm in enumerate(pms)]
    things.append({"id": "safe", "type": "code_store", "kind": "safe", "label": "Safe"})
    things.append({"id": "aunt", "type": "code_store", "kind": "trusted_person", "label": "Aunt"})
    stores = ["safe", "aunt"] + [f"paper{p}" for p in range(people)] + [f"file{p}" for p in range(people)] + \
             [f"note{i}" for i in range(len(pms))]

    special = [(pid, "password_manager") for pid in pms] + [(e, "email") for e in emails] + \
              [(i, rnd.choice(["google", "apple", "microsoft"])) for i in idents] + [("carrier0", "carrier")]
    kinds = ["bank", "work", "social", "social", "other", "other", "other"]
    while len(special) < n:
        special.append((f"acct{len(special)}", rnd.choice(kinds)))
    special = special[:n] if len(special) > n else special
    for aid, kind in special:
        p = rnd.randrange(people)
        imp = "critical" if kind in ("password_manager", "bank") or rnd.random() < 0.08 else \
            ("important" if rnd.random() < 0.3 else "normal")
        sign_in = []
        if kind == "password_manager":
            sign_in.append({"type": "password"})
        elif rnd.random() < 0.8:
            sign_in.append({"type": "password", "via": rnd.choice(pms)})
        else:
            sign_in.append({"type": "password"})
        for _ in range(rnd.choice([0, 1, 1, 1, 2, 2, 3])):
            r = rnd.random()
            if r < 0.35:
                m = {"type": "totp", "on": f"app{p}"}
            elif r < 0.55:
                m = {"type": "sms", "on": f"num{p}"}
            elif r < 0.63:
                m = {"type": "push", "on": f"phone{p}", "number_matching": rnd.random() < 0.5}
            elif r < 0.75:
                m = {"type": "security_key", "on": rnd.choice([f"key{p}", f"spare{p}"])}
            elif r < 0.85:
                m = {"type": "passkey", "on": rnd.choice([f"phone{p}", f"laptop{p}"])}
            elif r < 0.93 and aid not in idents:
                m = {"type": "passkey", "via": rnd.choice(idents)}
            elif aid not in emails:
                m = {"type": "email_code", "via": rnd.choice(emails)}
            else:
                m = {"type": "totp", "on": f"app{p}"}
            if m not in sign_in:
                sign_in.append(m)
        acct = {"id": aid, "name": aid.title(), "kind": kind, "importance": imp, "sign_in": sign_in,
                "alerts": rnd.random() < 0.6}
        if rnd.random() < 0.55:
            acct["backup_codes"] = {"generated": True, "stored_in": rnd.sample(stores, rnd.choice([1, 1, 2])),
                                    "remaining": rnd.randrange(0, 11), "used": rnd.randrange(0, 4)}
        rec = []
        if rnd.random() < 0.6:
            target = rnd.choice(emails)
            if target != aid:
                rec.append({"type": "recovery_email", "via": target})
        if rnd.random() < 0.1:
            rec.append({"type": "recovery_email", "dead": True})
        if rnd.random() < 0.5:
            rec.append({"type": "recovery_phone", "on": f"num{p}"})
        if rnd.random() < 0.15:
            rec.append({"type": "recovery_contact", "on": f"contact{rnd.randrange(people)}"})
        if rnd.random() < 0.4:
            rec.append({"type": "support", "wait_days": rnd.choice([0, 1, 3, 7, 14, 30]),
                        "official_url_recorded": rnd.random() < 0.5})
        if rnd.random() < 0.1:
            rec.append({"type": "security_questions"})
        acct["recovery"] = rec
        if rnd.random() < 0.3:
            acct["recovery_tested_on"] = f"202{rnd.randrange(3, 7)}-0{rnd.randrange(1, 10)}-1{rnd.randrange(0, 9)}"
        accounts.append(acct)
    return {"version": 1, "as_of": "2026-11-29",
            "habits": {"lost_device_playbook": False, "escalation_plan": True, "enrolls_before_retiring": False,
                       "watches_alerts": True},
            "things": things, "accounts": accounts}


def median_ms(text: str, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds (CPU time is the steadier figure on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        evaluate_json(text)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=0, help="runs per size (default: 51/21/9)")
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    figures = {}
    cpu = {}
    try:
        load = os.getloadavg()[0]
        print(f"load average {load:.2f} on {os.cpu_count()} CPU(s); CPython {sys.version.split()[0]}")
    except OSError:
        pass
    for n in sizes:
        text = json.dumps(generate_plan(n))
        out = json.loads(evaluate_json(text))
        if not out.get("ok"):
            print(f"generated plan of {n} accounts is invalid: {out['errors'][:3]}", file=sys.stderr)
            return 1
        evaluate_json(text)  # warm-up
        repeat = args.repeat or (51 if n <= 10 else 21 if n <= 100 else 9)
        figures[n], cpu[n] = median_ms(text, repeat)
        locked = sum(len(s["locked_out"]) for s in out["scenarios"])
        print(f"{n:>5} accounts: median {figures[n]:8.2f} ms wall, {cpu[n]:8.2f} ms CPU  ({repeat} runs; "
              f"{len(out['actions'])} actions, "
              f"{len(out['findings'])} findings, {locked} scenario lockouts, "
              f"{len(out['single_points_of_failure'])} single points, {len(out['cycles'])} cycles)")
    ok = True
    if 100 in figures and 1000 in figures:
        ratio = figures[1000] / figures[100]
        print(f"t(1000)/t(100) = {ratio:.2f} wall, {cpu[1000] / cpu[100]:.2f} CPU  (target <= {TARGET_RATIO:g})")
        ok = ratio <= TARGET_RATIO
    if 1000 in figures:
        print(f"t(1000) = {figures[1000]:.2f} ms wall, {cpu[1000]:.2f} ms CPU  (target <= {TARGET_MS_1000:g} ms)")
        ok = ok and figures[1000] <= TARGET_MS_1000
    if args.json:
        print(json.dumps({"wall_ms": {str(k): round(v, 3) for k, v in figures.items()},
                          "cpu_ms": {str(k): round(v, 3) for k, v in cpu.items()}}))
    print("targets met" if ok else "TARGETS MISSED (wall clock; on a busy shared machine compare the CPU figures)")
    return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
