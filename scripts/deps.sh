#!/bin/sh
# Check the Debian packages dialab needs; install the missing ones when root.
# usage: scripts/deps.sh build|check
set -u
build="libncurses-dev libsqlite3-dev libjansson-dev libreadline-dev pkg-config gcc make tzdata"
check="tmux mandoc valgrind python3 sqlite3 perl man-db util-linux time"
case "${1:-build}" in
build) want=$build ;;
check) want="$build $check" ;;
*) echo "usage: scripts/deps.sh build|check" >&2; exit 64 ;;
esac
missing=
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "dialab: not a Debian system; install:$missing" >&2
	exit 69
fi
if [ "$(id -u)" != 0 ]; then
	echo "dialab: missing packages:$missing" >&2
	echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 69
fi
echo "dialab: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq $missing >&2
