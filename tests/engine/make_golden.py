"""Regenerate the expected half of tests/engine/golden/*.json from their plans.

Run by hand after reviewing a deliberate behaviour change:
    .venv/bin/python tests/engine/make_golden.py [--write]
Without --write it prints the differences only. Tests never run this.
"""
import json
import sys
from pathlib import Path

from esrok_recovery.boundary import evaluate_data

HERE = Path(__file__).parent / "golden"


def expected_for(plan: dict) -> dict:
    out = evaluate_data(plan)
    return {
        "ok": out["ok"],
        "protection": out["measures"]["protection"]["value"],
        "recoverability": out["measures"]["recoverability"]["value"],
        "actions": [a["rule"] for a in out["actions"]],
        "closes": {a["rule"]: a["closes"] for a in out["actions"] if a["closes"]},
        "fired": sorted({f["rule"] for f in out["findings"]}),
        "tips": [t["rule"] for t in out["tips"]],
        "lockouts": {s["id"]: {o["account"]: [o["state"], o["days"]] for o in s["outcomes"]
                               if o["state"] in ("locked_out", "no_way_back")}
                     for s in [out["baseline"]] + out["scenarios"]},
        "single_points_of_failure": {s["thing"]: s["accounts"] for s in out["single_points_of_failure"]},
        "cycles": [c["chain"] for c in out["cycles"]],
        "findings": [[f["rule"], f["account"], f["detail"]] for f in out["findings"]],
    }


def main() -> int:
    write = "--write" in sys.argv
    for path in sorted(HERE.glob("*.json")):
        doc = json.loads(path.read_text())
        new = expected_for(doc["plan"])
        if new != doc.get("expected"):
            print(f"{path.name}: changed\n  old: {doc.get('expected')}\n  new: {new}")
            if write:
                doc["expected"] = new
                path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
