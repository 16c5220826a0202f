#!/usr/bin/env python3
"""Black-box API and CLI tests: start the real leitstand binary and talk HTTP.

usage: run.py --binary PATH [-k SUBSTRING]...

Discovers test_*.py next to this file and every function test_* in them, in
file order. A function's parameters say what it needs:
  w    the module's shared World (a fresh database with clients, users and
       tokens, and one running server), created on first use; after the
       module's last test the server is stopped with SIGTERM and must exit 0
       without a sanitizer report: that check is reported as its own test
       "<module>: server stops cleanly";
  tmp  a fresh temporary directory, removed after the test.
Prints one line per test (ok/FAIL name, and the reason) and ends with the line
`N passed, N failed`; exits 1 when anything failed."""
import argparse
import importlib.util
import inspect
import os
import shutil
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402


def discover():
    mods = []
    for fn in sorted(os.listdir(HERE)):
        if not (fn.startswith("test_") and fn.endswith(".py")):
            continue
        name = fn[:-3]
        spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, fn))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        tests = [(n, f) for n, f in vars(mod).items() if n.startswith("test_") and inspect.isfunction(f)]
        tests.sort(key=lambda nf: nf[1].__code__.co_firstlineno)
        mods.append((name, mod, tests))
    return mods


def reason_of(exc):
    """The message and the deepest place in a test module where exc passed."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = next((f for f in reversed(tb) if os.path.basename(f.filename).startswith("test_")),
                 tb[-1] if tb else None)
    place = " (%s:%d)" % (os.path.basename(where.filename), where.lineno) if where else ""
    if isinstance(exc, AssertionError):
        return (str(exc) or "assertion failed") + place
    return "%s: %s%s" % (type(exc).__name__, exc, place)


def one_line(s):
    s = " ".join(str(s).split())
    return s if len(s) <= 1500 else s[:1500] + "..."


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def report(self, name, ok, reason=None, secs=None):
        t = " [%.1fs]" % secs if secs is not None and secs >= 1.0 else ""
        if ok:
            self.passed += 1
            print("ok   %s%s" % (name, t), flush=True)
        else:
            self.failed += 1
            print("FAIL %s%s: %s" % (name, t, one_line(reason)), flush=True)


def run_module(name, mod, tests, results, filters):
    world = None
    world_error = None
    for tname, fn in tests:
        full = "%s.%s" % (name, tname)
        if filters and not any(f in full for f in filters):
            continue
        params = list(inspect.signature(fn).parameters)
        kwargs = {}
        tmp = None
        t0 = time.monotonic()
        try:
            if "w" in params:
                if world is None and world_error is None:
                    try:
                        make = getattr(mod, "make_world", None)
                        world = make() if make else harness.World()
                    except Exception as e:  # noqa: BLE001
                        world_error = e
                if world_error is not None:
                    raise AssertionError("setting up the test group failed: %s" % reason_of(world_error))
                kwargs["w"] = world
            if "tmp" in params:
                tmp = tempfile.mkdtemp(prefix="leitstand-api-")
                kwargs["tmp"] = tmp
            fn(**kwargs)
            results.report(full, True, secs=time.monotonic() - t0)
        except Exception as e:  # noqa: BLE001
            results.report(full, False, reason_of(e), secs=time.monotonic() - t0)
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
    if world is not None:
        problems = world.close()
        results.report("%s: server stops cleanly (exit 0, no sanitizer report)" % name, not problems,
                       "; ".join(problems))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("-k", action="append", default=[], help="run only tests whose name contains this")
    args = ap.parse_args()
    harness.BINARY = os.path.abspath(args.binary)
    results = Results()
    t0 = time.monotonic()
    if not os.access(harness.BINARY, os.X_OK):
        results.report("binary is executable", False, "%s is not an executable file" % harness.BINARY)
    else:
        for name, mod, tests in discover():
            run_module(name, mod, tests, results, args.k)
    print("# run time %.1fs" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (results.passed, results.failed))
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
