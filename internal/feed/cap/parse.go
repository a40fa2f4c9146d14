package cap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/fault"
)

// nsDSig is the only foreign namespace CAP 1.2 admits: XML signatures
// after the last <info>.
const nsDSig = "http://www.w3.org/2000/09/xmldsig#"

// children lists, for each CAP container element, the child elements the
// schema allows and whether each may repeat. Any element not listed as a
// key is a text element and must not contain elements.
var children = map[string]map[string]bool{
	"alert": {"identifier": false, "sender": false, "sent": false, "status": false, "msgType": false,
		"source": false, "scope": false, "restriction": false, "addresses": false, "code": true,
		"note": false, "references": false, "incidents": false, "info": true},
	"info": {"language": false, "category": true, "event": false, "responseType": true, "urgency": false,
		"severity": false, "certainty": false, "audience": false, "eventCode": true, "effective": false,
		"onset": false, "expires": false, "senderName": false, "headline": false, "description": false,
		"instruction": false, "web": false, "contact": false, "parameter": true, "resource": true, "area": true},
	"eventCode": {"valueName": false, "value": false},
	"parameter": {"valueName": false, "value": false},
	"geocode":   {"valueName": false, "value": false},
	"resource": {"resourceDesc": false, "mimeType": false, "size": false, "uri": false,
		"derefUri": false, "digest": false},
	"area": {"areaDesc": false, "polygon": true, "circle": true, "geocode": true,
		"altitude": false, "ceiling": false},
}

// Parse reads a CAP 1.2 message, for example one imported from an upstream
// agency, and validates it. It tolerates a UTF-8 BOM, comments, empty
// elements and an enveloped XML signature (which it ignores), and rejects
// malformed XML, another namespace, a DOCTYPE, attributes on CAP elements,
// unknown or repeated elements and markup inside text elements, each with
// the element path. Errors have code fault.Invalid.
func Parse(data []byte) (Alert, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if err := checkStructure(data); err != nil {
		return Alert{}, err
	}
	var x xAlert
	if err := xml.Unmarshal(data, &x); err != nil {
		return Alert{}, fault.Wrap(fault.Invalid, err, "cap: malformed XML")
	}
	a, errs := fromWire(x)
	if len(errs) > 0 {
		return Alert{}, asError(errs)
	}
	if err := Validate(a); err != nil {
		return Alert{}, err
	}
	return a, nil
}

// checkStructure walks the tokens once and enforces what encoding/xml would
// otherwise let pass silently: it drops unknown elements and the markup
// inside a text element, and keeps only the last of repeated elements.
func checkStructure(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	type frame struct {
		name string
		path string
		seen map[string]int
	}
	var stack []*frame
	root := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fault.Wrap(fault.Invalid, err, "cap: malformed XML")
		}
		switch t := tok.(type) {
		case xml.Directive:
			return fault.New(fault.Invalid, "cap: DOCTYPE and other directives are not allowed")
		case xml.StartElement:
			if len(stack) == 0 {
				if root {
					return fault.New(fault.Invalid, "cap: more than one root element")
				}
				root = true
				if t.Name.Local != "alert" || t.Name.Space != Namespace {
					return fault.New(fault.Invalid, "cap: root element is {%s}%s; want {%s}alert (CAP 1.2)", t.Name.Space, t.Name.Local, Namespace)
				}
				if err := checkAttrs(t, "alert"); err != nil {
					return err
				}
				stack = append(stack, &frame{name: "alert", seen: map[string]int{}})
				continue
			}
			top := stack[len(stack)-1]
			allowed, container := children[top.name]
			where := top.path
			if where == "" {
				where = top.name
			}
			if t.Name.Space != Namespace {
				if top.name == "alert" && t.Name.Space == nsDSig {
					if err := d.Skip(); err != nil {
						return fault.Wrap(fault.Invalid, err, "cap: malformed XML")
					}
					continue
				}
				return fault.Field(where, "foreign element {%s}%s is not allowed", t.Name.Space, t.Name.Local)
			}
			if !container {
				return fault.Field(where, "text element contains element <%s>; CAP text must be plain text", t.Name.Local)
			}
			repeat, ok := allowed[t.Name.Local]
			if !ok {
				return fault.Field(where, "unknown element <%s>", t.Name.Local)
			}
			n := top.seen[t.Name.Local]
			if n > 0 && !repeat {
				return fault.Field(join(top.path, t.Name.Local), "element appears more than once")
			}
			top.seen[t.Name.Local] = n + 1
			path := join(top.path, t.Name.Local)
			if repeat {
				path = fmt.Sprintf("%s[%d]", path, n)
			}
			if err := checkAttrs(t, path); err != nil {
				return err
			}
			stack = append(stack, &frame{name: t.Name.Local, path: path, seen: map[string]int{}})
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return fault.New(fault.Invalid, "cap: text outside the root element")
			}
		}
	}
	if !root {
		return fault.New(fault.Invalid, "cap: no root element")
	}
	return nil
}

func checkAttrs(t xml.StartElement, path string) error {
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		return fault.Field(path, "attribute %s is not allowed on CAP elements", a.Name.Local)
	}
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// fromWire converts the decoded document, collecting every field that does
// not fit its type.
func fromWire(x xAlert) (Alert, fault.Fields) {
	var errs fault.Fields
	tm := func(path, s string, required bool) time.Time {
		if strings.TrimSpace(s) == "" {
			if required {
				errs.Add(path, "is required")
			}
			return time.Time{}
		}
		t, err := ParseTime(strings.TrimSpace(s))
		if err != nil {
			errs.Add(path, "%v", err)
		}
		return t
	}
	a := Alert{
		Identifier: x.Identifier, Sender: x.Sender, Sent: tm("sent", x.Sent, true),
		Status: x.Status, MsgType: x.MsgType, Source: x.Source, Scope: x.Scope,
		Restriction: x.Restriction, Addresses: x.Addresses, Code: x.Code,
		Note: x.Note, References: x.References, Incidents: x.Incidents,
	}
	for i, xi := range x.Info {
		p := fmt.Sprintf("info[%d]", i)
		in := Info{
			Language: xi.Language, Category: xi.Category, Event: xi.Event,
			ResponseType: xi.ResponseType, Urgency: xi.Urgency, Severity: xi.Severity,
			Certainty: xi.Certainty, Audience: xi.Audience, EventCode: fromWireVN(xi.EventCode),
			Effective: tm(p+".effective", xi.Effective, false), Onset: tm(p+".onset", xi.Onset, false),
			Expires:    tm(p+".expires", xi.Expires, false),
			SenderName: xi.SenderName, Headline: xi.Headline, Description: xi.Description,
			Instruction: xi.Instruction, Web: xi.Web, Contact: xi.Contact,
			Parameter: fromWireVN(xi.Parameter),
		}
		for j, xr := range xi.Resource {
			r := Resource{ResourceDesc: xr.ResourceDesc, MimeType: xr.MimeType, URI: xr.URI, DerefURI: xr.DerefURI, Digest: xr.Digest}
			if s := strings.TrimSpace(xr.Size); s != "" {
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil || n < 0 {
					errs.Add(fmt.Sprintf("%s.resource[%d].size", p, j), "%q is not a size in bytes", xr.Size)
				}
				r.Size = n
			}
			in.Resource = append(in.Resource, r)
		}
		for j, xa := range xi.Area {
			ap := fmt.Sprintf("%s.area[%d]", p, j)
			ar := Area{AreaDesc: xa.AreaDesc, Polygon: xa.Polygon, Circle: xa.Circle, Geocode: fromWireVN(xa.Geocode)}
			ar.Altitude = decimal(&errs, ap+".altitude", xa.Altitude)
			ar.Ceiling = decimal(&errs, ap+".ceiling", xa.Ceiling)
			in.Area = append(in.Area, ar)
		}
		a.Info = append(a.Info, in)
	}
	return a, errs
}

func decimal(errs *fault.Fields, path, s string) *float64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "eEnNiI") {
		errs.Add(path, "%q is not a decimal number", s)
		return nil
	}
	return &f
}
