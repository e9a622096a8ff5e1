package fit

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// synth makes points y = base + k·g(n) with multiplicative noise, the way a
// real timer behaves.
func synth(ns []float64, base, k float64, g func(float64) float64, noise float64, seed uint64) []Point {
	r := rand.New(rand.NewPCG(seed, 1))
	var out []Point
	for _, n := range ns {
		y := base + k*g(n)
		y *= 1 + noise*(r.Float64()*2-1)
		out = append(out, Point{N: n, Y: y})
	}
	return out
}

func geometric(from float64, steps int) []float64 {
	var ns []float64
	for i := 0; i < steps; i++ {
		ns = append(ns, from*math.Pow(2, float64(i)))
	}
	return ns
}

func TestFitRecoversClass(t *testing.T) {
	ns := geometric(1000, 9) // 1e3 .. 2.56e5
	lin := func(n float64) float64 { return n }
	tests := []struct {
		name string
		pts  []Point
		want bigo.Class
	}{
		{"const", synth(ns, 0.02, 0, lin, 0.05, 1), bigo.Const},
		{"linear", synth(ns, 0.02, 1e-6, lin, 0.03, 2), bigo.Linear},
		{"quadratic", synth(ns, 0.02, 1e-11, func(n float64) float64 { return n * n }, 0.03, 3), bigo.Quadratic},
		{"cubic", synth(geometric(20, 7), 0.02, 1e-7, func(n float64) float64 { return n * n * n }, 0.03, 4), bigo.Cubic},
		{"exponential", synth([]float64{10, 14, 18, 20, 22, 24, 25}, 0.02, 1e-7, math.Exp2, 0.03, 5), bigo.Exponential},
		{"nlogn", synth(geometric(1000, 12), 0.02, 1e-7, func(n float64) float64 { return n * math.Log2(n) }, 0.005, 6), bigo.NLogN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Fit(tc.pts, Options{Noise: 0.003})
			if r.Class != tc.want {
				t.Fatalf("class %v, want %v (fits %+v)", r.Class, tc.want, r.Fits)
			}
			if tc.want != bigo.Const && r.Confidence <= 0 {
				t.Errorf("confidence %v for a clean %v", r.Confidence, tc.want)
			}
		})
	}
}

func TestFitPrefersSimplerWhenClose(t *testing.T) {
	// n log n over a narrow range looks linear within noise: the simpler
	// class must win.
	pts := synth([]float64{1000, 1200, 1400, 1600, 1800, 2000}, 0.01, 1e-6, func(n float64) float64 { return n * math.Log2(n) }, 0.02, 7)
	r := Fit(pts, Options{Noise: 0.003})
	if r.Class != bigo.Linear {
		t.Fatalf("class %v, want O(n) (fits %+v)", r.Class, r.Fits)
	}
}

func TestFitTooFewPoints(t *testing.T) {
	r := Fit([]Point{{1, 1}, {2, 2}, {2, 2.1}}, Options{Noise: 0.001})
	if r.Class != bigo.Unknown {
		t.Fatalf("class %v from two sizes", r.Class)
	}
}

func TestFitSurvivesOneInflatedTopPoint(t *testing.T) {
	// Linear, except that the largest size pays a 4x penalty (a cache level,
	// paging, a runtime leaving its small-integer path).
	ns := geometric(1<<16, 9)
	pts := synth(ns, 0.06, 5e-8, func(n float64) float64 { return n }, 0.02, 9)
	pts[len(pts)-1].Y *= 4
	r := Fit(pts, Options{Noise: 0.004})
	if r.Class != bigo.Linear {
		t.Fatalf("class %v (unstable %v), want O(n)", r.Class, r.Unstable)
	}
	// A real quadratic stays quadratic without its top point.
	q := synth(ns, 0.06, 1e-14, func(n float64) float64 { return n * n }, 0.02, 10)
	if r := Fit(q, Options{Noise: 0.004}); r.Class != bigo.Quadratic {
		t.Fatalf("quadratic became %v", r.Class)
	}
}
