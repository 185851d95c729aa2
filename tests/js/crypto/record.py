"""Regenerate expected.json and expected-2023.json from the real workerd (npm package `workerd`):

    python3 tests/js/crypto/record.py [path/to/workerd]
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
workerd = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/workerd-py/npm/node_modules/.bin/workerd")
for config, target in (("record.capnp", "expected.json"), ("record-2023.capnp", "expected-2023.json")):
    out = subprocess.run([workerd, "test", config], cwd=HERE, capture_output=True, text=True, check=True)
    rows = [json.loads(m) for m in re.findall(r'^.*?(\[".*)$', out.stdout + out.stderr, re.M)]
    labels = [r[0] for r in rows]
    dup = {x for x in labels if labels.count(x) > 1}
    if dup:
        sys.exit(f"duplicate case labels: {sorted(dup)}")
    with open(os.path.join(HERE, target), "w") as f:
        f.write("{\n" + ",\n".join(f"  {json.dumps(r[0])}: {json.dumps(r[1:])}" for r in rows) + "\n}\n")
    print(f"{target}: {len(rows)} cases recorded")
