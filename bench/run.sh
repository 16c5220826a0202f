#!/bin/bash
# Benchmarks the real server on the demo database with wrk.
#
# Usage: bench/run.sh BINARY        (`make bench` builds a release binary and runs this)
#
# Creates the demo database (20,000 tickets) in a temporary directory, creates
# an API token for the demo admin, starts `BINARY serve` on 127.0.0.1 (a free
# port), and runs four wrk scenarios against it: get one ticket, list 50,
# full-text search, create. Every response is counted by status (bench/*.lua);
# after each create run the database is checked: every acknowledged (201)
# ticket is there and the row count grew by the acknowledged ones plus at most
# the requests still in flight when wrk stopped. At the end the server is killed
# with SIGKILL and the check repeated: acknowledged writes survive a crash.
#
# Environment (all optional):
#   BENCH_RUNS=1                 rounds; the table shows the median over rounds
#   BENCH_DURATION=10            seconds per wrk run
#   BENCH_THREADS=2              wrk threads
#   BENCH_CONNECTIONS=64         connections for get, list, search
#   BENCH_CREATE_CONNECTIONS=16  connections for create
#   BENCH_SERVER_THREADS=        --threads for the server (default: one per core)
#   BENCH_KEEP=0                 1: keep the temporary directory (database, logs)
#
# Only 127.0.0.1 is contacted. Exits non-zero when a scenario had non-2xx
# responses or socket errors, or when the durability check failed; a missed
# performance goal is reported in the table but does not fail the run.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi
BIN=$(realpath "$1")
[ -x "$BIN" ] || { echo "bench: $1 is not an executable" >&2; exit 2; }
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)

RUNS=${BENCH_RUNS:-1}
DURATION=${BENCH_DURATION:-10}
WRK_THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-64}
CREATE_CONNS=${BENCH_CREATE_CONNECTIONS:-16}
SERVER_THREADS=${BENCH_SERVER_THREADS:-}
NOW=2026-11-01T00:00:00Z

for tool in wrk sqlite3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench: $tool is missing; installing it" >&2
		WITH_BENCH=1 "$ROOT/scripts/install-deps.sh"
	fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/leitstand-bench.XXXXXX")
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$SERVER_PID" 2>/dev/null || true
	fi
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "bench: kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB=$TMP/bench.db
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

count_tickets() { sqlite3 -batch "$DB" "SELECT count(*) FROM tickets"; }

# Prints how many of the ticket numbers listed in $1 are missing from the database.
missing_tickets() {
	sqlite3 -batch -cmd "CREATE TABLE acked(number TEXT)" :memory: \
		".import '$1' acked" \
		"ATTACH '$DB' AS d" \
		"SELECT count(*) FROM acked WHERE number NOT IN (SELECT number FROM d.tickets)"
}

# CPU seconds (user + system) the server has used so far, in clock ticks.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
# Machine-wide ticks: "idle steal total" (steal: time the hypervisor gave elsewhere).
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print $5 + $6, $9, t; exit }' /proc/stat; }
HZ=$(getconf CLK_TCK)

log "creating the demo database in $TMP (about 15 s)"
timeout 600 "$BIN" demo --db "$DB" --seed 1 --now "$NOW" >"$TMP/demo.log" 2>&1 || {
	cat "$TMP/demo.log" >&2
	exit 1
}
BASE=$(count_tickets)
sqlite3 -batch "$DB" "SELECT number FROM tickets ORDER BY id" >"$TMP/numbers.txt"
TOKEN=$("$BIN" token create --db "$DB" --email admin@leitstand.example)

args=(serve --db "$DB" --listen 127.0.0.1:0)
[ -n "$SERVER_THREADS" ] && args+=(--threads "$SERVER_THREADS")
"$BIN" "${args[@]}" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER_PID=$!
URL=
for _ in $(seq 100); do
	URL=$(sed -n '1s|^listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$TMP/serve.out")
	[ -n "$URL" ] && break
	kill -0 "$SERVER_PID" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$URL" ]; then
	echo "bench: the server did not start" >&2
	cat "$TMP/serve.err" >&2
	exit 1
fi
log "server pid $SERVER_PID at $URL; $BASE tickets; wrk -t$WRK_THREADS -d${DURATION}s, $RUNS round(s)"

export BENCH_DIR BENCH_TOKEN=$TOKEN BENCH_NUMBERS=$TMP/numbers.txt
: >"$TMP/results.txt"
: >"$TMP/acked-all.txt"
status=0

# run_wrk NAME CONNECTIONS ROUND: one wrk run; appends a line to results.txt:
# name round rps p50 p99 responses non2xx sockerr sent statuses cpu%
run_wrk() {
	local name=$1 conns=$2 round=$3 out=$TMP/wrk-$1-$3.txt t0 t1 m0 m1
	t0=$(server_ticks)
	m0=$(machine_ticks)
	BENCH_NAME=$name BENCH_OUT=$TMP/acked-$name-$round.txt \
		timeout $((DURATION + 60)) wrk -t"$WRK_THREADS" -c"$conns" -d"${DURATION}s" --timeout 10s --latency \
		-s "$BENCH_DIR/$name.lua" "$URL" >"$out" 2>&1 || {
		echo "bench: wrk failed for $name" >&2
		cat "$out" >&2
		status=1
		return
	}
	t1=$(server_ticks)
	m1=$(machine_ticks)
	local line
	line=$(grep '^BENCHRESULT ' "$out" || true)
	if [ -z "$line" ]; then
		echo "bench: no result from wrk for $name" >&2
		cat "$out" >&2
		status=1
		return
	fi
	local cpu idle
	cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v d="$DURATION" 'BEGIN { printf "%.0f", (b - a) / hz / d * 100 }')
	# idle+iowait and steal of both cores during the run, in % of 200
	idle=$(echo "$m0 $m1" | awk '{ t = $6 - $3; if (t <= 0) t = 1; printf "%.0f %.0f", ($4 - $1) / t * 200, ($5 - $2) / t * 200 }')
	echo "$line" | awk -v r="$round" -v c="$cpu" -v i="$idle" '{ print $2, r, $3, $4, $5, $6, $7, $8, $9, $10, c, i }' >>"$TMP/results.txt"
	set -- $line
	log "$name round $round: $3 req/s, p99 $5 ms, $6 responses, non-2xx $7, socket errors $8, statuses ${10}"
	if [ "$7" != 0 ] || [ "$8" != 0 ]; then
		echo "bench: $name had $7 non-2xx responses and $8 socket errors" >&2
		status=1
	fi
}

DURABILITY=()
for round in $(seq "$RUNS"); do
	run_wrk get "$CONNS" "$round"
	run_wrk list "$CONNS" "$round"
	run_wrk search "$CONNS" "$round"
	before=$(count_tickets)
	run_wrk create "$CREATE_CONNS" "$round"
	acked_file=$TMP/acked-create-$round.txt
	if [ -f "$acked_file" ]; then
		# requests in flight when wrk stopped are still being committed
		sleep 1
		after=$(count_tickets)
		acked=$(wc -l <"$acked_file")
		sent=$(awk '$1 == "create" && $2 == '"$round"' { print $9 }' "$TMP/results.txt")
		missing=$(missing_tickets "$acked_file")
		cat "$acked_file" >>"$TMP/acked-all.txt"
		delta=$((after - before))
		verdict=ok
		if [ "$missing" != 0 ] || [ "$delta" -lt "$acked" ] || [ "$delta" -gt "${sent:-0}" ]; then
			verdict=FAILED
			status=1
		fi
		DURABILITY+=("round $round: tickets $before -> $after (+$delta); 201 responses $acked; requests sent $sent; in flight at stop $((delta - acked)); acknowledged but missing $missing: $verdict")
	fi
done

# A crash must not lose an acknowledged ticket.
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
final=$(count_tickets)
acked_total=$(wc -l <"$TMP/acked-all.txt")
missing=$(missing_tickets "$TMP/acked-all.txt")
verdict=ok
if [ "$missing" != 0 ] || [ "$final" -lt $((BASE + acked_total)) ]; then
	verdict=FAILED
	status=1
fi
DURABILITY+=("after kill -9: $final tickets = $BASE + $acked_total acknowledged + $((final - BASE - acked_total)) unacknowledged; acknowledged but missing $missing: $verdict")

# ---- summary ----
summary() {
	echo
	echo "Leitstand benchmark  $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) cores, $(awk '/model name/ { sub(/.*: /, ""); print; exit }' /proc/cpuinfo)"
	echo "binary $BIN; wrk -t$WRK_THREADS -d${DURATION}s --latency; $RUNS round(s); median over rounds (min-max)"
	echo
	awk -v conns="$CONNS" -v cconns="$CREATE_CONNS" '
	function median(list, n,   i, j, t, a) {
		n = split(list, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function lo(list,   n, i, a, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]; return m }
	function hi(list,   n, i, a, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
	{
		if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 }
		rps[$1] = rps[$1] " " $3; p99[$1] = p99[$1] " " $5; p50[$1] = p50[$1] " " $4; cpu[$1] = cpu[$1] " " $11; idle[$1] = idle[$1] " " $12; steal[$1] = steal[$1] " " $13
		resp[$1] += $6; bad[$1] += $7; sock[$1] += $8
	}
	END {
		goal_rps["get"] = 50000; goal_p99["get"] = 5; goal_rps["create"] = 2000
		printf "%-8s %5s %21s %7s %21s %10s %8s %8s %8s %6s %6s  %s\n", "scenario", "conns", "req/s", "p50 ms", "p99 ms", "responses", "non-2xx", "sockerr", "srv CPU", "idle", "steal", "goal"
		for (i = 1; i <= k; i++) {
			s = order[i]
			r = median(rps[s]); p = median(p99[s])
			goal = "-"
			if (s in goal_rps) {
				ok = r >= goal_rps[s] && (!(s in goal_p99) || p <= goal_p99[s])
				goal = sprintf(">= %d req/s", goal_rps[s])
				if (s in goal_p99) goal = goal sprintf(", p99 <= %d ms", goal_p99[s])
				goal = goal (ok ? ": met" : ": MISSED")
			}
			printf "%-8s %5d %7.0f (%6.0f-%6.0f) %7.2f %7.2f (%6.2f-%6.2f) %10d %8d %8d %7.0f%% %5.0f%% %5.0f%%  %s\n", s, s == "create" ? cconns : conns,
				r, lo(rps[s]), hi(rps[s]), median(p50[s]), p, lo(p99[s]), hi(p99[s]), resp[s], bad[s], sock[s], median(cpu[s]),
				median(idle[s]), median(steal[s]), goal
		}
	}' "$TMP/results.txt"
	echo
	echo "durability (create, synchronous=FULL):"
	printf '  %s\n' "${DURABILITY[@]}"
	echo "srv CPU: server CPU time / wall time; idle, steal: of both cores during the run (each out of 200%);"
	echo "wrk runs on the same two cores. Steal is CPU time the hypervisor gave to other guests."
}
mkdir -p "$BENCH_DIR/results"
RESULT=$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ).txt
summary | tee "$RESULT"
cp "$TMP/results.txt" "${RESULT%.txt}.raw"
echo "(saved in ${RESULT#"$ROOT"/})"
exit $status
