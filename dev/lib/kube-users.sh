# shellcheck shell=bash
# dev/lib/kube-users.sh: ordinary users of the local API server besides the system:masters admin.
# alice and bob authenticate with bearer tokens (tokens.csv, kube-apiserver's --token-auth-file format)
# and may do anything with daskmpi.io resources in their own namespace only (team-a, team-b); every
# authenticated user may ask what it may do (SelfSubjectAccessReview), as system:basic-user allows in a
# real cluster. Tests read a user's token from tokens.csv (root-only).
# Needs from the caller: PKI_DIR, common.sh.

readonly TOKENS_FILE=$PKI_DIR/tokens.csv GRANTS_FILE=$PKI_DIR/grants

# Returns 0 if a file the server reads was (re)written (a running server must then be restarted).
ensure_users() {
  local changed=1 user uid=0 line
  if [[ ! -s $TOKENS_FILE ]]; then
    for user in alice bob; do
      uid=$((uid + 1))
      line+="$(openssl rand -hex 24),$user,$uid"$'\n'
    done
    printf '%s' "$line" | write_if_changed "$TOKENS_FILE" 600 && changed=0
  fi
  write_if_changed "$GRANTS_FILE" 600 <<'EOF_GRANTS' && changed=0
# SUBJECT VERB API-GROUP RESOURCE[/SUBRESOURCE] NAMESPACE ('*': any); dev/kube-apiserver/static_access.go
group:system:authenticated create authorization.k8s.io selfsubjectaccessreviews *
user:alice * daskmpi.io * team-a
user:bob * daskmpi.io * team-b
EOF_GRANTS
  return "$changed"
}
