# shellcheck shell=bash
# dev/lib/kube-build.sh: builds the binaries dev/local-kube runs (our CRD API server, etcd, kubectl 1.36)
# in a debootstrap'd Debian sid root and copies them to $KUBE_BIN; they need only glibc on the host.
# Why sid: it is the only Debian suite with Kubernetes 1.36's API-server libraries
# (golang-k8s-apiextensions-apiserver-dev); facts in docs/local-lab.md §6.
# Needs from the caller: SID_ROOT, KUBE_BIN, KUBE_SRC (dev/kube-apiserver), LOG_DIR, common.sh, debootstrap.sh.

readonly SID_PKGS=(golang-go golang-k8s-apiextensions-apiserver-dev etcd-server kubernetes-client)
# GOPATH mode against Debian's Go sources, offline: no module proxy is ever asked.
readonly GO_ENV=(GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= GOTOOLCHAIN=local CGO_ENABLED=0)

# The Kubernetes version the libraries are (Debian's 0.36.4 is Kubernetes 1.36.4), stamped into the binary
# as an upstream build does: without it /version says v0.0.0-master and `kubectl version` fails to parse it.
kube_version() {
  dpkg-query --admindir="$SID_ROOT/var/lib/dpkg" -W -f='${Version}\n' golang-k8s-apiextensions-apiserver-dev |
    sed -nE 's/^([0-9]+:)?0\.([0-9]+)\.([0-9]+).*/1 \2 v1.\2.\3/p'
}
go_build_cmd() { # prints the build command, one word a line
  local major minor version pkg=k8s.io/component-base/version
  read -r major minor version < <(kube_version) || die "cannot tell the Kubernetes version of the sid packages"
  printf '%s\n' go build -trimpath -ldflags \
    "-s -w -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitVersion=$version -X $pkg.gitTreeState=clean" \
    -o /build/out/kube-apiserver .
}

in_sid() { # CMD... : run inside the sid root with a clean environment, without the lock fd
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root \
    DEBIAN_FRONTEND=noninteractive chroot "$SID_ROOT" "$@" 9>&-
}

# Only /proc is mounted, and only while apt or go run: no /sys rbind (it drags cgroup mounts along),
# no /dev bind (debootstrap made the device nodes go build needs).
sid_mount() {
  mkdir -p "$SID_ROOT/proc"
  mountpoint -q "$SID_ROOT/proc" || mount -t proc proc "$SID_ROOT/proc"
  CLEANUP+=("sid_umount")
}
sid_umount() { umount_all "$SID_ROOT"; }

sid_packages() {
  local missing log=$LOG_DIR/sid-root.log t0
  mapfile -t missing < <(missing_pkgs "$SID_ROOT" "${SID_PKGS[@]}")
  ((${#missing[@]})) || return 0
  t0=$(now)
  say "apt-get install in the sid root: ${missing[*]} (2 GB of Go sources: 1-5 min; log: $log)"
  sid_mount
  in_sid apt-get -o Acquire::Check-Valid-Until=false update -q >>"$log" 2>&1 ||
    die "apt-get update in the sid root failed" "$log"
  in_sid apt-get install "${APT_OPTS[@]}" "${missing[@]}" >>"$log" 2>&1 ||
    die "apt-get install in the sid root failed" "$log"
  in_sid apt-get clean >>"$log" 2>&1 || true
  say "packages installed ($(since "$t0") s)"
}

# What the server binary is built from: our sources, the build command and the Go and library versions.
build_inputs_hash() {
  {
    (cd "$KUBE_SRC" && sha256sum -- *.go)
    printf '%s\n' "${GO_ENV[*]}"
    go_build_cmd
    dpkg-query --admindir="$SID_ROOT/var/lib/dpkg" -W golang-go golang-k8s-apiextensions-apiserver-dev 2>/dev/null
  } | sha256sum | cut -d' ' -f1
}

# Returns 0 if the server binary was (re)built.
build_server() {
  local stamp=$KUBE_BIN/.kube-apiserver.inputs hash log=$LOG_DIR/build.log t0
  hash=$(build_inputs_hash)
  if [[ -x $KUBE_BIN/kube-apiserver && $(cat "$stamp" 2>/dev/null) == "$hash" ]]; then return 1; fi
  t0=$(now)
  if [[ -d $SID_ROOT/root/.cache/go-build ]]; then
    say "go build of the CRD API server from dev/kube-apiserver (warm: seconds; log: $log)"
  else
    say "go build of the CRD API server from dev/kube-apiserver (first build: 3-9 min on 2 cores; log: $log)"
  fi
  rm -rf "$SID_ROOT/build"
  install -d "$SID_ROOT/build/src" "$SID_ROOT/build/out"
  cp -- "$KUBE_SRC"/*.go "$SID_ROOT/build/src/"
  sid_mount
  local build
  mapfile -t build < <(go_build_cmd)
  in_sid /usr/bin/env -C /build/src "${GO_ENV[@]}" "${build[@]}" >"$log" 2>&1 || die "go build failed" "$log"
  install_bin "$SID_ROOT/build/out/kube-apiserver" kube-apiserver
  printf '%s\n' "$hash" >"$stamp"
  say "built $KUBE_BIN/kube-apiserver ($(since "$t0") s)"
}

sid_path() { # PATH : the host path of PATH inside the sid root, symlinks (alternatives) resolved there
  local p
  p=$(in_sid readlink -e "$1") || die "no $1 in the sid root"
  printf '%s%s' "$SID_ROOT" "$p"
}

install_bin() { # SRC NAME : replace by rename, so a running copy keeps its own file
  if [[ -x $KUBE_BIN/$2 ]] && cmp -s "$1" "$KUBE_BIN/$2"; then return 0; fi
  install -m 755 "$1" "$KUBE_BIN/.$2.tmp"
  mv -f "$KUBE_BIN/.$2.tmp" "$KUBE_BIN/$2"
}

# Returns 0 if the server binary was (re)built (a running server must then be restarted).
ensure_binaries() {
  local rebuilt=1
  debootstrap_root "$SID_ROOT" sid "$LOG_DIR/sid-root.log"
  configure_root_apt "$SID_ROOT"
  sid_packages
  install -d -m 755 "$KUBE_BIN"
  build_server && rebuilt=0
  install_bin "$(sid_path /usr/bin/etcd)" etcd
  install_bin "$(sid_path /usr/bin/kubectl)" kubectl
  [[ -z $(mounts_under "$SID_ROOT") ]] || sid_umount
  return "$rebuilt"
}
