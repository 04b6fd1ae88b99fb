#!/bin/bash
# The steps' sandbox (bubblewrap): the fixture world builds in it; a step
# that writes outside its folders or opens a socket is refused and the error
# says it ran sandboxed; SANDBOX=off lets both through; the keys are the same
# either way. Skipped where bwrap cannot make a sandbox.
. "$(dirname "$0")/../lib/tap.sh"
command -v bwrap >/dev/null || skip_all "bwrap is missing (apt-get install bubblewrap)"
bwrap --ro-bind / / --dev /dev --unshare-net true 2>/dev/null ||
	skip_all "bwrap cannot make a sandbox here (user or network namespaces refused)"
fixture_project
bs() { run_bs --top "$TOP" "$@"; }
# What the fixture steps write outside their folders, dropped.
sed -i '/built\.list/d' recipes/*.recipe

SANDBOX=on bs plan x86_64
boxed_plan=$OUT
SANDBOX=off bs plan x86_64
is "$OUT" "$boxed_plan" "the keys do not depend on the sandbox"

SANDBOX=on bs build x86_64
is "$RC" 0 "the fixture world builds in the sandbox (host, cross, box; in-tree; installs)"
is "$("$TOP/output/x86_64/boxroot/usr/bin/app")" "hello from libfoo" "and what it built runs"

# A step that writes outside its folders: into the top, and into the project.
cat >recipes/escape.recipe <<'R'
name    = escape
version = 1
license = MIT
stage   = box
configure:
    echo "$PWD" >"$BUILD/inside"
build:
    echo escaped >"$TOP/outside"
install:
    :
R
SANDBOX=on bs build x86_64
is "$RC" 1 "a step that writes into the top fails in the sandbox"
like "$ERR" "escape 1: the build step exited with" "the error names the package and step"
like "$ERR" "Read-only file system" "the log tail shows the refused write"
like "$ERR" "note: the step ran in the sandbox: no network, and it may write only its build folder" \
	"and the error says the step ran sandboxed"
ok "$([ ! -e "$TOP/outside" ]; echo $?)" "nothing was written"
SANDBOX=off bs build x86_64
is "$RC:$(cat "$TOP/outside" 2>/dev/null)" "0:escaped" "SANDBOX=off lets the same step write there"
rm -f recipes/escape.recipe "$TOP/outside"

# A step that opens a socket to a server listening here, on 127.0.0.1.
port=$(free_port)
python3 -m http.server --bind 127.0.0.1 "$port" --directory "$WORLD" >/dev/null 2>&1 &
server=$!
at_exit "kill $server 2>/dev/null"
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.1; done
cat >recipes/netcall.recipe <<R
name    = netcall
version = 1
license = MIT
stage   = box
configure:
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port)); print('connected')"
build:
    :
install:
    :
R
SANDBOX=on bs build x86_64
is "$RC" 1 "a step that opens a socket fails in the sandbox"
like "$ERR" "Connection refused|Network is unreachable" "the log tail shows the refused connection"
like "$ERR" "note: the step ran in the sandbox: no network" "and the error says why"
SANDBOX=off bs build x86_64
is "$RC" 0 "SANDBOX=off lets the same step connect"
like "$(cat "$TOP/work/x86_64/logs/netcall.log")" "connected" "(it did)"
rm -f recipes/netcall.recipe

SANDBOX=maybe bs build x86_64
is "$RC" 2 "a bad SANDBOX is a usage error"
like "$ERR" "SANDBOX='maybe': want auto \(the default\), on or off" "that names the values"
done_testing
