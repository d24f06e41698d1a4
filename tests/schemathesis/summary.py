"""The short account of a schemathesis run (run.sh step 5).

Operations, cases and failures from schemathesis' own summary; the failing operations and their
failure codes from the JUnit report; per operation whether at least one 2xx was seen, from the
status log the hooks write. Also writes all of it as JSON (--out).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    parser.add_argument("--junit", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--statuses", required=True)
    parser.add_argument("--seconds", type=int, default=0)
    parser.add_argument("--rightful", type=int, default=0, help="rightful calls made before the run")
    parser.add_argument("--rightful-failures", type=int, default=0)
    parser.add_argument("--out")
    args = parser.parse_args()

    spec = json.loads(Path(args.spec).read_text())
    operations = [f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item if m in METHODS]
    # Success is a 2xx, or the documented 3xx of an operation whose answer is a redirect.
    redirects = {
        f"{m.upper()} {p}"
        for p, item in spec["paths"].items()
        for m, op in item.items()
        if m in METHODS and not any(str(s).startswith("2") for s in op.get("responses", {}))
    }

    def success(op: str, status: int) -> bool:
        return 200 <= status < 300 or (op in redirects and 300 <= status < 400)


    log = Path(args.log).read_text(errors="replace") if Path(args.log).exists() else ""
    cases = re.search(r"(\d+) generated, (?:(\d+) found (\d+) unique failures?)?", log)
    kinds = dict(re.findall(r"❌ (ST\d+ [^:\n]+): (\d+)", log))
    errors = dict(re.findall(r"🚫 ([^:\n]+): (\d+)", log))

    failing: dict[str, list[str]] = {}
    if Path(args.junit).exists():
        for case in ET.parse(args.junit).iter("testcase"):
            found = [f.get("message", "") for f in case if f.tag in ("failure", "error")]
            if found:
                failing[case.get("name", "?")] = sorted(set(found))

    statuses: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    if Path(args.statuses).exists():
        for line in Path(args.statuses).read_text().splitlines():
            call = json.loads(line)
            statuses[call["operation"]][call["status"]] += 1
    without_2xx = [op for op in operations if not any(success(op, s) for s in statuses.get(op, {}))]

    print()
    print("=" * 30, "schemathesis summary", "=" * 30)
    print(f"operations: {len(operations)} in the document, {len(statuses)} called")
    if args.rightful:
        print(f"rightful calls (one per operation, all checks): {args.rightful}, failures: {args.rightful_failures}")
    if cases:
        print(
            f"cases: {cases.group(1)} generated; failures: {sum(int(n) for n in kinds.values())}"
            f" unique ({len(failing)} operations/scenarios)"
        )
    for kind, n in sorted(kinds.items()):
        print(f"  {kind}: {n}")
    for kind, n in sorted(errors.items()):
        print(f"  error: {kind}: {n}")
    if failing:
        print("failing operations:")
        for name, codes in sorted(failing.items()):
            print(f"  {name}: {', '.join(codes)}")
    print(f"operations that reached their success status: {len(operations) - len(without_2xx)}/{len(operations)}")
    if without_2xx:
        print("operations without any 2xx (status: count):")
        for op in without_2xx:
            seen = ", ".join(f"{s}×{n}" for s, n in sorted(statuses.get(op, {}).items())) or "never called"
            print(f"  {op}: {seen}")
    if args.seconds:
        print(f"run time: {args.seconds} s")
    if without_2xx:
        raise SystemExit(1)

    if args.out:
        Path(args.out).write_text(
            json.dumps(
                {
                    "operations": len(operations),
                    "cases": int(cases.group(1)) if cases else None,
                    "failureKinds": {k: int(n) for k, n in kinds.items()},
                    "errors": {k: int(n) for k, n in errors.items()},
                    "failing": failing,
                    "without2xx": without_2xx,
                    "statuses": {op: dict(c) for op, c in statuses.items()},
                    "seconds": args.seconds,
                    "rightful": args.rightful,
                    "rightfulFailures": args.rightful_failures,
                },
                indent=2,
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
