#!/usr/bin/env bash
# Install Debian's Chromium and its WebDriver (chromium, chromium-driver) for the tests
# that open the interactive figures in a headless browser (tests/test_interactive.py).
#
# Usage: tests/browser/install_chromium.sh [LOG_DIR]
#
# LOG_DIR (default ${TMPDIR:-/tmp}/rnn-hypotheses-chromium) holds apt's output (apt.log)
# and the lock that keeps two test sessions from running apt at once.
#
# Exit status: 0 both are installed (now, or already were);
#              1 apt-get failed (the end of its log is printed), or it ran and the
#                programs are still missing;
#              2 not root, so apt-get cannot run (the pytest fixture skips on this only).
# No browser is ever downloaded from anywhere but Debian's archive: a browser that a
# package fetches at install time cannot be had on the machines these tests run on.
set -euo pipefail

LOG_DIR="${1:-${TMPDIR:-/tmp}/rnn-hypotheses-chromium}"
APT_LOCK_TIMEOUT_S="${CHROMIUM_APT_LOCK_TIMEOUT_S:-300}"

log() { printf 'install_chromium: %s\n' "$*" >&2; }

installed() {
    { command -v chromium >/dev/null || [[ -x /usr/lib/chromium/chromium ]]; } &&
        { command -v chromedriver >/dev/null || [[ -x /usr/lib/chromium/chromedriver ]]; }
}

if installed; then
    exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
    log "chromium and chromium-driver are missing, and only root can install them"
    exit 2
fi

mkdir -p "$LOG_DIR"
# One installer at a time: a second test session waits here, then finds both installed.
exec 9>"$LOG_DIR/.lock"
flock -w 900 9 || { log "could not lock $LOG_DIR/.lock within 900 s"; exit 1; }
if installed; then
    exit 0
fi

log "installing chromium and chromium-driver with apt-get (log: $LOG_DIR/apt.log)"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT_S" update -q >"$LOG_DIR/apt.log" 2>&1 ||
    ! apt-get -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT_S" install -y -q \
        --no-install-recommends chromium chromium-driver >>"$LOG_DIR/apt.log" 2>&1; then
    tail -n 30 "$LOG_DIR/apt.log" >&2
    log "apt-get could not install chromium and chromium-driver"
    exit 1
fi
if ! installed; then
    log "apt-get succeeded, yet chromium or chromedriver is still missing"
    exit 1
fi
log "installed: $(dpkg-query -W -f='${Package} ${Version}\n' chromium chromium-driver | tr '\n' ' ')"
