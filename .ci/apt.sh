# shellcheck shell=bash
# Sourced by .ci/run (and its test, scripts/ci/apt.test.ts).
#
# apt on a busy machine: another apt process (unattended-upgrades, a second CI job) may hold dpkg's
# lock or the package lists' lock. apt waits for dpkg's lock itself (DPkg::Lock::Timeout) but
# `apt-get update` fails at once on the lists' lock, so a failure that names a lock is retried too:
# up to APT_LOCK_TIMEOUT seconds in all (default 300), then CI stops saying which lock and what to do.
apt_get() {
  local timeout="${APT_LOCK_TIMEOUT:-300}" pause="${APT_LOCK_RETRY_SECONDS:-5}"
  local deadline=$((SECONDS + timeout)) log waited=0
  log="$(mktemp)"
  while true; do
    if apt-get -o DPkg::Lock::Timeout="$((deadline > SECONDS ? deadline - SECONDS : 0))" "$@" 2>"$log"; then
      cat "$log" >&2
      rm -f "$log"
      return 0
    fi
    if ! grep -qiE "could not get lock|unable to acquire the dpkg frontend lock|unable to lock" "$log"; then
      cat "$log" >&2
      rm -f "$log"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      cat "$log" >&2
      rm -f "$log"
      echo "apt-get $*: another apt process still held apt's lock after ${timeout}s (above: which lock, and which process)." >&2
      echo "Let it finish (ps -C apt-get,apt,dpkg,unattended-upgr), or set APT_LOCK_TIMEOUT to wait longer, then run .ci/run again." >&2
      return 1
    fi
    if [ "$waited" -eq 0 ]; then
      echo "apt-get $*: another apt process holds apt's lock; waiting up to ${timeout}s for it." >&2
    fi
    waited=1
    sleep "$pause"
  done
}
