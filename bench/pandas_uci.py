#!/usr/bin/python3
"""The comparison the import/KPI benchmark reports: the same two figures from the
UCI ServiceNow incident log with pandas (Debian's python3-pandas), the tool an
analyst would otherwise reach for.

Per incident the last record (highest sys_mod_count) counts; resolution hours =
resolved_at - opened_at over incidents with a resolved_at; reopen rate = share of
incidents with reopen_count > 0. Prints the figures and the wall time.
usage: bench/pandas_uci.py FILE.csv[.gz]
"""
import sys
import time

import pandas as pd

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], na_values=["?"], low_memory=False)
last = df.sort_values(["number", "sys_mod_count"]).groupby("number", sort=False).tail(1)
fmt = "%d/%m/%Y %H:%M"
opened = pd.to_datetime(last["opened_at"], format=fmt)
resolved = pd.to_datetime(last["resolved_at"], format=fmt)
hours = ((resolved - opened).dt.total_seconds() / 3600).dropna()
reopen_rate = (last["reopen_count"] > 0).mean()
t1 = time.perf_counter()
print("incidents %d  resolved %d  median_resolution_hours %.4f  reopen_rate %.6f  time %.3f s"
      % (len(last), len(hours), hours.median(), reopen_rate, t1 - t0))
