# nginx.sh: the local servers of the fetch tests (bash; source after tap.sh).
#
#   nginx_start DOCROOT [SERVER_CONFIG]  a real nginx (Debian's) on 127.0.0.1,
#       on a free port, with its own prefix, config, temp folders and access
#       log under $WORLD/.nginx; stopped at exit. SERVER_CONFIG is added to the
#       server block (e.g. 'location /slow/ { limit_rate 256k; }'). Sets
#       NGINX_URL and NGINX_LOG, whose lines read
#       "<uri> <status> range=<Range header or -> body=<body bytes> sent=<bytes>".
#   fault_start DOCROOT  tests/lib/faultserver.py on a free port; sets FAULT_URL
#       and FAULT_LOG (the server's own log, see its header).
#   gen_file PATH SIZE [SEED]  SIZE bytes, the same for the same SEED, without
#       a period (AES-CTR over zeros), so a byte at the wrong offset shows.
#   fixture_recipes SET  copies tests/fixtures/fetch/SET/*.recipe.in into
#       $WORLD/recipes, replacing @NGINX@, @FAULT@ and @SHA256:F@ (the sum of
#       $WWW/F); prints the folder, for RECIPES=.
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}
WWW=${WWW:-$WORLD/www}

# A test's traffic must stay on 127.0.0.1, whatever proxy the host uses.
unset http_proxy https_proxy ftp_proxy all_proxy HTTP_PROXY HTTPS_PROXY FTP_PROXY ALL_PROXY

wait_port() { # wait_port PORT: until something accepts on it (5 s at most)
	local i
	for i in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

nginx_config() { # nginx_config DIR PORT DOCROOT EXTRA
	local user=""
	[ "$(id -u)" -eq 0 ] && user="user $(id -un) $(id -gn);"
	cat <<CONF
$user
daemon off;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log;
events { worker_connections 64; }
http {
	log_format fetch '\$request_uri \$status range=\$http_range body=\$body_bytes_sent sent=\$bytes_sent';
	access_log $1/access.log fetch;
	client_body_temp_path $1/tmp/body;
	proxy_temp_path $1/tmp/proxy;
	fastcgi_temp_path $1/tmp/fastcgi;
	uwsgi_temp_path $1/tmp/uwsgi;
	scgi_temp_path $1/tmp/scgi;
	types { application/octet-stream bin gz xz; }
	default_type application/octet-stream;
	server {
		listen 127.0.0.1:$2;
		root $3;
		$4
	}
}
CONF
}

nginx_stop() {
	[ -n "${NGINX_PID:-}" ] || return 0
	kill "$NGINX_PID" 2>/dev/null
	wait "$NGINX_PID" 2>/dev/null
	NGINX_PID=
}

nginx_start() {
	[ -x "$NGINX_BIN" ] || skip_all "no $NGINX_BIN (apt-get install nginx-light)"
	local dir=$WORLD/.nginx try port
	mkdir -p "$dir/tmp"
	for try in 1 2 3; do
		port=$(free_port)
		nginx_config "$dir" "$port" "$1" "${2:-}" >"$dir/nginx.conf"
		"$NGINX_BIN" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
		NGINX_PID=$!
		if wait_port "$port"; then
			at_exit nginx_stop
			NGINX_URL=http://127.0.0.1:$port
			NGINX_LOG=$dir/access.log
			return 0
		fi
		nginx_stop
	done
	echo "Bail out! nginx did not start: $(cat "$dir/error.log")"
	exit 1
}

fault_stop() {
	[ -n "${FAULT_PID:-}" ] || return 0
	kill "$FAULT_PID" 2>/dev/null
	wait "$FAULT_PID" 2>/dev/null
	FAULT_PID=
}

fault_start() {
	local dir=$WORLD/.fault i
	mkdir -p "$dir"
	python3 "$ROOT/tests/lib/faultserver.py" "$1" "$dir/port" "$dir/log" &
	FAULT_PID=$!
	at_exit fault_stop
	for i in $(seq 50); do
		[ -s "$dir/port" ] && break
		sleep 0.1
	done
	FAULT_URL=http://127.0.0.1:$(cat "$dir/port")
	FAULT_LOG=$dir/log
	: >"$FAULT_LOG"
	wait_port "${FAULT_URL##*:}" || { echo "Bail out! the fault server did not start"; exit 1; }
}

gen_file() {
	local key
	key=$(printf '%s' "${3:-$1}" | sha256sum | cut -c1-32)
	openssl enc -aes-128-ctr -nosalt -K "$key" -iv 0 -in /dev/zero 2>/dev/null |
		head -c "$2" >"$1"
}

sha256() { sha256sum "$1" | cut -d' ' -f1; }

fixture_recipes() {
	local out=$WORLD/recipes/$1 in f sums=""
	mkdir -p "$out"
	for f in $(find "$WWW" -type f); do
		[ -f "$f" ] && sums="$sums -e s|@SHA256:${f##*/}@|$(sha256 "$f")|g"
	done
	for in in "$ROOT/tests/fixtures/fetch/$1"/*.recipe.in; do
		# shellcheck disable=SC2086
		sed -e "s|@NGINX@|${NGINX_URL:-http://127.0.0.1:9}|g" \
		    -e "s|@FAULT@|${FAULT_URL:-http://127.0.0.1:9}|g" $sums \
		    "$in" >"$out/$(basename "$in" .in)"
	done
	echo "$out"
}
