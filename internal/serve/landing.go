package serve

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"pitstop/internal/registry"
)

// landingPage lists the profiles with links to their probes, like
// blackbox_exporter's page. html/template escapes every value it prints
// (profile names come from the settings file and may hold anything).
var landingPage = template.Must(template.New("landing").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pitstop exporter</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; color: #1d1d1f; }
table { border-collapse: collapse; } td, th { padding: .3rem .8rem; text-align: left; border-bottom: 1px solid #ddd; }
.bad { color: #a40000; } code { background: #f3f3f3; padding: 0 .2rem; }
</style>
</head>
<body>
<h1>Pitstop exporter</h1>
<p>Prometheus probes a profile at <code>/probe?profile=NAME</code> (add <code>&amp;only=api,crm</code> to limit the categories).
Results are reused for {{.TTL}}; the exporter's own metrics are at <a href="metrics">/metrics</a>.</p>
<p>Settings: <code>{{.Path}}</code>, loaded {{.Loaded}}.{{if .ReloadFailed}} <span class="bad">The last reload failed; these are the settings loaded before.</span>{{end}}</p>
<h2>Profiles</h2>
<table>
<tr><th>Profile</th><th>Probe</th><th>By category</th></tr>
{{range .Profiles}}<tr>
<td>{{.Name}}</td>
{{if .Error}}<td colspan="2" class="bad">settings do not load: {{.Error}}</td>
{{else}}<td><a href="{{.Probe}}">all</a></td>
<td>{{range .Categories}}<a href="{{.URL}}">{{.Name}}</a> {{end}}</td>
{{end}}</tr>
{{else}}<tr><td colspan="3">No profiles.</td></tr>
{{end}}</table>
</body>
</html>
`))

type landingLink struct {
	Name string
	URL  string
}

type landingProfile struct {
	Name       string
	Probe      string
	Categories []landingLink
	Error      string
}

func probeURL(profile, only string) string {
	q := url.Values{"profile": {profile}}
	if only != "" {
		q.Set("only", only)
	}
	return "probe?" + q.Encode()
}

func (s *Server) serveLanding(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	st := s.Settings()
	path := st.Config.Path
	if path == "" {
		path = "(none: settings from the environment)"
	}
	data := struct {
		TTL, Path, Loaded string
		ReloadFailed      bool
		Profiles          []landingProfile
	}{
		TTL:          s.opts.CacheTTL.String(),
		Path:         path,
		Loaded:       st.Loaded.UTC().Format(time.RFC3339),
		ReloadFailed: s.metrics.reloadFailed(),
	}
	for _, name := range st.ProfileNames() {
		lp := landingProfile{Name: name, Probe: probeURL(name, "")}
		if err, broken := st.Broken[name]; broken {
			lp.Error = st.Scrub(err.Error())
		} else {
			for _, c := range registry.Configured(st.Config.Profiles[name]) {
				lp.Categories = append(lp.Categories, landingLink{Name: c, URL: probeURL(name, c)})
			}
		}
		data.Profiles = append(data.Profiles, lp)
	}
	var b strings.Builder
	if err := landingPage.Execute(&b, data); err != nil {
		http.Error(w, "could not render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, _ = w.Write([]byte(b.String()))
}
