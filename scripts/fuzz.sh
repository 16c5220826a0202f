#!/bin/sh
# Builds the libFuzzer targets in tests/fuzz/ with clang and runs each for a while.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  time per target (default 30)
#   TARGET   fuzz_rfc3339, fuzz_parse, fuzz_fts, fuzz_json_body, fuzz_hours, fuzz_holidays (default: all)
# Environment: FUZZ_OUT (default build-fuzz/libfuzzer) holds the binaries, the
# growing corpora (seeded from tests/fuzz/corpus/<target>/, which stays as it
# is) and crash files; FUZZ_JOBS=1 runs that many jobs per target.
#
# Each target and the library sources (the lib_sources of meson.build) are
# compiled with -fsanitize=fuzzer,address,undefined; any sanitizer report or
# violated property aborts and leaves crash-<hash> in $FUZZ_OUT/crashes/<target>/.
# Replay one with the Meson test binary or the fuzzer itself:
#   build-fuzz/tests/fuzz/fuzz_fts FILE       $FUZZ_OUT/fuzz_fts FILE
# Exits non-zero when a target crashed. clang comes from Debian's package
# (WITH_FUZZ=1 scripts/install-deps.sh installs it).
set -eu
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${1:-30}
[ $# -gt 0 ] && shift
TARGETS=${*:-fuzz_rfc3339 fuzz_parse fuzz_fts fuzz_json_body fuzz_hours fuzz_holidays fuzz_sla fuzz_intervals fuzz_servicenow fuzz_csvmap fuzz_freshdesk fuzz_jira fuzz_zendesk fuzz_acd fuzz_forecast}
OUT=${FUZZ_OUT:-build-fuzz/libfuzzer}
JOBS=${FUZZ_JOBS:-1}
CC=${CLANG:-clang}

command -v "$CC" >/dev/null 2>&1 || WITH_FUZZ=1 ./scripts/install-deps.sh
command -v "$CC" >/dev/null 2>&1 || { echo "fuzz: $CC is missing" >&2; exit 1; }

# The file lists of a files(...) block in meson.build: lib_sources, migrations.
meson_files() {
	python3 - "$1" <<'EOF'
import re, sys
text = open("meson.build", encoding="utf-8").read()
m = re.search(r"^" + sys.argv[1] + r"\s*=\s*files\((.*?)\)", text, re.S | re.M)
if not m:
    sys.exit("fuzz: no '%s = files(...)' in meson.build" % sys.argv[1])
print(" ".join(re.findall(r"'([^']+)'", m.group(1))))
EOF
}

mkdir -p "$OUT/obj"
PKGS="libmicrohttpd jansson sqlite3 libsodium zlib"
CFLAGS="-std=gnu17 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
  -Isrc -Itests/fuzz -I$OUT -D_FILE_OFFSET_BITS=64 -pthread $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lm -pthread"

echo "fuzz: building the library with $CC" >&2
# shellcheck disable=SC2046
python3 scripts/embed.py "$OUT/migrations_gen.c" $(meson_files migrations)
python3 scripts/embed.py --text holidays_builtin_rules "$OUT/holidays_gen.c" src/calendar/holidays-de.txt
objs=""
for src in $(meson_files lib_sources) "$OUT/migrations_gen.c" "$OUT/holidays_gen.c"; do
	obj=$OUT/obj/$(echo "$src" | tr / _).o
	# shellcheck disable=SC2086
	$CC $CFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
	objs="$objs $obj"
done
rm -f "$OUT/libleitstand-fuzz.a"
# shellcheck disable=SC2086
ar rcs "$OUT/libleitstand-fuzz.a" $objs

status=0
summary=""
for t in $TARGETS; do
	[ -f "tests/fuzz/$t.c" ] || { echo "fuzz: no target tests/fuzz/$t.c" >&2; exit 2; }
	echo "fuzz: building $t" >&2
	# shellcheck disable=SC2086
	$CC $CFLAGS -fsanitize=fuzzer "tests/fuzz/$t.c" tests/fuzz/fuzz_util.c "$OUT/libleitstand-fuzz.a" $LIBS -o "$OUT/$t"
	corpus=$OUT/corpus/$t
	crashes=$OUT/crashes/$t
	mkdir -p "$corpus" "$crashes"
	cp -n "tests/fuzz/corpus/$t/"* "$corpus/" 2>/dev/null || true
	dict=""
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=$PWD/tests/fuzz/$t.dict"
	echo "fuzz: running $t for ${SECONDS_PER_TARGET}s" >&2
	log=$OUT/$t.log
	# parallel jobs write fuzz-N.log into the current directory: keep them in $OUT
	jobs=""
	[ "$JOBS" -gt 1 ] && jobs="-jobs=$JOBS -workers=$JOBS"
	# -timeout: one input taking 5 s is a hang worth a look
	# shellcheck disable=SC2086
	if (cd "$OUT" && "./$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
		$jobs -artifact_prefix="crashes/$t/" $dict "corpus/$t") >"$log" 2>&1; then
		result=ok
	else
		result=CRASH
		status=1
	fi
	if [ "$JOBS" -gt 1 ]; then cat "$OUT"/fuzz-*.log >>"$log" 2>/dev/null && rm -f "$OUT"/fuzz-*.log; fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	n_corpus=$(find "$corpus" -type f | wc -l)
	n_crash=$(find "$crashes" -type f | wc -l)
	line=$(printf '%-16s %-6s %10s runs %8s exec/s  cov %6s  corpus %5s  crash files %s' "$t" "$result" "$runs" \
		"$speed" "${cov:-?}" "$n_corpus" "$n_crash")
	summary="$summary$line
"
	if [ "$result" != ok ]; then
		grep -E 'ERROR|property violated|runtime error|input \(' "$log" | head -5 >&2 || true
		echo "fuzz: $t crashed; see $log and $crashes/" >&2
	fi
done
printf '\n%s' "$summary"
exit $status
