# shellcheck shell=bash
# dev/lib/kube-pki.sh: the local CA, the server's serving certificate, the admin client certificate
# (O=system:masters: the server's authorizer lets that group do everything) and the kubeconfig using it.
# RSA keys in PKCS#8 ("BEGIN PRIVATE KEY"): Fabric8 reads them without Bouncy Castle.
# Needs from the caller: PKI_DIR, KUBECONFIG_FILE, API_PORT, common.sh.

readonly CERT_DAYS=3650

pki_key() { # FILE
  [[ -s $1 ]] || (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null)
}

pki_sign() { # NAME SUBJECT EXTENSIONS : NAME.key/NAME.crt signed by the local CA
  local name=$1 subj=$2 ext=$3 d=$PKI_DIR
  pki_key "$d/$name.key"
  openssl req -new -key "$d/$name.key" -subj "$subj" -out "$d/$name.csr" 2>/dev/null
  openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days "$CERT_DAYS" \
    -sha256 -extfile <(printf '%s\n' "$ext") -out "$d/$name.crt" 2>/dev/null || die "signing $name.crt failed"
  rm -f "$d/$name.csr"
}

cert_valid() { # FILE : exists, signed by our CA, valid for at least another day
  [[ -s $1 ]] && openssl x509 -checkend 86400 -noout -in "$1" >/dev/null 2>&1 &&
    openssl verify -CAfile "$PKI_DIR/ca.crt" "$1" >/dev/null 2>&1
}

# Returns 0 if a certificate the server uses was (re)made (a running server must then be restarted).
ensure_pki() {
  local changed=1 d=$PKI_DIR
  install -d -m 700 "$d"
  if ! [[ -s $d/ca.crt && -s $d/ca.key ]] || ! openssl x509 -checkend 86400 -noout -in "$d/ca.crt" >/dev/null 2>&1; then
    say "making a local CA in $d"
    rm -f "$d"/*.crt "$d"/*.key
    pki_key "$d/ca.key"
    openssl req -x509 -new -key "$d/ca.key" -subj "/CN=dask-mpi-local-kube-ca" -days "$CERT_DAYS" -sha256 \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -out "$d/ca.crt" 2>/dev/null || die "making the CA failed"
    changed=0
  fi
  if ! cert_valid "$d/server.crt"; then
    pki_sign server /CN=localhost "$(printf '%s\n' basicConstraints=CA:FALSE \
      keyUsage=critical,digitalSignature,keyEncipherment extendedKeyUsage=serverAuth \
      subjectAltName=DNS:localhost,IP:127.0.0.1)"
    changed=0
  fi
  if ! cert_valid "$d/admin.crt"; then
    pki_sign admin "/O=system:masters/CN=dask-mpi-admin" "$(printf '%s\n' basicConstraints=CA:FALSE \
      keyUsage=critical,digitalSignature,keyEncipherment extendedKeyUsage=clientAuth)"
  fi
  chmod 600 "$d"/*.key
  return "$changed"
}

b64() { base64 -w0 <"$1"; }

# A kubeconfig for the lab's API server on stdout, the CA inline: it works wherever it is copied, for
# kubectl and Fabric8. CONTEXT and USER name them; each CREDENTIAL is one line of the user's entry.
kubeconfig() { # CONTEXT USER CREDENTIAL...
  local context=$1 user=$2
  shift 2
  cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: dask-mpi-local
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(b64 "$PKI_DIR/ca.crt")
users:
- name: $user
  user:
$(printf '    %s\n' "$@")
contexts:
- name: $context
  context:
    cluster: dask-mpi-local
    user: $user
    namespace: default
current-context: $context
EOF
}

ensure_kubeconfig() {
  kubeconfig dask-mpi-local dask-mpi-admin "client-certificate-data: $(b64 "$PKI_DIR/admin.crt")" \
    "client-key-data: $(b64 "$PKI_DIR/admin.key")" | write_if_changed "$KUBECONFIG_FILE" 600 || true
}
