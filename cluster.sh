#!/usr/bin/env bash
# cluster.sh: build, run, exercise and test a local Cloud.Actors cluster,
# one process per node (controller + N compute hosts) on 127.0.0.1.
# Run `./cluster.sh help` for the subcommands.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
REPO=$PWD

# ---- settings ---------------------------------------------------------------

# Real guests through libvirt; `--driver fake` (in memory) for scale tests.
DEFAULT_DRIVER=libvirt
DEFAULT_PERSISTENCE=sqlite
DEFAULT_COMPUTES=1
MAX_COMPUTES=64
DEFAULT_CONTROLLERS=1
MAX_CONTROLLERS=9

SOLUTION=Cloud.Actors.sln
CONFIGURATION=Release
MIN_SDK_MAJOR=10
NODE_DLL=$REPO/src/Cloud.Actors.Node/bin/$CONFIGURATION/net10.0/Cloud.Actors.Node.dll
CMD_DLL=$REPO/src/Cloud.Actors.Cmd/bin/$CONFIGURATION/net10.0/Cloud.Actors.Cmd.dll
BENCH_PROJECT=bench/Cloud.Actors.Bench

# A second cluster beside the usual one (the end-to-end tests run theirs so) takes
# its own state directory (absolute) and ports from these three variables.
STATE_DIR=${CLOUD_ACTORS_CLUSTER_DIR:-$REPO/.cluster}   # <node>/{node.log,node.pid,journal.db}, topology, openrc
REMOTING_BASE_PORT=${CLOUD_ACTORS_REMOTING_BASE_PORT:-4053}   # controller 4053, computeN 4053+N, controllerK 4053+64+K-1
SHELL_BASE_PORT=${CLOUD_ACTORS_SHELL_BASE_PORT:-9110}         # controller 9110, computeN 9110+N, controllerK 9110+64+K-1
MANAGEMENT_BASE_PORT=${CLOUD_ACTORS_MANAGEMENT_BASE_PORT:-8558}   # cluster bootstrap and /healthcheck, same offsets
# The controller's OpenStack API; controllerK serves its own on these plus 10*(K-1).
IDENTITY_PORT=${CLOUD_ACTORS_IDENTITY_PORT:-5000}
COMPUTE_API_PORT=${CLOUD_ACTORS_COMPUTE_PORT:-8774}
IMAGE_API_PORT=${CLOUD_ACTORS_IMAGE_PORT:-9292}
NETWORK_API_PORT=${CLOUD_ACTORS_NETWORK_PORT:-9696}
METADATA_API_PORT=${CLOUD_ACTORS_METADATA_PORT:-8775}
BUILD_DIR=$REPO/.build            # build log, test results
GUEST_DIR=$REPO/.build/guest      # the bootable guest guest/build.sh makes: vmlinuz, initrd.img, disk.qcow2, cmdline
CLOUD_GUEST_DIR=$REPO/.build/guest-cloud-init   # guest/build.sh --cloud-init: the same four files of a Debian cloud image
LIBVIRT_URI=qemu:///system
LIBVIRT_SOCKET=/run/libvirt/libvirt-sock
LIBVIRT_START_TIMEOUT=30          # seconds libvirtd gets to open its socket
HOCON_DIR=$REPO/hocon
HOST=127.0.0.1

UP_TIMEOUT=${CLOUD_ACTORS_UP_TIMEOUT:-120}   # seconds until every member is Up
DOWN_TIMEOUT=30                   # seconds a node gets to leave after SIGTERM
POLL_TIMEOUT=10                   # seconds one `cluster show` poll may take
STEP_TIMEOUT=300                  # seconds one demo step (e.g. boot --poll) may take
TEST_HANG_TIMEOUT=15min           # a test silent this long aborts the run

# PostgreSQL (persistence "postgres" and its tests): Debian 12's server, on 127.0.0.1 only
# (Debian's default listen_addresses = 'localhost'). Role, password and database are the
# defaults of hocon/postgres.conf; the role may create databases (the tests make one per run).
PG_HOST=127.0.0.1
PG_PORT=5432
PG_VERSION=15
PG_CLUSTER=main
PG_ROLE=cloud_actors
PG_PASSWORD=cloud_actors
PG_DATABASE=cloud_actors
PG_START_TIMEOUT=60               # seconds PostgreSQL gets to accept connections

# The default image and its kernel and ramdisk (ids as Glance would give them).
DEFAULT_IMAGE_ID=4ddb27ab-b3cc-4a65-ac52-f4ce7894e4ed   # the seed's cirros
KERNEL_IMAGE_ID=9e1c6bd5-0c1a-4e4f-9b7e-6a3f1f0c2a01
RAMDISK_IMAGE_ID=b7d0e2f4-5a8c-4d3e-8f21-3c6b9a7e1d02
# The second image, Debian 12 with cloud-init (guest/build.sh --cloud-init), and its kernel and ramdisk.
CLOUD_IMAGE_ID=6a1f3c2e-8d4b-4e7a-9c5d-2b8e0f1a7d36
CLOUD_KERNEL_ID=3e9d7b1a-5c2f-4a8e-b6d4-9f0e1c2a3b47
CLOUD_RAMDISK_ID=c4b2a0e8-1f3d-4c5b-8a7e-6d9f2b1e0a58

# Debian packages the cluster needs.
REQUIRED_PACKAGES=(
  postgresql
  # libvirtd and qemu for real guests (TCG where there is no /dev/kvm); libvirt.so.0 for the driver.
  libvirt-daemon-system libvirt-clients libvirt0 qemu-system-x86
  # qemu-img for overlays, genisoimage (and its isoinfo) for config drives, xmllint for
  # virt-xml-validate in the domain XML specs.
  qemu-utils genisoimage libxml2-utils
  # the guest guest/build.sh makes: busybox initramfs, ext4 root disk (mke2fs -d)
  busybox-static e2fsprogs
  # the stock OpenStack clients the REST API is tested with, and ssh-keygen for their key pairs
  python3-openstackclient python3-novaclient openssh-client
  # up --netns: iproute2 for namespaces, veths and the bridge; socat relays the namespaces' PostgreSQL connections
  iproute2 socat
  # guest networks: dnsmasq as each network's DHCP server; dropbear, the SSH server guest/build.sh puts in the guest
  dnsmasq-base dropbear-bin
)

# `tempest`: OpenStack's API tests (Debian 12's tempest 33) against a fake-driver cluster of their own. Its state is
# .cluster-tempest/cluster (removed after each run), the Tempest workspace .cluster-tempest/workspace (kept: config,
# logs, the stestr repository with each run's subunit stream). Its ports are apart from every other cluster's and below
# the ephemeral range (32768+): remoting 22053+, shell 22210+, management 22358+, API 22500-22504; .cluster has 4053+,
# 9110+, 8558+ and 5000/8774/9292/9696/8775, the end-to-end tests 24053+/29110+/28558+/29500+ (.cluster-e2e),
# 14053+/19110+/18558+/19500+ (.cluster-guests) and 26053+/26110+/26558+/26500+, bench faults 21053-21450.
TEMPEST_DIR=$REPO/.cluster-tempest
TEMPEST_WORKSPACE=$TEMPEST_DIR/workspace
TEMPEST_PACKAGES=(tempest)
TEMPEST_COMPUTES=2
TEMPEST_REMOTING_BASE_PORT=22053
TEMPEST_SHELL_BASE_PORT=22210
TEMPEST_MANAGEMENT_BASE_PORT=22358
TEMPEST_API_BASE_PORT=22500   # identity; compute, image, network and metadata follow
# The compute, image v2 and identity v3 API tests (not identity's admin tests, tempest.api.identity.admin.v3).
TEMPEST_DEFAULT_REGEX='tempest\.api\.(compute|image\.v2|identity\.v3)'
# One worker: Tempest locks a pre-provisioned account per test class, and there is one non-admin account (demo), so
# a second worker's class would fail for want of one. 2 at most (the machine has 2 cores).
TEMPEST_CONCURRENCY=${CLOUD_ACTORS_TEMPEST_CONCURRENCY:-1}
TEMPEST_ALT_IMAGE_ID=5c1f0e3a-7e57-4c1a-9d2e-0a17e5700002   # cirros-alt, uploaded before each run (tempest/prepare.py)
TEMPEST_PROGRESS_EVERY=25         # a progress line after this many test results

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# ---- small helpers ----------------------------------------------------------

say() { printf '==> %s\n' "$*"; }
warn() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() { printf 'cluster.sh: error: %s\n' "$*" >&2; exit 1; }

[[ $STATE_DIR == /* ]] || die "CLOUD_ACTORS_CLUSTER_DIR must be an absolute path, not '$STATE_DIR'"
STATE_DIR=${STATE_DIR%/}
STATE_NAME=${STATE_DIR#"$REPO"/}  # how messages name it: .cluster unless overridden
for port in "$REMOTING_BASE_PORT" "$SHELL_BASE_PORT" "$MANAGEMENT_BASE_PORT"; do
  [[ $port =~ ^[1-9][0-9]{0,4}$ ]] && ((port + MAX_COMPUTES + MAX_CONTROLLERS <= 65535)) ||
    die "CLOUD_ACTORS_REMOTING_BASE_PORT, CLOUD_ACTORS_SHELL_BASE_PORT and CLOUD_ACTORS_MANAGEMENT_BASE_PORT must be port numbers, not '$port'"
done
for port in "$IDENTITY_PORT" "$COMPUTE_API_PORT" "$IMAGE_API_PORT" "$NETWORK_API_PORT" "$METADATA_API_PORT"; do
  [[ $port =~ ^[1-9][0-9]{0,4}$ ]] && ((port + 10 * MAX_CONTROLLERS <= 65535)) ||
    die "CLOUD_ACTORS_IDENTITY_PORT, _COMPUTE_PORT, _IMAGE_PORT, _NETWORK_PORT and _METADATA_PORT must be port numbers, not '$port'"
done

usage() {
  cat <<'EOF'
usage: ./cluster.sh COMMAND [ARGS...]

  setup                      check the .NET SDK, install missing Debian packages
                             (postgresql, libvirt, qemu, busybox ...), start PostgreSQL on
                             127.0.0.1:5432 with role and database cloud_actors, start
                             virtlogd and libvirtd, build the guest image (guest/build.sh)
                             and Cloud.Actors.sln (Release); idempotent
  up [--computes N] [--controllers N] [--driver libvirt|fake] [--persistence sqlite|postgres] [--netns]
                             start the controller(s) + N compute nodes (default 1 and 1,
                             driver libvirt) in the background, the cluster formed by cluster
                             bootstrap, and wait until every member is Up and every node's
                             /healthcheck is OK; several controllers need (and default to)
                             postgres; --netns runs each node in a network namespace of its
                             own on a bridge (root; postgres); writes .cluster/topology and
                             .cluster/openrc
  down [--purge]             stop every node gracefully (computes first, controller last),
                             and remove the namespaces and bridge of --netns;
                             guests keep running, as under Nova; --purge also destroys the
                             cluster's guests and removes its state directory
  node --roles R --address A --seeds S [--name N] [--state-dir D] [--driver D] [--persistence P] [--postgres C]
                             run one node in the foreground, for clusters that span machines
                             (docs/deploy.md; deploy/cloud-actors-node.service runs it)
  status                     each node running/stopped, then `cluster show` from the controller
  endpoints                  one tab-separated line per node: name, role, pid, remoting, shell,
                             management, and a controller's identity/compute/image/network URLs
  cmd [HOST:PORT] PALETTE COMMAND [ARGS...]
                             the shell client, one command (default 127.0.0.1:9110),
                             e.g. ./cluster.sh cmd nova show test2
  ssh NAME [COMMAND...]      log in to server NAME as root with its key pair's private key
                             ($STATE_NAME/<key>.pem, saved by the demo's keypair-add), from inside
                             its network's qdhcp- namespace, as `ip netns exec qdhcp-... ssh`
  demo                       setup, a fresh cluster of 2 computes, then the seed's
                             nova keypair-add / net-list / boot test2 / show test2
  test                       setup, then every test project; last line:
                             "N passed, N failed, N skipped"
  tempest [REGEX]            OpenStack's API tests (Debian's tempest 33, installed if missing) against a
                             fresh fake-driver cluster of 2 computes of its own (.cluster-tempest/,
                             ports 22053+), removed afterwards; REGEX picks the tests (default:
                             tempest\.api\.(compute|image\.v2|identity\.v3)); prints Tempest's totals; the
                             workspace (tempest.conf, logs, stestr results) stays in
                             .cluster-tempest/workspace
  bench [ARGS...]            setup, then the benchmark (bench/Cloud.Actors.Bench): boots/s
                             over fake hosts vs the raw journal rate
  bench guests [--guests N]  real guests one at a time: boot -> ACTIVE and -> login
                             prompt vs a bare virsh define + start of the same XML
  bench faults [--boots N] [--kill-every S] ...
                             1000 REST boots through 2 controllers, 3 fake computes (netns
                             when root), a random node killed -9 every 8 s and started again;
                             then lost/stuck/duplicates/usage/one-cluster/rejoin vs targets
  bench handover [--boots N] 500 boots; the oldest controller is killed a third in: how soon
                             boots resume through the other, and nothing lost or failed
  help                       this text
EOF
}

no_args() { (($# == 0)) || die "$CURRENT: unexpected argument '$1' (see ./cluster.sh help)"; }

# Port i of node (base + i): controller is 0, computeN is N, controllerK (K >= 2) is MAX_COMPUTES + K - 1.
node_index() {
  case $1 in
    controller) echo 0 ;;
    controller[2-9]) echo $((MAX_COMPUTES + ${1#controller} - 1)) ;;
    compute[0-9]*) echo "${1#compute}" ;;
    *) die "unknown node name '$1'" ;;
  esac
}

# The OpenStack API ports of a controller are the base ports plus this: 0 for controller, 10*(K-1) for controllerK.
api_offset() {
  case $1 in
    controller[2-9]) echo $((10 * (${1#controller} - 1))) ;;
    *) echo 0 ;;
  esac
}

is_controller() { [[ $1 == controller || $1 == controller[2-9] ]]; }

# The nodes of a topology with N computes and K controllers: controllers first (controller, controller2 ...).
topology_nodes() {
  local n=$1 k=${2:-1} i
  echo controller
  for ((i = 2; i <= k; i++)); do echo "controller$i"; done
  for ((i = 1; i <= n; i++)); do echo "compute$i"; done
}

node_port() { echo $(($1 + $(node_index "$2"))); }

# ---- nodes on their own addresses (up --netns) -----------------------------------
#
# Each node runs in a network namespace of its own (ca<id>-<node>) with one address on a bridge (br<id>) that this
# script makes; the machine's side of the bridge is .1. <id> is 6 hex digits of the state directory's sha1, so two
# clusters of one machine get their own namespaces, bridge and subnet. Nothing is routed or NATed beyond the bridge.
NETNS=0   # set from the topology (or by up --netns) before any node is named

netns_id() { printf '%s' "$STATE_DIR" | sha1sum | cut -c1-6; }

# The subnet's first three octets: CLOUD_ACTORS_NETNS_SUBNET, else 10.250.0 for .cluster and 10.250.<1..200> elsewhere.
netns_prefix() {
  if [[ -n ${CLOUD_ACTORS_NETNS_SUBNET:-} ]]; then
    echo "$CLOUD_ACTORS_NETNS_SUBNET"
  elif [[ $STATE_DIR == "$REPO/.cluster" ]]; then
    echo 10.250.0
  else
    echo "10.250.$((16#$(netns_id | cut -c1-2) % 200 + 1))"
  fi
}

netns_bridge() { echo "br$(netns_id)"; }
netns_name() { echo "ca$(netns_id)-$1"; }
netns_host_ip() { echo "$(netns_prefix).1"; }

# A node's address on the bridge: controller .10, controllerK .(9+K), computeN .(20+N).
node_ip() {
  case $1 in
    controller) echo "$(netns_prefix).10" ;;
    controller[2-9]) echo "$(netns_prefix).$((9 + ${1#controller}))" ;;
    compute[0-9]*) echo "$(netns_prefix).$((20 + ${1#compute}))" ;;
  esac
}

# Where a node's endpoints are reached from this machine: its namespace's address, or 127.0.0.1.
node_host() {
  if ((NETNS)); then node_ip "$1"; else echo "$HOST"; fi
}

node_endpoint() { echo "$(node_host "$2"):$(node_port "$1" "$2")"; }

controller_shell() { node_endpoint "$SHELL_BASE_PORT" controller; }

# Every node's management endpoint (cluster bootstrap's contact points), comma separated.
contact_points() {
  local node points=()
  for node in "$@"; do points+=("$(node_endpoint "$MANAGEMENT_BASE_PORT" "$node")"); done
  local IFS=,
  echo "${points[*]}"
}

require_root_for_netns() {
  ((EUID == 0)) || die "up --netns makes network namespaces, a bridge and veth pairs: run it as root"
  command -v ip >/dev/null 2>&1 || die "up --netns needs iproute2 (ip): ./cluster.sh setup installs it"
}

# The underlay's MTU: VXLAN adds 50 bytes to the guests' 1500-byte frames (a jumbo underlay, as Neutron deployments use).
NETNS_MTU=9000

# The bridge and the machine's address on it, and a name for the machine's own namespace (where libvirtd makes the
# guests' taps) that the nodes make their port bridges in; idempotent.
netns_bridge_up() {
  local bridge
  bridge=$(netns_bridge)
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" mtu "$NETNS_MTU" type bridge || die "cannot create bridge $bridge"
  fi
  ip addr show dev "$bridge" | grep -qF " $(netns_host_ip)/24 " || ip addr add "$(netns_host_ip)/24" dev "$bridge"
  ip link set "$bridge" mtu "$NETNS_MTU" up
  [[ -e /run/netns/$(netns_hypervisor) ]] || ip netns attach "$(netns_hypervisor)" $$ || die "cannot name the machine's network namespace $(netns_hypervisor)"
}

# The name the nodes know the machine's (and libvirtd's) network namespace by.
netns_hypervisor() { netns_name hypervisor; }

# NODE's namespace with eth0 on the bridge at the node's address, and lo; idempotent.
netns_node_up() {
  local node=$1 ns veth
  ns=$(netns_name "$node")
  veth="v$(netns_id)$(node_index "$node")"
  ip netns list | awk '{print $1}' | grep -qx "$ns" || ip netns add "$ns" || die "cannot create network namespace $ns"
  if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
    ip link del "$veth" >/dev/null 2>&1 || true
    ip link add "$veth" type veth peer name eth0 netns "$ns" || die "cannot create the veth pair of $node"
    ip link set "$veth" master "$(netns_bridge)" up
    ip -n "$ns" addr add "$(node_ip "$node")/24" dev eth0
  fi
  ip link set "$veth" mtu "$NETNS_MTU"
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 mtu "$NETNS_MTU" up
}

# PostgreSQL listens on the machine's 127.0.0.1 only; the namespaces reach it through a relay on the bridge address.
netns_pg_relay_up() {
  local pidfile=$STATE_DIR/pg-relay.pid pid
  if [[ -r $pidfile ]] && read -r pid <"$pidfile" && kill -0 "$pid" 2>/dev/null; then return 0; fi
  command -v socat >/dev/null 2>&1 || die "up --netns needs socat to relay PostgreSQL to the namespaces: ./cluster.sh setup installs it"
  setsid nohup socat "TCP-LISTEN:$PG_PORT,bind=$(netns_host_ip),reuseaddr,fork" "TCP:$PG_HOST:$PG_PORT" \
    </dev/null >"$STATE_DIR/pg-relay.log" 2>&1 &
  echo $! >"$pidfile"
  local i
  for ((i = 0; i < 50; i++)); do
    (: >"/dev/tcp/$(netns_host_ip)/$PG_PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  die "the PostgreSQL relay on $(netns_host_ip):$PG_PORT did not start (log: $STATE_NAME/pg-relay.log)"
}

# Removes this cluster's namespaces (their veths go with them), the bridge and the relay.
netns_down() {
  local ns pid
  if [[ -r $STATE_DIR/pg-relay.pid ]] && read -r pid <"$STATE_DIR/pg-relay.pid"; then
    # Its process group: the relay forks a child per connection, and those must go with it.
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    rm -f "$STATE_DIR/pg-relay.pid"
  fi
  command -v ip >/dev/null 2>&1 || return 0
  while read -r ns _; do
    [[ $ns == "ca$(netns_id)-"* ]] && ip netns del "$ns" 2>/dev/null && echo "removed network namespace $ns"
  done < <(ip netns list 2>/dev/null)
  ip link del "$(netns_bridge)" 2>/dev/null && echo "removed bridge $(netns_bridge)"
  return 0
}

# topology_get KEY: a value from .cluster/topology (empty when absent).
topology_get() {
  [[ -f $STATE_DIR/topology ]] || return 0
  sed -n "s/^$1=//p" "$STATE_DIR/topology" | tail -n 1
}

node_pid() {
  local f=$STATE_DIR/$1/node.pid pid
  [[ -r $f ]] || return 1
  read -r pid <"$f" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  echo "$pid"
}

# Alive = the pid in node.pid runs our node program; a zombie or a recycled
# pid counts as dead. Between fork and exec, a child this script just started
# still looks like the script itself: that counts as alive.
node_alive() {
  local pid stat state ppid cmdline
  pid=$(node_pid "$1") || return 1
  stat=$(cat 2>/dev/null "/proc/$pid/stat") || return 1
  read -r state ppid _ <<<"${stat##*) }"
  [[ $state != Z ]] || return 1
  cmdline=$(tr 2>/dev/null '\0' ' ' <"/proc/$pid/cmdline") || return 1
  [[ $cmdline == *Cloud.Actors.Node.dll* || $ppid == "$$" ]]
}

# Nodes that have a state directory with a pid file: computes in numeric order, then controllerK, controller last.
nodes_with_pid_files() {
  local f
  for f in "$STATE_DIR"/*/node.pid; do
    [[ -e $f ]] || continue
    basename "$(dirname "$f")"
  done | sort -V | { grep -v '^controller' || true; }
  for f in "$STATE_DIR"/controller[2-9]/node.pid; do
    [[ -e $f ]] && basename "$(dirname "$f")"
  done
  [[ -e $STATE_DIR/controller/node.pid ]] && echo controller
  return 0
}

# port_in_use HOST PORT
port_in_use() { (: >"/dev/tcp/$1/$2") 2>/dev/null; }

# In use for 2 s in a row: a node killed a moment ago (kill -9) may still hold its ports.
port_stays_in_use() {
  local i
  for ((i = 0; i < 20; i++)); do
    port_in_use "$1" "$2" || return 1
    sleep 0.1
  done
  return 0
}

# The shell client. Extra timeout (seconds) first: client TIMEOUT ARGS...
client() {
  local limit=$1
  shift
  timeout "$limit" dotnet "$CMD_DLL" "$@"
}

# table_cell TABLE MATCH COLUMN: from a `+----+` table, the COLUMN-th cell
# (1-based, trimmed) of the first row that has a cell equal to MATCH.
table_cell() {
  awk -F'|' -v want="$2" -v col="$3" '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    /^[ \t]*\|/ {
      for (i = 2; i < NF; i++)
        if (trim($i) == want) { print trim($(col + 1)); exit }
    }' <<<"$1"
}

show_log_tails() {
  local node
  for node in "$@"; do
    printf '\n---- %s: last lines of %s/%s/node.log ----\n' "$node" "$STATE_NAME" "$node" >&2
    tail -n 30 "$STATE_DIR/$node/node.log" >&2 2>/dev/null || echo "(no log)" >&2
  done
}

# ---- setup --------------------------------------------------------------------

check_sdk() {
  if ! command -v dotnet >/dev/null 2>&1; then
    cat >&2 <<EOF
cluster.sh: error: the .NET SDK $MIN_SDK_MAJOR (or newer) is required and 'dotnet' is not on PATH.
  On Debian 12, as root:
    wget -O /tmp/packages-microsoft-prod.deb https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb
    dpkg -i /tmp/packages-microsoft-prod.deb && apt-get update && apt-get install -y dotnet-sdk-$MIN_SDK_MAJOR.0
  Or, for the current user only:
    curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel $MIN_SDK_MAJOR.0
    export PATH="\$HOME/.dotnet:\$PATH"
EOF
    exit 1
  fi
  local newest
  newest=$(dotnet --list-sdks 2>/dev/null | sed -n 's/^\([0-9][0-9]*\)\..*/\1/p' | sort -n | tail -n 1)
  [[ -n $newest ]] || die "'dotnet' is on PATH ($(command -v dotnet)) but lists no SDK; install the .NET SDK $MIN_SDK_MAJOR (dotnet-sdk-$MIN_SDK_MAJOR.0)"
  ((newest >= MIN_SDK_MAJOR)) || die "the .NET SDK $MIN_SDK_MAJOR or newer is required; newest installed is $newest (dotnet --list-sdks); install dotnet-sdk-$MIN_SDK_MAJOR.0"
}

# install_packages [PACKAGE...]: installs whatever of them (default: REQUIRED_PACKAGES) is missing; `apt-get update`
# only then.
install_packages() {
  local missing=() p
  (($#)) || set -- "${REQUIRED_PACKAGES[@]}"
  for p in "$@"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages: ${missing[*]} (no apt-get here: install them yourself)"
  ((EUID == 0)) || die "missing Debian packages: ${missing[*]}; install them as root: apt-get install -y ${missing[*]}"
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" || die "apt-get install ${missing[*]} failed"
}

# Starts virtlogd then libvirtd when libvirtd does not answer: there may be no
# systemd to do it (containers, CI). virtlogd first, as libvirtd hands it the
# guests' console files.
start_daemons() {
  [[ -S $LIBVIRT_SOCKET ]] && virsh -q -c "$LIBVIRT_URI" version >/dev/null 2>&1 && return 0
  command -v libvirtd >/dev/null 2>&1 || die "libvirtd is not installed: run ./cluster.sh setup (as root)"
  ((EUID == 0)) || die "libvirtd is not running; start it as root: virtlogd -d && libvirtd -d"
  say "starting virtlogd and libvirtd"
  pgrep -x virtlogd >/dev/null || virtlogd -d || die "virtlogd did not start"
  pgrep -x libvirtd >/dev/null || libvirtd -d || die "libvirtd did not start"
  local waited=0
  until [[ -S $LIBVIRT_SOCKET ]] && virsh -q -c "$LIBVIRT_URI" version >/dev/null 2>&1; do
    ((waited++ < LIBVIRT_START_TIMEOUT * 10)) || die "libvirtd did not open $LIBVIRT_SOCKET within ${LIBVIRT_START_TIMEOUT}s"
    sleep 0.1
  done
}

# qemu runs as libvirt-qemu, which must be able to reach the guests' files under the
# state directory: grant traversal (o+x, not listing) on each ancestor that lacks it.
ensure_traversable() {
  local dir=$1
  id libvirt-qemu >/dev/null 2>&1 || return 0
  mkdir -p "$dir"
  while [[ $dir != / ]]; do
    if (((8#$(stat -c %a "$dir") & 1) == 0)); then
      ((EUID == 0)) || die "user libvirt-qemu cannot reach $dir (qemu reads the guests' files there): chmod o+x $dir"
      chmod o+x "$dir"
      say "made $dir traversable for libvirt-qemu (o+x), so qemu can open the guests' files"
    fi
    dir=$(dirname "$dir")
  done
}

# purge_guests DIR: destroys and undefines the libvirt domains whose files are under
# DIR (a cluster's state directory), so a cluster can be thrown away with its guests.
purge_guests() {
  local dir=$1 name
  [[ -S $LIBVIRT_SOCKET ]] || return 0
  while read -r name; do
    [[ $name == instance-* ]] || continue
    virsh -q -c "$LIBVIRT_URI" dumpxml --inactive "$name" 2>/dev/null | grep -qF "$dir/" || continue
    virsh -q -c "$LIBVIRT_URI" destroy "$name" >/dev/null 2>&1 || true
    virsh -q -c "$LIBVIRT_URI" undefine "$name" >/dev/null 2>&1 && echo "removed guest $name"
  done < <(virsh -q -c "$LIBVIRT_URI" list --all --name 2>/dev/null)
}

# hocon_string VALUE: VALUE as a HOCON quoted string (HOCON's are JSON's).
hocon_string() {
  local v=${1//\\/\\\\}
  v=${v//\"/\\\"}
  printf '"%s"' "$v"
}

# write_images_conf FILE: the controller's image seed, HOCON for CLOUD_ACTORS_CONFIG:
# the guest guest/build.sh made, registered as the default image "cirros" (the
# seed's id) with its kernel and ramdisk as AKI/ARI images.
write_images_conf() {
  local conf=$1 cmdline
  if [[ ! -f $GUEST_DIR/disk.qcow2 ]]; then
    rm -f "$conf"
    return 0
  fi
  cmdline=$(<"$GUEST_DIR/cmdline")
  cat >"$conf" <<EOF
# Written by cluster.sh up: the images the controller imports into its image store at start.
cloud-actors.images.seed = [
  { id = "$KERNEL_IMAGE_ID", name = "cirros-kernel", file = $(hocon_string "$GUEST_DIR/vmlinuz"), disk-format = "aki", container-format = "aki" }
  { id = "$RAMDISK_IMAGE_ID", name = "cirros-ramdisk", file = $(hocon_string "$GUEST_DIR/initrd.img"), disk-format = "ari", container-format = "ari" }
  { id = "$DEFAULT_IMAGE_ID", name = "cirros", file = $(hocon_string "$GUEST_DIR/disk.qcow2"), disk-format = "qcow2", container-format = "bare",
    properties { kernel_id = "$KERNEL_IMAGE_ID", ramdisk_id = "$RAMDISK_IMAGE_ID", os_command_line = $(hocon_string "$cmdline") } }
EOF
  if [[ -f $CLOUD_GUEST_DIR/disk.qcow2 ]]; then
    cat >>"$conf" <<EOF
  { id = "$CLOUD_KERNEL_ID", name = "debian-12-cloud-kernel", file = $(hocon_string "$CLOUD_GUEST_DIR/vmlinuz"), disk-format = "aki", container-format = "aki" }
  { id = "$CLOUD_RAMDISK_ID", name = "debian-12-cloud-ramdisk", file = $(hocon_string "$CLOUD_GUEST_DIR/initrd.img"), disk-format = "ari", container-format = "ari" }
  { id = "$CLOUD_IMAGE_ID", name = "debian-12-cloud", file = $(hocon_string "$CLOUD_GUEST_DIR/disk.qcow2"), disk-format = "qcow2", container-format = "bare",
    properties { kernel_id = "$CLOUD_KERNEL_ID", ramdisk_id = "$CLOUD_RAMDISK_ID", os_command_line = $(hocon_string "$(<"$CLOUD_GUEST_DIR/cmdline")") } }
EOF
  fi
  echo "]" >>"$conf"
}

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1; }

# True when the application role logs in with its password, owns its database and may create databases.
pg_app_ready() {
  local out
  out=$(PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 psql -X -q -t -A -w -h "$PG_HOST" -p "$PG_PORT" \
    -U "$PG_ROLE" -d "$PG_DATABASE" -c "SELECT r.rolcreatedb AND pg_get_userbyid(d.datdba) = current_user
      FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()" \
    2>/dev/null) && [[ $out == t ]]
}

# psql as the superuser postgres, from a directory it may read; the SQL on stdin.
pg_admin() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"); }

# Starts Debian's PostgreSQL cluster when nothing answers on PG_HOST:PG_PORT (no systemd here:
# pg_ctlcluster), then creates role and database when the application cannot log in. Idempotent.
start_postgres() {
  if ! pg_ready; then
    ((EUID == 0)) || die "PostgreSQL does not answer on $PG_HOST:$PG_PORT; start it as root: pg_ctlcluster $PG_VERSION $PG_CLUSTER start (or ./cluster.sh setup as root)"
    command -v pg_ctlcluster >/dev/null 2>&1 || die "pg_ctlcluster not found: is the postgresql package installed?"
    if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
      say "creating PostgreSQL $PG_VERSION cluster '$PG_CLUSTER'"
      pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >/dev/null || die "pg_createcluster $PG_VERSION $PG_CLUSTER failed"
    fi
    say "starting PostgreSQL $PG_VERSION (cluster $PG_CLUSTER, $PG_HOST:$PG_PORT)"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start 2>&1 | sed 's/^/    /' ||
      die "pg_ctlcluster $PG_VERSION $PG_CLUSTER start failed (log: /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log)"
    local deadline=$((SECONDS + PG_START_TIMEOUT))
    until pg_ready; do
      ((SECONDS < deadline)) || die "PostgreSQL did not accept connections on $PG_HOST:$PG_PORT within ${PG_START_TIMEOUT}s (log: /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log)"
      sleep 0.5
    done
  fi
  if pg_app_ready; then
    say "PostgreSQL ready on $PG_HOST:$PG_PORT (database $PG_DATABASE, role $PG_ROLE)"
    return 0
  fi
  ((EUID == 0)) || die "PostgreSQL runs, but role $PG_ROLE cannot log in to database $PG_DATABASE with CREATEDB; run ./cluster.sh setup as root"
  say "setting up PostgreSQL role $PG_ROLE (LOGIN CREATEDB) and database $PG_DATABASE"
  pg_admin <<SQL || die "creating role $PG_ROLE / database $PG_DATABASE failed (psql errors above)"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
    CREATE ROLE $PG_ROLE;
  END IF;
END
\$\$;
ALTER ROLE $PG_ROLE WITH LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE')\gexec
ALTER DATABASE $PG_DATABASE OWNER TO $PG_ROLE;
SQL
  pg_app_ready || die "role $PG_ROLE still cannot log in to $PG_DATABASE on $PG_HOST:$PG_PORT with its password (check pg_hba.conf: host all all 127.0.0.1/32 scram-sha-256)"
  say "PostgreSQL ready on $PG_HOST:$PG_PORT (database $PG_DATABASE, role $PG_ROLE)"
}

# The cluster's own database on the local server: cloud_actors for .cluster/, cloud_actors_<hash of the state
# directory> for a cluster elsewhere (the tests'), so clusters never share journals and --purge can drop it.
cluster_database() {
  if [[ $STATE_DIR == "$REPO/.cluster" ]]; then
    echo "$PG_DATABASE"
  else
    echo "${PG_DATABASE}_$(printf '%s' "$STATE_DIR" | sha1sum | cut -c1-10)"
  fi
}

# What the nodes connect with: CLOUD_ACTORS_POSTGRES when set (another server), else the cluster's database here.
pg_connection_string() {
  if [[ -n ${CLOUD_ACTORS_POSTGRES:-} ]]; then
    printf '%s' "$CLOUD_ACTORS_POSTGRES"
  else
    local host=$PG_HOST
    ((NETNS)) && host=$(netns_host_ip)   # through the relay on the bridge
    printf 'Host=%s;Port=%s;Database=%s;Username=%s;Password=%s' "$host" "$PG_PORT" "$(cluster_database)" "$PG_ROLE" "$PG_PASSWORD"
  fi
}

# psql as the application role, on its own database; the statement as arguments.
pg_app() { PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=10 psql -X -q -t -A -w -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ROLE" -d "$PG_DATABASE" "$@"; }

ensure_cluster_database() {
  local db
  db=$(cluster_database)
  [[ $(pg_app -c "SELECT 1 FROM pg_database WHERE datname = '$db'") == 1 ]] && return 0
  pg_app -c "CREATE DATABASE $db OWNER $PG_ROLE" >/dev/null || die "creating the cluster's database $db failed"
  say "created PostgreSQL database $db for $STATE_NAME"
}

# Drops the cluster's database (--purge) when the local server runs; the default cluster's is emptied instead.
drop_cluster_database() {
  [[ -z ${CLOUD_ACTORS_POSTGRES:-} ]] && command -v psql >/dev/null 2>&1 && pg_ready || return 0
  local db
  db=$(cluster_database)
  if [[ $db == "$PG_DATABASE" ]]; then
    pg_app -c "DROP TABLE IF EXISTS journal, tags, snapshot, journal_metadata" >/dev/null 2>&1 && say "emptied PostgreSQL database $db"
  elif [[ $(pg_app -c "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null) == 1 ]]; then
    pg_app -c "DROP DATABASE $db WITH (FORCE)" >/dev/null && say "dropped PostgreSQL database $db"
  fi
  return 0
}

# dotnet restore/build with quiet output; the whole log only when it fails.
dotnet_quiet() {
  local what=$1 log=$BUILD_DIR/$1.log
  shift
  mkdir -p "$BUILD_DIR"
  if ! dotnet "$@" >"$log" 2>&1; then
    cat "$log" >&2
    die "dotnet $what failed (errors above; full log: ${log#"$REPO"/})"
  fi
}

cmd_setup() {
  no_args "$@"
  check_sdk
  install_packages
  start_postgres
  start_daemons
  say "building the guest image into ${GUEST_DIR#"$REPO"/}"
  "$REPO/guest/build.sh" "$GUEST_DIR" || die "guest/build.sh failed"
  say "building the cloud-init image into ${CLOUD_GUEST_DIR#"$REPO"/} (mmdebstrap: about a minute the first time)"
  "$REPO/guest/build.sh" --cloud-init "$CLOUD_GUEST_DIR" || die "guest/build.sh --cloud-init failed"
  say "restoring $SOLUTION"
  dotnet_quiet restore restore "$SOLUTION" -nologo -v q
  say "building $SOLUTION ($CONFIGURATION)"
  dotnet_quiet build build "$SOLUTION" -c "$CONFIGURATION" --no-restore -nologo -v q
}

# `up` and `cmd` build only when a binary is missing, so that tests which call
# cluster.sh never rebuild assemblies that are in use. After changing code: setup.
ensure_built() {
  [[ -f $NODE_DLL && -f $CMD_DLL ]] && return 0
  cmd_setup
  [[ -f $NODE_DLL ]] || die "the build did not produce ${NODE_DLL#"$REPO"/}"
  [[ -f $CMD_DLL ]] || die "the build did not produce ${CMD_DLL#"$REPO"/}"
}

# ---- up -----------------------------------------------------------------------

start_node() {
  local node=$1 roles=$2 driver=$3 persistence=$4 contacts=$5 dir pid site_config= offset
  [[ $roles == controller* && -f $STATE_DIR/images.conf ]] && site_config=$STATE_DIR/images.conf
  dir=$STATE_DIR/$node
  mkdir -p "$dir"
  [[ -f $dir/node.log ]] && mv -f "$dir/node.log" "$dir/node.log.1"
  local env=(
    CLOUD_ACTORS_NODE="$node"
    CLOUD_ACTORS_ROLES="$roles"
    CLOUD_ACTORS_PORT="$(node_port "$REMOTING_BASE_PORT" "$node")"
    CLOUD_ACTORS_SHELL_PORT="$(node_port "$SHELL_BASE_PORT" "$node")"
    CLOUD_ACTORS_MANAGEMENT_PORT="$(node_port "$MANAGEMENT_BASE_PORT" "$node")"
    CLOUD_ACTORS_CONTACT_POINTS="$contacts"
    CLOUD_ACTORS_STATE_DIR="$dir"
    CLOUD_ACTORS_DRIVER="$driver"
    CLOUD_ACTORS_PERSISTENCE="$persistence"
    CLOUD_ACTORS_HOCON_DIR="$HOCON_DIR"
    CLOUD_ACTORS_CONFIG="$site_config"
  )
  if is_controller "$node"; then
    offset=$(api_offset "$node")
    env+=(
      CLOUD_ACTORS_IDENTITY_PORT=$((IDENTITY_PORT + offset))
      CLOUD_ACTORS_COMPUTE_PORT=$((COMPUTE_API_PORT + offset))
      CLOUD_ACTORS_IMAGE_PORT=$((IMAGE_API_PORT + offset))
      CLOUD_ACTORS_NETWORK_PORT=$((NETWORK_API_PORT + offset))
      CLOUD_ACTORS_METADATA_PORT=$((METADATA_API_PORT + offset))
      # One token key for the cluster's controllers (keystone's shared fernet keys): a token from one is good at all.
      CLOUD_ACTORS_KEY_REPOSITORY="$STATE_DIR/fernet-keys"
      # Real guests get DHCP and the metadata service from the network agent (root: namespaces, dnsmasq).
      CLOUD_ACTORS_NETWORK_AGENT="$([[ $driver == libvirt ]] && echo on || echo off)"
      CLOUD_ACTORS_DHCP_RUN_DIR="$STATE_DIR/dhcp"
    )
  fi
  [[ $persistence == postgres ]] && env+=(CLOUD_ACTORS_POSTGRES="$(pg_connection_string)")
  local netns=()
  if ((NETNS)); then
    # Remoting, management, shell and the REST API all on the node's own address, inside its namespace. The shell
    # (no login, admin) only by its own variable: the bridge is private to this machine.
    env+=(CLOUD_ACTORS_ADDRESS="$(node_ip "$node")" CLOUD_ACTORS_SHELL_HOST="$(node_ip "$node")")
    # Each node is a host of its own for the guests' networks too: its network bridges reach the other nodes' through
    # VXLAN from its address. The machine's one libvirtd, in the machine's namespace, attaches a guest's tap only to
    # a bridge there: the port bridges are made there, and their veth pairs cross to the node's namespace.
    env+=(CLOUD_ACTORS_VXLAN_LOCAL_IP="$(node_ip "$node")" CLOUD_ACTORS_HYPERVISOR_NETNS="$(netns_hypervisor)")
    # The node's network namespace, and a mount namespace of its own only for a /sys that shows the node's devices.
    # Not `ip netns exec`: it makes every mount a slave of the machine's, so a namespace the node makes (the network
    # agent's qdhcp-…) would be seen by nobody else: not the other nodes, not `cluster.sh ssh`.
    netns=(nsenter "--net=/run/netns/$(netns_name "$node")" unshare --mount --propagation unchanged
      sh -c 'mount --make-rprivate /sys && mount -t sysfs sysfs /sys && exec "$@"' node-namespace)
  fi
  # setsid + nohup: the node outlives this script and its terminal; no stdin. nsenter, unshare and sh exec in place.
  env "${env[@]}" setsid nohup "${netns[@]}" dotnet "$NODE_DLL" </dev/null >"$dir/node.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/node.pid"
  say "started $node (pid $pid, roles $roles, remoting $(node_endpoint "$REMOTING_BASE_PORT" "$node"), shell $(node_endpoint "$SHELL_BASE_PORT" "$node"), management $(node_endpoint "$MANAGEMENT_BASE_PORT" "$node"))"
}

write_openrc() {
  # The identity port is this cluster's (CLOUD_ACTORS_IDENTITY_PORT when cluster.sh gives each cluster its own
  # ports; 5000, the controller's default, otherwise). Fixed when written; user and project are chosen at source time.
  local identity_port=$IDENTITY_PORT api_host=${CLOUD_ACTORS_API_HOST:-$(node_host controller)}
  cat >"$STATE_DIR/openrc" <<EOF
# Cloud.Actors credentials for the OpenStack clients, devstack style:
#   source $STATE_NAME/openrc [USER] [PROJECT]     (defaults: admin admin; also: demo demo)
# Identity v3 at http://$api_host:$identity_port/v3; the token's catalog points at compute, image and network.
# The passwords are the defaults in hocon/controller.conf (cloud-actors.api.identity.users).
export OS_USERNAME=\${1:-admin}
export OS_PROJECT_NAME=\${2:-\$OS_USERNAME}
export OS_TENANT_NAME=\$OS_PROJECT_NAME
export OS_PASSWORD=secret
export OS_AUTH_URL=http://$api_host:$identity_port/v3
export OS_AUTH_TYPE=password
export OS_USER_DOMAIN_ID=default
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_ID=default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_IDENTITY_API_VERSION=3
export OS_REGION_NAME=RegionOne
export OS_INTERFACE=public
EOF
}

# sees_itself_up NODE: `cluster show` on NODE's own shell has its Self row Up.
sees_itself_up() {
  local out
  out=$(client "$POLL_TIMEOUT" "$(node_endpoint "$SHELL_BASE_PORT" "$1")" cluster show 2>/dev/null) || return 1
  awk -F'|' '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    /^[ \t]*\|/ {
      if (!header) { for (i = 2; i < NF; i++) col[trim($i)] = i; header = 1; next }
      if (trim($col["Self"]) == "yes" && trim($col["Status"]) == "Up") found = 1
    }
    END { exit !found }' <<<"$out"
}

# wait_until_up EXPECTED NODES... [-- REJOINING...]: polls `cluster show` on the
# controller's shell until EXPECTED rows say Up. A REJOINING node (restarted while
# the controller ran, e.g. after kill -9) must moreover see itself Up: until the
# cluster downs its dead incarnation, the controller still lists that one as Up.
# Exit 2 (cannot connect) and other failures are expected while nodes start.
wait_until_up() {
  local expected=$1 deadline=$((SECONDS + UP_TIMEOUT)) next_report=$((SECONDS + 10))
  local nodes=() rejoining=() out up=0 node errfile=$BUILD_DIR/cluster-show.err
  shift
  while (($#)) && [[ $1 != -- ]]; do nodes+=("$1"); shift; done
  (($#)) && shift
  rejoining=("$@")
  mkdir -p "$BUILD_DIR"
  printf '==> waiting until %d members are Up (timeout %ss) ' "$expected" "$UP_TIMEOUT"
  while :; do
    for node in "${nodes[@]}"; do
      if ! node_alive "$node"; then
        echo
        show_log_tails "$node"
        die "$node exited while the cluster was starting (log: $STATE_NAME/$node/node.log); ./cluster.sh down to stop the rest"
      fi
    done
    if out=$(client "$POLL_TIMEOUT" "$(controller_shell)" cluster show 2>"$errfile"); then
      up=$(grep -cw 'Up' <<<"$out" || true)
      for node in "${rejoining[@]}"; do
        ((up == expected)) || break
        sees_itself_up "$node" || up=$((up - 1))
      done
      if ((up == expected)); then
        echo " all Up"
        printf '%s\n' "$out"
        return 0
      fi
    fi
    if ((SECONDS >= deadline)); then
      echo
      show_log_tails "${nodes[@]}"
      if [[ -s $errfile ]]; then
        printf '\n---- last error of cluster show ----\n' >&2
        cat "$errfile" >&2
      fi
      die "timed out after ${UP_TIMEOUT}s: $up of $expected members Up; the nodes are still running (./cluster.sh status, ./cluster.sh down)"
    fi
    if ((SECONDS >= next_report)); then
      printf ' %d/%d Up ' "$up" "$expected"
      next_report=$((SECONDS + 10))
    else
      printf '.'
    fi
    sleep 1
  done
}

# health NODE: the node's /healthcheck (its management endpoint): prints the body, true when 200.
health() {
  local port host status body
  port=$(node_port "$MANAGEMENT_BASE_PORT" "$1")
  host=$(node_host "$1")
  exec 3<>"/dev/tcp/$host/$port" 2>/dev/null || return 1
  printf 'GET /healthcheck HTTP/1.0\r\nHost: %s\r\n\r\n' "$host" >&3
  body=$(timeout "$POLL_TIMEOUT" cat <&3) || { exec 3>&-; return 1; }
  exec 3>&-
  status=$(head -n 1 <<<"$body" | awk '{print $2}')
  sed '1,/^\r\?$/d' <<<"$body"
  [[ $status == 200 ]]
}

# wait_until_ready NODES...: every node's /healthcheck says OK (cluster member Up, journal, singletons, start-up work).
wait_until_ready() {
  local deadline=$((SECONDS + UP_TIMEOUT)) node pending out
  printf '==> waiting until every node is ready (/healthcheck) '
  while :; do
    pending=()
    for node in "$@"; do
      health "$node" >/dev/null 2>&1 || pending+=("$node")
    done
    if ! ((${#pending[@]})); then
      echo " all ready"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      echo
      for node in "${pending[@]}"; do
        out=$(health "$node" 2>&1) || true
        printf '%s: %s\n' "$node" "${out:-no answer on $(node_endpoint "$MANAGEMENT_BASE_PORT" "$node")}" >&2
      done
      show_log_tails "${pending[@]}"
      die "timed out after ${UP_TIMEOUT}s: ${pending[*]} not ready; the nodes are still running (./cluster.sh status, ./cluster.sh down)"
    fi
    printf '.'
    sleep 1
  done
}

cmd_up() {
  local computes=$DEFAULT_COMPUTES controllers=$DEFAULT_CONTROLLERS netns=0
  local driver=${CLOUD_ACTORS_DRIVER:-$DEFAULT_DRIVER}
  local persistence=${CLOUD_ACTORS_PERSISTENCE:-}
  while (($#)); do
    case $1 in
      --netns) netns=1; shift ;;
      --computes) (($# >= 2)) || die "up: --computes needs a number"; computes=$2; shift 2 ;;
      --computes=*) computes=${1#*=}; shift ;;
      --controllers) (($# >= 2)) || die "up: --controllers needs a number"; controllers=$2; shift 2 ;;
      --controllers=*) controllers=${1#*=}; shift ;;
      --driver) (($# >= 2)) || die "up: --driver needs fake or libvirt"; driver=$2; shift 2 ;;
      --driver=*) driver=${1#*=}; shift ;;
      --persistence) (($# >= 2)) || die "up: --persistence needs sqlite or postgres"; persistence=$2; shift 2 ;;
      --persistence=*) persistence=${1#*=}; shift ;;
      *) die "up: unknown argument '$1' (usage: ./cluster.sh up [--computes N] [--controllers N] [--driver fake|libvirt] [--persistence sqlite|postgres] [--netns])" ;;
    esac
  done
  if ! [[ $computes =~ ^[0-9]+$ ]] || ((10#$computes > MAX_COMPUTES)); then
    die "up: --computes must be a number from 0 to $MAX_COMPUTES, not '$computes'"
  fi
  computes=$((10#$computes))
  if ! [[ $controllers =~ ^[0-9]+$ ]] || ((10#$controllers < 1 || 10#$controllers > MAX_CONTROLLERS)); then
    die "up: --controllers must be a number from 1 to $MAX_CONTROLLERS, not '$controllers'"
  fi
  controllers=$((10#$controllers))
  # The singletons (directory, catalog) move between controllers with their journals: several controllers share one
  # database; so do nodes on their own addresses, as nodes of several machines would.
  if [[ -z $persistence ]]; then
    persistence=$DEFAULT_PERSISTENCE
    ((controllers == 1 && netns == 0)) || persistence=postgres
  fi
  case $driver in fake | libvirt) ;; *) die "up: --driver must be fake or libvirt, not '$driver'" ;; esac
  case $persistence in sqlite | postgres) ;; *) die "up: --persistence must be sqlite or postgres, not '$persistence'" ;; esac
  if ((controllers > 1)) && [[ $persistence != postgres ]]; then
    die "up: $controllers controllers need --persistence postgres: the singletons' journals move from one controller to another"
  fi

  local wanted=() running=() node
  mapfile -t wanted < <(topology_nodes "$computes" "$controllers")
  for node in $(nodes_with_pid_files); do
    node_alive "$node" && running+=("$node")
  done
  if ((${#running[@]})); then
    local old_computes old_controllers old_driver old_persistence old_netns extra=()
    old_netns=$(topology_get netns)
    old_computes=$(topology_get computes)
    old_controllers=$(topology_get controllers)
    old_driver=$(topology_get driver)
    old_persistence=$(topology_get persistence)
    for node in "${running[@]}"; do
      [[ " ${wanted[*]} " == *" $node "* ]] || extra+=("$node")
    done
    if [[ $old_computes != "$computes" || ${old_controllers:-1} != "$controllers" || $old_driver != "$driver" || $old_persistence != "$persistence" || ${old_netns:-0} != "$netns" ]] || ((${#extra[@]})); then
      die "a cluster with another topology is running (${old_controllers:-1} controller(s), ${old_computes:-?} computes, driver ${old_driver:-?}, persistence ${old_persistence:-?}, netns ${old_netns:-0}); stop it first: ./cluster.sh down"
    fi
    if ((${#running[@]} == ${#wanted[@]})); then
      say "cluster already running: $controllers controller(s) + $computes compute(s), driver $driver, persistence $persistence"
    fi
  fi

  ensure_built
  if [[ $driver == libvirt ]]; then
    start_daemons
    ensure_traversable "$STATE_DIR"
  fi
  NETNS=$netns
  mkdir -p "$STATE_DIR"
  if ((netns)); then
    require_root_for_netns
    netns_bridge_up
    for node in "${wanted[@]}"; do netns_node_up "$node"; done
  fi
  # The local server and the cluster's own database on it, unless the nodes are pointed at another server.
  if [[ $persistence == postgres && -z ${CLOUD_ACTORS_POSTGRES:-} ]]; then
    start_postgres
    ensure_cluster_database
    ((netns)) && netns_pg_relay_up
  fi
  local port to_start=()
  for node in "${wanted[@]}"; do
    node_alive "$node" && continue
    local ports=("$(node_port "$REMOTING_BASE_PORT" "$node")" "$(node_port "$SHELL_BASE_PORT" "$node")" "$(node_port "$MANAGEMENT_BASE_PORT" "$node")")
    if is_controller "$node"; then
      local offset
      offset=$(api_offset "$node")
      ports+=($((IDENTITY_PORT + offset)) $((COMPUTE_API_PORT + offset)) $((IMAGE_API_PORT + offset)) $((NETWORK_API_PORT + offset)) $((METADATA_API_PORT + offset)))
    fi
    for port in "${ports[@]}"; do
      port_stays_in_use "$(node_host "$node")" "$port" && die "port $port (for $node) is already in use by another process (ss -ltnp 'sport = :$port')"
    done
    to_start+=("$node")
  done

  printf 'computes=%s\ncontrollers=%s\ndriver=%s\npersistence=%s\nnetns=%s\n' "$computes" "$controllers" "$driver" "$persistence" "$netns" >"$STATE_DIR/topology"
  write_openrc
  write_images_conf "$STATE_DIR/images.conf"
  # With no compute node, the controllers are all-in-one nodes and host instances too.
  local controller_roles=controller contacts
  ((computes > 0)) || controller_roles=controller,compute
  contacts=$(contact_points "${wanted[@]}")
  for node in "${to_start[@]}"; do
    if is_controller "$node"; then
      start_node "$node" "$controller_roles" "$driver" "$persistence" "$contacts"
    else
      start_node "$node" compute "$driver" "$persistence" "$contacts"
    fi
  done
  # Nodes started beside running ones rejoin a cluster that may still list their old incarnation.
  local rejoining=()
  ((${#to_start[@]} < ${#wanted[@]})) && rejoining=("${to_start[@]}")
  wait_until_up "${#wanted[@]}" "${wanted[@]}" -- "${rejoining[@]}"
  wait_until_ready "${wanted[@]}"
  local where=""
  ((netns)) && where=", each node in its own network namespace on $(netns_bridge) ($(netns_prefix).0/24)"
  say "cluster up: $controllers controller(s) + $computes compute(s), driver $driver$where; shell: ./cluster.sh cmd nova list; credentials: source $STATE_NAME/openrc"
}

# ---- node: one node of a cluster that spans machines ------------------------------

# node [--name N] --roles R --address A --seeds S [--state-dir D] [--driver D] [--persistence P] [--postgres CONN]
# Runs one node in the foreground (systemd's way: deploy/cloud-actors-node.service); every option may also come from
# its CLOUD_ACTORS_* variable (the unit's EnvironmentFile). Seeds are the management endpoints of every node of the
# cluster, host or host:port (port 8558 when left out).
cmd_node() {
  local name=${CLOUD_ACTORS_NODE:-$(hostname -s)} roles=${CLOUD_ACTORS_ROLES:-} address=${CLOUD_ACTORS_ADDRESS:-}
  local seeds=${CLOUD_ACTORS_CONTACT_POINTS:-} state=${CLOUD_ACTORS_STATE_DIR:-/var/lib/cloud-actors}
  local driver=${CLOUD_ACTORS_DRIVER:-$DEFAULT_DRIVER} persistence=${CLOUD_ACTORS_PERSISTENCE:-postgres}
  local postgres=${CLOUD_ACTORS_POSTGRES:-}
  while (($#)); do
    (($# >= 2)) || die "node: $1 needs a value (see ./cluster.sh help)"
    case $1 in
      --name) name=$2 ;;
      --roles) roles=$2 ;;
      --address) address=$2 ;;
      --seeds) seeds=$2 ;;
      --state-dir) state=$2 ;;
      --driver) driver=$2 ;;
      --persistence) persistence=$2 ;;
      --postgres) postgres=$2 ;;
      *) die "node: unknown argument '$1' (usage: ./cluster.sh node --roles controller|compute|controller,compute --address A --seeds S [--name N] [--state-dir D] [--driver libvirt|fake] [--persistence postgres|sqlite] [--postgres CONNECTION])" ;;
    esac
    shift 2
  done
  [[ -n $roles ]] || die "node: --roles is required (controller, compute, or controller,compute)"
  [[ -n $address ]] || die "node: --address is required: the address of this machine that the other nodes reach"
  [[ -n $seeds ]] || die "node: --seeds is required: the management endpoints of every node of the cluster (host[:8558],...)"
  [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ ]] || die "node: --name '$name' is not a host name"
  [[ $state == /* ]] || die "node: --state-dir must be an absolute path, not '$state'"
  local points=() seed
  IFS=, read -r -a points <<<"$seeds"
  for seed in "${!points[@]}"; do
    [[ ${points[$seed]} == *:* ]] || points[$seed]="${points[$seed]}:8558"
  done
  seeds=$(IFS=,; echo "${points[*]}")
  ensure_built
  [[ $driver == libvirt ]] && start_daemons
  mkdir -p "$state"
  local env=(
    CLOUD_ACTORS_NODE="$name" CLOUD_ACTORS_ROLES="$roles" CLOUD_ACTORS_ADDRESS="$address" CLOUD_ACTORS_CONTACT_POINTS="$seeds"
    CLOUD_ACTORS_STATE_DIR="$state" CLOUD_ACTORS_DRIVER="$driver" CLOUD_ACTORS_PERSISTENCE="$persistence"
    CLOUD_ACTORS_HOCON_DIR="$HOCON_DIR"
  )
  [[ -n $postgres ]] && env+=(CLOUD_ACTORS_POSTGRES="$postgres")
  say "node $name (roles $roles) on $address, contact points $seeds, state in $state"
  exec env "${env[@]}" dotnet "$NODE_DLL"
}

# ---- down ---------------------------------------------------------------------

# SIGTERM every given node at once, wait up to DOWN_TIMEOUT, then SIGKILL.
stop_nodes() {
  local node pid deadline=$((SECONDS + DOWN_TIMEOUT)) waiting=()
  for node in "$@"; do
    if node_alive "$node"; then
      pid=$(node_pid "$node")
      say "stopping $node (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      waiting+=("$node")
    fi
  done
  while ((${#waiting[@]})); do
    local still=()
    for node in "${waiting[@]}"; do
      node_alive "$node" && still+=("$node")
    done
    waiting=("${still[@]}")
    ((${#waiting[@]})) || break
    if ((SECONDS >= deadline)); then
      for node in "${waiting[@]}"; do
        pid=$(node_pid "$node") || continue
        warn "$node (pid $pid) did not exit ${DOWN_TIMEOUT}s after SIGTERM; killing it"
        # The node leads its own session (setsid): kill its process group.
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      done
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  for node in "$@"; do
    rm -f "$STATE_DIR/$node/node.pid"
  done
}

cmd_down() {
  local purge=0
  case ${1:-} in
    --purge) purge=1; shift ;;
  esac
  no_args "$@"
  local nodes=() computes=() node
  mapfile -t nodes < <(nodes_with_pid_files)
  if ! ((${#nodes[@]})); then
    say "no cluster running"
    ((NETNS)) && netns_down
    ((purge)) && purge_state
    return 0
  fi
  local controllers=()
  for node in "${nodes[@]}"; do
    if ! is_controller "$node"; then computes+=("$node"); elif [[ $node != controller ]]; then controllers+=("$node"); fi
  done
  # Computes first, then controller2.., `controller` last: usually the oldest (the singletons' host), so the
  # singletons are not handed over on the way down.
  ((${#computes[@]})) && stop_nodes "${computes[@]}"
  ((${#controllers[@]})) && stop_nodes "${controllers[@]}"
  [[ " ${nodes[*]} " == *" controller "* ]] && stop_nodes controller
  ((NETNS)) && netns_down
  say "cluster down"
  ((purge)) && purge_state
  return 0
}

# As Nova's compute hosts, stopped nodes leave their guests running; --purge
# removes them too, and the state directory with journals and instance files.
purge_state() {
  purge_vifs
  purge_guests "$STATE_DIR"
  purge_dhcp
  purge_network_bridges
  [[ $(topology_get persistence) == postgres ]] && drop_cluster_database
  rm -rf "${STATE_DIR:?}"
  say "removed the guests and state of ${STATE_DIR#"$REPO"/}"
}

# The port devices (qbr, qvb/qvo) of this cluster's instances: their bridge's alias names the instance, whose
# directory is under the state directory being purged (other clusters' hosts may share the host names). The network
# bridges (brq) they were on go too once empty; under up --netns those are in the nodes' namespaces and go with them.
PURGED_NETWORK_BRIDGES=()
purge_vifs() {
  local dev alias id short master
  for dev in /sys/class/net/qbr*; do
    [[ -e $dev ]] || continue
    alias=$(cat "$dev/ifalias" 2>/dev/null || true)
    id=$(sed -n 's/.* instance=\([0-9a-f-]*\) .*/\1/p' <<<"$alias")
    [[ -n $id ]] && compgen -G "$STATE_DIR/*/instances/$id" >/dev/null || continue
    short=${dev##*/qbr}
    master=$(basename "$(readlink "/sys/class/net/qvo$short/master" 2>/dev/null)" 2>/dev/null || true)
    [[ $master == brq* ]] && PURGED_NETWORK_BRIDGES+=("$master")
    ip link del "qvb$short" 2>/dev/null || true
    ip link del "qbr$short" 2>/dev/null || true
  done
}

# The network bridges left empty by purge_vifs and purge_dhcp (a VXLAN device is no port: it goes with its bridge).
# A DHCP server's veth goes with its namespace, which the kernel tears down a moment after `ip netns del`: a bridge
# still busy is looked at again for up to 2 s.
purge_network_bridges() {
  local bridge port busy tries
  for bridge in "${PURGED_NETWORK_BRIDGES[@]}"; do
    for ((tries = 0; tries < 20; tries++)); do
      [[ -d /sys/class/net/$bridge/brif ]] || break
      busy=0
      for port in /sys/class/net/"$bridge"/brif/*; do
        [[ -e $port ]] || continue
        [[ $(basename "$port") == vxlan-* ]] || busy=1
      done
      ((busy)) || break
      sleep 0.1
    done
    [[ -d /sys/class/net/$bridge/brif ]] || continue
    ((busy)) && continue
    for port in /sys/class/net/"$bridge"/brif/vxlan-*; do [[ -e $port ]] && { ip link del "$(basename "$port")" 2>/dev/null || true; }; done
    ip link del "$bridge" 2>/dev/null || true
  done
}

# The network agent's DHCP servers outlive their node, as Neutron's dnsmasq processes do; a purge stops them and
# removes their namespaces (the veth pair goes with its namespace end).
purge_dhcp() {
  local dir net pid
  for dir in "$STATE_DIR"/dhcp/*/; do
    [[ -d $dir ]] || continue
    net=$(basename "$dir")
    PURGED_NETWORK_BRIDGES+=("brq${net:0:11}")
    pid=$(cat "$dir/pid" 2>/dev/null || true)
    [[ $pid =~ ^[0-9]+$ ]] && kill "$pid" 2>/dev/null
    ip netns del "qdhcp-$net" 2>/dev/null || true
  done
}

# ---- status -------------------------------------------------------------------

cmd_status() {
  no_args "$@"
  local computes nodes=() node state
  computes=$(topology_get computes)
  if [[ -n $computes ]]; then
    local controllers
    controllers=$(topology_get controllers)
    say "topology: ${controllers:-1} controller(s) + $computes compute(s), driver $(topology_get driver), persistence $(topology_get persistence)"
    mapfile -t nodes < <({ topology_nodes "$computes" "${controllers:-1}"; nodes_with_pid_files; } | awk '!seen[$0]++')
  else
    say "no cluster has been started here (no $STATE_NAME/topology)"
    mapfile -t nodes < <(nodes_with_pid_files)
  fi
  for node in "${nodes[@]}"; do
    if node_alive "$node"; then state="running (pid $(node_pid "$node"))"; else state=stopped; fi
    printf '%-12s %-22s remoting %-21s shell %-21s management %s\n' "$node" "$state" \
      "$(node_endpoint "$REMOTING_BASE_PORT" "$node")" "$(node_endpoint "$SHELL_BASE_PORT" "$node")" \
      "$(node_endpoint "$MANAGEMENT_BASE_PORT" "$node")"
  done
  if node_alive controller; then
    echo
    say "cluster show ($(controller_shell))"
    client "$POLL_TIMEOUT" "$(controller_shell)" cluster show || warn "the controller's shell did not answer (still starting?)"
  fi
  return 0
}

# ---- endpoints: where each node of the running topology listens, for programs -------------

# One line per node: name, roles (controller/compute), pid (- when stopped), remoting, shell and management endpoints,
# and for controllers the identity, compute, image and network API URLs (- for computes). Tab separated.
cmd_endpoints() {
  no_args "$@"
  local computes controllers node pid offset apis
  computes=$(topology_get computes)
  [[ -n $computes ]] || die "endpoints: no cluster has been started here (no $STATE_NAME/topology)"
  controllers=$(topology_get controllers)
  while read -r node; do
    pid=$(node_pid "$node" 2>/dev/null) && node_alive "$node" || pid=-
    if is_controller "$node"; then
      offset=$(api_offset "$node")
      apis="http://$(node_host "$node"):$((IDENTITY_PORT + offset))	http://$(node_host "$node"):$((COMPUTE_API_PORT + offset))	http://$(node_host "$node"):$((IMAGE_API_PORT + offset))	http://$(node_host "$node"):$((NETWORK_API_PORT + offset))"
      printf '%s\tcontroller\t%s\t%s\t%s\t%s\t%s\n' "$node" "$pid" "$(node_endpoint "$REMOTING_BASE_PORT" "$node")" \
        "$(node_endpoint "$SHELL_BASE_PORT" "$node")" "$(node_endpoint "$MANAGEMENT_BASE_PORT" "$node")" "$apis"
    else
      printf '%s\tcompute\t%s\t%s\t%s\t%s\t-\t-\t-\t-\n' "$node" "$pid" "$(node_endpoint "$REMOTING_BASE_PORT" "$node")" \
        "$(node_endpoint "$SHELL_BASE_PORT" "$node")" "$(node_endpoint "$MANAGEMENT_BASE_PORT" "$node")"
    fi
  done < <(topology_nodes "$computes" "${controllers:-1}")
}

# ---- cmd ----------------------------------------------------------------------

cmd_cmd() {
  # Build progress goes to stderr: stdout is the command's output, for parsing.
  [[ -f $CMD_DLL ]] || ensure_built >&2
  # Without HOST:PORT the client asks $CLOUD_ACTORS_SHELL, else this cluster's controller.
  CLOUD_ACTORS_SHELL=${CLOUD_ACTORS_SHELL:-$(controller_shell)} exec dotnet "$CMD_DLL" "$@"
}

# ---- ssh ----------------------------------------------------------------------

# As on a Neutron node: `ip netns exec qdhcp-<network> ssh -i <key>.pem root@<fixed ip>`. The namespace is the one
# whose subnet holds the server's first address (on-link there, not through a gateway).
cmd_ssh() {
  (($#)) || die "usage: ./cluster.sh ssh NAME [COMMAND...]"
  local name=$1 show key address ns route found=
  shift
  show=$(client "$STEP_TIMEOUT" "$(controller_shell)" nova show "$name") || die "nova show $name failed"
  key=$(table_cell "$show" key_name 2)
  address=$(awk -F'|' '$2 ~ / network[ \t]*$/ { gsub(/[ \t]/, "", $3); split($3, a, ","); print a[1]; exit }' <<<"$show")
  [[ -n $address ]] || die "server $name has no fixed address"
  [[ -n $key && $key != - ]] || die "server $name was booted without a key pair"
  [[ -f $STATE_DIR/$key.pem ]] || die "no private key $STATE_NAME/$key.pem (./cluster.sh demo saves miclave's; else: ./cluster.sh cmd nova keypair-add $key > $STATE_NAME/$key.pem)"
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^qdhcp-/ { print $1 }'); do
    route=$(ip -n "$ns" route get "$address" 2>/dev/null) || continue
    if [[ $route == *" dev ns-"* && $route != *" via "* ]]; then
      found=$ns
      break
    fi
  done
  [[ -n $found ]] || die "no qdhcp- namespace serves $address (is the network agent on? it needs the libvirt driver and root)"
  exec ip netns exec "$found" ssh -i "$STATE_DIR/$key.pem" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
    -o ConnectTimeout=30 -o BatchMode=yes "root@$address" "$@"
}

# ---- demo ---------------------------------------------------------------------

# nova_step ARGS...: prints the step, runs `nova ARGS...`, output to stdout.
nova_step() {
  printf '\n==> nova %s\n' "$*"
  client "$STEP_TIMEOUT" "$(controller_shell)" nova "$@" || die "nova $1 failed (exit $?)"
}

cmd_demo() {
  no_args "$@"
  say "starting from a fresh $STATE_NAME/ (the demo is repeatable)"
  cmd_down --purge
  cmd_setup
  cmd_up --computes 2

  # As `nova keypair-add miclave > miclave.pem`.
  printf '\n==> nova keypair-add miclave\n'
  local out err=$BUILD_DIR/keypair-add.err
  if out=$(client "$STEP_TIMEOUT" "$(controller_shell)" nova keypair-add miclave 2>"$err"); then
    if grep -q 'PRIVATE KEY' <<<"$out"; then
      (umask 077 && printf '%s\n' "$out" >"$STATE_DIR/miclave.pem")
      echo "private key saved to $STATE_NAME/miclave.pem"
    else
      printf '%s\n' "$out"
    fi
  elif grep -qi 'already exists' "$err"; then
    echo "keypair miclave already exists"
  else
    cat "$err" >&2
    die "nova keypair-add miclave failed"
  fi

  local nets net_id
  nets=$(nova_step net-list)
  printf '%s\n' "$nets"
  net_id=$(table_cell "$nets" privada 1)
  [[ -n $net_id ]] || die "nova net-list shows no network named 'privada'"

  nova_step boot --image cirros --flavor 1 --key_name miclave --nic "net-id=$net_id" --poll test2
  local show
  show=$(nova_step show test2)
  printf '%s\n' "$show"
  if [[ $(topology_get driver) == libvirt ]]; then
    show_guest_files "$show"
    # The guest's own network: its DHCP address, the key pair's key from the metadata service, dropbear.
    printf '\n==> ./cluster.sh ssh test2 hostname\n'
    "$REPO/cluster.sh" ssh test2 hostname || warn "ssh into test2 failed"
  fi
  echo
  say "the cluster is still running: ./cluster.sh status, ./cluster.sh cmd nova list, ./cluster.sh down [--purge]"
}

# What the seed shows on rdo2, for the instance of a `nova show` table: the
# instances directory, the instance's files, its domain and its console.
show_guest_files() {
  local show=$1 id host instances dir waited=0
  id=$(table_cell "$show" id 2)
  host=$(table_cell "$show" OS-EXT-SRV-ATTR:host 2)
  [[ -n $id && -n $host ]] || die "nova show gave no id or host"
  instances=$STATE_DIR/$host/instances
  dir=$instances/$id
  printf '\n==> ls -l %s/\n' "${instances#"$REPO"/}"
  ls -l "$instances"
  printf '\n==> ls -l %s/\n' "${dir#"$REPO"/}"
  ls -l "$dir"
  printf '\n==> cat %s/libvirt.xml\n' "${dir#"$REPO"/}"
  cat "$dir/libvirt.xml"
  printf '\n==> qemu-img info %s/disk\n' "${dir#"$REPO"/}"
  qemu-img info -U "$dir/disk"
  printf '\n==> virsh list --all\n'
  virsh -c "$LIBVIRT_URI" list --all
  # The guest boots on (TCG is slow): wait for its login prompt before showing the console.
  until grep -q 'login:' "$dir/console.log" 2>/dev/null; do
    ((waited++ < STEP_TIMEOUT)) || { warn "no login prompt in console.log after ${STEP_TIMEOUT}s"; break; }
    sleep 1
  done
  printf '\n==> tail -n 20 %s/console.log\n' "${dir#"$REPO"/}"
  tail -n 20 "$dir/console.log"
}

# ---- test ---------------------------------------------------------------------

cmd_test() {
  no_args "$@"
  say "stopping any cluster left from a previous run"
  cmd_down >/dev/null
  cmd_setup
  # Process-level tests drive the real cluster through this script.
  export CLOUD_ACTORS_REPO=$REPO
  local results=$BUILD_DIR/test-results rc=0
  rm -rf "$results"
  mkdir -p "$results"
  say "testing $SOLUTION (one test project at a time)"
  dotnet test "$SOLUTION" -c "$CONFIGURATION" --no-build -nologo -m:1 \
    --results-directory "$results" \
    --logger "trx;LogFilePrefix=tests" --logger "console;verbosity=minimal" \
    --blame-hang-timeout "$TEST_HANG_TIMEOUT" --blame-hang-dump-type none \
    2>&1 | tee "$results/console.log" || rc=$?
  cmd_down >/dev/null 2>&1 || true

  # One line per test project: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...".
  local passed=0 failed=0 skipped=0 total=0 f p s t
  while read -r f p s t; do
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s)) total=$((total + t))
  done < <(sed -nE 's/.*(Passed|Failed)! +- +Failed: +([0-9]+), +Passed: +([0-9]+), +Skipped: +([0-9]+), +Total: +([0-9]+).*/\2 \3 \4 \5/p' "$results/console.log")

  local ok=1
  if ((total == 0)); then
    warn "error: no test ran"
    ok=0
  fi
  if ((rc != 0 && failed == 0)); then
    warn "error: dotnet test exited with status $rc (see the output above)"
    ok=0
  fi
  ((failed == 0)) || ok=0
  printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  ((ok)) || exit 1
}

# ---- tempest ------------------------------------------------------------------

# tempest_cluster ARGS...: this script on the Tempest cluster: its own state directory and ports, whatever this shell's
# CLOUD_ACTORS_* say.
tempest_cluster() {
  CLOUD_ACTORS_CLUSTER_DIR=$TEMPEST_DIR/cluster \
    CLOUD_ACTORS_REMOTING_BASE_PORT=$TEMPEST_REMOTING_BASE_PORT \
    CLOUD_ACTORS_SHELL_BASE_PORT=$TEMPEST_SHELL_BASE_PORT \
    CLOUD_ACTORS_MANAGEMENT_BASE_PORT=$TEMPEST_MANAGEMENT_BASE_PORT \
    CLOUD_ACTORS_IDENTITY_PORT=$TEMPEST_API_BASE_PORT \
    CLOUD_ACTORS_COMPUTE_PORT=$((TEMPEST_API_BASE_PORT + 1)) \
    CLOUD_ACTORS_IMAGE_PORT=$((TEMPEST_API_BASE_PORT + 2)) \
    CLOUD_ACTORS_NETWORK_PORT=$((TEMPEST_API_BASE_PORT + 3)) \
    CLOUD_ACTORS_METADATA_PORT=$((TEMPEST_API_BASE_PORT + 4)) \
    CLOUD_ACTORS_API_HOST=$HOST \
    "$REPO/cluster.sh" "$@"
}

# openrc_value FILE NAME: the value an openrc exports for NAME (OS_AUTH_URL, OS_PASSWORD ...).
openrc_value() {
  local value
  value=$(sed -n "s/^export $2=//p" "$1" | tail -n 1)
  [[ -n $value ]] || die "$1 sets no $2"
  printf '%s' "$value"
}

# fill_template TEMPLATE OUT NAME=VALUE...: TEMPLATE with each @NAME@ replaced by its VALUE, written to OUT.
fill_template() {
  local template=$1 out=$2 text pair left
  shift 2
  text=$(<"$template")
  for pair in "$@"; do
    text=${text//"@${pair%%=*}@"/"${pair#*=}"}
  done
  left=$(grep -o '@[A-Z_]*@' <<<"$text" | sort -u | tr '\n' ' ' || true)
  [[ -z $left ]] || die "${template#"$REPO"/}: nothing fills $left"
  printf '%s\n' "$text" >"$out"
}

# tempest_progress TOTAL: passes Tempest's output through to stdout as one line per TEMPEST_PROGRESS_EVERY results
# and one per failure (the whole output goes to the run's log).
tempest_progress() {
  awk -v total="$1" -v every="$TEMPEST_PROGRESS_EVERY" '
    /^\{[0-9]+\} .* \.\.\. (ok|FAILED|SKIPPED)/ {
      n++
      if ($0 ~ /\.\.\. ok$/) passed++
      else if ($0 ~ /\.\.\. FAILED$/) {
        failed++
        line = $0
        sub(/^\{[0-9]+\} /, "", line)
        sub(/ \[[0-9.]+s\] \.\.\. FAILED$/, "", line)
        sub(/ \.\.\. FAILED$/, "", line)
        print "    FAILED " line
      } else skipped++
      if (n % every == 0)
        printf "==> %d results (of %d tests): %d passed, %d failed, %d skipped\n", n, total, passed, failed, skipped
      fflush()
    }'
}

# tempest_stop: stops the Tempest cluster, keeps its nodes' logs in the workspace (nodes/<node>.log: the server side of
# a failure), and removes its state.
tempest_stop() {
  local log node
  say "stopping the Tempest cluster (its nodes' logs kept in ${TEMPEST_WORKSPACE#"$REPO"/}/nodes/, its state removed)"
  tempest_cluster down >/dev/null 2>&1 || warn "could not stop the Tempest cluster"
  rm -rf "$TEMPEST_WORKSPACE/nodes"
  for log in "$TEMPEST_DIR"/cluster/*/node.log; do
    [[ -f $log ]] || continue
    node=$(basename "$(dirname "$log")")
    mkdir -p "$TEMPEST_WORKSPACE/nodes"
    cp "$log" "$TEMPEST_WORKSPACE/nodes/$node.log"
  done
  tempest_cluster down --purge >/dev/null 2>&1 ||
    warn "could not remove the Tempest cluster; try: CLOUD_ACTORS_CLUSTER_DIR=$TEMPEST_DIR/cluster ./cluster.sh down --purge"
}

cmd_tempest() {
  (($# <= 1)) || die "tempest: one REGEX at most (usage: ./cluster.sh tempest [REGEX])"
  local regex=${1:-$TEMPEST_DEFAULT_REGEX}
  [[ $TEMPEST_CONCURRENCY =~ ^[12]$ ]] || die "CLOUD_ACTORS_TEMPEST_CONCURRENCY must be 1 or 2, not '$TEMPEST_CONCURRENCY'"
  local started=$SECONDS
  install_packages "${TEMPEST_PACKAGES[@]}"
  command -v tempest >/dev/null 2>&1 || die "tempest is not on PATH after installing ${TEMPEST_PACKAGES[*]}"

  # The workspace is made once and kept: its stestr repository gathers every run (stestr last, stestr failing).
  local ws=$TEMPEST_WORKSPACE
  if [[ ! -f $ws/.stestr.conf ]]; then
    say "making the Tempest workspace ${ws#"$REPO"/}"
    rm -rf "$ws"
    mkdir -p "$TEMPEST_DIR"
    (cd "$TEMPEST_DIR" && tempest init --workspace-path "$TEMPEST_DIR/workspace.yaml" --name cloud-actors "$ws" >/dev/null) ||
      die "tempest init failed"
  fi
  # Which tests, before any cluster is started (the listing needs no cloud, only a configuration file).
  local total
  total=$(cd "$ws" && tempest run --config-file etc/tempest.conf --regex "$regex" --list-tests 2>/dev/null | grep -c '^tempest\.' || true)
  ((total > 0)) || die "tempest: no test matches '$regex' (tempest run --list-tests lists them)"

  say "removing any Tempest cluster left from a previous run"
  tempest_cluster down --purge >/dev/null
  # From here on the cluster goes whatever happens: failure, die, Ctrl-C.
  trap tempest_stop EXIT
  trap 'exit 130' INT TERM
  say "starting a fresh fake-driver cluster of $TEMPEST_COMPUTES computes for Tempest (${TEMPEST_DIR#"$REPO"/}/cluster, ports $TEMPEST_REMOTING_BASE_PORT+, API $TEMPEST_API_BASE_PORT+)"
  tempest_cluster up --driver fake --persistence sqlite --computes "$TEMPEST_COMPUTES"

  # The credentials and identity URI of the cluster's openrc (admin admin, demo demo).
  local openrc=$TEMPEST_DIR/cluster/openrc auth_url password domain
  auth_url=$(openrc_value "$openrc" OS_AUTH_URL)
  password=$(openrc_value "$openrc" OS_PASSWORD)
  domain=$(openrc_value "$openrc" OS_USER_DOMAIN_NAME)
  say "uploading the second image (cirros-alt, $TEMPEST_ALT_IMAGE_ID) and reading the compute microversions"
  local prepared MIN_MICROVERSION= MAX_MICROVERSION=
  prepared=$(/usr/bin/python3 "$REPO/tempest/prepare.py" "$auth_url" admin admin "$password" "$domain" "$TEMPEST_ALT_IMAGE_ID") ||
    die "tempest/prepare.py failed"
  eval "$(grep -E '^(MIN|MAX)_MICROVERSION=[0-9.]+$' <<<"$prepared")"
  [[ -n $MIN_MICROVERSION && -n $MAX_MICROVERSION ]] || die "tempest/prepare.py gave no microversions: $prepared"

  fill_template "$REPO/tempest/tempest.conf.in" "$ws/etc/tempest.conf" \
    WORKSPACE="$ws" IDENTITY_URI="$auth_url" IMAGE_REF="$DEFAULT_IMAGE_ID" IMAGE_REF_ALT="$TEMPEST_ALT_IMAGE_ID" \
    FLAVOR_REF=1 FLAVOR_REF_ALT=2 NETWORK=privada COMPUTES="$TEMPEST_COMPUTES" \
    MIN_MICROVERSION="$MIN_MICROVERSION" MAX_MICROVERSION="$MAX_MICROVERSION"
  fill_template "$REPO/tempest/accounts.yaml.in" "$ws/etc/accounts.yaml" \
    DOMAIN="$domain" PASSWORD="$password" NETWORK=privada
  say "wrote ${ws#"$REPO"/}/etc/tempest.conf (compute $MIN_MICROVERSION to $MAX_MICROVERSION) and etc/accounts.yaml"

  local log=$ws/run.log rc=0 f
  for f in run.log tempest.log; do [[ -f $ws/$f ]] && mv -f "$ws/$f" "$ws/$f.1"; done
  say "running $total Tempest tests matching '$regex', $TEMPEST_CONCURRENCY at a time (whole output: ${log#"$REPO"/})"
  (cd "$ws" && PYTHONUNBUFFERED=1 tempest run --config-file etc/tempest.conf --regex "$regex" \
    --concurrency "$TEMPEST_CONCURRENCY") >"$log" 2>&1 &
  local runner=$!
  tempest_progress "$total" < <(tail -n +1 --pid="$runner" -f "$log")
  wait "$runner" || rc=$?
  trap - EXIT
  tempest_stop

  # Tempest's own summary ("Totals" .. "Sum of execute time"), then the usual last line.
  echo
  sed -n '/^Totals$/,/^Sum of execute time/p' "$log"
  local passed failed skipped
  passed=$(sed -nE 's/^ - Passed: ([0-9]+)$/\1/p' "$log" | tail -n 1)
  failed=$(sed -nE 's/^ - Failed: ([0-9]+)$/\1/p' "$log" | tail -n 1)
  skipped=$(sed -nE 's/^ - Skipped: ([0-9]+)$/\1/p' "$log" | tail -n 1)
  # This run's failures (stestr failing also keeps those of earlier runs with another REGEX).
  sed -nE 's/^\{[0-9]+\} (.*) \.\.\. FAILED$/\1/p' "$log" | sed -E 's/ \[[0-9.]+s\]$//' >"$ws/failing.txt"
  echo
  say "results in ${ws#"$REPO"/}: run.log, failing.txt, tempest.log (requests), nodes/ (the nodes' logs), .stestr/ (subunit; stestr last, stestr failing)"
  say "wall time $(((SECONDS - started) / 60))m$(((SECONDS - started) % 60))s"
  if [[ -z $passed || -z $failed ]]; then
    tail -n 30 "$log" >&2
    die "tempest run gave no totals (exit $rc; whole output: ${log#"$REPO"/})"
  fi
  printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "${skipped:-0}"
  ((rc == 0 && failed == 0)) || exit 1
}

# ---- bench --------------------------------------------------------------------

cmd_bench() {
  cmd_setup
  # `bench guests` seeds its in-process controller with the same images as `up`.
  mkdir -p "$BUILD_DIR"
  write_images_conf "$BUILD_DIR/bench-images.conf"
  # bench faults|handover drive a cluster of their own through this script.
  CLOUD_ACTORS_REPO=$REPO CLOUD_ACTORS_GUEST_IMAGES=$BUILD_DIR/bench-images.conf \
    exec dotnet run -c "$CONFIGURATION" --no-build --project "$BENCH_PROJECT" -- "$@"
}

# ---- main ---------------------------------------------------------------------

[[ $(topology_get netns) == 1 ]] && NETNS=1

CURRENT=${1:-help}
(($#)) && shift
case $CURRENT in
  setup) cmd_setup "$@" ;;
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  node) cmd_node "$@" ;;
  endpoints) cmd_endpoints "$@" ;;
  status) cmd_status "$@" ;;
  cmd) cmd_cmd "$@" ;;
  ssh) cmd_ssh "$@" ;;
  demo) cmd_demo "$@" ;;
  test) cmd_test "$@" ;;
  tempest) cmd_tempest "$@" ;;
  bench) cmd_bench "$@" ;;
  help | -h | --help) usage ;;
  *) die "unknown command '$CURRENT' (./cluster.sh help lists the commands)" ;;
esac
