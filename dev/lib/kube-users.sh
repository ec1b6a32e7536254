# shellcheck shell=bash
# dev/lib/kube-users.sh: ordinary users of the local API server besides the system:masters admin.
# alice, bob and demo authenticate with bearer tokens (tokens.csv, kube-apiserver's --token-auth-file
# format) and may do anything with daskmpi.io resources in their own namespace only (team-a, team-b, and
# default for dev/run-example). Every authenticated user may ask what it may do (SelfSubjectAccessReview,
# as system:basic-user allows in a real cluster) and read discovery (static_access.go). Tests read a
# user's token from tokens.csv (root-only).
# Needs from the caller: PKI_DIR, API_PORT, common.sh and kube-pki.sh.

readonly TOKENS_FILE=$PKI_DIR/tokens.csv GRANTS_FILE=$PKI_DIR/grants

readonly LAB_USERS=(alice bob demo)

# Returns 0 if a file the server reads was (re)written (a running server must then be restarted).
ensure_users() {
  local changed=1 user uid=0 have='' add=''
  [[ -f $TOKENS_FILE ]] && have=$(cat "$TOKENS_FILE")
  for user in "${LAB_USERS[@]}"; do
    uid=$((uid + 1))
    grep -q ",$user," <<<"$have" || add+="$(openssl rand -hex 24),$user,$uid"$'\n'
  done
  if [[ -n $add ]]; then
    printf '%s\n%s' "$have" "$add" | sed '/^$/d' | write_if_changed "$TOKENS_FILE" 600 && changed=0
  fi
  write_if_changed "$GRANTS_FILE" 600 <<'EOF_GRANTS' && changed=0
# SUBJECT VERB API-GROUP RESOURCE[/SUBRESOURCE] NAMESPACE ('*': any); dev/kube-apiserver/static_access.go
group:system:authenticated create authorization.k8s.io selfsubjectaccessreviews *
user:alice * daskmpi.io * team-a
user:bob * daskmpi.io * team-b
user:demo * daskmpi.io * default
EOF_GRANTS
  return "$changed"
}

user_kubeconfig() { # USER : a kubeconfig for USER with its token, on stdout
  local token
  token=$(awk -F, -v u="$1" '$2 == u { print $1 }' "$TOKENS_FILE")
  [[ -n $token ]] || die "no lab user '$1' (users: ${LAB_USERS[*]}; dev/local-kube up makes them)"
  kubeconfig "$1" "$1" "token: $token"
}
