# Sourced (not run) by the scripts in this directory, as their first line after `set -euo pipefail`:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# It sources env.sh (CARGO_TARGET_DIR, MERIT_ROOT, MERIT_NODE, ...) and gives what the scripts
# share: the Merit pallets, free loopback ports, background processes stopped at exit, JSON-RPC
# calls and a development node on a free port.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# The script's name, the prefix of its messages (`demo: ...`).
MERIT_SCRIPT="$(basename "$0")"

# ---- pallets ----

# Every Merit pallet, by directory under pallets/ (crate pallet-merit-<name>, pallet_merit_<name>).
MERIT_PALLETS=(artifacts challenges scoring attribution rewards teams campaigns)

# The pallets that have benchmarks (a src/benchmarking.rs), in MERIT_PALLETS' order, one a line.
benchmarked_pallets() {
  local pallet
  for pallet in "${MERIT_PALLETS[@]}"; do
    if [[ -f "$MERIT_ROOT/pallets/$pallet/src/benchmarking.rs" ]]; then echo "$pallet"; fi
  done
}

# ---- processes ----

merit_pids=()
merit_exit_commands=()

# track_pid PID: the process is stopped (and waited for) at exit; see cleanup_on_exit.
track_pid() { merit_pids+=("$1"); }

# on_exit COMMAND: a shell command run at exit, after the tracked processes are stopped.
on_exit() { merit_exit_commands+=("$1"); }

# Stops the tracked processes, waits for them and runs the on_exit commands, once.
merit_cleanup() {
  local pid command
  for pid in ${merit_pids[@]+"${merit_pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${merit_pids[@]+"${merit_pids[@]}"}; do wait "$pid" 2>/dev/null || true; done
  for command in ${merit_exit_commands[@]+"${merit_exit_commands[@]}"}; do eval "$command" || true; done
  merit_pids=()
  merit_exit_commands=()
}

# cleanup_on_exit [SIGNAL...]: runs merit_cleanup when the script exits (and on these signals).
cleanup_on_exit() { trap merit_cleanup EXIT "$@"; }

# ---- network ----

# A free TCP port on 127.0.0.1, drawn from below Linux's ephemeral range (32768 up): the OS hands
# ports from that range to outgoing connections, which could take it before our server binds it.
free_port() {
  python3 -c '
import random, socket
for _ in range(1000):
    port = random.randrange(20000, 32000)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
else:
    raise SystemExit("no free loopback port in 20000..32000")
'
}

# rpc_call PORT|URL METHOD [PARAMS]: a JSON-RPC call over HTTP to 127.0.0.1:PORT, or to a node's
# URL (ws:// or http://, as the client takes it); prints the reply.
rpc_call() {
  local endpoint=$1
  [[ $endpoint =~ ^[0-9]+$ ]] && endpoint="http://127.0.0.1:$endpoint"
  curl -sf -H 'Content-Type: application/json' "${endpoint/#ws/http}" \
    -d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":${3:-[]}}"
}

# wait_for_rpc PORT PID LOG: waits up to 60 s until the node PID answers JSON-RPC on PORT; fails,
# with the end of its LOG, if it exits or does not answer in time.
wait_for_rpc() {
  local port=$1 pid=$2 log=$3 _
  for _ in $(seq 1 120); do
    if rpc_call "$port" system_health >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$MERIT_SCRIPT: merit-node exited; its log:" >&2
      tail -n 40 "$log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "$MERIT_SCRIPT: merit-node gave no JSON-RPC answer on 127.0.0.1:$port within 60 s; its log:" >&2
  tail -n 40 "$log" >&2
  return 1
}

# start_dev_node LOG [MERIT-NODE ARGS...]: starts `merit-node --dev` with JSON-RPC on a free
# loopback port (no Prometheus, mDNS or telemetry), stopped at exit (call cleanup_on_exit), and
# returns once it answers. Sets DEV_NODE_PORT and DEV_NODE_PID.
start_dev_node() {
  local log=$1
  shift
  DEV_NODE_PORT=$(free_port)
  "$MERIT_NODE" --dev --rpc-port "$DEV_NODE_PORT" --no-prometheus --no-mdns --no-telemetry \
    --listen-addr /ip4/127.0.0.1/tcp/0 "$@" >"$log" 2>&1 &
  DEV_NODE_PID=$!
  track_pid "$DEV_NODE_PID"
  wait_for_rpc "$DEV_NODE_PORT" "$DEV_NODE_PID" "$log"
}
