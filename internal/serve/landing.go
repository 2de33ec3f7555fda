package serve

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
	"pitstop/internal/registry"
)

// landingPage lists the profiles with links to their probes, like
// blackbox_exporter's page, in the exporter's language (--lang). Its words
// are the catalogue's serve.landing.* messages, escaped before the markup
// they hold is filled in (say); html/template escapes every other value it
// prints (profile names come from the settings file and may hold anything).
var landingPage = template.Must(template.New("landing").Funcs(template.FuncMap{"code": code}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{call .Say "title"}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 60rem; color: #1d1d1f; }
table { border-collapse: collapse; } td, th { padding: .3rem .8rem; text-align: left; border-bottom: 1px solid #ddd; }
.bad { color: #a40000; } code { background: #f3f3f3; padding: 0 .2rem; }
</style>
</head>
<body>
<h1>{{call .Say "title"}}</h1>
<p>{{call .Say "probe" (code "/probe?profile=NAME") (code "&only=api,crm")}}
{{call .Say "cache" .TTL .MetricsLink}}</p>
<p>{{call .Say "settings" (code .Path) .Loaded}}{{if .ReloadFailed}} <span class="bad">{{call .Say "reloadfailed"}}</span>{{end}}</p>
<h2>{{call .Say "profiles"}}</h2>
<table>
<tr><th>{{call .Say "profile"}}</th><th>{{call .Say "probecol"}}</th><th>{{call .Say "bycategory"}}</th></tr>
{{range .Profiles}}<tr>
<td>{{.Name}}</td>
{{if .Error}}<td colspan="2" class="bad">{{call $.Say "broken" .Error}}</td>
{{else}}<td><a href="{{.Probe}}">{{call $.Say "all"}}</a></td>
<td>{{range .Categories}}<a href="{{.URL}}">{{.Name}}</a> {{end}}</td>
{{end}}</tr>
{{else}}<tr><td colspan="3">{{call .Say "none"}}</td></tr>
{{end}}</table>
</body>
</html>
`))

// code is a value shown as code on the landing page, escaped.
func code(s string) template.HTML {
	return template.HTML("<code>" + template.HTMLEscapeString(s) + "</code>")
}

// landingSay returns the page's words in lang: the message
// serve.landing.<key>, escaped, with its arguments filled in (markup from
// code kept, any other text escaped).
func landingSay(lang string) func(key string, args ...any) template.HTML {
	return func(key string, args ...any) template.HTML {
		for i, a := range args {
			if _, ok := a.(template.HTML); !ok {
				args[i] = template.HTMLEscapeString(fmt.Sprint(a))
			}
		}
		return template.HTML(fmt.Sprintf(template.HTMLEscapeString(i18n.T(lang, "serve.landing."+key)), args...))
	}
}

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
	lang := s.opts.Lang
	if !i18n.Supported(lang) {
		lang = i18n.English
	}
	if path == "" {
		path = i18n.T(lang, "serve.landing.nopath")
	}
	data := struct {
		Lang, TTL, Path, Loaded string
		MetricsLink             template.HTML
		ReloadFailed            bool
		Profiles                []landingProfile
		Say                     func(key string, args ...any) template.HTML
	}{
		Lang:         lang,
		Say:          landingSay(lang),
		MetricsLink:  template.HTML(`<a href="metrics">/metrics</a>`),
		TTL:          s.opts.CacheTTL.String(),
		Path:         path,
		Loaded:       st.Loaded.UTC().Format(time.RFC3339),
		ReloadFailed: s.metrics.reloadFailed(),
	}
	for _, name := range st.ProfileNames() {
		lp := landingProfile{Name: name, Probe: probeURL(name, "")}
		if err, broken := st.Broken[name]; broken {
			lp.Error = st.Scrub(config.ErrorIn(err, lang))
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
