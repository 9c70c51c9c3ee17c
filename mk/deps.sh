#!/bin/sh
# Checks the build dependencies of Onshore and installs what is missing.
# As root it runs apt-get; otherwise it prints the one command to run and fails.
# Usage: mk/deps.sh [extra-debian-package...]
set -u
# make -j runs several of these at once; apt-get takes a lock and fails rather
# than wait, so each run of this script waits its turn (and then sees what the
# one before it installed).
if [ -z "${ONSHORE_DEPS_LOCKED:-}" ] && command -v flock >/dev/null 2>&1; then
    ONSHORE_DEPS_LOCKED=1 exec flock "${TMPDIR:-/tmp}/onshore-deps.lock" sh "$0" "$@"
fi
pkgs="flex bison libedit-dev check pkg-config coinor-libcbc-dev"
for extra in "$@"; do pkgs="$pkgs $extra"; done

missing=""
need() { missing="$missing $1"; }
for p in $pkgs; do
    case "$p" in
    flex|bison|pkg-config) command -v "$p" >/dev/null 2>&1 || need "$p" ;;
    libedit-dev) { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libedit; } || need "$p" ;;
    check) { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists check; } || need "$p" ;;
    coinor-libcbc-dev) { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists cbc clp; } || need "$p" ;;
    lua5.4) command -v lua5.4 >/dev/null 2>&1 || need "$p" ;;
    python3) command -v python3 >/dev/null 2>&1 || need "$p" ;;
    clang) command -v clang >/dev/null 2>&1 || need "$p" ;;
    *) dpkg -s "$p" >/dev/null 2>&1 || need "$p" ;;
    esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get update && apt-get install -y$missing"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "onshore: installing missing build dependencies:$missing"
    export DEBIAN_FRONTEND=noninteractive
    # Another apt (an unattended upgrade) may hold its lock: wait for it.
    wait_lock="-o DPkg::Lock::Timeout=600"
    if apt-get $wait_lock update -q >/dev/null && apt-get $wait_lock install -y -q$missing >/dev/null; then
        exit 0
    fi
    echo "onshore: apt-get failed; run it yourself to see why:" >&2
    echo "    $cmd" >&2
    exit 1
fi
echo "onshore: missing build dependencies:$missing" >&2
echo "Install them with:" >&2
echo "    sudo sh -c '$cmd'" >&2
exit 1
