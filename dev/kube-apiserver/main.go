// A standalone Kubernetes CRD API server for dev/local-kube: Kubernetes' own apiextensions-apiserver
// libraries, unchanged, with a main that lets them run without a kube-apiserver in front
// (facts: docs/local-lab.md §6). It serves CustomResourceDefinitions and custom resources only.
//
// What differs from the library's stock main, and why:
//   - no core API (CoreAPI=nil): there is none to delegate authentication, authorization or admission to;
//     admission is an empty chain (every default plugin needs core informers), priority&fairness is off;
//   - discovery is on, and the legacy /apis group list follows the CRDs (kube-apiserver's aggregator
//     normally serves it);
//   - OpenAPI v2 and v3 are served, so kubectl explain works;
//   - webhooks cannot name a Service (no core API): conversion webhooks must use a URL;
//   - SelfSubjectAccessReview, SelfSubjectRulesReview and SelfSubjectReview are answered from the
//     server's own authorizer (kubectl auth can-i, Fabric8/JOSDK leader election post them).
//
// Build (GOPATH mode against Debian's Go sources): see dev/lib/kube-build.sh.

//go:debug default=go1.26
package main

import (
	"context"
	"encoding/json"
	goflag "flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"

	"github.com/spf13/pflag"
	noopoteltrace "go.opentelemetry.io/otel/trace/noop"

	authnv1 "k8s.io/api/authentication/v1"
	authzv1 "k8s.io/api/authorization/v1"
	apiextensionshelpers "k8s.io/apiextensions-apiserver/pkg/apihelpers"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apiextensions-apiserver/pkg/apiserver"
	"k8s.io/apiextensions-apiserver/pkg/cmd/server/options"
	generatedopenapi "k8s.io/apiextensions-apiserver/pkg/generated/openapi"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/version"
	"k8s.io/apiserver/pkg/admission"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	openapinamer "k8s.io/apiserver/pkg/endpoints/openapi"
	"k8s.io/apiserver/pkg/endpoints/request"
	genericapiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/apiserver/pkg/util/openapi"
	"k8s.io/apiserver/pkg/util/webhook"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
	netutils "k8s.io/utils/net"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run() error {
	o := options.NewCustomResourceDefinitionsServerOptions(os.Stdout, os.Stderr)
	fs := pflag.NewFlagSet(os.Args[0], pflag.ContinueOnError)
	o.AddFlags(fs)
	tokenFile := fs.String("token-auth-file", "", "CSV of bearer tokens: token,user,uid[,\"group1,group2\"]")
	grantsFile := fs.String("grants-file", "", "allow-list: SUBJECT VERB GROUP RESOURCE[/SUB] NAMESPACE a line")
	klog.InitFlags(nil) // -v and friends
	fs.AddGoFlagSet(goflag.CommandLine)
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}
	if err := o.ServerRunOptions.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	ro := o.RecommendedOptions
	ro.CoreAPI = nil
	ro.Admission = nil
	ro.Features.EnablePriorityAndFairness = false
	ro.Authentication.RemoteKubeConfigFileOptional = true
	ro.Authentication.SkipInClusterLookup = true
	ro.Authorization.RemoteKubeConfigFileOptional = true
	if err := o.Complete(); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}

	config, err := newConfig(o, *tokenFile, *grantsFile)
	if err != nil {
		return err
	}
	completed := config.Complete()
	completed.GenericConfig.EnableDiscovery = true // the library turns it off: kube-apiserver serves it there
	server, err := completed.New(genericapiserver.NewEmptyDelegate())
	if err != nil {
		return err
	}
	gs := server.GenericAPIServer
	groups := &groupSync{manager: gs.DiscoveryGroupManager, ours: map[string]bool{}}
	crdInformer := server.Informers.Apiextensions().V1().CustomResourceDefinitions()
	resync := func(any) {
		crds, err := crdInformer.Lister().List(labels.Everything())
		if err == nil {
			groups.sync(crds)
		}
	}
	if _, err := crdInformer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: resync, UpdateFunc: func(_, obj any) { resync(obj) }, DeleteFunc: resync,
	}); err != nil {
		return err
	}
	reviews := &reviewer{authz: gs.Authorizer}
	mux := gs.Handler.NonGoRestfulMux // exact paths win over the CRD handler's /apis/ prefix
	mux.Handle("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", http.HandlerFunc(reviews.access))
	mux.Handle("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", http.HandlerFunc(reviews.rules))
	mux.Handle("/apis/authentication.k8s.io/v1/selfsubjectreviews", http.HandlerFunc(reviews.self))

	ctx := genericapiserver.SetupSignalContext()
	return gs.PrepareRun().RunWithContext(ctx)
}

// newConfig is the library's options.Config() without the core API's informers.
func newConfig(o *options.CustomResourceDefinitionsServerOptions, tokenFile, grantsFile string) (*apiserver.Config, error) {
	ro := o.RecommendedOptions
	if err := ro.SecureServing.MaybeDefaultWithSelfSignedCerts("localhost", nil,
		[]net.IP{netutils.ParseIPSloppy("127.0.0.1")}); err != nil {
		return nil, fmt.Errorf("error creating self-signed certificates: %v", err)
	}
	c := genericapiserver.NewRecommendedConfig(apiserver.Codecs)
	if err := o.ServerRunOptions.ApplyTo(&c.Config); err != nil {
		return nil, err
	}
	if err := ro.ApplyTo(c); err != nil {
		return nil, err
	}
	if err := applyStaticAccess(c, tokenFile, grantsFile); err != nil {
		return nil, err
	}
	if err := o.APIEnablement.ApplyTo(&c.Config, apiserver.DefaultAPIResourceConfigSource(), apiserver.Scheme); err != nil {
		return nil, err
	}
	c.AdmissionControl = admission.NewChainHandler() // empty, not nil
	defs := openapi.GetOpenAPIDefinitionsWithoutDisabledFeatures(generatedopenapi.GetOpenAPIDefinitions)
	namer := openapinamer.NewDefinitionNamer(apiserver.Scheme, scheme.Scheme)
	c.OpenAPIConfig = genericapiserver.DefaultOpenAPIConfig(defs, namer)
	c.OpenAPIConfig.Info.Title = "Kubernetes"
	c.OpenAPIV3Config = genericapiserver.DefaultOpenAPIV3Config(defs, namer)
	c.OpenAPIV3Config.Info.Title = "Kubernetes"
	return &apiserver.Config{
		GenericConfig: c,
		ExtraConfig: apiserver.ExtraConfig{
			CRDRESTOptionsGetter: options.NewCRDRESTOptionsGetter(*ro.Etcd, c.ResourceTransformers, c.StorageObjectCountTracker),
			ServiceResolver:      refusingResolver{},
			AuthResolverWrapper: webhook.NewDefaultAuthenticationInfoResolverWrapper(nil, nil, c.LoopbackClientConfig,
				noopoteltrace.NewTracerProvider()),
		},
	}, nil
}

type refusingResolver struct{}

func (refusingResolver) ResolveEndpoint(namespace, name string, port int32) (*url.URL, error) {
	return nil, fmt.Errorf("service %s/%s: this API server has no core API; webhooks must use a URL", namespace, name)
}

// groupSync keeps the legacy /apis APIGroupList in step with the established CRDs.
type groupSync struct {
	mu      sync.Mutex
	manager interface {
		AddGroup(metav1.APIGroup)
		RemoveGroup(string)
	}
	ours map[string]bool
}

func (g *groupSync) sync(crds []*apiextensionsv1.CustomResourceDefinition) {
	versions := map[string]map[string]bool{}
	for _, crd := range crds {
		if !apiextensionshelpers.IsCRDConditionTrue(crd, apiextensionsv1.Established) {
			continue
		}
		for _, v := range crd.Spec.Versions {
			if v.Served {
				if versions[crd.Spec.Group] == nil {
					versions[crd.Spec.Group] = map[string]bool{}
				}
				versions[crd.Spec.Group][v.Name] = true
			}
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for group, vs := range versions {
		names := make([]string, 0, len(vs))
		for v := range vs {
			names = append(names, v)
		}
		sort.Slice(names, func(i, j int) bool { return version.CompareKubeAwareVersionStrings(names[i], names[j]) > 0 })
		apiGroup := metav1.APIGroup{Name: group}
		for _, v := range names {
			apiGroup.Versions = append(apiGroup.Versions, metav1.GroupVersionForDiscovery{GroupVersion: group + "/" + v, Version: v})
		}
		apiGroup.PreferredVersion = apiGroup.Versions[0]
		g.manager.AddGroup(apiGroup) // replaces a group of the same name
		g.ours[group] = true
	}
	for group := range g.ours {
		if versions[group] == nil {
			g.manager.RemoveGroup(group)
			delete(g.ours, group)
		}
	}
}

// reviewer answers the self-reviews from the server's own authorizer.
type reviewer struct{ authz authorizer.Authorizer }

func decode(w http.ResponseWriter, r *http.Request, into any) bool {
	if r.Method != http.MethodPost {
		http.Error(w, "only POST is supported", http.StatusMethodNotAllowed)
		return false
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(into); err != nil {
		http.Error(w, "cannot decode the request body as JSON: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

func reply(w http.ResponseWriter, obj any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(obj)
}

func (rv *reviewer) check(ctx context.Context, a authorizer.AttributesRecord) authzv1.SubjectAccessReviewStatus {
	decision, reason, err := rv.authz.Authorize(ctx, a)
	st := authzv1.SubjectAccessReviewStatus{
		Allowed: decision == authorizer.DecisionAllow,
		Denied:  decision == authorizer.DecisionDeny,
		Reason:  reason,
	}
	if err != nil {
		st.EvaluationError = err.Error()
	}
	return st
}

func (rv *reviewer) access(w http.ResponseWriter, r *http.Request) {
	var review authzv1.SelfSubjectAccessReview
	if !decode(w, r, &review) {
		return
	}
	u, _ := request.UserFrom(r.Context())
	a := authorizer.AttributesRecord{User: u}
	if ra := review.Spec.ResourceAttributes; ra != nil {
		a.Verb, a.Namespace, a.APIGroup, a.APIVersion = ra.Verb, ra.Namespace, ra.Group, ra.Version
		a.Resource, a.Subresource, a.Name, a.ResourceRequest = ra.Resource, ra.Subresource, ra.Name, true
	} else if nra := review.Spec.NonResourceAttributes; nra != nil {
		a.Verb, a.Path = nra.Verb, nra.Path
	} else {
		http.Error(w, "exactly one of spec.resourceAttributes and spec.nonResourceAttributes must be set", http.StatusBadRequest)
		return
	}
	review.TypeMeta = metav1.TypeMeta{APIVersion: "authorization.k8s.io/v1", Kind: "SelfSubjectAccessReview"}
	review.Status = rv.check(r.Context(), a)
	reply(w, &review)
}

// rules: the delegating authorizer lists no rules, so ask it whether the user may do anything at all:
// then everything is allowed (system:masters); otherwise the answer is empty and marked incomplete.
func (rv *reviewer) rules(w http.ResponseWriter, r *http.Request) {
	var review authzv1.SelfSubjectRulesReview
	if !decode(w, r, &review) {
		return
	}
	u, _ := request.UserFrom(r.Context())
	all := rv.check(r.Context(), authorizer.AttributesRecord{User: u, Verb: "*", Namespace: review.Spec.Namespace,
		APIGroup: "*", APIVersion: "*", Resource: "*", ResourceRequest: true})
	allPaths := rv.check(r.Context(), authorizer.AttributesRecord{User: u, Verb: "*", Path: "*"})
	st := authzv1.SubjectRulesReviewStatus{Incomplete: !all.Allowed || !allPaths.Allowed}
	if all.Allowed {
		st.ResourceRules = []authzv1.ResourceRule{{Verbs: []string{"*"}, APIGroups: []string{"*"}, Resources: []string{"*"}}}
	}
	if allPaths.Allowed {
		st.NonResourceRules = []authzv1.NonResourceRule{{Verbs: []string{"*"}, NonResourceURLs: []string{"*"}}}
	}
	review.TypeMeta = metav1.TypeMeta{APIVersion: "authorization.k8s.io/v1", Kind: "SelfSubjectRulesReview"}
	review.Status = st
	reply(w, &review)
}

func (rv *reviewer) self(w http.ResponseWriter, r *http.Request) {
	var review authnv1.SelfSubjectReview
	if !decode(w, r, &review) {
		return
	}
	review.TypeMeta = metav1.TypeMeta{APIVersion: "authentication.k8s.io/v1", Kind: "SelfSubjectReview"}
	if u, ok := request.UserFrom(r.Context()); ok {
		info := authnv1.UserInfo{Username: u.GetName(), UID: u.GetUID(), Groups: u.GetGroups()}
		if extra := u.GetExtra(); len(extra) > 0 {
			info.Extra = map[string]authnv1.ExtraValue{}
			for k, v := range extra {
				info.Extra[k] = v
			}
		}
		review.Status.UserInfo = info
	}
	reply(w, &review)
}
