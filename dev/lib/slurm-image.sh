# shellcheck shell=bash
# dev/lib/slurm-image.sh (sourced by dev/local-slurm): SIFs from Debian-based image definitions (the job
# image /opt/dask-mpi/dask-mpi.sif from runtime/image/dask-mpi-debian.def by default, test images from
# theirs), and the operator's Jib image tar as /opt/dask-mpi/dask-mpi-operator.sif.
# All are built by the apptainer of the 26.05 root, inside its mount namespace (apptainer refuses chroot(8)).
# Facts: docs/local-lab.md §5 (no %post as root here, empty /dev, /etc/hosts, docker-archive).

readonly IMAGE_DEF=runtime/image/dask-mpi-debian.def # both relative to the repository root, as the def
readonly IMAGE_JAR=runtime/target/dask-mpi-runtime.jar # file's %files line is
readonly OPERATOR_TAR=operator/target/dask-mpi-operator-image.tar
# Inside the 26.05 root (on the host: $ROOT$IMAGE_CACHE). Each definition's tree is where its `tree`
# argument points.
readonly IMAGE_CACHE=/var/cache/dask-mpi-image

def_label() { # DEF NAME : a value from the %labels section of an image definition (repository path)
  awk -v k="$2" '/^%/ { sec = $1 } sec == "%labels" && $1 == k { $1 = ""; sub(/^ +/, ""); print; exit }' \
    "$REPO/$1"
}

def_tree() { # DEF : the default of its `tree` build argument, a path inside the 26.05 root
  awk '/^%/ { sec = $1 } sec == "%arguments" && $1 ~ /^tree=/ { sub(/^tree=/, "", $1); print $1; exit }' \
    "$REPO/$1"
}

image_env() { # the 26.05 root's namespace, with apptainer in it
  use_version 26.05
  ns_live || die "the 26.05 root has no mount namespace now: dev/local-slurm up --slurm 26.05 first"
  [[ -x $ROOT/usr/bin/apptainer ]] || die "no apptainer in $ROOT: dev/local-slurm up --slurm 26.05"
  install -d -m 755 "$OPT_DIR" "$ROOT$IMAGE_CACHE"
  IMAGE_LOG=$BASE/log/image.log
}

apptainer_in_ns() { # DIR ARGS... : apptainer as root in the namespace, in DIR (a path inside the root)
  # shellcheck disable=SC2016 # expanded by the shell inside
  run_in env APPTAINER_DROP_CAPS=CAP_SYS_RESOURCE /bin/sh -c 'cd "$0" && exec apptainer "$@"' "$@" \
    </dev/null >>"$IMAGE_LOG" 2>&1
}

# Copies a SIF built in the root to DEST in one rename: jobs that already run keep the old file.
install_sif() { # SRC(host path) DEST
  local tmp
  tmp=$(dirname "$2")/.$(basename "$2").new
  cp -f "$1" "$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$2"
  rm -f "$1"
}

# A stamp: the inputs' hashes plus the size and time of the SIF made from them.
stamp_of() { # DEST INPUT-LINES
  printf '%s\nsif %s\n' "$2" "$(stat -c '%s %Y' "$1" 2>/dev/null || echo none)"
}
up_to_date() { # STAMP-FILE DEST INPUT-LINES
  [[ -f $2 && -f $1 ]] && [[ "$(cat "$1")" == "$(stamp_of "$2" "$3")" ]]
}

# The image tree: debootstrap of the suite and packages that the definition's labels name, cleaned as a
# SIF build wants it. Rebuilt when they change; built beside the old one and renamed into place.
image_tree() { # DEF
  local suite pkgs tree want mirror t0
  suite=$(def_label "$1" io.daskmpi.image.debian-suite)
  pkgs=$(def_label "$1" io.daskmpi.image.debian-packages)
  tree=$(def_tree "$1")
  [[ -n $suite && -n $pkgs ]] || die "$1 names no io.daskmpi.image.debian-suite/-packages label"
  [[ $tree == "$IMAGE_CACHE"/* && $tree != *..* ]] || die "$1: its tree argument must lie under $IMAGE_CACHE"
  tree=$ROOT$tree
  want="suite=$suite packages=$pkgs"
  TREE_STAMP=$want
  [[ -d $tree && $(cat "$tree.stamp" 2>/dev/null) == "$want" ]] && return 0
  [[ ! -e $tree.new ]] || {
    [[ -z $(mounts_under "$tree.new") ]] || die "something is mounted under $tree.new"
    rm -rf --one-file-system "$tree.new"
  }
  mirror=$(host_mirror) t0=$(now)
  install -d "$(dirname "$tree")"
  say "image tree: debootstrap $suite with ${pkgs// /, } into $tree (1-3 min; log: $IMAGE_LOG)"
  debootstrap --variant=minbase --include="${pkgs// /,}" "$suite" "$tree.new" "$mirror" >>"$IMAGE_LOG" 2>&1 ||
    die "debootstrap of the image tree failed" "$IMAGE_LOG" "$tree.new/debootstrap/debootstrap.log"
  [[ -z $(mounts_under "$tree.new") ]] || die "debootstrap left mounts under $tree.new"
  # No package caches or lists in the image; no device nodes (they break unprivileged unpacking);
  # an /etc/hosts for apptainer to bind over.
  rm -rf "$tree.new"/var/cache/apt/archives/*.deb "$tree.new"/var/lib/apt/lists/* "$tree.new"/var/log/*.log \
    "$tree.new"/debootstrap
  find "$tree.new/dev" -mindepth 1 -delete
  touch "$tree.new/etc/hosts"
  rm -rf --one-file-system "$tree"
  mv "$tree.new" "$tree"
  printf '%s\n' "$want" >"$tree.stamp"
  say "image tree ready: $(du -sm "$tree" | cut -f1) MB ($(since "$t0") s)"
}

build_image() { # [DEF] (a path relative to the repository; default the job image's)
  local def=${1:-$IMAGE_DEF} name dest stage=$IMAGE_CACHE/build inputs jar='' t0 t1
  t0=$(now)
  [[ $def != ../* && -f $REPO/$def ]] || die "no image definition at $REPO/$def (it must be in the repository)"
  name=$(def_label "$def" io.daskmpi.image.sif)
  [[ $name =~ ^[A-Za-z0-9._-]+\.sif$ ]] || die "$def names no io.daskmpi.image.sif label (a file name)"
  dest=$OPT_DIR/$name
  # The runtime jar goes in only where the definition's %files takes it.
  if grep -q "^ *$IMAGE_JAR " "$REPO/$def"; then
    jar=$IMAGE_JAR
    [[ -f $REPO/$jar ]] || die "no runtime jar at $REPO/$jar (mvn -B -ntp -pl runtime package)"
  fi
  image_env
  image_tree "$def"
  inputs=$(printf 'def %s\njar %s\ntree %s' "$(sha256sum <"$REPO/$def" | cut -d' ' -f1)" \
    "$([[ -z $jar ]] || sha256sum <"$REPO/$jar" | cut -d' ' -f1)" "$TREE_STAMP")
  if up_to_date "$ROOT$IMAGE_CACHE/$name.stamp" "$dest" "$inputs"; then
    say "$dest is up to date (definition, jar and packages unchanged)"
    return 0
  fi
  # The build sees the definition and the jar at the paths they have in the repository.
  rm -rf "${ROOT:?}$stage"
  install -d "$ROOT$stage/${def%/*}"
  cp "$REPO/$def" "$ROOT$stage/$def"
  if [[ -n $jar ]]; then
    install -d "$ROOT$stage/${jar%/*}"
    cp "$REPO/$jar" "$ROOT$stage/$jar"
  fi
  t1=$(now)
  say "apptainer build $name from the tree, then its %test (about 1 min; log: $IMAGE_LOG)"
  apptainer_in_ns "$stage" build --force --build-arg "tree=$(def_tree "$def")" "$name" "$def" ||
    die "apptainer build failed" "$IMAGE_LOG"
  install_sif "$ROOT$stage/$name" "$dest"
  rm -rf "${ROOT:?}$stage"
  stamp_of "$dest" "$inputs" >"$ROOT$IMAGE_CACHE/$name.stamp"
  say "built $dest: $(du -m "$dest" | cut -f1) MB (build $(since "$t1") s, total $(since "$t0") s)"
}

# The operator's OCI image (Jib's docker-archive tar, `mvn -pl operator -am package -Pimage`) as a SIF,
# so it runs with `dev/local-slurm exec -- apptainer run /opt/dask-mpi/dask-mpi-operator.sif ...`.
build_operator_image() { # [TAR]
  local tar=${1:-$REPO/$OPERATOR_TAR} dest=$OPT_DIR/dask-mpi-operator.sif inputs t0
  t0=$(now)
  [[ -f $tar ]] ||
    die "no operator image tar at $tar (mvn -B -ntp -pl operator -am package -DskipTests -Pimage)"
  image_env
  inputs="tar $(sha256sum <"$tar" | cut -d' ' -f1)"
  if up_to_date "$ROOT$IMAGE_CACHE/operator.stamp" "$dest" "$inputs"; then
    say "$dest is up to date (same image tar)"
    return 0
  fi
  cp -f "$tar" "$ROOT$IMAGE_CACHE/operator-image.tar"
  say "apptainer build $dest from docker-archive:$tar (log: $IMAGE_LOG)"
  apptainer_in_ns "$IMAGE_CACHE" build --force operator.sif docker-archive:operator-image.tar ||
    die "apptainer build of the operator image failed" "$IMAGE_LOG"
  rm -f "$ROOT$IMAGE_CACHE/operator-image.tar"
  install_sif "$ROOT$IMAGE_CACHE/operator.sif" "$dest"
  stamp_of "$dest" "$inputs" >"$ROOT$IMAGE_CACHE/operator.stamp"
  say "built $dest: $(du -m "$dest" | cut -f1) MB ($(since "$t0") s)"
}
