"""Regenerate expected.json from the real workerd (npm package `workerd`):

    python3 tests/js/crypto/record.py [path/to/workerd]
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
workerd = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/workerd-py/npm/node_modules/.bin/workerd")
out = subprocess.run([workerd, "test", "record.capnp"], cwd=HERE, capture_output=True, text=True, check=True)
rows = [json.loads(m) for m in re.findall(r'^.*?(\[".*)$', out.stdout + out.stderr, re.M)]
labels = [r[0] for r in rows]
dup = {x for x in labels if labels.count(x) > 1}
if dup:
    sys.exit(f"duplicate case labels: {sorted(dup)}")
with open(os.path.join(HERE, "expected.json"), "w") as f:
    f.write("{\n" + ",\n".join(f"  {json.dumps(r[0])}: {json.dumps(r[1:])}" for r in rows) + "\n}\n")
print(f"{len(rows)} cases recorded")
