#!/usr/bin/env bash
# A fuzzing campaign measured in CPU time.
#
#   fuzz/campaign.sh [-j WORKERS] [-o OUT] TARGET:MINUTES...
#
# Runs each built target (`RUSTC_BOOTSTRAP=1 cargo fuzz build -s none` first) on one core until
# the fuzzer process itself has used MINUTES of CPU (user + system, read from /proc), then stops
# it with SIGINT so libFuzzer prints its final statistics. WORKERS targets run at once (default:
# the number of cores); list the longest budgets first. Inputs a target finds go to
# OUT/corpus/<target> (the committed corpus only seeds it), crashes to artifacts/<target>/; logs and `/usr/bin/time -v` reports
# go to OUT/logs; OUT/summary.md gets one table row per run, as in fuzz/README.md.
# Budgets are CPU time, so a campaign beside other work takes longer but measures the same.
set -euo pipefail

workers=$(nproc)
out=/tmp/fuzz-campaign
while getopts "j:o:" opt; do
  case $opt in
    j) workers=$OPTARG ;;
    o) out=$OPTARG ;;
    *) echo "usage: $0 [-j WORKERS] [-o OUT] TARGET:MINUTES..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-j WORKERS] [-o OUT] TARGET:MINUTES..." >&2; exit 2; }

cd "$(dirname "$0")"
bin=target/x86_64-unknown-linux-gnu/release
tck=$(getconf CLK_TCK)
mkdir -p "$out/queue" "$out/logs" "$out/corpus"
i=0
for job in "$@"; do
  t=${job%%:*}
  [ -x "$bin/$t" ] || { echo "$bin/$t is not built (RUSTC_BOOTSTRAP=1 cargo fuzz build -s none)" >&2; exit 2; }
  touch "$out/queue/$(printf %03d $i)-$job"
  i=$((i + 1))
done

# One fuzzer until its CPU budget is spent; prints nothing, writes OUT/logs/<target>.{log,time}.
run_one() {
  local t=$1 minutes=$2 seed=corpus/$1 pid limit ticks
  # flow_driver_real has no corpus of its own: it replays what flow_driver grew.
  [ "$t" = flow_driver_real ] && seed=corpus/flow_driver
  mkdir -p "$out/corpus/$t" "artifacts/$t"
  /usr/bin/time -v -o "$out/logs/$t.time" "$bin/$t" "$out/corpus/$t" "$seed" \
    -artifact_prefix="artifacts/$t/" -dict=dict/cognito.dict -print_final_stats=1 -max_total_time=1000000 \
    >"$out/logs/$t.log" 2>&1 &
  local timer=$!
  pid=""
  for _ in $(seq 1 30); do
    sleep 1
    pid=$(pgrep -P "$timer" | head -1 || true)
    [ -n "$pid" ] && break
  done
  if [ -z "$pid" ]; then
    kill "$timer" 2>/dev/null || true
    echo "$t: the fuzzer did not start" >&2
    return
  fi
  limit=$(awk -v m="$minutes" -v t="$tck" 'BEGIN { print int(m * 60 * t) }')
  while kill -0 "$pid" 2>/dev/null; do
    ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    if [ "${ticks:-0}" -ge "$limit" ]; then
      kill -INT "$pid" 2>/dev/null || true
      break
    fi
    sleep 5
  done
  wait "$timer" || true
}

# A worker takes queued jobs (an atomic rename claims one) until none is left.
worker() {
  local job claimed
  while true; do
    job=$(ls "$out/queue" | sort | head -1)
    [ -n "$job" ] || return 0
    claimed="$out/logs/claimed-$job"
    mv "$out/queue/$job" "$claimed" 2>/dev/null || continue
    job=${job#*-}
    echo "$(date +%T) start ${job%%:*} (${job##*:} CPU minutes)"
    run_one "${job%%:*}" "${job##*:}"
    echo "$(date +%T) done  ${job%%:*}"
  done
}

for _ in $(seq 1 "$workers"); do worker & done
wait

field() { grep -o "$1: [0-9]*" <<<"$2" | awk '{ print $2 }'; }

# One row per target: CPU minutes, executions, inputs per CPU-second, cov and ft at start -> end,
# findings.
{
  echo "| Target | CPU min | Executions | inputs per CPU-second | \`cov:\` | \`ft:\` | Findings |"
  echo "|---|---|---|---|---|---|---|"
  for log in "$out"/logs/*.log; do
    t=$(basename "$log" .log)
    seconds=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$out/logs/$t.time")
    cpu=$(awk -v s="$seconds" 'BEGIN { printf "%.1f", s / 60 }')
    runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
    rate=$(awk -v r="${runs:-0}" -v s="$seconds" 'BEGIN { if (s > 0) printf "%d", r / s }')
    first=$(grep -a -m1 'INITED' "$log" || true)
    last=$(grep -a 'cov:' "$log" | tail -1)
    if grep -a -q -E '^==[0-9]+== ERROR|panicked at|deadly signal' "$log"; then
      findings="see logs/$t.log and artifacts/$t/"
    else
      findings=none
    fi
    echo "| \`$t\` | $cpu | $runs | $rate | $(field cov "$first") → $(field cov "$last") | $(field ft "$first") → $(field ft "$last") | $findings |"
  done
} >"$out/summary.md"
cat "$out/summary.md"
