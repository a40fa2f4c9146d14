package subscriber

import (
	"math"
	"strconv"
	"strings"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
)

// Area is where a subscriber wants notices for: a point (with the notice's
// polygons and circles deciding) or a district (matched against the
// notice's area description and geocodes). The zero Area means everywhere.
type Area struct {
	Point    *Point
	District string
}

// Point is a WGS 84 position.
type Point struct{ Lat, Lon float64 }

// Empty reports whether no area is set.
func (a Area) Empty() bool { return a.Point == nil && a.District == "" }

// ParsePoint reads "lat,lon".
func ParsePoint(s string) (Point, error) {
	la, lo, ok := strings.Cut(strings.TrimSpace(s), ",")
	if !ok {
		return Point{}, fault.Field("area.point", "want \"lat,lon\", e.g. 22.28,114.16")
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return Point{}, fault.Field("area.point", "%q is not a position: latitude -90..90, longitude -180..180", s)
	}
	return Point{lat, lon}, nil
}

// String writes "lat,lon".
func (p Point) String() string {
	return strconv.FormatFloat(p.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(p.Lon, 'f', -1, 64)
}

// Covers reports whether a notice for area n reaches a subscriber who asked
// for area a. A notice with no area, or with no shape to test a point
// against, reaches everyone: when in doubt, tell.
func (a Area) Covers(n notice.Area) bool {
	if a.Empty() || n.Empty() {
		return true
	}
	if a.Point != nil {
		shapes := 0
		for _, poly := range n.Polygons {
			pts := parsePolygon(poly)
			if len(pts) < 4 {
				continue
			}
			shapes++
			if inPolygon(*a.Point, pts) {
				return true
			}
		}
		for _, c := range n.Circles {
			centre, radius, ok := parseCircle(c)
			if !ok {
				continue
			}
			shapes++
			if distanceKm(*a.Point, centre) <= radius {
				return true
			}
		}
		if shapes > 0 {
			return false
		}
	}
	if a.District != "" {
		named := n.Description != "" || len(n.Geocodes) > 0
		for _, d := range DistrictNames(a.District) {
			if strings.Contains(strings.ToLower(n.Description), strings.ToLower(d)) {
				return true
			}
			for _, g := range n.Geocodes {
				if strings.EqualFold(strings.TrimSpace(g.Value), d) {
					return true
				}
			}
		}
		return !named
	}
	return true
}

func parsePolygon(s string) []Point {
	var pts []Point
	for _, f := range strings.Fields(s) {
		p, err := ParsePoint(f)
		if err != nil {
			return nil
		}
		pts = append(pts, p)
	}
	return pts
}

func parseCircle(s string) (Point, float64, bool) {
	c, r, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return Point{}, 0, false
	}
	p, err := ParsePoint(c)
	radius, rerr := strconv.ParseFloat(strings.TrimSpace(r), 64)
	if err != nil || rerr != nil || radius < 0 {
		return Point{}, 0, false
	}
	return p, radius, true
}

// inPolygon is the even–odd ray test on latitude/longitude, good enough for
// the city-sized areas of a notice.
func inPolygon(p Point, poly []Point) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) &&
			p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
			in = !in
		}
	}
	return in
}

// distanceKm is the great-circle distance.
func distanceKm(a, b Point) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// DistrictNames reads a subscriber's district: one name, or the names a
// district chosen from the office's list goes by, separated by "|"
// ("sha-tin|沙田區|沙田区|Sha Tin"), each also without a trailing 區, 区
// or " District", so that a notice naming it in any language reaches the
// subscriber.
func DistrictNames(district string) []string {
	var out []string
	for d := range strings.SplitSeq(district, "|") {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		out = append(out, d)
		for _, suffix := range []string{"區", "区", " District", " district"} {
			if short, ok := strings.CutSuffix(d, suffix); ok && short != "" {
				out = append(out, short)
			}
		}
	}
	return out
}
