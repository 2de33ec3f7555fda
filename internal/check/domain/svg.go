package domain

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"pitstop/internal/config"
	"strconv"
	"strings"

	"pitstop/internal/check"
)

// svgProblem is one way a logo falls short of SVG Tiny PS, the profile BIMI
// requires; Fail ones keep mailbox providers from showing it at all.
type svgProblem struct {
	status check.Status
	text   string
}

// svgAnimation are SVG's animation elements, which SVG Tiny PS leaves out.
var svgAnimation = map[string]bool{"animate": true, "animateMotion": true, "animateColor": true, "animateTransform": true, "set": true}

// checkSVG reads a logo as SVG Tiny Portable/Secure: an <svg> root with
// baseProfile="tiny-ps", no scripts or event handlers, no references outside
// the document, and (warnings) a title, version 1.2, a square viewBox and no
// animation. The input is already bounded by the caller.
func checkSVG(data []byte) []svgProblem {
	var out []svgProblem
	add := func(status check.Status, text string) {
		for _, p := range out {
			if p.text == text {
				return
			}
		}
		out = append(out, svgProblem{status, text})
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	// Only UTF-8 (and its ASCII subset) is read; entities are never expanded.
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if l := strings.ToLower(label); l == "utf-8" || l == "us-ascii" {
			return r, nil
		}
		return nil, errors.New("encoding " + label + " is not UTF-8")
	}
	depth, title, root := 0, false, false
	inStyle := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			add(check.Fail, check.Sentencef("the logo is not well-formed XML (%s)", cut(err.Error(), 120)))
			break
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				add(check.Fail, check.Sentencef("the logo declares XML entities, which can pull in outside content"))
			}
		case xml.StartElement:
			depth++
			name := t.Name.Local
			if depth == 1 {
				root = true
				if name != "svg" {
					add(check.Fail, check.Sentencef("the file is not an SVG image (its root element is <%s>)", name))
					return out
				}
				svgRoot(t, add)
			}
			if depth == 2 && name == "title" {
				title = true
			}
			switch {
			case name == "script":
				add(check.Fail, check.Sentencef("the logo contains a script, which SVG Tiny PS forbids"))
			case name == "foreignObject":
				add(check.Fail, check.Sentencef("the logo embeds foreign content (<foreignObject>), which SVG Tiny PS forbids"))
			case svgAnimation[name]:
				add(check.Warn, check.Sentencef("the logo is animated; SVG Tiny PS logos must be static"))
			case name == "style":
				inStyle = true
			}
			for _, a := range t.Attr {
				attr := strings.ToLower(a.Name.Local)
				switch {
				case strings.HasPrefix(attr, "on"):
					add(check.Fail, check.Sentencef("the logo has an event handler (%s=), which is a script and forbidden in SVG Tiny PS", a.Name.Local))
				case attr == "href" && external(a.Value):
					add(check.Fail, check.Sentencef("the logo refers to something outside itself (%s), which SVG Tiny PS forbids", quote(cut(a.Value, 80))))
				case attr == "style" && externalCSS(a.Value):
					add(check.Fail, check.Sentencef("the logo's styles load something from outside, which SVG Tiny PS forbids"))
				}
			}
		case xml.EndElement:
			depth--
			inStyle = false
		case xml.CharData:
			if inStyle && externalCSS(string(t)) {
				add(check.Fail, check.Sentencef("the logo's styles load something from outside, which SVG Tiny PS forbids"))
			}
		}
	}
	if !root {
		add(check.Fail, check.Sentencef("the file is not an SVG image"))
	}
	if root && !title {
		add(check.Warn, check.Sentencef("the logo has no <title> element, which SVG Tiny PS requires"))
	}
	return out
}

// svgRoot checks the attributes of the <svg> element.
func svgRoot(t xml.StartElement, add func(check.Status, string)) {
	attrs := map[string]string{}
	for _, a := range t.Attr {
		attrs[a.Name.Local] = strings.TrimSpace(a.Value)
	}
	if t.Name.Space != "http://www.w3.org/2000/svg" {
		add(check.Fail, check.Sentencef("the <svg> element lacks the SVG namespace (xmlns=\"http://www.w3.org/2000/svg\")"))
	}
	switch p := attrs["baseProfile"]; {
	case p == "":
		add(check.Fail, check.Sentencef("the <svg> element has no baseProfile=\"tiny-ps\"; BIMI accepts only the SVG Tiny PS profile"))
	case p != "tiny-ps":
		add(check.Fail, check.Sentencef("the <svg> element says baseProfile=%s; BIMI accepts only \"tiny-ps\"", quote(cut(p, 40))))
	}
	if v := attrs["version"]; v != "1.2" {
		add(check.Warn, check.Sentencef("the <svg> element should say version=\"1.2\""))
	}
	if _, x := attrs["x"]; x {
		add(check.Warn, check.Sentencef("the <svg> element has x= or y= attributes, which SVG Tiny PS does not allow there"))
	} else if _, y := attrs["y"]; y {
		add(check.Warn, check.Sentencef("the <svg> element has x= or y= attributes, which SVG Tiny PS does not allow there"))
	}
	if vb := strings.Fields(strings.ReplaceAll(attrs["viewBox"], ",", " ")); len(vb) == 4 {
		w, werr := strconv.ParseFloat(vb[2], 64)
		h, herr := strconv.ParseFloat(vb[3], 64)
		if werr == nil && herr == nil && w != h {
			add(check.Warn, check.Sentencef("the logo is not square (viewBox %s by %s); mailbox providers crop it into a circle or square", vb[2], vb[3]))
		}
	}
}

// external reports whether an href points outside the document: anything
// but a fragment ("#id") or inline data.
func external(ref string) bool {
	ref = strings.TrimSpace(ref)
	return ref != "" && !strings.HasPrefix(ref, "#") && !strings.HasPrefix(strings.ToLower(ref), "data:")
}

// externalCSS reports whether CSS text imports or loads a non-local URL.
func externalCSS(css string) bool {
	lower := strings.ToLower(css)
	if strings.Contains(lower, "@import") {
		return true
	}
	for rest := lower; ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			return false
		}
		rest = rest[i+4:]
		target := strings.TrimLeft(rest, " \t\r\n'\"")
		if !strings.HasPrefix(target, "#") && !strings.HasPrefix(target, "data:") {
			return true
		}
	}
}

// cut shortens s to at most n runes, marking the cut. Outside text is made
// printable first (valid UTF-8, control characters replaced), so the cut
// never splits an escape.
func cut(s string, n int) string {
	var door *config.Scrubber // no credential goes to these servers; the door still strips and cuts
	return door.Untrusted(s, n)
}
