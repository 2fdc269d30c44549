#!/usr/bin/env bash
# The README's results matrix: each configuration of `metastore bench` run REPS times (3 by default), printing the
# median throughput, p50 and p99 of each (each figure's own median), so one noisy run does not decide a figure.
#
# Run from the repository root:  benchmarks/run-matrix.sh        (METASTORE_NO_BUILD=1 to skip the launcher's build)
#
# Environment:
#   REPS=3             runs per configuration
#   DURATION=4         seconds measured per run
#   WARMUP_1=5000      warm-up requests with 1 in flight (a 3-node cluster does ~3k/s there)
#   WARMUP_N=100000    warm-up requests with more in flight (a run at a --rate warms up unpaced too)
#   RUN_TIMEOUT=120    seconds before a run is given up (needs `timeout`)
#   ONLY=pattern       run only the configurations whose label matches this extended regex
#   RAW=file           also append each run's JSON line to this file
# Every other argument is passed to each run (e.g. --val-size 64).
#
# 30 configurations x 3 runs: about 10 minutes. The figures are noisy on a shared box: compare within one run
# of this script, and note what else was running (the load average is printed before and after).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

reps="${REPS:-3}"
duration="${DURATION:-4}"
warmup_1="${WARMUP_1:-5000}"
warmup_n="${WARMUP_N:-100000}"
run_timeout="${RUN_TIMEOUT:-120}"
only="${ONLY:-}"
raw="${RAW:-}"
extra=("$@")

timeout_cmd=()
if command -v timeout > /dev/null 2>&1; then
    timeout_cmd=(timeout "$run_timeout")
fi

# The value of a numeric JSON field, the first occurrence in the line; the bench's JSON is one line.
field()
{
    local line="$1" name="$2"
    printf '%s\n' "$line" | sed -n "s/.*\"$name\":\\([-0-9.eE+]*\\).*/\\1/p" | head -1
}

median()
{
    if [[ $# -eq 0 ]]; then
        echo "n/a"
        return
    fi
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

header_printed=0

# run LABEL WORKLOAD CLIENTS NODES ARGS...
run()
{
    local label="$1" workload="$2" clients="$3" nodes="$4"
    shift 4
    if [[ -n "$only" ]] && ! [[ "$label" =~ $only ]]; then
        return
    fi
    local warmup="$warmup_n"
    if [[ "$clients" -eq 1 ]]; then
        warmup="$warmup_1"
    fi

    local throughputs=() p50s=() p99s=() failed=0 errors
    errors="$(mktemp)"
    for ((i = 1; i <= reps; i++)); do
        local out line status
        out="$("${timeout_cmd[@]}" ./metastore bench "$workload" --clients "$clients" --nodes "$nodes" \
            --duration "$duration" --warmup "$warmup" --no-progress -w json "$@" "${extra[@]}" 2> "$errors")"
        status=$?
        line="$(printf '%s\n' "$out" | grep '"throughput_ops_s"' | tail -1)"
        if [[ -z "$line" ]]; then
            failed=$((failed + 1))
            echo "# $label: run $i failed (exit $status): $(grep -v '^\s*at ' "$errors" | tail -2 | tr '\n' ' ')" >&2
            continue
        fi
        if [[ -n "$raw" ]]; then
            printf '%s\t%s\n' "$label" "$line" >> "$raw"
        fi
        throughputs+=("$(field "$line" throughput_ops_s)")
        p50s+=("$(field "$line" p50)")
        p99s+=("$(field "$line" p99)")
    done

    rm -f "$errors"

    if [[ "$header_printed" -eq 0 ]]; then
        header_printed=1
        printf '%-58s %12s %10s %10s %s\n' "configuration" "ops/s" "p50 us" "p99 us" "runs"
    fi
    local throughput
    throughput="$(median "${throughputs[@]}")"
    if [[ "$throughput" != "n/a" ]]; then
        throughput="$(printf '%.0f' "$throughput")"
    fi
    printf '%-58s %12s %10s %10s %s\n' "$label" "$throughput" "$(median "${p50s[@]}")" "$(median "${p99s[@]}")" \
        "$((reps - failed))/$reps"
}

echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc 2> /dev/null || echo '?') cores, load: $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null)"
echo "# medians of $reps runs of $duration s; warm-up $warmup_1 (1 in flight) / $warmup_n requests, unpaced;" \
    "key 16 B, value 256 B"

declare -A batching=(
    [a]="--client-batch 1 --log-fragment-limit 50"
    [b]="--log-fragment-limit 50"
    [c]="--client-batch 1 --log-fragment-limit 1000"
    [d]=""
)
declare -A batching_name=(
    [a]="batching off"
    [b]="client coalescing only"
    [c]="log fragment limit 1000 only"
    [d]="defaults (everything on)"
)

for nodes in 1 3; do
    for clients in 1 100; do
        for config in a b c d; do
            # shellcheck disable=SC2086
            run "put ${nodes}n ${clients} in flight, (${config}) ${batching_name[$config]}" put "$clients" "$nodes" \
                ${batching[$config]}
        done
    done
done
run "put 3n 100 in flight, fsync" put 100 3 --fsync
run "range 1n 100 in flight" range 100 1
run "put 1n 1 in flight, idle LOW_LATENCY" put 1 1 --idle LOW_LATENCY
run "lease-put 1n 100 in flight" lease-put 100 1
run "txn-put 1n 100 in flight" txn-put 100 1
# The client on the leader's media driver by IPC, as an application on the node's machine would connect (with three
# nodes it needs the leader to stay leader for the run: IPC cannot follow a leader to another machine).
run "put 1n 1 in flight, IPC" put 1 1 --ipc
run "put 1n 100 in flight, IPC" put 100 1 --ipc
run "put 3n 100 in flight, IPC to the leader" put 100 3 --ipc
run "range 1n 100 in flight, IPC" range 100 1 --ipc
run "lease-put 1n 100 in flight, IPC" lease-put 100 1 --ipc
run "txn-put 1n 100 in flight, IPC" txn-put 100 1 --ipc
# Light load, open loop: latency from each request's intended send time, 10 clients so one slow request does not
# hold up the next.
run "put 1n 1000/s open loop, 10 clients" put 10 1 --rate 1000
run "put 1n 1000/s open loop, 10 clients, idle LOW_LATENCY" put 10 1 --rate 1000 --idle LOW_LATENCY
run "put 1n 1000/s open loop, 10 clients, IPC" put 10 1 --rate 1000 --ipc

echo "# done $(date -u '+%H:%M:%S UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null)"
