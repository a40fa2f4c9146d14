// Package cap reads and writes OASIS Common Alerting Protocol 1.2 messages.
//
// The types mirror the CAP 1.2 data dictionary one to one, so an imported
// message can be written again without loss. Marshal and Parse both run
// Validate, which enforces the rules the official XSD cannot check (see
// captest/testdata/RULES.md). The package has no dependency on the rest
// of crisisdesk beyond the fault vocabulary.
package cap

import "time"

// Namespace is the XML namespace of CAP 1.2.
const Namespace = "urn:oasis:names:tc:emergency:cap:1.2"

// Alert is a CAP <alert>: one message, with zero or more info blocks.
type Alert struct {
	Identifier  string
	Sender      string
	Sent        time.Time
	Status      string // Actual, Exercise, System, Test, Draft
	MsgType     string // Alert, Update, Cancel, Ack, Error
	Source      string
	Scope       string // Public, Restricted, Private
	Restriction string
	Addresses   string // space-separated; items with spaces in double quotes (JoinList)
	Code        []string
	Note        string
	References  string // space-separated sender,identifier,sent triplets (Reference.String)
	Incidents   string // space-separated like Addresses
	Info        []Info
}

// Info is a CAP <info> block: the alert in one language.
type Info struct {
	Language     string // RFC 3066 tag; empty means en-US
	Category     []string
	Event        string
	ResponseType []string
	Urgency      string
	Severity     string
	Certainty    string
	Audience     string
	EventCode    []ValueName
	Effective    time.Time // zero: absent
	Onset        time.Time // zero: absent
	Expires      time.Time // zero: absent
	SenderName   string
	Headline     string
	Description  string
	Instruction  string
	Web          string
	Contact      string
	Parameter    []ValueName
	Resource     []Resource
	Area         []Area
}

// ValueName is a coded value: eventCode, parameter or geocode.
type ValueName struct {
	ValueName string
	Value     string
}

// Resource is a CAP <resource>: a file that supplements the info block.
type Resource struct {
	ResourceDesc string
	MimeType     string
	Size         int64 // bytes; 0: absent
	URI          string
	DerefURI     string // base64 content
	Digest       string // SHA-1, hex
}

// Area is a CAP <area>: where the info block applies.
type Area struct {
	AreaDesc string
	Polygon  []string // "lat,lon lat,lon ..." closed, at least 4 pairs
	Circle   []string // "lat,lon radius-km"
	Geocode  []ValueName
	Altitude *float64 // feet above mean sea level; nil: absent
	Ceiling  *float64 // feet above mean sea level; nil: absent
}

// Enumerations from the CAP 1.2 schema.
var (
	Statuses      = []string{"Actual", "Exercise", "System", "Test", "Draft"}
	MsgTypes      = []string{"Alert", "Update", "Cancel", "Ack", "Error"}
	Scopes        = []string{"Public", "Restricted", "Private"}
	Categories    = []string{"Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"}
	ResponseTypes = []string{"Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"}
	Urgencies     = []string{"Immediate", "Expected", "Future", "Past", "Unknown"}
	Severities    = []string{"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
	Certainties   = []string{"Observed", "Likely", "Possible", "Unlikely", "Unknown"}
)
