#!/bin/sh
# Monthly report of a client with N tickets (default 1,000,000): imports a synthetic
# ServiceNow export once (bench/servicenow_gen.py), then times `leitstand report`
# for PDF, HTML and XLSX and `leitstand kpi` for comparison. Usage:
#   bench/report_bench.sh BINARY [N]
set -eu
BIN=$1
N=${2:-1000000}
DIR=${BENCH_DIR:-/tmp/leitstand-report-bench}
mkdir -p "$DIR"
DB=$DIR/r$N.db
if [ ! -f "$DB" ]; then
	[ -f "$DIR/sn$N.csv.gz" ] || python3 "$(dirname "$0")/servicenow_gen.py" "$N" "$DIR/sn$N.csv.gz"
	"$BIN" init --db "$DB" >/dev/null
	"$BIN" client add --db "$DB" --code BIG --name "Big GmbH" --timezone Europe/Berlin >/dev/null
	/usr/bin/time -f "import: %e s, %M KiB" "$BIN" import servicenow --db "$DB" --client BIG --no-events "$DIR/sn$N.csv.gz" >/dev/null 2>"$DIR/import.err" || { cat "$DIR/import.err"; exit 1; }
	tail -1 "$DIR/import.err"
fi
run() {
	label=$1; shift
	best=""
	for i in 1 2 3; do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		best=$(echo "if (\"$best\" == \"\") $t else if ($t < ${best:-0}) $t else ${best:-0}" | bc 2>/dev/null || echo "$t")
		printf '%s run %d: %.3f s\n' "$label" "$i" "$t"
	done
}
run "kpi --by month       " "$BIN" kpi --db "$DB" --client BIG --by month
run "report monthly pdf   " "$BIN" report --db "$DB" --client BIG --kind monthly --period 2026-09 --format pdf -o "$DIR/m.pdf"
run "report monthly html  " "$BIN" report --db "$DB" --client BIG --kind monthly --period 2026-09 --format html -o "$DIR/m.html"
run "report monthly xlsx  " "$BIN" report --db "$DB" --client BIG --kind monthly --period 2026-09 --format xlsx -o "$DIR/m.xlsx"
run "report quarterly pdf " "$BIN" report --db "$DB" --client BIG --kind quarterly --period 2026-Q3 --format pdf -o "$DIR/q.pdf"
pdfinfo "$DIR/m.pdf" 2>/dev/null | grep Pages || true
