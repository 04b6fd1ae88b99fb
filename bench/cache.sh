#!/bin/bash
# The binary cache against building, and against the floor (curl | zstd -d |
# tar x of the same artifacts), for one arch's toolchain (--goal crosstool).
#
#   bench/cache.sh TOP [ARCH]
#
# TOP holds a done toolchain for ARCH (default x86_64), built by the same
# recipes (RECIPES, MIRROR as for that build). Its build time is the wall
# time of TOP's build if BUILD_SECONDS gives it, else the sum of the
# packages' recorded times (an upper bound for a parallel build). The bench
# pushes TOP's toolchain into a folder, serves it with a local nginx, builds
# the toolchain in an empty top from it (timed), then times the floor.
# Prints the times and the ratios; goals: from the cache <= 30 s here, and
# <= 1.3 x the floor.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FROM=$(cd "${1:?usage: bench/cache.sh TOP [ARCH]}" && pwd)
ARCH=${2:-x86_64}
cd "$ROOT"
make -s bootstrap
BENCH=$(mktemp -d "${TMPDIR:-/tmp}/bench-cache.XXXXXX")
trap '[ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null; rm -rf "$BENCH"' EXIT
unset CACHE CACHE_TRUST CACHE_PUSH CACHE_SIGN_KEY http_proxy https_proxy

(cd "$BENCH" && "$ROOT/bootstrap" cache keygen bench >/dev/null)
CACHE_PUSH=file://$BENCH/www/cache CACHE_SIGN_KEY=$BENCH/bench.sec \
	./bootstrap --top "$FROM" push "$ARCH" --goal crosstool >"$BENCH/push.log"
echo "pushed $(grep -c . "$BENCH/push.log") packages of $ARCH's toolchain;" \
	"artifacts: $(du -sh "$BENCH/www/cache" | cut -f1)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$BENCH/nginx/tmp"
user=""
[ "$(id -u)" -eq 0 ] && user="user $(id -un) $(id -gn);"
cat >"$BENCH/nginx/nginx.conf" <<CONF
$user
daemon off;
worker_processes 1;
pid $BENCH/nginx/nginx.pid;
error_log $BENCH/nginx/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $BENCH/nginx/tmp;
	default_type application/octet-stream;
	server { listen 127.0.0.1:$port; root $BENCH/www; }
}
CONF
/usr/sbin/nginx -p "$BENCH/nginx" -c "$BENCH/nginx/nginx.conf" -e "$BENCH/nginx/error.log" &
NGINX_PID=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
URL=http://127.0.0.1:$port/cache

# From the cache, in an empty top.
start=$(date +%s.%N)
CACHE=$URL CACHE_TRUST=$BENCH/bench.pub ./bootstrap --top "$BENCH/top" build "$ARCH" --goal crosstool \
	>"$BENCH/pull.log" 2>&1
cached=$(echo "$(date +%s.%N) - $start" | bc)
from=$(grep -c 'from the cache in' "$BENCH/pull.log" || true)
"$BENCH/top/toolchain/$ARCH/bin/$ARCH-linux-musl-gcc" --version >/dev/null
echo "from the cache: ${cached} s ($from packages from the cache; the compiler runs)"

# The floor: the same artifacts with curl, zstd and tar, one after another.
mkdir -p "$BENCH/floor"
start=$(date +%s.%N)
for art in "$BENCH"/www/cache/*.tar.zst; do
	curl -sf "$URL/${art##*/}" | zstd -qdc | tar -C "$BENCH/floor" -x
done
floor=$(echo "$(date +%s.%N) - $start" | bc)
echo "floor (curl | zstd -d | tar x): ${floor} s"

if [ -n "${BUILD_SECONDS:-}" ]; then
	built=$BUILD_SECONDS how="wall time"
else
	built=$(cat "$FROM/states/host" "$FROM/states/cross-$ARCH" | awk '{ s += $4 } END { print s }')
	how="the sum of the packages' recorded times"
fi
echo "building it: ${built} s ($how)"
echo "$cached / $built" | bc -l | awk '{ printf "ratio from the cache / building: %.4f\n", $1 }'
echo "$cached / $floor" | bc -l | awk '{ printf "ratio from the cache / floor: %.2f (goal <= 1.3)\n", $1 }'
awk -v t="$cached" 'BEGIN { printf "from the cache in %.1f s (goal <= 30 s): %s\n", t, t <= 30 ? "met" : "missed" }'
