"""Split the staff question set into its tuning part and its test part by a fixed rule on the family number."""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = ["staff-a.jsonl", "staff-b.jsonl", "staff-c.jsonl", "staff-d.jsonl", "staff-e.jsonl", "staff-f.jsonl",
           "staff-g.jsonl", "staff-h.jsonl", "staff-i.jsonl", "staff-j.jsonl", "staff-k.jsonl"]


def part(family: str) -> str:
    """The rule: a family whose number (the digits after the last '-') leaves 2 or 4 when divided
    by 5 is in the test part (40%); every other family is in the tuning part (60%). Every question
    of a family goes to the same part, so no fact is tuned on in one wording and tested in another."""
    return "test" if int(family.rsplit("-", 1)[1]) % 5 in (2, 4) else "tune"


def main() -> int:
    rows = [json.loads(line) for name in SOURCES for line in (HERE / name).read_text().splitlines() if line.strip()]
    out = {"tune": [], "test": []}
    for row in rows:
        out[part(row["family"])].append(row)
    for name, items in out.items():
        (HERE / f"staff-{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items))
        print(f"staff-{name}.jsonl: {len(items)} questions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
