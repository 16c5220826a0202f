#!/usr/bin/env python3
"""Print the closing line 'N passed, N failed' for a Meson test run.

Counts individual test cases: cmocka's '[  PASSED  ] N test(s).' and
'[  FAILED  ] N test(s)' lines, and the API runner's own 'N passed, N failed'
line. A test program that ended without such a line (a crash, a timeout)
counts as one failure. Exit status: 0 when nothing failed.
usage: test-summary.py BUILD_DIR
"""
import json
import re
import sys

passed = failed = 0
log = f"{sys.argv[1]}/meson-logs/testlog.json"
try:
    lines = open(log, encoding="utf-8").read().splitlines()
except OSError as e:
    print(f"test-summary: cannot read {log}: {e}", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)
for line in lines:
    t = json.loads(line)
    # cmocka prints its summary lines on stderr, the API runner on stdout
    out = (t.get("stdout", "") or "") + "\n" + (t.get("stderr", "") or "")
    ok_run = t.get("result") == "OK"
    p = sum(int(m) for m in re.findall(r"^\[  PASSED  \] (\d+) test", out, re.M))
    f = sum(int(m) for m in re.findall(r"^\[  FAILED  \] (\d+) test", out, re.M))
    m = re.findall(r"^(\d+) passed, (\d+) failed", out, re.M)
    if m:
        p += int(m[-1][0])
        f += int(m[-1][1])
    if p == 0 and f == 0:
        # no per-case summary: the program itself is the test
        if ok_run:
            p = 1
        else:
            f = 1
    elif not ok_run and f == 0:
        f = 1  # it reported passes, then crashed or leaked
    if not ok_run:
        print(f"FAILED: {t.get('name')} ({t.get('result')})", file=sys.stderr)
    passed += p
    failed += f
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
