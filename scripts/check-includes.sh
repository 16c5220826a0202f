#!/bin/sh
# Dependencies point down only: edges -> service -> engines/store -> model -> core.
# Fails when a file includes a room it may not use, or calls a banned function.
set -u
cd "$(dirname "$0")/.."
status=0
allowed() {
	case "$1" in
	core) echo "core" ;;
	model) echo "core model" ;;
	store) echo "core model store" ;;
	calendar|sla|kpi|wfm|importers|report) echo "core model calendar sla kpi wfm importers report" ;;
	service) echo "core model store calendar sla kpi wfm importers report service" ;;
	server|cli|jobs) echo "core model store calendar sla kpi wfm importers report service server cli jobs" ;;
	*) echo "" ;;
	esac
}
for f in $(find src -name '*.[ch]' | sort); do
	room=$(echo "$f" | cut -d/ -f2)
	case "$room" in *.c|*.h) continue ;; esac
	ok=$(allowed "$room")
	for inc in $(grep -o '^#include "[a-z_]*/' "$f" | sed 's/#include "//; s/\///'); do
		case " $ok " in
		*" $inc "*) ;;
		*) echo "$f: room '$room' may not include '$inc/'"; status=1 ;;
		esac
	done
done
# banned functions (systemd/curl style); alloc.c alone may call the allocator
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok|rand|system|setenv)\('
if grep -nE "$banned" $(find src -name '*.c') | grep -v '^\s*/\*'; then
	echo "banned function used (see docs/design/conventions.md)"; status=1
fi
if grep -nE '\b(malloc|calloc|realloc|free)\(' $(find src -name '*.c' ! -path 'src/core/alloc.c') | grep -v 'sqlite3_free\|json_\|xfree\|arena'; then
	echo "raw allocator call outside core/alloc.c"; status=1
fi
exit $status
