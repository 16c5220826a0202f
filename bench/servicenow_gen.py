#!/usr/bin/env python3
"""Writes a synthetic ServiceNow incident export (the UCI log's columns, one row per
incident) for benchmarks: N incidents over 14 months, weekday/hour arrival pattern,
60 groups, 400 agents, 80 categories, lognormal resolution times, 70 % SLA made.
Seeded, so every run writes the same file. Usage: servicenow_gen.py N OUT.csv.gz"""
import gzip
import math
import random
import sys
from datetime import datetime, timedelta

HEADER = ("number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,"
          "opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,"
          "category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,"
          "u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,"
          "closed_at")


def stamp(t):
    return "%d/%d/%d %02d:%02d" % (t.day, t.month, t.year, t.hour, t.minute)


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(1)
    start = datetime(2025, 9, 1)
    span = 14 * 30 * 86400
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=1) as f:
        f.write(HEADER + "\n")
        for i in range(n):
            while True:
                t = start + timedelta(seconds=rng.randrange(span))
                # office hours and weekdays carry most arrivals
                w = (0.25 if t.weekday() >= 5 else 1.0) * (1.0 if 8 <= t.hour < 18 else 0.15)
                if rng.random() < w:
                    break
            res = t + timedelta(hours=math.exp(rng.gauss(2.5, 1.4)))
            closed = res + timedelta(days=5)
            made = "true" if rng.random() < 0.7 else "false"
            f.write("INC%08d,Closed,false,%d,%d,5,%s,Caller 1,Opened by 1,%s,Created by 1,%s,Updated by 1,%s,"
                    "Phone,Location 1,Category %d,Subcategory 1,Symptom %d,?,2 - Medium,2 - Medium,3 - Moderate,"
                    "Group %d,Resolver %d,false,false,Do Not Notify,?,?,?,?,code 5,Resolved by 1,%s,%s\n" % (
                        i, rng.choice((0, 0, 0, 1, 2)), 1 if rng.random() < 0.02 else 0, made, stamp(t), stamp(t),
                        stamp(closed), rng.randrange(80), rng.randrange(300), rng.randrange(60),
                        rng.randrange(400), stamp(res), stamp(closed)))


if __name__ == "__main__":
    main()
