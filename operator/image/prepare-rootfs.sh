#!/usr/bin/env bash
# Builds the operator image's filesystem, besides the application Jib adds: a jlink'd JRE at
# /opt/java, the C libraries it links against (the base is `scratch`: nothing else is there),
# a passwd entry for the non-root user and a /tmp. Everything comes from this machine's JDK and
# Debian's glibc, so the image builds without a registry or a Docker engine.
# Usage: operator/image/prepare-rootfs.sh OUTPUT_DIR
set -Eeuo pipefail
out=${1:?usage: prepare-rootfs.sh OUTPUT_DIR}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
[[ -d $java_home/jmods ]] || { echo "prepare-rootfs: no jmods in $java_home (install openjdk-17-jdk-headless)" >&2; exit 1; }

# The modules the operator, JOSDK, Fabric8, OkHttp, Jackson and Micrometer use (jdeps on the shaded
# jar sees only part of them), plus TLS for https slurmrestd and API servers.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported,jdk.zipfs

stamp="$out/.modules"
if [[ -x $out/opt/java/bin/java && -f $stamp && $(cat "$stamp") == "$modules" ]]; then
  exit 0 # already built with the same modules
fi
rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp"
"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/opt/java"

# Every shared library the JRE needs, at the same path as on the build machine. AWT and its image
# and font libraries are left out: java.desktop is here for java.beans, and a headless operator
# never loads them.
while read -r lib; do
  [[ -n $lib && -e $lib ]] || continue
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done < <(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
  ! -name 'libawt*' ! -name 'libfontmanager.so' ! -name 'libjawt.so' ! -name 'libsplashscreen.so' \
  ! -name 'libjavajpeg.so' ! -name 'libjsound.so' ! -name 'liblcms.so' ! -name 'libmlib_image.so' -exec ldd {} \; 2>/dev/null |
  awk '/=>/ {print $3} $1 ~ /ld-linux/ {print $1}' | sort -u)

printf 'root:x:0:0:root:/:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' >"$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$out/etc/group"
printf 'hosts: files dns\n' >"$out/etc/nsswitch.conf"
echo "$modules" >"$stamp"
