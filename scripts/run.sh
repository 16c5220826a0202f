#!/bin/sh
# make run: create the demo database on first use, print an admin login and a
# fresh API token, and serve. usage: run.sh BINARY DB LISTEN
set -eu
BIN=$1 DB=$2 LISTEN=$3
ADMIN=admin@leitstand.example
PWFILE="$(dirname "$DB")/admin-password"
mkdir -p "$(dirname "$DB")"
if [ ! -f "$DB" ]; then
	echo "creating $DB with demo data (about 20 seconds)..."
	"$BIN" demo --db "$DB"
	umask 077
	head -c 18 /dev/urandom | base64 | tr '+/' 'xy' > "$PWFILE"
	"$BIN" user passwd --db "$DB" --email "$ADMIN" --password-stdin < "$PWFILE" >/dev/null
fi
"$BIN" migrate --db "$DB" >/dev/null
TOKEN=$("$BIN" token create --db "$DB" --email "$ADMIN" --name "make run" --expires-days 30)
echo
echo "Leitstand on http://$LISTEN"
echo "  admin login:  $ADMIN"
[ -f "$PWFILE" ] && echo "  password:     $(cat "$PWFILE")   (stored in $PWFILE)"
echo "  API token:    $TOKEN"
echo "  try:          curl -H 'Authorization: Bearer $TOKEN' http://$LISTEN/api/v1/tickets?limit=5"
echo
exec "$BIN" serve --db "$DB" --listen "$LISTEN"
