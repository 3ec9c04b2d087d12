#!/usr/bin/env bash
# A private single-node Slurm cluster (munged + slurmctld + slurmd) for bordersim's tests.
#
#   Tests/slurm/cluster.sh install              apt: slurmctld slurmd slurm-client munge (only when missing)
#   Tests/slurm/cluster.sh start                write BASE/slurm.conf, start the daemons, wait for an idle node
#   Tests/slurm/cluster.sh env                  print `export SLURM_CONF=...` for this cluster
#   Tests/slurm/cluster.sh wait JOBID... TIMEOUT  bounded wait until none of the jobs is pending or
#                                               running, then one line per job (array task):
#                                               `JOBID[_TASK] STATE EXITCODE`, from the jobcomp file
#   Tests/slurm/cluster.sh stop [--purge]       cancel the cluster's jobs, stop the daemons it started (by
#                                               process id); --purge also removes BASE if start created it
#
# Everything lives under BASE: the configuration, controller state, spool, logs, the munge key and
# socket, and the file of process ids. Nothing under /etc is written: every Slurm command must see
# SLURM_CONF=BASE/slurm.conf (run `eval "$(Tests/slurm/cluster.sh env)"`); munged runs with a
# private key and socket, named in slurm.conf by AuthInfo.
#
# Environment:
#   BORDERSIM_SLURM_BASE    the cluster's directory (default: a new `mktemp -d` directory at start,
#                           recorded in BORDERSIM_SLURM_RECORD so that env/wait/stop find it)
#   BORDERSIM_SLURM_RECORD  default /tmp/bordersim-slurm.base
#   BORDERSIM_SLURM_AUTH    munge (default) or none
#   BORDERSIM_SLURM_PORT    the controller's port (default 6817; slurmd uses the next one). When the
#                           default ports are taken, start picks a free pair and says so; a port given
#                           explicitly that is taken is an error.
#   BORDERSIM_SLURM_START_TIMEOUT  seconds to wait for an idle node (default 60)
set -euo pipefail

RECORD=${BORDERSIM_SLURM_RECORD:-/tmp/bordersim-slurm.base}
AUTH=${BORDERSIM_SLURM_AUTH:-munge}
START_TIMEOUT=${BORDERSIM_SLURM_START_TIMEOUT:-60}

log() { echo "[cluster.sh] $*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# The cluster's directory: BORDERSIM_SLURM_BASE, else the one recorded by `start`.
find_base() {
  if [ -n "${BORDERSIM_SLURM_BASE:-}" ]; then BASE=$BORDERSIM_SLURM_BASE
  elif [ -s "$RECORD" ]; then BASE=$(cat "$RECORD")
  else die "no cluster: set BORDERSIM_SLURM_BASE or run '$0 start' first ($RECORD is missing)"; fi
  [ -d "$BASE" ] || die "cluster directory $BASE does not exist"
  BASE=$(cd "$BASE" && pwd)
  export SLURM_CONF=$BASE/slurm.conf
  PIDFILE=$BASE/pids
}

# ---------------------------------------------------------------------------------------------
# install

installed() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }

do_install() {
  local missing=""
  installed slurmctld || missing="$missing slurmctld"
  installed slurmd    || missing="$missing slurmd"
  installed sbatch    || missing="$missing slurm-client"
  installed munged    || missing="$missing munge"
  if [ -z "$missing" ]; then log "slurm and munge already installed"; return 0; fi
  [ "$(id -u)" = 0 ] || die "installing$missing needs root (apt-get); run as root or install them first"
  log "installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  # Without systemd the packages' postinst cannot start the services: invoke-rc.d says so, harmlessly.
  apt-get update -q >/dev/null || die "apt-get update failed"
  apt-get install -y -q --no-install-recommends $missing >/dev/null || die "apt-get install$missing failed"
}

# ---------------------------------------------------------------------------------------------
# start

# Is a TCP port in LISTEN state (IPv4 or IPv6)? Reads /proc, so it needs neither ss nor netstat.
port_busy() {
  local hex; hex=$(printf '%04X' "$1")
  awk -v p="$hex" 'FNR > 1 { split($2, a, ":"); if (a[2] == p && $4 == "0A") found = 1 } END { exit !found }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

choose_ports() {
  if [ -n "${BORDERSIM_SLURM_PORT:-}" ]; then
    CTLD_PORT=$BORDERSIM_SLURM_PORT; SLURMD_PORT=$(( CTLD_PORT + 1 ))
    port_busy "$CTLD_PORT" && die "port $CTLD_PORT (BORDERSIM_SLURM_PORT, slurmctld) is already in use"
    port_busy "$SLURMD_PORT" && die "port $SLURMD_PORT (slurmd = BORDERSIM_SLURM_PORT + 1) is already in use"
    return 0
  fi
  CTLD_PORT=6817; SLURMD_PORT=6818
  if port_busy 6817 || port_busy 6818; then
    local p
    for p in $(seq 16817 2 16899); do
      if ! port_busy "$p" && ! port_busy $(( p + 1 )); then
        log "ports 6817/6818 are in use (another Slurm?); this cluster uses $p/$(( p + 1 ))"
        CTLD_PORT=$p; SLURMD_PORT=$(( p + 1 )); return 0
      fi
    done
    die "ports 6817/6818 are in use and no free pair was found in 16817-16900; set BORDERSIM_SLURM_PORT"
  fi
}

# Stop whatever a failed start had already started, show the logs, fail.
start_failed() {
  log "start failed: $*"
  if [ -s "$RECORD" ] && [ "$(cat "$RECORD")" = "$BASE" ]; then rm -f "$RECORD"; fi
  local f
  for f in "$BASE"/log/*; do [ -s "$f" ] && { echo "----- $f (last 40 lines)" >&2; tail -n 40 "$f" >&2; }; done
  stop_daemons
  log "daemons stopped; configuration and logs kept in $BASE"
  exit 1
}

write_conf() {
  local host ncpu mem authtype=auth/munge credtype=cred/munge authinfo=""
  host=$(hostname -s)
  ncpu=$(nproc)
  # RealMemory: 90% of what slurmd detects (MB), so the node is never drained for low memory.
  mem=$(/usr/sbin/slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
  [ -n "$mem" ] || die "'slurmd -C' did not report RealMemory"
  mem=$(( mem * 9 / 10 ))
  if [ "$AUTH" = none ]; then authtype=auth/none; credtype=cred/none
  else authinfo="AuthInfo=socket=$BASE/munge/munge.socket"; fi
  # The node and the controller are addressed as 127.0.0.1, so the host name need not resolve.
  cat > "$SLURM_CONF" <<CONF
# Written by Tests/slurm/cluster.sh: a private single-node cluster under $BASE
ClusterName=bordersim-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=$authtype
CredType=$credtype
$authinfo
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# No slurmdbd, so no sacct: job states and exit codes are logged to a text file.
JobCompType=jobcomp/filetxt
JobCompLoc=$BASE/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Schedule batch jobs as soon as they are submitted or freed (default: up to 3 s later, which
# batches submissions on a busy cluster); cuts the test's array + merge from ~9 s to ~3 s.
SchedulerParameters=batch_sched_delay=0
# A job whose afterok dependency can never be met is cancelled, not left pending for ever.
DependencyParameters=kill_invalid_depend
MailProg=/bin/true
ReturnToService=2
MinJobAge=3600
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool
SlurmctldPidFile=$BASE/run/slurmctld.pid
SlurmdPidFile=$BASE/run/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$ncpu RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  log "wrote $SLURM_CONF (node $host, $ncpu CPUs, ${mem} MB, $authtype, ports $CTLD_PORT/$SLURMD_PORT)"
}

start_munged() {
  local m=$BASE/munge
  getent passwd munge >/dev/null || die "no user 'munge' (is the munge package installed?)"
  install -d -o munge -g munge -m 0755 "$m"   # munged: the socket's directory must be searchable by all
  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile="$m/munge.key" >/dev/null 2>&1 || die "mungekey could not create $m/munge.key"
  else
    dd if=/dev/urandom of="$m/munge.key" bs=1024 count=1 status=none
  fi
  chown munge:munge "$m/munge.key"; chmod 0600 "$m/munge.key"
  # setpriv exec()s munged, so $! is munged's own process id; -F keeps it in the foreground.
  setpriv --reuid=munge --regid=munge --clear-groups /usr/sbin/munged -F \
    --key-file="$m/munge.key" --socket="$m/munge.socket" --pid-file="$m/munged.pid" \
    --seed-file="$m/munged.seed" --log-file="$m/munged.log" \
    > "$BASE/log/munged.out" 2>&1 < /dev/null &
  echo "munged $!" >> "$PIDFILE"
  local i
  for i in $(seq 50); do
    munge -S "$m/munge.socket" -n 2>/dev/null | unmunge -S "$m/munge.socket" >/dev/null 2>&1 && return 0
    kill -0 "$!" 2>/dev/null || break
    sleep 0.2
  done
  [ -f "$m/munged.log" ] && cp "$m/munged.log" "$BASE/log/munged.log"
  start_failed "munged does not answer on $m/munge.socket"
}

do_start() {
  [ "$(id -u)" = 0 ] || die "starting the cluster needs root (slurmd runs jobs as any user; munged runs as 'munge')"
  for d in slurmctld slurmd munged; do installed "$d" || die "$d is not installed: run '$0 install'"; done
  command -v sbatch >/dev/null || die "sbatch is not installed: run '$0 install'"
  local t0; t0=$(now)
  choose_ports
  CREATED=0
  if [ -n "${BORDERSIM_SLURM_BASE:-}" ]; then
    BASE=$BORDERSIM_SLURM_BASE
    if [ ! -d "$BASE" ]; then mkdir -p "$BASE"; CREATED=1; fi
  else
    BASE=$(mktemp -d /tmp/bordersim-slurm.XXXXXX); CREATED=1
  fi
  BASE=$(cd "$BASE" && pwd)
  export SLURM_CONF=$BASE/slurm.conf
  PIDFILE=$BASE/pids
  if [ -s "$PIDFILE" ] && [ -n "$(alive_pids)" ]; then
    die "a cluster is already running in $BASE (process ids in $PIDFILE); stop it first"
  fi
  chmod 0755 "$BASE"          # munged (user munge) must reach BASE/munge
  mkdir -p "$BASE"/{state,spool,log,run}
  [ "$CREATED" = 1 ] && : > "$BASE/.created-by-cluster-sh"
  : > "$PIDFILE"
  [ -z "${BORDERSIM_SLURM_BASE:-}" ] && echo "$BASE" > "$RECORD"
  write_conf

  [ "$AUTH" = none ] || start_munged
  # -c: a fresh controller, no jobs recovered from an earlier run in the same BASE.
  /usr/sbin/slurmctld -D -c -f "$SLURM_CONF" > "$BASE/log/slurmctld.out" 2>&1 < /dev/null &
  echo "slurmctld $!" >> "$PIDFILE"
  local i up=0
  for i in $(seq 100); do
    if scontrol ping 2>/dev/null | grep 'is UP' >/dev/null; then up=1; break; fi
    kill -0 "$!" 2>/dev/null || break
    sleep 0.2
  done
  [ "$up" = 1 ] || start_failed "slurmctld did not come up"
  /usr/sbin/slurmd -D -f "$SLURM_CONF" > "$BASE/log/slurmd.out" 2>&1 < /dev/null &
  echo "slurmd $!" >> "$PIDFILE"
  local st="" deadline
  deadline=$(( $(date +%s) + START_TIMEOUT ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    st=$(sinfo -h -N -o '%t' 2>/dev/null | head -n 1)
    [ "$st" = idle ] && break
    kill -0 "$!" 2>/dev/null || break
    sleep 0.3
  done
  if [ "$st" != idle ]; then
    sinfo -N -l >&2 || true
    start_failed "node not idle after ${START_TIMEOUT} s (state '${st}')"
  fi
  log "cluster up in $(elapsed "$t0") s: BASE=$BASE"
  echo "export SLURM_CONF=$SLURM_CONF"
}

# ---------------------------------------------------------------------------------------------
# stop

# `NAME PID` lines of the pid file whose process is still that daemon (the pid was not reused).
alive_pids() {
  local name pid
  [ -f "$PIDFILE" ] || return 0
  while read -r name pid; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -F -- "$name" >/dev/null; then
      echo "$name $pid"
    fi
  done < "$PIDFILE"
}

# Stop NAME PID NAME PID ... by process id: SIGTERM to all, wait up to 10 s, then SIGKILL.
stop_pids() {
  local names=() pids=() i pid left
  while [ $# -ge 2 ]; do names+=("$1"); pids+=("$2"); shift 2; done
  [ ${#pids[@]} -gt 0 ] || return 0
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for i in $(seq 100); do
    left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ "$left" = 0 ] && break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      kill -9 "${pids[$i]}" 2>/dev/null || true; log "killed ${names[$i]} (${pids[$i]}) with SIGKILL"
    else
      log "stopped ${names[$i]} (${pids[$i]})"
    fi
  done
}

# The daemons of the pid file: slurmd first (while the controller can still hear it), then
# slurmctld and munged together (each takes about 2 s to shut down).
stop_daemons() {
  [ -f "$PIDFILE" ] || return 0
  local alive; alive=$(alive_pids)
  # shellcheck disable=SC2046  # NAME PID pairs, split on purpose
  stop_pids $(echo "$alive" | awk '$1 == "slurmd"')
  # shellcheck disable=SC2046
  stop_pids $(echo "$alive" | awk '$1 != "slurmd"')
  rm -f "$PIDFILE"
}

# Last resort, after the daemons are gone: job processes of this cluster that outlived them: a
# job script under BASE/spool, everything in its session, and its slurmstepd parent.
stop_orphans() {
  local f pid cmd ppid sid p pids=""
  for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    cmd=$(tr '\0' ' ' < "$f" 2>/dev/null) || continue
    [[ $cmd == *"$BASE/spool/"* ]] || continue
    pids="$pids $pid"
    ppid=$(awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null) || ppid=""
    [[ -n $ppid && $(tr '\0' ' ' < "/proc/$ppid/cmdline" 2>/dev/null) == slurmstepd* ]] && pids="$pids $ppid"
    for p in /proc/[0-9]*/stat; do
      sid=$(awk '{ print $6 }' "$p" 2>/dev/null) || continue
      [ "$sid" = "$pid" ] && { p=${p#/proc/}; pids="$pids ${p%/stat}"; }
    done
  done
  [ -n "$pids" ] || return 0
  pids=$(echo $pids | tr ' ' '\n' | sort -un | tr '\n' ' ')
  log "killing job processes left behind by the cluster: $pids"
  kill -9 $pids 2>/dev/null || true
}

do_stop() {
  find_base
  if [ -f "$PIDFILE" ] && alive_pids | grep '^slurmctld ' >/dev/null; then
    # Jobs first, so that no job step outlives the daemons; bounded.
    scancel --quiet -u "$(id -un)" 2>/dev/null || true
    local i
    for i in $(seq 40); do
      [ -z "$(squeue -h -t PD,R,CG,CF,S -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  stop_daemons
  stop_orphans
  if [ -s "$RECORD" ] && [ "$(cat "$RECORD")" = "$BASE" ]; then rm -f "$RECORD"; fi
  if [ "${1:-}" = --purge ] && [ -f "$BASE/.created-by-cluster-sh" ]; then
    rm -rf "$BASE"; log "removed $BASE"
  fi
}

# ---------------------------------------------------------------------------------------------
# wait

# One `ID STATE EXITCODE` line per job or array task of JOBIDS, from the jobcomp file; jobs not
# (yet) there from squeue.
report_states() {
  local ids=" $* " jc=$BASE/log/jobcomp.txt seen
  seen=$( [ -f "$jc" ] && awk -v ids="$ids" '
    {
      delete f
      for (i = 1; i <= NF; i++) { k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v); f[k] = v }
      a = ("ArrayJobId" in f) ? f["ArrayJobId"] : ""
      if (index(ids, " " f["JobId"] " ") || (a != "" && a != "0" && index(ids, " " a " "))) {
        id = (a != "" && a != "0" && f["ArrayTaskId"] != "" && f["ArrayTaskId"] != "4294967294") \
             ? a "_" f["ArrayTaskId"] : f["JobId"]
        print id, f["JobState"], f["ExitCode"], f["JobId"], a
      }
    }' "$jc" || true)
  [ -n "$seen" ] && echo "$seen" | awk '{ print $1, $2, $3 }' | sort -t_ -k1,1n -k2,2n
  local id
  for id in "$@"; do
    if ! echo "$seen" | awk -v id="$id" '$4 == id || $5 == id { f = 1 } END { exit !f }'; then
      squeue -h -t all -j "$id" -o '%i %T -' 2>/dev/null || echo "$id UNKNOWN -"
    fi
  done
}

do_wait() {
  [ $# -ge 2 ] || die "usage: $0 wait JOBID... TIMEOUT"
  local timeout=${!#} ids=("${@:1:$#-1}")
  [[ $timeout =~ ^[0-9]+$ ]] || die "usage: $0 wait JOBID... TIMEOUT (seconds), found timeout '$timeout'"
  find_base
  local list; list=$(IFS=,; echo "${ids[*]}")
  local deadline=$(( $(date +%s) + timeout )) out rc
  while :; do
    rc=0; out=$(squeue -h -t all -j "$list" -o '%i %T' 2>&1) || rc=$?
    if [ "$rc" != 0 ]; then
      # All of the jobs are gone from the controller (older than MinJobAge): nothing pending.
      [[ ${out,,} == *'invalid job id'* ]] || die "squeue failed: $out"
      out=""
    fi
    out=$(echo "$out" | awk '$2 !~ /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|PREEMPTED|BOOT_FAIL|DEADLINE|OUT_OF_MEMORY|REVOKED|SPECIAL_EXIT)$/ && NF')
    [ -z "$out" ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "timeout after $timeout s; still pending or running:"; echo "$out" >&2
      report_states "${ids[@]}"; return 1
    fi
    sleep 0.5
  done
  # The jobcomp line is written as the job ends; give it a moment to appear.
  local i
  for i in $(seq 10); do
    [[ $(report_states "${ids[@]}") == *" -"* ]] || break
    sleep 0.3
  done
  report_states "${ids[@]}"
}

case "${1:-}" in
  install) do_install ;;
  start)   do_start ;;
  stop)    shift; do_stop "$@" ;;
  wait)    shift; do_wait "$@" ;;
  env)     find_base; echo "export SLURM_CONF=$SLURM_CONF" ;;
  *) echo "usage: $0 install | start | env | wait JOBID... TIMEOUT | stop [--purge]" >&2; exit 2 ;;
esac
