#!/usr/bin/env python3
"""Writes a synthetic ACD interval export for the import benchmark (bench/README.md).

usage: acd_gen.py ROWS OUT.csv[.gz] [--german]

One row per 15-minute interval and queue (20 queues, day after day from 2024-01-01),
counts that satisfy the importer's checks (answered + abandoned <= offered, answered
within SL <= answered), talk/hold/wrap-up totals in seconds. --german writes the
German shape: ';', decimal commas, German headers and wall-clock stamps in
Europe/Berlin ("04.03.2024 08:00"; the hour that repeats in October appears twice,
import with --tz Europe/Berlin).
Seeded, so the same arguments give the same file."""
import gzip
import random
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

QUEUES = ["Queue %02d" % i for i in range(20)]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows, out = int(sys.argv[1]), sys.argv[2]
    german = "--german" in sys.argv[3:]
    rng = random.Random(5)
    sep = ";" if german else ","
    head = (["Intervallbeginn", "Warteschlange", "Angeboten", "Angenommen", "Aufgelegt", "Im SL angenommen",
             "Gesprächszeit", "Haltezeit", "Nachbearbeitung"] if german else
            ["Interval Start", "Queue", "Offered", "Answered", "Abandoned", "Answered within SL", "Talk Time",
             "Hold Time", "Wrap Up"])
    opener = gzip.open if out.endswith(".gz") else open
    t0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
    berlin = ZoneInfo("Europe/Berlin")
    with opener(out, "wt", encoding="utf-8", newline="") as f:
        f.write(sep.join(head) + "\n")
        for i in range(rows):
            t = t0 + timedelta(minutes=15 * (i // len(QUEUES)))
            offered = rng.randint(0, 40)
            abandoned = rng.randint(0, offered // 5)
            answered = offered - abandoned - (1 if offered - abandoned > 0 and rng.random() < 0.1 else 0)
            within = rng.randint(0, answered)
            talk = answered * rng.uniform(120, 400)
            hold = answered * rng.uniform(0, 40)
            wrap = answered * rng.uniform(20, 90)
            if german:
                stamp = t.astimezone(berlin).strftime("%d.%m.%Y %H:%M")
                secs = ["%.1f" % x for x in (talk, hold, wrap)]
                secs = [s.replace(".", ",") for s in secs]
            else:
                stamp = t.strftime("%Y-%m-%d %H:%M:%S")
                secs = ["%.1f" % x for x in (talk, hold, wrap)]
            f.write(sep.join([stamp, QUEUES[i % len(QUEUES)], str(offered), str(answered), str(abandoned),
                              str(within)] + secs) + "\n")


if __name__ == "__main__":
    main()
