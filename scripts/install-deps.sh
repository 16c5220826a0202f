#!/bin/sh
# Installs what building, running and testing Leitstand needs, from Debian's
# packages. Idempotent: does nothing when everything is present.
set -eu

PACKAGES="build-essential pkg-config meson ninja-build python3 \
  libcairo2-dev libxlsxwriter-dev fonts-dejavu-core poppler-utils \
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcmocka-dev zlib1g-dev \
  libcurl4-openssl-dev \
  coinor-libcbc-dev \
  curl sqlite3 tzdata"
[ "${WITH_BENCH:-0}" = 1 ] && PACKAGES="$PACKAGES wrk"
[ "${WITH_FUZZ:-0}" = 1 ] && PACKAGES="$PACKAGES clang"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
