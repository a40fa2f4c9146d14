package public

import (
	"math"
	"strconv"
	"strings"

	"crisisdesk/internal/notice"
	"crisisdesk/internal/subscriber"
)

// areaMap is a notice's CAP area drawn as an inline SVG on the server:
// no tiles, no script, the same on paper. Coordinates are projected
// equirectangularly around the area's middle latitude, which keeps the
// shape true at the size of a city.
type areaMap struct {
	Width, Height int
	Polygons      []string // path data, numbers only
	Circles       []mapCircle
	// ScaleX1, ScaleX2 and ScaleY place the scale bar; ScaleLabel is its
	// length ("5 km").
	ScaleX1, ScaleX2, ScaleY string
	ScaleLabel               string
}

type mapCircle struct{ CX, CY, R string }

// Map sizes, in SVG units.
const (
	mapWidth   = 320
	mapPadding = 16
	mapMinH    = 140
	mapMaxH    = 320
	kmPerDeg   = 111.32
	maxMapPts  = 2000 // more points than this are thinned, to keep the page small
)

type lonLat struct{ x, y float64 } // x: longitude, y: latitude

// drawArea returns the map of a, or nil when a has no shape to draw.
func drawArea(a notice.Area) *areaMap {
	var polys [][]lonLat
	type circle struct {
		c lonLat
		r float64
	}
	var circles []circle
	for _, s := range a.Polygons {
		var pts []lonLat
		for _, f := range strings.Fields(s) {
			p, err := subscriber.ParsePoint(f)
			if err != nil {
				pts = nil
				break
			}
			pts = append(pts, lonLat{p.Lon, p.Lat})
		}
		if len(pts) >= 3 {
			polys = append(polys, pts)
		}
	}
	for _, s := range a.Circles {
		c, r, ok := strings.Cut(strings.TrimSpace(s), " ")
		p, err := subscriber.ParsePoint(c)
		radius, rerr := strconv.ParseFloat(strings.TrimSpace(r), 64)
		if ok && err == nil && rerr == nil && radius >= 0 && radius < 5000 {
			circles = append(circles, circle{lonLat{p.Lon, p.Lat}, radius})
		}
	}
	if len(polys) == 0 && len(circles) == 0 {
		return nil
	}
	// The bounding box, in degrees, with circles' extents.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	grow := func(x, y float64) {
		minX, maxX, minY, maxY = math.Min(minX, x), math.Max(maxX, x), math.Min(minY, y), math.Max(maxY, y)
	}
	for _, p := range polys {
		for _, q := range p {
			grow(q.x, q.y)
		}
	}
	midLat := (minY + maxY) / 2
	if len(polys) == 0 {
		midLat = circles[0].c.y
	}
	cos := math.Max(math.Cos(midLat*math.Pi/180), 0.01)
	for _, c := range circles {
		dy := c.r / kmPerDeg
		dx := dy / cos
		grow(c.c.x-dx, c.c.y-dy)
		grow(c.c.x+dx, c.c.y+dy)
	}
	// In km: x east, y north.
	wKm, hKm := (maxX-minX)*kmPerDeg*cos, (maxY-minY)*kmPerDeg
	if wKm < 0.1 {
		wKm = 0.1
	}
	if hKm < 0.1 {
		hKm = 0.1
	}
	inner := float64(mapWidth - 2*mapPadding)
	scale := inner / wKm // units per km
	h := hKm*scale + 2*mapPadding
	if h > mapMaxH { // tall areas: fit the height instead
		scale = (mapMaxH - 2*mapPadding) / hKm
		h = mapMaxH
	}
	h = math.Max(h, mapMinH)
	offX := (mapWidth - wKm*scale) / 2
	offY := (h - hKm*scale) / 2
	proj := func(q lonLat) (float64, float64) {
		return offX + (q.x-minX)*kmPerDeg*cos*scale, offY + (maxY-q.y)*kmPerDeg*scale
	}
	m := &areaMap{Width: mapWidth, Height: int(math.Ceil(h))}
	total := 0
	for _, p := range polys {
		total += len(p)
	}
	step := 1
	if total > maxMapPts {
		step = (total + maxMapPts - 1) / maxMapPts
	}
	for _, p := range polys {
		var b strings.Builder
		last := ""
		for i, q := range p {
			if i%step != 0 && i != len(p)-1 {
				continue
			}
			x, y := proj(q)
			pt := num(x) + "," + num(y)
			if pt == last {
				continue
			}
			if b.Len() == 0 {
				b.WriteString("M")
			} else {
				b.WriteString("L")
			}
			b.WriteString(pt)
			last = pt
		}
		b.WriteString("Z")
		m.Polygons = append(m.Polygons, b.String())
	}
	for _, c := range circles {
		x, y := proj(c.c)
		m.Circles = append(m.Circles, mapCircle{CX: num(x), CY: num(y), R: num(math.Max(c.r*scale, 2))})
	}
	// A scale bar of a round length near a quarter of the width.
	km := niceKm(wKm / 4)
	m.ScaleX1, m.ScaleX2, m.ScaleY = num(mapPadding), num(mapPadding+km*scale), num(h-6)
	m.ScaleLabel = strconv.FormatFloat(km, 'f', -1, 64) + " km"
	return m
}

// niceKm is the largest of 1, 2 and 5 times a power of ten at most km.
func niceKm(km float64) float64 {
	if km <= 0 {
		return 0.1
	}
	p := math.Pow(10, math.Floor(math.Log10(km)))
	for _, f := range []float64{5, 2, 1} {
		if f*p <= km {
			return f * p
		}
	}
	return p
}

// num writes an SVG coordinate with one decimal.
func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }
