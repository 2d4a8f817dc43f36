#!/usr/bin/env bash
# Throughput, latency and memory of qapps-local, measured against nginx serving the same answer
# as a static file, in the same run, on the same machine, with the same load generator (wrk):
#   bash bench/run.sh
#   BENCH_SECONDS=30 BENCH_CONNECTIONS=128 bash bench/run.sh
# Run on demand only: it is not part of CTest or CI. What it prints and how to read it:
# bench/README.md.
#
# Settings (environment):
#   BENCH_SECONDS      length of each timed run                      default 10
#   BENCH_ROUNDS       rounds of runs, alternating the servers       default 3 (figures: medians)
#   BENCH_WARMUP       untimed run before each timed one, seconds    default 1 (0: none)
#   BENCH_CONNECTIONS  wrk connections                               default 64
#   BENCH_WRK_THREADS  wrk threads                                   default 2
#   BENCH_WORKERS      qapps-local --threads = nginx worker_processes default the number of CPUs
#   BENCH_MIXED        1: also the scenario with 5% 404 answers      default 1
#   BENCH_BIN          the qapps-local to measure                    default build/server/qapps-local
#   BENCH_KEEP         1: keep the temporary folder (configs, logs)   default 0
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

BENCH_SECONDS="${BENCH_SECONDS:-10}"
BENCH_WARMUP="${BENCH_WARMUP:-1}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-64}"
BENCH_WRK_THREADS="${BENCH_WRK_THREADS:-2}"
BENCH_WORKERS="${BENCH_WORKERS:-$(nproc)}"
BENCH_ROUNDS="${BENCH_ROUNDS:-3}"
BENCH_MIXED="${BENCH_MIXED:-1}"
BENCH_KEEP="${BENCH_KEEP:-0}"

# The benchmarked call: the demo session of the key `test` (README, Demo fixtures), signed with a
# well-formed SigV4 header. The default lenient auth checks its shape, not its signature.
INSTANCE_ID="demo-instance"
SESSION_ID="6e7f8091-a2b3-4c4d-9e5f-60718293a4b5"
MISSING_SESSION_ID="00000000-0000-4000-8000-000000000000"  # for the 5% of 404s
AUTHORIZATION="AWS4-HMAC-SHA256 Credential=test/20261204/us-east-1/qapps/aws4_request, SignedHeaders=host;instance-id;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
AMZ_DATE="20261204T120000Z"
OPERATION_PATH="/runtime.getQAppSessionMetadata"
FOUND_TARGET="$OPERATION_PATH?sessionId=$SESSION_ID"
MISSING_TARGET="$OPERATION_PATH?sessionId=$MISSING_SESSION_ID"

bench_die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

for setting in BENCH_SECONDS BENCH_ROUNDS BENCH_WARMUP BENCH_CONNECTIONS BENCH_WRK_THREADS BENCH_WORKERS; do
    [[ "${!setting}" =~ ^[0-9]+$ ]] || bench_die "$setting=${!setting} is not a whole number"
done
[ "$BENCH_SECONDS" -ge 1 ] || bench_die "BENCH_SECONDS must be at least 1"
[ "$BENCH_ROUNDS" -ge 1 ] || bench_die "BENCH_ROUNDS must be at least 1"
[ "$BENCH_WORKERS" -ge 1 ] || bench_die "BENCH_WORKERS must be at least 1"
[ "$BENCH_WRK_THREADS" -ge 1 ] || bench_die "BENCH_WRK_THREADS must be at least 1"
[ "$BENCH_CONNECTIONS" -ge "$BENCH_WRK_THREADS" ] ||
    bench_die "BENCH_CONNECTIONS must be at least BENCH_WRK_THREADS ($BENCH_WRK_THREADS)"

# --- tools -------------------------------------------------------------------------------------

# nginx lives in /usr/sbin, which a normal user's PATH may lack.
find_nginx() {
    command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }
}

ensure_tools() {
    local missing=()
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    find_nginx >/dev/null || missing+=(nginx)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        bench_die "needs ${missing[*]} (Debian packages). As root: apt-get install -y wrk nginx curl; then run this again"
    fi
    # Note: Debian's nginx package may start the system nginx on port 80; this script uses its own.
    qapps_step "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -q ||
        printf 'bench: warning: apt-get update failed; trying the install anyway\n' >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        bench_die "apt-get install -y ${missing[*]} failed (output above)"
}

# Sets QAPPS_BIN: $BENCH_BIN, else the Release build in build/, else a Release build made here in
# build-bench/ (without the tests).
find_qapps_binary() {
    if [ -n "${BENCH_BIN:-}" ]; then
        [ -x "$BENCH_BIN" ] || bench_die "BENCH_BIN=$BENCH_BIN is not an executable"
        QAPPS_BIN="$BENCH_BIN"
        return 0
    fi
    local build_type=""
    if [ -f "$QAPPS_ROOT/build/CMakeCache.txt" ]; then
        build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$QAPPS_ROOT/build/CMakeCache.txt")"
    fi
    if [ -x "$QAPPS_ROOT/build/server/qapps-local" ] && [ "$build_type" = "Release" ]; then
        QAPPS_BIN="$QAPPS_ROOT/build/server/qapps-local"
    else
        local dir="$QAPPS_ROOT/build-bench"
        qapps_step "no Release build in build/ (type '${build_type:-none}'): building $dir"
        cmake -S "$QAPPS_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >&2 ||
            bench_die "cmake could not configure $dir (output above)"
        cmake --build "$dir" -j"$(nproc)" --target qapps-local >&2 ||
            bench_die "the build failed (output above)"
        QAPPS_BIN="$dir/server/qapps-local"
    fi
    local newer
    newer="$(find "$QAPPS_ROOT/server" "$QAPPS_ROOT/storage" -newer "$QAPPS_BIN" \
                  \( -name '*.cpp' -o -name '*.hpp' \) -print -quit)"
    if [ -n "$newer" ]; then
        printf 'bench: warning: %s is older than %s: rebuild it to measure the current code\n' \
            "$QAPPS_BIN" "${newer#"$QAPPS_ROOT"/}" >&2
    fi
}

# --- processes ---------------------------------------------------------------------------------

STARTED_PIDS=()
BENCH_TMP=""

cleanup() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${STARTED_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ -n "$BENCH_TMP" ]; then
        if [ "$BENCH_KEEP" = 1 ]; then
            printf 'bench: kept %s\n' "$BENCH_TMP" >&2
        else
            rm -rf "$BENCH_TMP"
        fi
    fi
}

forget_pid() {
    local pid kept=()
    for pid in "${STARTED_PIDS[@]}"; do
        [ "$pid" = "$1" ] || kept+=("$pid")
    done
    STARTED_PIDS=("${kept[@]}")
}

# stop_process PID SIGNAL: signals a process this script started and waits for it to exit.
stop_process() {
    local pid="$1" signal="$2" status=0
    kill "-$signal" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || status=$?
    forget_pid "$pid"
    return "$status"
}

# A port nobody listens on now (something else may take it before we do: the callers check).
free_port() {
    local port attempt
    for attempt in $(seq 1 50); do
        port=$((20000 + (RANDOM * 32768 + RANDOM + attempt) % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    bench_die "found no free TCP port"
}

# start_qapps NAME LOG_LEVEL: starts qapps-local on a free port with the demo fixtures; sets
# QAPPS_PID and QAPPS_PORT. Its stdout (the access log) goes to $BENCH_TMP/NAME.out.
start_qapps() {
    local name="$1" level="$2" out="$BENCH_TMP/$1.out" err="$BENCH_TMP/$1.err" waited
    "$QAPPS_BIN" --port 0 --fixtures "$QAPPS_ROOT/fixtures" --threads "$BENCH_WORKERS" \
        --log-level "$level" >"$out" 2>"$err" &
    QAPPS_PID=$!
    STARTED_PIDS+=("$QAPPS_PID")
    QAPPS_PORT=""
    for waited in $(seq 1 100); do
        QAPPS_PORT="$(sed -n '1s|^qapps-local listening on http://[^:]*:\([0-9]*\)$|\1|p' "$out")"
        [ -n "$QAPPS_PORT" ] && return 0
        kill -0 "$QAPPS_PID" 2>/dev/null ||
            bench_die "qapps-local ($name) exited at start: $(cat "$err")"
        [ "$waited" -lt 100 ] && sleep 0.1
    done
    bench_die "qapps-local ($name) did not say it was listening within 10 s: $(cat "$err")"
}

# start_nginx: nginx as the reference, with its own configuration and prefix in $BENCH_TMP (no
# system configuration; root is not needed). Sets NGINX_PID (the master) and NGINX_PORT.
start_nginx() {
    local prefix="$BENCH_TMP/nginx" user_line="" attempt waited
    mkdir -p "$prefix/www" "$prefix/temp"
    cp "$BENCH_TMP/found.json" "$prefix/www/session.json"
    cp "$BENCH_TMP/missing.json" "$prefix/www/missing.json"
    if [ "$(id -u)" -eq 0 ]; then
        # A master started as root hands its workers to an unprivileged user; they must be able
        # to read the files.
        user_line="user nobody $(id -gn nobody);"
        chmod 755 "$BENCH_TMP" "$prefix" "$prefix/www"
        chmod 644 "$prefix/www/"*.json
    fi
    for attempt in 1 2 3 4 5; do
        NGINX_PORT="$(free_port)"
        # keepalive_requests is raised from its default of 1000 so that nginx, like qapps-local,
        # keeps each connection for the whole run; sendfile and tcp_nopush as Debian's own
        # nginx.conf has them; no open_file_cache: every request opens the file.
        cat >"$prefix/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes $BENCH_WORKERS;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000000;
    types { application/json json; }
    default_type application/json;
    client_body_temp_path $prefix/temp/body;
    proxy_temp_path $prefix/temp/proxy;
    fastcgi_temp_path $prefix/temp/fastcgi;
    uwsgi_temp_path $prefix/temp/uwsgi;
    scgi_temp_path $prefix/temp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $prefix/www;
        location = $OPERATION_PATH {
            if (\$arg_sessionId = "$MISSING_SESSION_ID") { return 404; }
            try_files /session.json =500;
        }
        error_page 404 /missing.json;
        location = /missing.json { internal; }
    }
}
EOF
        "$NGINX" -e "$prefix/error.log" -p "$prefix" -c "$prefix/nginx.conf" \
            >"$prefix/stdout.log" 2>&1 &
        NGINX_PID=$!
        STARTED_PIDS+=("$NGINX_PID")
        for waited in $(seq 1 50); do
            if curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT$FOUND_TARGET"; then
                return 0
            fi
            kill -0 "$NGINX_PID" 2>/dev/null || break
            sleep 0.1
        done
        stop_process "$NGINX_PID" QUIT || true
        grep -q 'Address already in use' "$prefix/error.log" 2>/dev/null ||
            bench_die "nginx did not start: $(tail -n 5 "$prefix/error.log" 2>/dev/null)"
    done
    bench_die "nginx found no free port in 5 attempts"
}

# nginx's master and its workers.
nginx_pids() {
    echo "$NGINX_PID"
    ps -o pid= --ppid "$NGINX_PID" | tr -d ' '
}

# cpu_ticks PID...: user + system CPU time used so far by these processes, in clock ticks.
cpu_ticks() {
    local pid total=0 stat fields
    for pid in "$@"; do
        stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
        # Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
        read -r -a fields <<<"${stat##*) }"
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}

# status_kib PID FIELD: a line of /proc/PID/status (VmRSS, VmHWM), in KiB.
status_kib() {
    awk -v field="$2:" '$1 == field { print $2 }' "/proc/$1/status"
}

# --- checks ------------------------------------------------------------------------------------

# ask PORT TARGET OUT_BODY: sends the benchmarked request once; prints "STATUS CONTENT_TYPE".
ask() {
    curl -s -o "$3" -w '%{http_code} %{content_type}' \
        -H "Authorization: $AUTHORIZATION" -H "X-Amz-Date: $AMZ_DATE" \
        -H "instance-id: $INSTANCE_ID" "http://127.0.0.1:$1$2"
}

# expect_answer WHAT PORT TARGET STATUS BODY_FILE: the request answers STATUS, as JSON, with
# exactly the bytes of BODY_FILE.
expect_answer() {
    local what="$1" got body="$BENCH_TMP/check.body"
    got="$(ask "$2" "$3" "$body")" || bench_die "$what: no answer from port $2"
    [ "$got" = "$4 application/json" ] ||
        bench_die "$what: expected '$4 application/json', got '$got': $(head -c 300 "$body")"
    cmp -s "$body" "$5" ||
        bench_die "$what: the body differs from the expected one: $(head -c 300 "$body")"
}

# Fetches the two answers from qapps-local, checks they are what the README promises, and
# keeps them (found.json, missing.json) for nginx to serve and for later checks.
fetch_expected_answers() {
    local got
    got="$(ask "$QAPPS_PORT" "$FOUND_TARGET" "$BENCH_TMP/found.json")" ||
        bench_die "qapps-local does not answer on port $QAPPS_PORT"
    [ "$got" = "200 application/json" ] ||
        bench_die "expected '200 application/json' from qapps-local, got '$got': $(head -c 300 "$BENCH_TMP/found.json")"
    local fragment
    for fragment in "\"sessionId\":\"$SESSION_ID\"" '"sessionName":"SDK sandbox"' \
                    '"sessionOwner":true' '"sharingConfiguration":{"enabled":true}'; do
        grep -qF "$fragment" "$BENCH_TMP/found.json" ||
            bench_die "qapps-local's answer lacks $fragment: $(cat "$BENCH_TMP/found.json")"
    done
    got="$(ask "$QAPPS_PORT" "$MISSING_TARGET" "$BENCH_TMP/missing.json")" || true
    if [ "$got" != "404 application/json" ] ||
        ! grep -qF '"resourceType":"QAppSession"' "$BENCH_TMP/missing.json"; then
        bench_die "expected a 404 ResourceNotFoundException from qapps-local, got '$got': $(head -c 300 "$BENCH_TMP/missing.json")"
    fi
}

# --- load --------------------------------------------------------------------------------------

# The wrk scripts: the request's headers, and a done() that prints one machine-readable line.
write_wrk_scripts() {
    local common="$BENCH_TMP/common.lua"
    cat >"$common" <<EOF
wrk.headers["Authorization"] = "$AUTHORIZATION"
wrk.headers["X-Amz-Date"] = "$AMZ_DATE"
wrk.headers["instance-id"] = "$INSTANCE_ID"

done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
        latency.max, e.connect, e.read, e.write, e.timeout, e.status))
end
EOF
    # Every request the same: wrk builds it once (no request() function, nothing per request).
    cp "$common" "$BENCH_TMP/found.lua"
    # One request in 20 (per wrk thread) for a session that does not exist: a 404.
    { cat "$common"; cat <<EOF
local found, missing
local sent = 0
init = function(args)
    found = wrk.format(nil, "$FOUND_TARGET")
    missing = wrk.format(nil, "$MISSING_TARGET")
end
request = function()
    sent = sent + 1
    if sent % 20 == 0 then return missing end
    return found
end
EOF
    } >"$BENCH_TMP/mixed.lua"
}

# Per row, one sample per round, space-separated.
declare -A RPS P50 P99 CPU_US LABEL

# measure ROW LABEL PORT SCRIPT EXPECTED_404_SHARE PID...: a warm-up, then the timed wrk run;
# fails on any socket error, timeout or unexpected status. Adds this round's sample to the row.
measure() {
    local row="$1" label="$2" port="$3" script="$4" share="$5"
    shift 5
    local url="http://127.0.0.1:$port$FOUND_TARGET" out="$BENCH_TMP/wrk-$row-$ROUND.txt"
    local wrk_base=(wrk -t"$BENCH_WRK_THREADS" -c"$BENCH_CONNECTIONS" --latency -s "$script")
    qapps_step "round $ROUND/$BENCH_ROUNDS, $label: ${BENCH_WARMUP} s warm-up, ${BENCH_SECONDS} s measured"
    if [ "$BENCH_WARMUP" -gt 0 ]; then
        "${wrk_base[@]}" -d"${BENCH_WARMUP}s" "$url" >/dev/null ||
            bench_die "$label: wrk failed during the warm-up"
    fi
    local ticks_before ticks_after
    ticks_before="$(cpu_ticks "$@")"
    "${wrk_base[@]}" -d"${BENCH_SECONDS}s" "$url" >"$out" 2>&1 ||
        bench_die "$label: wrk failed: $(cat "$out")"
    ticks_after="$(cpu_ticks "$@")"

    local line
    line="$(grep '^BENCH ' "$out")" || bench_die "$label: no summary from wrk: $(cat "$out")"
    local -A f
    local pairs pair
    read -r -a pairs <<<"${line#BENCH }"
    for pair in "${pairs[@]}"; do f[${pair%%=*}]="${pair#*=}"; done

    [ "${f[requests]}" -gt 0 ] || bench_die "$label: no request completed: $(cat "$out")"
    local socket_errors=$((f[connect] + f[read] + f[write] + f[timeout]))
    [ "$socket_errors" -eq 0 ] ||
        bench_die "$label: socket errors (connect ${f[connect]}, read ${f[read]}, write ${f[write]}, timeout ${f[timeout]}):
$(cat "$out")"
    if [ "$share" = 0 ]; then
        [ "${f[status]}" -eq 0 ] ||
            bench_die "$label: ${f[status]} non-2xx answers:
$(cat "$out")"
    else
        # Requests still in flight when wrk stops were sent but not counted: allow for them.
        local expected=$((f[requests] / 20)) slack=$((2 * BENCH_CONNECTIONS + 2))
        local diff=$((f[status] - expected))
        [ "${diff#-}" -le "$slack" ] ||
            bench_die "$label: ${f[status]} non-2xx answers, expected about $expected (5%):
$(cat "$out")"
    fi

    LABEL[$row]="$label"
    RPS[$row]+=" $(awk -v n="${f[requests]}" -v us="${f[duration_us]}" 'BEGIN { printf "%.0f", n / (us / 1e6) }')"
    P50[$row]+=" ${f[p50_us]}"
    P99[$row]+=" ${f[p99_us]}"
    CPU_US[$row]+=" $(awk -v t=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" \
        -v n="${f[requests]}" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')"
}

# --- report ------------------------------------------------------------------------------------

# median SAMPLE...
median() {
    printf '%s\n' "$@" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratios "A1 A2 ..." "B1 B2 ...": the per-round ratios A/B, as "median" or "median (min-max)".
ratios() {
    local -a a b
    read -r -a a <<<"$1"
    read -r -a b <<<"$2"
    local i values=()
    for i in "${!a[@]}"; do
        values+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.3f", (y > 0 ? x / y : 0) }')")
    done
    local mid
    mid="$(median "${values[@]}")"
    if [ ${#values[@]} -eq 1 ]; then
        awk -v m="$mid" 'BEGIN { printf "%.2f", m }'
    else
        printf '%s\n' "${values[@]}" | sort -g |
            awk -v m="$mid" '{ v[NR] = $1 } END { printf "%.2f (%.2f-%.2f)", m, v[1], v[NR] }'
    fi
}

millis() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
mib() { awk -v kib="$1" 'BEGIN { printf "%.1f", kib / 1024 }'; }

# print_rows REFERENCE ROW...: one line per row (medians over the rounds), with the ratios
# against REFERENCE (the median of the per-round ratios, and their range).
print_rows() {
    local reference="$1" row
    shift
    printf '%-29s %8s %7s %7s %7s %18s %18s\n' "" "req/s" "p50 ms" "p99 ms" "CPU us" \
        "req/s ratio" "p99 ratio"
    local rps_ratio p99_ratio
    for row in "$@"; do
        rps_ratio="reference"
        p99_ratio="reference"
        if [ "$row" != "$reference" ]; then
            rps_ratio="$(ratios "${RPS[$row]}" "${RPS[$reference]}")"
            p99_ratio="$(ratios "${P99[$row]}" "${P99[$reference]}")"
        fi
        # shellcheck disable=SC2086 # the sample lists are meant to split into words
        printf '%-29s %8.0f %7s %7s %7.1f %18s %18s\n' "${LABEL[$row]}" \
            "$(median ${RPS[$row]})" "$(millis "$(median ${P50[$row]})")" \
            "$(millis "$(median ${P99[$row]})")" "$(median ${CPU_US[$row]})" \
            "$rps_ratio" "$p99_ratio"
    done
}

# Ticks the hypervisor gave to others while we wanted the CPU (the 8th value of /proc/stat's
# "cpu" line), and all ticks: a busy neighbour shows here.
steal_and_total_ticks() {
    awk '$1 == "cpu" { total = 0; for (i = 2; i <= NF; i++) total += $i; print $9, total; exit }' /proc/stat
}

# --- main --------------------------------------------------------------------------------------

ensure_tools
NGINX="$(find_nginx)"
find_qapps_binary
BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/qapps-bench.XXXXXX")"
trap cleanup EXIT
trap 'exit 130' INT TERM
write_wrk_scripts

RUNS_PER_ROUND=$((3 + (BENCH_MIXED == 1 ? 2 : 0)))
qapps_step "about $((BENCH_ROUNDS * RUNS_PER_ROUND * (BENCH_SECONDS + BENCH_WARMUP))) s of load: $BENCH_ROUNDS round(s) of $RUNS_PER_ROUND runs"
qapps_step "qapps-local: $QAPPS_BIN, --threads $BENCH_WORKERS, --log-level warn"
start_qapps quiet warn
QUIET_PID="$QAPPS_PID"
QUIET_PORT="$QAPPS_PORT"
QUIET_START_RSS="$(status_kib "$QUIET_PID" VmRSS)"
fetch_expected_answers
expect_answer "qapps-local (again)" "$QUIET_PORT" "$FOUND_TARGET" 200 "$BENCH_TMP/found.json"

# The access log on: one line per request, written to a file (as with `> server.log`).
qapps_step "qapps-local: the same, with --log-level info (access log to a file)"
start_qapps logged info
LOGGED_PID="$QAPPS_PID"
LOGGED_PORT="$QAPPS_PORT"
expect_answer "qapps-local (access log on)" "$LOGGED_PORT" "$FOUND_TARGET" 200 "$BENCH_TMP/found.json"

qapps_step "nginx: $NGINX, worker_processes $BENCH_WORKERS, serving the same answer as a static file"
start_nginx
expect_answer "nginx" "$NGINX_PORT" "$FOUND_TARGET" 200 "$BENCH_TMP/found.json"
expect_answer "nginx (404)" "$NGINX_PORT" "$MISSING_TARGET" 404 "$BENCH_TMP/missing.json"
mapfile -t NGINX_ALL < <(nginx_pids)

# The runs alternate, round after round, so that a slow spell of the machine hits all of them.
read -r STEAL_BEFORE TOTAL_BEFORE <<<"$(steal_and_total_ticks)"
for ((ROUND = 1; ROUND <= BENCH_ROUNDS; ROUND++)); do
    measure nginx "nginx, static file" "$NGINX_PORT" "$BENCH_TMP/found.lua" 0 "${NGINX_ALL[@]}"
    measure quiet "qapps-local, access log off" "$QUIET_PORT" "$BENCH_TMP/found.lua" 0 "$QUIET_PID"
    measure logged "qapps-local, access log on" "$LOGGED_PORT" "$BENCH_TMP/found.lua" 0 "$LOGGED_PID"
    if [ "$BENCH_MIXED" = 1 ]; then
        measure nginx_mixed "nginx, static file + 5% 404" "$NGINX_PORT" "$BENCH_TMP/mixed.lua" 1 \
            "${NGINX_ALL[@]}"
        measure quiet_mixed "qapps-local, log off, 5% 404" "$QUIET_PORT" "$BENCH_TMP/mixed.lua" 1 \
            "$QUIET_PID"
    fi
done
read -r STEAL_AFTER TOTAL_AFTER <<<"$(steal_and_total_ticks)"

expect_answer "qapps-local (after the runs)" "$QUIET_PORT" "$FOUND_TARGET" 200 "$BENCH_TMP/found.json"
expect_answer "qapps-local, access log on (after the runs)" "$LOGGED_PORT" "$FOUND_TARGET" 200 \
    "$BENCH_TMP/found.json"
QUIET_RSS="$(status_kib "$QUIET_PID" VmRSS)"
QUIET_HWM="$(status_kib "$QUIET_PID" VmHWM)"
LOGGED_RSS="$(status_kib "$LOGGED_PID" VmRSS)"
LOGGED_HWM="$(status_kib "$LOGGED_PID" VmHWM)"
NGINX_MASTER_RSS="$(status_kib "$NGINX_PID" VmRSS)"
NGINX_WORKER_RSS=0
NGINX_WORKER_HWM=0
for pid in "${NGINX_ALL[@]:1}"; do
    NGINX_WORKER_RSS=$((NGINX_WORKER_RSS + $(status_kib "$pid" VmRSS)))
    NGINX_WORKER_HWM=$((NGINX_WORKER_HWM + $(status_kib "$pid" VmHWM)))
done
stop_process "$QUIET_PID" TERM || bench_die "qapps-local (log off) did not exit cleanly on SIGTERM"
stop_process "$LOGGED_PID" TERM || bench_die "qapps-local (access log on) did not exit cleanly on SIGTERM"
stop_process "$NGINX_PID" QUIT || true
LOG_LINES="$(($(wc -l <"$BENCH_TMP/logged.out") - 1))"
LOG_BYTES="$(stat -c %s "$BENCH_TMP/logged.out")"

# --- the figures -------------------------------------------------------------------------------

echo
echo "qapps-local vs nginx serving the same answer as a static file, measured in the same run"
printf '  machine: %s CPUs (%s), shared by the servers and wrk; %s\n' "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$(uname -sr)"
printf '  load: wrk -t%s -c%s, keep-alive; %s s per run after a %s s warm-up; %s round(s), alternating\n' \
    "$BENCH_WRK_THREADS" "$BENCH_CONNECTIONS" "$BENCH_SECONDS" "$BENCH_WARMUP" "$BENCH_ROUNDS"
printf '  servers: %s worker thread(s)/process(es) each; CPU time stolen by the hypervisor: %s%%\n' \
    "$BENCH_WORKERS" "$(awk -v s=$((STEAL_AFTER - STEAL_BEFORE)) -v t=$((TOTAL_AFTER - TOTAL_BEFORE)) \
        'BEGIN { printf "%.1f", (t > 0 ? 100 * s / t : 0) }')"
printf '  request: GET %s, %s bytes of JSON answered\n' "$FOUND_TARGET" \
    "$(stat -c %s "$BENCH_TMP/found.json")"
echo
print_rows nginx nginx quiet logged
if [ "$BENCH_MIXED" = 1 ]; then
    echo
    print_rows nginx_mixed nginx_mixed quiet_mixed
fi
echo
printf '%-37s %8s %13s\n' "memory" "RSS MiB" "peak RSS MiB"
printf '%-37s %8s %13s\n' "qapps-local at start (log off)" "$(mib "$QUIET_START_RSS")" "-"
printf '%-37s %8s %13s\n' "qapps-local after the runs (log off)" "$(mib "$QUIET_RSS")" "$(mib "$QUIET_HWM")"
printf '%-37s %8s %13s\n' "qapps-local after the runs (log on)" "$(mib "$LOGGED_RSS")" "$(mib "$LOGGED_HWM")"
printf '%-37s %8s %13s\n' "nginx master" "$(mib "$NGINX_MASTER_RSS")" "-"
printf '%-37s %8s %13s\n' "nginx workers ($((${#NGINX_ALL[@]} - 1)), summed)" \
    "$(mib "$NGINX_WORKER_RSS")" "$(mib "$NGINX_WORKER_HWM")"
echo
printf 'access log: %s lines, %s MiB (warm-ups and checks included)\n' "$LOG_LINES" \
    "$(mib $((LOG_BYTES / 1024)))"
echo "Figures are medians over the rounds. Ratios are qapps-local / nginx of the same block, per"
echo "round (median, and min-max over the rounds): req/s ratio 1.00 = as fast as serving the file"
echo "(higher is better); p99 ratio 1.00 = the same tail latency (lower is better). CPU us: the"
echo "server's CPU time (user + system, all its processes) in the timed run per request answered."
