package public

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"crisisdesk/internal/notice"
)

// The map draws every polygon and circle inside its frame, keeps a
// square area square, skips what does not parse, and draws nothing for
// an area without a shape.
func TestDrawArea(t *testing.T) {
	t.Parallel()
	// About 2 km by 2 km at Hong Kong's latitude.
	square := "22.30,114.160 22.318,114.160 22.318,114.1795 22.30,114.1795 22.30,114.160"
	cases := []struct {
		name         string
		area         notice.Area
		none         bool
		polys, circs int
		square       bool
	}{
		{"no shape", notice.Area{Description: "Harbour"}, true, 0, 0, false},
		{"bad polygon", notice.Area{Polygons: []string{"22.3,114.1 north,east 22.4,114.2"}}, true, 0, 0, false},
		{"square", notice.Area{Polygons: []string{square}}, false, 1, 0, true},
		{"circle", notice.Area{Circles: []string{"22.3,114.17 5"}}, false, 0, 1, false},
		{"both, one bad circle", notice.Area{Polygons: []string{square}, Circles: []string{"22.3,114.17 2", "22.3,114.17 far"}}, false, 1, 1, false},
	}
	coord := regexp.MustCompile(`[ML](-?[0-9.]+),(-?[0-9.]+)`)
	for _, c := range cases {
		m := drawArea(c.area)
		if c.none {
			if m != nil {
				t.Errorf("%s: drew %+v", c.name, m)
			}
			continue
		}
		if m == nil || len(m.Polygons) != c.polys || len(m.Circles) != c.circs {
			t.Fatalf("%s: %+v", c.name, m)
		}
		var xs, ys []float64
		for _, p := range m.Polygons {
			if !strings.HasPrefix(p, "M") || !strings.HasSuffix(p, "Z") {
				t.Errorf("%s: path %q", c.name, p)
			}
			for _, mm := range coord.FindAllStringSubmatch(p, -1) {
				x, _ := strconv.ParseFloat(mm[1], 64)
				y, _ := strconv.ParseFloat(mm[2], 64)
				if x < 0 || y < 0 || x > float64(m.Width) || y > float64(m.Height) {
					t.Errorf("%s: point %v,%v outside %dx%d", c.name, x, y, m.Width, m.Height)
				}
				xs, ys = append(xs, x), append(ys, y)
			}
		}
		if c.square {
			w, h := spread(xs), spread(ys)
			if w/h < 0.95 || w/h > 1.05 {
				t.Errorf("%s: drawn %v wide and %v high", c.name, w, h)
			}
		}
		if m.ScaleLabel == "" || !strings.HasSuffix(m.ScaleLabel, " km") {
			t.Errorf("%s: scale %q", c.name, m.ScaleLabel)
		}
	}
}

func spread(v []float64) float64 {
	lo, hi := v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return hi - lo
}
