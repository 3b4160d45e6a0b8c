#!/usr/bin/env bash
# Stop the test cluster that tests/slurm/start_cluster.sh started.
#
# Usage: tests/slurm/stop_cluster.sh [STATE_DIR]
#
# Only the daemons whose PIDs start_cluster.sh recorded in STATE_DIR/cluster.env
# are ended (never processes found by name), plus the slurmstepd helpers that
# this cluster's slurmd spawned. A munged that was already running before the
# cluster started is left alone. STATE_DIR is removed afterwards unless
# SLURM_TEST_KEEP=1 (then its logs stay for inspection).
set -euo pipefail

STATE_DIR="${1:-${SLURM_TEST_DIR:-${TMPDIR:-/tmp}/rnn-hypotheses-slurm}}"
ENV_FILE="$STATE_DIR/cluster.env"

log() { printf 'stop_cluster: %s\n' "$*" >&2; }

pid_is() {
    local pid="$1" name="$2"
    [[ -n "$pid" && -r "/proc/$pid/comm" ]] || return 1
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]]
}

# SIGTERM, wait up to 15 s, then SIGKILL.
end_pid() {
    local pid="$1" name="$2"
    pid_is "$pid" "$name" || return 0
    log "ending $name (PID $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 75); do
        pid_is "$pid" "$name" || return 0
        sleep 0.2
    done
    log "$name (PID $pid) ignored SIGTERM; sending SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
    for _ in $(seq 25); do
        pid_is "$pid" "$name" || return 0
        sleep 0.2
    done
    log "WARNING: $name (PID $pid) is still alive"
}

if [[ ! -r "$ENV_FILE" ]]; then
    log "no $ENV_FILE: no cluster recorded there, nothing to stop"
    exit 0
fi

SLURMCTLD_PID="" SLURMD_PID="" MUNGED_PID="" SLURM_CONF="" SLURM_TEST_ETC_LINK=""
# shellcheck disable=SC1090
source "$ENV_FILE"

# Cancel whatever is still queued or running, so that no job keeps running
# (and writing into a test's directory) after its daemons are gone.
if pid_is "$SLURMCTLD_PID" slurmctld; then
    timeout 20 scancel --quiet --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 50); do
        left="$(timeout 10 squeue -h -t PENDING,RUNNING,COMPLETING -o %i 2>/dev/null || true)"
        [[ -z "$left" ]] && break
        sleep 0.2
    done
fi

# slurmstepd processes belong to this cluster when they inherited its
# SLURM_CONF from our slurmd; collect them before slurmd goes away.
stepds=()
for comm in /proc/[0-9]*/comm; do
    pid="${comm#/proc/}" pid="${pid%/comm}"
    [[ "$(cat "$comm" 2>/dev/null)" == slurmstepd ]] || continue
    if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "SLURM_CONF=$SLURM_CONF"; then
        stepds+=("$pid")
    fi
done

end_pid "$SLURMD_PID" slurmd
for pid in "${stepds[@]}"; do end_pid "$pid" slurmstepd; done
end_pid "$SLURMCTLD_PID" slurmctld
if [[ -n "$MUNGED_PID" ]]; then
    end_pid "$MUNGED_PID" munged
else
    log "munged was not started by start_cluster.sh; leaving it running"
fi

# The /etc/slurm/slurm.conf symlink that start_cluster.sh made for jobs'
# nested srun; removed only while it still points at this cluster's file.
if [[ -n "${SLURM_TEST_ETC_LINK:-}" && -L "$SLURM_TEST_ETC_LINK" &&
    "$(readlink "$SLURM_TEST_ETC_LINK")" == "$SLURM_CONF" ]]; then
    rm -f "$SLURM_TEST_ETC_LINK"
fi

rm -f "$ENV_FILE"
if [[ "${SLURM_TEST_KEEP:-0}" == 1 ]]; then
    log "keeping $STATE_DIR (SLURM_TEST_KEEP=1)"
else
    rm -rf "$STATE_DIR"
    log "removed $STATE_DIR"
fi
