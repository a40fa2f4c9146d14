package cap

import (
	"encoding/xml"
	"strconv"
	"time"
)

// The wire types carry the XSD element order in their field order and the
// date-times as strings; the exported types stay free of encoding details.

type xAlert struct {
	XMLName     xml.Name `xml:"urn:oasis:names:tc:emergency:cap:1.2 alert"`
	Identifier  string   `xml:"identifier"`
	Sender      string   `xml:"sender"`
	Sent        string   `xml:"sent"`
	Status      string   `xml:"status"`
	MsgType     string   `xml:"msgType"`
	Source      string   `xml:"source,omitempty"`
	Scope       string   `xml:"scope"`
	Restriction string   `xml:"restriction,omitempty"`
	Addresses   string   `xml:"addresses,omitempty"`
	Code        []string `xml:"code"`
	Note        string   `xml:"note,omitempty"`
	References  string   `xml:"references,omitempty"`
	Incidents   string   `xml:"incidents,omitempty"`
	Info        []xInfo  `xml:"info"`
}

type xInfo struct {
	Language     string       `xml:"language,omitempty"`
	Category     []string     `xml:"category"`
	Event        string       `xml:"event"`
	ResponseType []string     `xml:"responseType"`
	Urgency      string       `xml:"urgency"`
	Severity     string       `xml:"severity"`
	Certainty    string       `xml:"certainty"`
	Audience     string       `xml:"audience,omitempty"`
	EventCode    []xValueName `xml:"eventCode"`
	Effective    string       `xml:"effective,omitempty"`
	Onset        string       `xml:"onset,omitempty"`
	Expires      string       `xml:"expires,omitempty"`
	SenderName   string       `xml:"senderName,omitempty"`
	Headline     string       `xml:"headline,omitempty"`
	Description  string       `xml:"description,omitempty"`
	Instruction  string       `xml:"instruction,omitempty"`
	Web          string       `xml:"web,omitempty"`
	Contact      string       `xml:"contact,omitempty"`
	Parameter    []xValueName `xml:"parameter"`
	Resource     []xResource  `xml:"resource"`
	Area         []xArea      `xml:"area"`
}

type xValueName struct {
	ValueName string `xml:"valueName"`
	Value     string `xml:"value"`
}

type xResource struct {
	ResourceDesc string `xml:"resourceDesc"`
	MimeType     string `xml:"mimeType"`
	Size         string `xml:"size,omitempty"`
	URI          string `xml:"uri,omitempty"`
	DerefURI     string `xml:"derefUri,omitempty"`
	Digest       string `xml:"digest,omitempty"`
}

type xArea struct {
	AreaDesc string       `xml:"areaDesc"`
	Polygon  []string     `xml:"polygon"`
	Circle   []string     `xml:"circle"`
	Geocode  []xValueName `xml:"geocode"`
	Altitude string       `xml:"altitude,omitempty"`
	Ceiling  string       `xml:"ceiling,omitempty"`
}

func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return FormatTime(t)
}

func optFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func toWireVN(vs []ValueName) []xValueName {
	out := make([]xValueName, len(vs))
	for i, v := range vs {
		out[i] = xValueName(v)
	}
	return out
}

func fromWireVN(vs []xValueName) []ValueName {
	if len(vs) == 0 {
		return nil
	}
	out := make([]ValueName, len(vs))
	for i, v := range vs {
		out[i] = ValueName(v)
	}
	return out
}

func toWire(a Alert) xAlert {
	x := xAlert{
		Identifier: a.Identifier, Sender: a.Sender, Sent: FormatTime(a.Sent),
		Status: a.Status, MsgType: a.MsgType, Source: a.Source, Scope: a.Scope,
		Restriction: a.Restriction, Addresses: a.Addresses, Code: a.Code,
		Note: a.Note, References: a.References, Incidents: a.Incidents,
	}
	for _, in := range a.Info {
		xi := xInfo{
			Language: in.Language, Category: in.Category, Event: in.Event,
			ResponseType: in.ResponseType, Urgency: in.Urgency, Severity: in.Severity,
			Certainty: in.Certainty, Audience: in.Audience, EventCode: toWireVN(in.EventCode),
			Effective: optTime(in.Effective), Onset: optTime(in.Onset), Expires: optTime(in.Expires),
			SenderName: in.SenderName, Headline: in.Headline, Description: in.Description,
			Instruction: in.Instruction, Web: in.Web, Contact: in.Contact,
			Parameter: toWireVN(in.Parameter),
		}
		for _, r := range in.Resource {
			xr := xResource{ResourceDesc: r.ResourceDesc, MimeType: r.MimeType, URI: r.URI, DerefURI: r.DerefURI, Digest: r.Digest}
			if r.Size != 0 {
				xr.Size = strconv.FormatInt(r.Size, 10)
			}
			xi.Resource = append(xi.Resource, xr)
		}
		for _, ar := range in.Area {
			xi.Area = append(xi.Area, xArea{
				AreaDesc: ar.AreaDesc, Polygon: ar.Polygon, Circle: ar.Circle,
				Geocode: toWireVN(ar.Geocode), Altitude: optFloat(ar.Altitude), Ceiling: optFloat(ar.Ceiling),
			})
		}
		x.Info = append(x.Info, xi)
	}
	return x
}
