# shellcheck shell=bash
# Sourced by deploy/run-prod. `supervise NAME=COMMAND …` runs each COMMAND (a shell command line) in the
# background and starts again any one that ends, while the others keep running: a dead task worker must not
# stop the site, nor a crashed gunicorn the task worker. A child that ends soon after starting waits longer
# each time before it is started again (1, 2, 4 … SUPERVISE_BACKOFF_CAP seconds), so a wrong setting does not
# spin; one that ran SUPERVISE_STABLE_SECONDS starts again after a second. SIGTERM or Ctrl+C stops them all.
# Needs bash 5.1 or newer (wait -n -p).

SUPERVISE_BACKOFF_CAP=${SUPERVISE_BACKOFF_CAP:-30}
SUPERVISE_STABLE_SECONDS=${SUPERVISE_STABLE_SECONDS:-30}

declare -gA _sv_cmd=() _sv_name_of=() _sv_started=() _sv_fails=()
_sv_pause=""

_sv_start() {
  local name=$1
  bash -c "exec ${_sv_cmd[$name]}" &
  _sv_name_of[$!]=$name
  _sv_started[$name]=$SECONDS
  echo "supervise: 已启动 $name（进程号 $!）" >&2
}

# Sets _sv_delay_s: how long to wait before starting `name` again.
_sv_delay() {
  local name=$1 ran=$((SECONDS - ${_sv_started[$1]})) fails i
  if [ "$ran" -ge "$SUPERVISE_STABLE_SECONDS" ]; then
    _sv_fails[$name]=0
  fi
  fails=$((${_sv_fails[$name]:-0} + 1))
  _sv_fails[$name]=$fails
  _sv_delay_s=1
  for ((i = 1; i < fails && _sv_delay_s < SUPERVISE_BACKOFF_CAP; i++)); do _sv_delay_s=$((_sv_delay_s * 2)); done
  [ "$_sv_delay_s" -le "$SUPERVISE_BACKOFF_CAP" ] || _sv_delay_s=$SUPERVISE_BACKOFF_CAP
}

_sv_stop() {
  trap - INT TERM EXIT
  local pids=("${!_sv_name_of[@]}")
  [ -z "$_sv_pause" ] || pids+=("$_sv_pause")
  echo "supervise: 正在停止全部进程" >&2
  [ ${#pids[@]} -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null || true
  wait || true
  exit 0
}

supervise() {
  local spec name pid status
  for spec in "$@"; do
    name=${spec%%=*}
    _sv_cmd[$name]=${spec#*=}
  done
  trap _sv_stop INT TERM EXIT
  for name in "${!_sv_cmd[@]}"; do _sv_start "$name"; done
  while :; do
    pid="" status=0
    wait -n -p pid "${!_sv_name_of[@]}" || status=$?
    [ -n "$pid" ] && [ -n "${_sv_name_of[$pid]:-}" ] || continue
    name=${_sv_name_of[$pid]}
    unset "_sv_name_of[$pid]"
    _sv_delay "$name"
    echo "supervise: $name（进程号 $pid）已退出（状态 $status），${_sv_delay_s} 秒后重新启动" >&2
    sleep "$_sv_delay_s" &
    _sv_pause=$!
    wait "$_sv_pause" || true # a signal here runs _sv_stop at once
    _sv_pause=""
    _sv_start "$name"
  done
}
