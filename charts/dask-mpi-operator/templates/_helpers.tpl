{{/* Chart name, truncated to 63 characters (a DNS label). */}}
{{- define "dask-mpi-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart unless the release name already contains the chart name.
Truncated to 52 characters so that "-leader-election" style suffixes stay within 63. */}}
{{- define "dask-mpi-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "dask-mpi-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "dask-mpi-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dask-mpi-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "dask-mpi-operator.labels" -}}
helm.sh/chart: {{ include "dask-mpi-operator.chart" . }}
{{ include "dask-mpi-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dask-mpi-operator
{{- end }}

{{- define "dask-mpi-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "dask-mpi-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "dask-mpi-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Where the config file is mounted, and where endpoint NAME's token is. */}}
{{- define "dask-mpi-operator.configDir" -}}/etc/dask-mpi-operator{{- end }}
{{- define "dask-mpi-operator.tokenDir" -}}/var/run/secrets/dask-mpi/{{ . }}{{- end }}

{{/* The operator's config.yaml: exactly the keys ConfigLoader accepts. */}}
{{- define "dask-mpi-operator.config" -}}
{{- $endpoints := dict }}
{{- range $e := .Values.endpoints }}
{{- $name := $e.name }}
{{- if hasKey $endpoints $name }}
{{- fail (printf "endpoints: the name %q appears twice" $name) }}
{{- end }}
{{- $dir := include "dask-mpi-operator.tokenDir" $name }}
{{- $out := dict "url" $e.url }}
{{- with $e.user }}{{- $_ := set $out "user" . }}{{- end }}
{{- if $e.tokenSecret }}{{- $_ := set $out "tokenFile" (printf "%s/token" $dir) }}{{- end }}
{{- if $e.jwtKeySecret }}{{- $_ := set $out "jwtKeyFile" (printf "%s/jwt_hs256.key" $dir) }}{{- end }}
{{- with $e.tokenLifetime }}{{- $_ := set $out "tokenLifetime" . }}{{- end }}
{{- if $e.namespaces }}
{{- $identities := dict }}
{{- range $n := $e.namespaces }}
{{- if hasKey $identities $n.namespace }}
{{- fail (printf "endpoints %s: namespace %q is mapped twice" $name $n.namespace) }}
{{- end }}
{{- $who := dict "user" $n.user }}
{{- if $n.tokenSecret }}
{{- $_ := set $who "tokenFile" (printf "%s/namespaces/%s/token" $dir $n.namespace) }}
{{- else if not $e.jwtKeySecret }}
{{- fail (printf "endpoints %s: namespace %q needs a tokenSecret, or the endpoint a jwtKeySecret to mint its tokens" $name $n.namespace) }}
{{- end }}
{{- $_ := set $identities $n.namespace $who }}
{{- end }}
{{- $_ := set $out "namespaces" $identities }}
{{- end }}
{{- with $e.apiVersion }}{{- $_ := set $out "apiVersion" . }}{{- end }}
{{- with $e.runtimeCommand }}{{- $_ := set $out "runtimeCommand" . }}{{- end }}
{{- with $e.allowedNamespaces }}{{- $_ := set $out "allowedNamespaces" . }}{{- end }}
{{- with $e.allowedRoots }}{{- $_ := set $out "allowedRoots" . }}{{- end }}
{{- with $e.access }}{{- $_ := set $out "access" . }}{{- end }}
{{- $_ := set $endpoints $name $out }}
{{- end }}
{{- $config := dict "endpoints" $endpoints "pollInterval" .Values.pollInterval "resyncInterval" .Values.resyncInterval }}
{{- with .Values.watchNamespaces }}{{- $_ := set $config "watchNamespaces" . }}{{- end }}
{{- toYaml $config }}
{{- end }}

{{/* The operator's rules on its own resources and events (no Lease: see leader-election-rbac.yaml). */}}
{{- define "dask-mpi-operator.rules" -}}
- apiGroups: ["daskmpi.io"]
  resources: ["daskmpijobs"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["daskmpi.io"]
  resources: ["daskmpijobs/status"]
  verbs: ["update", "patch"]
- apiGroups: ["daskmpi.io"]
  resources: ["daskmpijobs/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
