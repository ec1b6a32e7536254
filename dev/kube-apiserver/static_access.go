// Static users and grants for the local API server: bearer tokens from a CSV file (kube-apiserver's
// --token-auth-file format) and a small allow-list authorizer, so tests can act as ordinary users
// (alice may read DaskMpiJobs in team-a only) next to the system:masters admin certificate. The
// library's delegating authorizer alone allows system:masters and denies everyone else.
package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"k8s.io/apiserver/pkg/authentication/authenticator"
	"k8s.io/apiserver/pkg/authentication/group"
	"k8s.io/apiserver/pkg/authentication/request/bearertoken"
	"k8s.io/apiserver/pkg/authentication/token/tokenfile"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	authzunion "k8s.io/apiserver/pkg/authorization/union"
	genericapiserver "k8s.io/apiserver/pkg/server"
)

// withTokens puts the file's bearer tokens before the delegating chain. A presented token that is not
// in the file fails the request (401) instead of falling through to the anonymous user.
func withTokens(path string, next authenticator.Request) (authenticator.Request, error) {
	tokens, err := tokenfile.NewCSV(path)
	if err != nil {
		return nil, fmt.Errorf("--token-auth-file: %w", err)
	}
	bearer := group.NewAuthenticatedGroupAdder(bearertoken.New(tokens))
	return authenticator.RequestFunc(func(r *http.Request) (*authenticator.Response, bool, error) {
		if resp, ok, err := bearer.AuthenticateRequest(r); ok || err != nil {
			return resp, ok, err
		}
		return next.AuthenticateRequest(r)
	}), nil
}

// grant: SUBJECT VERB API-GROUP RESOURCE[/SUBRESOURCE] NAMESPACE, each field '*' for any;
// SUBJECT is user:NAME or group:NAME.
type grant struct{ subject, verb, group, resource, namespace string }

type grants []grant

func readGrants(path string) (grants, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--grants-file: %w", err)
	}
	defer f.Close()
	var gs grants
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		w := strings.Fields(line)
		if len(w) != 5 || !(strings.HasPrefix(w[0], "user:") || strings.HasPrefix(w[0], "group:")) {
			return nil, fmt.Errorf("--grants-file %s:%d: want 'user:NAME|group:NAME VERB GROUP RESOURCE NAMESPACE'", path, n)
		}
		gs = append(gs, grant{w[0], w[1], w[2], w[3], w[4]})
	}
	return gs, s.Err()
}

func matches(pattern, value string) bool { return pattern == "*" || pattern == value }

// discovery reports whether a non-resource request is API discovery, which the system:discovery
// ClusterRole lets every authenticated user read in a real cluster (kubectl needs it for everything).
func discovery(a authorizer.Attributes) bool {
	p := a.GetPath()
	return a.GetVerb() == "get" && (p == "/api" || p == "/apis" || p == "/version" ||
		strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/apis/") || strings.HasPrefix(p, "/openapi/"))
}

// Authorize allows discovery to authenticated users and what a grant names; it has no opinion on the
// rest (the next authorizer decides).
func (gs grants) Authorize(_ context.Context, a authorizer.Attributes) (authorizer.Decision, string, error) {
	if a.GetUser() == nil {
		return authorizer.DecisionNoOpinion, "", nil
	}
	if !a.IsResourceRequest() {
		for _, g := range a.GetUser().GetGroups() {
			if g == "system:authenticated" && discovery(a) {
				return authorizer.DecisionAllow, "discovery", nil
			}
		}
		return authorizer.DecisionNoOpinion, "", nil
	}
	subjects := map[string]bool{"user:" + a.GetUser().GetName(): true}
	for _, g := range a.GetUser().GetGroups() {
		subjects["group:"+g] = true
	}
	resource := a.GetResource()
	if a.GetSubresource() != "" {
		resource += "/" + a.GetSubresource()
	}
	for _, g := range gs {
		if subjects[g.subject] && matches(g.verb, a.GetVerb()) && matches(g.group, a.GetAPIGroup()) &&
			matches(g.resource, resource) && matches(g.namespace, a.GetNamespace()) {
			return authorizer.DecisionAllow, "granted by the grants file", nil
		}
	}
	return authorizer.DecisionNoOpinion, "", nil
}

// applyStaticAccess lays the token file and the grants file (either may be empty) over the
// delegating authentication and authorization of c.
func applyStaticAccess(c *genericapiserver.RecommendedConfig, tokenFile, grantsFile string) error {
	if tokenFile != "" {
		authn, err := withTokens(tokenFile, c.Authentication.Authenticator)
		if err != nil {
			return err
		}
		c.Authentication.Authenticator = authn
	}
	if grantsFile != "" {
		gs, err := readGrants(grantsFile)
		if err != nil {
			return err
		}
		c.Authorization.Authorizer = authzunion.New(gs, c.Authorization.Authorizer)
	}
	return nil
}
