#!/usr/bin/env bash
# Start a single-node SLURM cluster on 127.0.0.1 for the tests, without systemd.
#
# Usage: tests/slurm/start_cluster.sh [STATE_DIR]
#        tests/slurm/start_cluster.sh --check [STATE_DIR]
#
# STATE_DIR (or $SLURM_TEST_DIR) holds the configuration, the daemons' state
# and logs, and cluster.env; the default is ${TMPDIR:-/tmp}/rnn-hypotheses-slurm.
# It is a fixed path rather than a fresh mktemp directory so that a second call
# can find a cluster that is already running and leave it alone.
#
# After it returns, `source STATE_DIR/cluster.env` exports SLURM_CONF, so that
# sbatch, squeue, sinfo and Snakemake's SLURM executor talk to this cluster.
#
# Exit status: 0 the cluster is up (started now, or found running);
#              3 slurm-wlm/munge are missing and apt could not install them
#                (the pytest fixture skips on this status only);
#              1 anything else went wrong (the daemons' logs are printed).
# --check exits 0 when a cluster started by this script is running, else 1.
#
# Environment knobs (all optional):
#   SLURM_TEST_PARTITION   partition name (default: debug)
#   SLURM_TEST_CTLD_PORT   slurmctld port (default: 6817)
#   SLURM_TEST_SLURMD_PORT slurmd port (default: 6818)
#   SLURM_TEST_TIMEOUT     seconds to wait for the node to become idle (default: 90)
#   SLURM_TEST_MEM_MARGIN  percent of RealMemory kept back from SLURM (default: 5)
set -euo pipefail

check_only=0
if [[ "${1:-}" == "--check" ]]; then
    check_only=1
    shift
fi

STATE_DIR="${1:-${SLURM_TEST_DIR:-${TMPDIR:-/tmp}/rnn-hypotheses-slurm}}"
PARTITION="${SLURM_TEST_PARTITION:-debug}"
CTLD_PORT="${SLURM_TEST_CTLD_PORT:-6817}"
SLURMD_PORT="${SLURM_TEST_SLURMD_PORT:-6818}"
TIMEOUT="${SLURM_TEST_TIMEOUT:-90}"
MEM_MARGIN="${SLURM_TEST_MEM_MARGIN:-5}"

ENV_FILE="$STATE_DIR/cluster.env"
CONF_DIR="$STATE_DIR/etc"
LOG_DIR="$STATE_DIR/log"
CONF="$CONF_DIR/slurm.conf"
# The compiled-in default path of slurm.conf, linked to CONF while the cluster
# runs (see "configuration" below).
ETC_CONF=/etc/slurm/slurm.conf

log() { printf 'start_cluster: %s\n' "$*" >&2; }

# True when PID is alive and runs one of the programs NAME... Checking the name
# guards against a recycled PID after a reboot or a long pause.
pid_is() {
    local pid="$1" comm name
    shift
    [[ -n "$pid" && -r "/proc/$pid/comm" ]] || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
    for name in "$@"; do
        [[ "$comm" == "$name" ]] && return 0
    done
    return 1
}

# Reads the recorded PIDs into the current shell (empty when none recorded).
read_env_file() {
    SLURMCTLD_PID="" SLURMD_PID="" MUNGED_PID=""
    if [[ -r "$ENV_FILE" ]]; then
        # shellcheck disable=SC1090
        source "$ENV_FILE"
    fi
}

cluster_running() {
    read_env_file
    pid_is "$SLURMCTLD_PID" slurmctld || return 1
    pid_is "$SLURMD_PID" slurmd || return 1
    # A munged we reused rather than started has no recorded PID.
    if [[ -n "$MUNGED_PID" ]]; then pid_is "$MUNGED_PID" munged || return 1; fi
    SLURM_CONF="$CONF" timeout 20 sinfo -h >/dev/null 2>&1
}

dump_logs() {
    local f
    for f in "$LOG_DIR"/*.log "$LOG_DIR"/*.out; do
        [[ -s "$f" ]] || continue
        printf '\n===== %s (last 40 lines) =====\n' "$f" >&2
        tail -n 40 "$f" >&2
    done
}

# SIGTERM, up to 10 s to exit, then SIGKILL; only a PID that still runs one
# of the programs NAME...
end_pid() {
    local pid="$1"
    shift
    pid_is "$pid" "$@" || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        pid_is "$pid" "$@" || return 0
        sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
}

# `setsid [setpriv] daemon &` gives the PID of a fork of this shell, which
# execs setsid (and setpriv), which execs the daemon; until then
# /proc/PID/comm names one of those. Wait, while that process lives, until it
# carries the daemon's name, so that later checks do not take a daemon that is
# still starting for a dead one. PID is this shell's own child ($!).
await_exec() {
    local pid="$1" name="$2" state
    for _ in $(seq 100); do
        pid_is "$pid" "$name" && return 0
        # gone, or a zombie: the start failed before or after the exec
        state="$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" || state=""
        [[ -n "$state" && "$state" != Z ]] || {
            log "$name (PID $pid) ended while starting"
            return 1
        }
        sleep 0.1
    done
    log "$name (PID $pid) is still '$(cat "/proc/$pid/comm" 2>/dev/null)' after 10 s"
    return 1
}

# Set once this run starts daemons: a failure from then on ends them again, so
# that a failed start leaves nothing running (the logs stay in STATE_DIR).
starting=0
fail() {
    log "ERROR: $*"
    dump_logs
    if ((starting)); then
        log "ending the daemons this run started"
        # setsid/setpriv: a daemon that failed before its exec completed.
        end_pid "${SLURMD_PID:-}" slurmd setsid
        end_pid "${SLURMCTLD_PID:-}" slurmctld setsid
        end_pid "${MUNGED_PID:-}" munged setsid setpriv
        rm -f "$ENV_FILE"
        if [[ -L "$ETC_CONF" && "$(readlink "$ETC_CONF")" == "$CONF" ]]; then
            rm -f "$ETC_CONF"
        fi
    fi
    exit 1
}

if ((check_only)); then
    cluster_running && exit 0
    exit 1
fi

mkdir -p "$STATE_DIR"
# Two callers at once (a test run and a shell, say) must not both start
# daemons. The lock's descriptor is closed for every daemon below (9>&-),
# otherwise they would hold the lock for as long as they run.
exec 9>"$STATE_DIR/.lock"
flock -w 600 9 || fail "could not lock $STATE_DIR/.lock"

if cluster_running; then
    log "a cluster started by this script is already running (SLURM_CONF=$CONF)"
    log "source $ENV_FILE to use it"
    exit 0
fi

# --- packages ----------------------------------------------------------------
need_install=0
for prog in slurmctld slurmd sbatch squeue sinfo munged munge; do
    command -v "$prog" >/dev/null 2>&1 || need_install=1
done
if ((need_install)); then
    if [[ "$(id -u)" != 0 ]]; then
        log "slurm-wlm/munge are missing and installing them needs root"
        exit 3
    fi
    log "installing slurm-wlm and munge with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get -o DPkg::Lock::Timeout=300 update -q >"$STATE_DIR/apt.log" 2>&1 ||
        ! apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
            slurm-wlm munge >>"$STATE_DIR/apt.log" 2>&1; then
        tail -n 30 "$STATE_DIR/apt.log" >&2
        log "apt-get could not install slurm-wlm and munge"
        exit 3
    fi
fi
if [[ "$(id -u)" != 0 ]]; then
    # slurmd must run as root to start jobs as their owner, and munged is
    # started as the munge user, which only root can switch to.
    log "this script must run as root"
    exit 3
fi

# --- leftovers of an earlier start -------------------------------------------
# Daemons from an earlier call whose cluster is no longer whole: end the ones
# still alive (by their recorded PIDs only), then start afresh.
read_env_file
for pair in "$SLURMD_PID:slurmd" "$SLURMCTLD_PID:slurmctld" "$MUNGED_PID:munged"; do
    pid="${pair%%:*}" name="${pair#*:}"
    if pid_is "$pid" "$name"; then
        log "ending leftover $name (PID $pid) of an earlier start"
        end_pid "$pid" "$name"
    fi
done
rm -f "$ENV_FILE"
rm -rf "$CONF_DIR" "$LOG_DIR" "$STATE_DIR/spool" "$STATE_DIR/ctld-state" "$STATE_DIR/run"
mkdir -p "$CONF_DIR" "$LOG_DIR" "$STATE_DIR/spool" "$STATE_DIR/ctld-state" "$STATE_DIR/run"
# Job output is written by the job's user; the test user is root, but keep the
# logs readable for everyone who inspects them.
chmod 755 "$STATE_DIR" "$LOG_DIR"

# --- configuration -------------------------------------------------------------
# The node line comes from the hardware that slurmd itself detects, so that the
# node registers without a mismatch. slurmd -C needs no configuration file.
node_line="$(SLURM_CONF=/dev/null slurmd -C 2>/dev/null | head -n 1)"
[[ "$node_line" == NodeName=* ]] || fail "unexpected output of slurmd -C: $node_line"
node_name="$(sed -E 's/^NodeName=([^ ]+).*/\1/' <<<"$node_line")"
real_mem="$(sed -nE 's/.*RealMemory=([0-9]+).*/\1/p' <<<"$node_line")"
[[ -n "$real_mem" ]] || fail "no RealMemory in: $node_line"
# A node whose configured RealMemory exceeds what slurmd measures at
# registration is drained ("Low RealMemory"); the measurement can drift a
# little below slurmd -C's, so keep a margin.
lowered_mem=$((real_mem * (100 - MEM_MARGIN) / 100))
node_line="$(sed -E "s/RealMemory=[0-9]+/RealMemory=$lowered_mem/" <<<"$node_line")"

cat >"$CONF" <<EOF
# Written by tests/slurm/start_cluster.sh: a one-node test cluster on 127.0.0.1.
ClusterName=rnntest
# "localhost" is resolved to this host's own name by slurmctld, so the
# controller check passes whatever the container's hostname is.
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$STATE_DIR/ctld-state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/run/slurmctld.pid
SlurmdPidFile=$STATE_DIR/run/slurmd.pid
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups: containers without systemd rarely allow slurmd to manage them.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# Cores and memory are the consumable resources, so two 1-core jobs can share
# the node and a job's --mem is enforced at scheduling time.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# No slurmdbd: sacct has nothing to read. Clients must query squeue instead.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
# A plain-text record of every finished job survives squeue's MinJobAge, so
# tests can prove afterwards which jobs went through SLURM.
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG_DIR/jobcomp.log
# squeue keeps finished jobs this long; Snakemake's executor polls with squeue.
MinJobAge=300
MpiDefault=none
# A job that asks for no memory would otherwise be given the whole node's and
# block every other job; Snakemake's jobs always pass --mem.
DefMemPerCPU=1000
# No mail on this machine; the default /usr/bin/mail is missing.
MailProg=/bin/true
SwitchType=switch/none
# Limits of the container, not of the submitting shell, apply to jobs;
# copying the caller's rlimits can fail inside containers.
PropagateResourceLimits=NONE
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
Waittime=0
SchedulerType=sched/backfill
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=$PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

# Read by the daemons next to slurm.conf. No cgroup plugin is loaded with the
# settings above; the file only stops a stale system-wide one from applying.
cat >"$CONF_DIR/cgroup.conf" <<'EOF'
# Written by tests/slurm/start_cluster.sh; unused with proctrack/linuxproc and
# task/none, present so that no system-wide cgroup.conf is consulted.
IgnoreSystemd=yes
EOF

export SLURM_CONF="$CONF"

# Inside each job, snakemake-executor-plugin-slurm-jobstep runs the rule with
# a nested `srun` whose environment it strips of every SLURM_* variable except
# the job's identity, SLURM_CONF included. That srun then only finds the
# compiled-in default /etc/slurm/slurm.conf, so point that path at this
# configuration, unless it belongs to a real installation.
is_ours_or_gone() {
    # A symlink left by an earlier start: dangling, or aimed at a file with
    # this script's header.
    [[ -L "$ETC_CONF" ]] || return 1
    [[ ! -e "$ETC_CONF" ]] && return 0
    head -n 1 "$ETC_CONF" | grep -q '^# Written by tests/slurm/start_cluster.sh'
}
if [[ -e "$ETC_CONF" || -L "$ETC_CONF" ]] && ! is_ours_or_gone; then
    fail "$ETC_CONF belongs to another SLURM installation; jobs' nested srun \
would read it instead of $CONF. Run the tests where SLURM is not configured."
fi
mkdir -p /etc/slurm
ln -sfn "$CONF" "$ETC_CONF"

# Rewritten after each daemon starts, so that stop_cluster.sh (or the next
# start) can end whatever is running even if this script dies half-way.
write_env() {
    {
        echo "# Written by tests/slurm/start_cluster.sh; source it to use the test cluster."
        printf 'export SLURM_CONF=%q\n' "$CONF"
        printf 'export SLURM_TEST_DIR=%q\n' "$STATE_DIR"
        printf 'export SLURM_TEST_PARTITION=%q\n' "$PARTITION"
        printf 'SLURM_TEST_ETC_LINK=%q\n' "$ETC_CONF"
        printf 'SLURMCTLD_PID=%s\n' "$SLURMCTLD_PID"
        printf 'SLURMD_PID=%s\n' "$SLURMD_PID"
        echo "# Empty when a munged that was already running is used (not ours to stop)."
        printf 'MUNGED_PID=%s\n' "$MUNGED_PID"
    } >"$ENV_FILE.tmp"
    mv "$ENV_FILE.tmp" "$ENV_FILE"
}

SLURMCTLD_PID="" SLURMD_PID="" MUNGED_PID=""
write_env
starting=1

t_start=$(date +%s.%N)

# --- munge ---------------------------------------------------------------------
# munged refuses to run with a key or directories that others could change, so
# ownership and modes matter here.
start_munged() {
    install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
    install -d -o munge -g munge -m 0755 /run/munge
    if [[ ! -s /etc/munge/munge.key ]]; then
        log "creating /etc/munge/munge.key"
        if command -v mungekey >/dev/null 2>&1; then
            mungekey --create --keyfile=/etc/munge/munge.key
        else
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
        fi
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    # setpriv execs munged directly (runuser would stay as its parent), so $!
    # is munged's own PID; --foreground keeps it from forking away from it.
    setsid setpriv --reuid=munge --regid=munge --init-groups \
        /usr/sbin/munged --foreground \
        </dev/null >"$LOG_DIR/munged.out" 2>&1 9>&- &
    MUNGED_PID=$!
    write_env
    await_exec "$MUNGED_PID" munged || fail "munged did not start"
    for _ in $(seq 50); do
        if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return 0; fi
        pid_is "$MUNGED_PID" munged || fail "munged exited at start"
        sleep 0.2
    done
    fail "munged does not answer on /run/munge/munge.socket.2"
}

if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    # Another munged (e.g. a system one) already serves the default socket; it
    # is not ours to start or stop, so no PID is recorded for it.
    log "reusing the munged that already answers on the default socket"
else
    start_munged
fi

# --- daemons -------------------------------------------------------------------
# -D keeps each daemon in the foreground so $! is its PID; setsid detaches it
# from the caller's terminal and process group, so a Ctrl-C aimed at pytest
# does not take the cluster down before the fixture's teardown stops it.
# slurmctld -c starts without jobs left in the state directory.
setsid slurmctld -D -c -f "$CONF" </dev/null >"$LOG_DIR/slurmctld.out" 2>&1 9>&- &
SLURMCTLD_PID=$!
write_env
await_exec "$SLURMCTLD_PID" slurmctld || fail "slurmctld did not start"
for _ in $(seq 100); do
    timeout 5 scontrol ping 2>/dev/null | grep -q 'is UP' && break
    pid_is "$SLURMCTLD_PID" slurmctld || fail "slurmctld exited at start"
    sleep 0.2
done
setsid slurmd -D -f "$CONF" -N "$node_name" </dev/null >"$LOG_DIR/slurmd.out" 2>&1 9>&- &
SLURMD_PID=$!
write_env
await_exec "$SLURMD_PID" slurmd || fail "slurmd did not start"

# --- wait for the node -------------------------------------------------------
deadline=$(($(date +%s) + TIMEOUT))
state=""
while :; do
    pid_is "$SLURMCTLD_PID" slurmctld || fail "slurmctld (PID $SLURMCTLD_PID) died"
    pid_is "$SLURMD_PID" slurmd || fail "slurmd (PID $SLURMD_PID) died"
    state="$(timeout 10 sinfo -h -N -n "$node_name" -o '%t' 2>/dev/null | head -n 1 || true)"
    [[ "$state" == "idle" ]] && break
    if (($(date +%s) >= deadline)); then
        timeout 10 scontrol show node "$node_name" >&2 || true
        fail "node $node_name is not idle after ${TIMEOUT}s (state: '${state:-none}')"
    fi
    sleep 0.5
done

elapsed=$(awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
log "cluster up in ${elapsed}s: node $node_name ($lowered_mem MB, partition $PARTITION)"
log "PIDs: slurmctld $SLURMCTLD_PID, slurmd $SLURMD_PID, munged ${MUNGED_PID:-not ours}"
log "source $ENV_FILE  # exports SLURM_CONF=$CONF"
