package static

import "github.com/segfaultarena/segfault/internal/coach/bigo"

// Cost is n^Poly · log(n)^Log, or exponential. It is richer than bigo.Class
// so that products (a loop around a sort) stay exact until the end.
type Cost struct {
	Exp  bool
	Poly int
	Log  int
}

var (
	costConst  = Cost{}
	costLog    = Cost{Log: 1}
	costLinear = Cost{Poly: 1}
	costNLogN  = Cost{Poly: 1, Log: 1}
	costExp    = Cost{Exp: true}
)

// Mul is the cost of doing b once per step of a.
func (a Cost) Mul(b Cost) Cost {
	return Cost{Exp: a.Exp || b.Exp, Poly: a.Poly + b.Poly, Log: a.Log + b.Log}
}

// Less orders costs by growth.
func (a Cost) Less(b Cost) bool {
	if a.Exp != b.Exp {
		return b.Exp
	}
	if a.Poly != b.Poly {
		return a.Poly < b.Poly
	}
	return a.Log < b.Log
}

// Class rounds a cost to the reported classes: log factors on top of a
// power above one are dropped (O(n² log n) is reported as O(n²)).
func (a Cost) Class() bigo.Class {
	switch {
	case a.Exp:
		return bigo.Exponential
	case a.Poly >= 3:
		return bigo.Cubic
	case a.Poly == 2:
		return bigo.Quadratic
	case a.Poly == 1 && a.Log > 0:
		return bigo.NLogN
	case a.Poly == 1:
		return bigo.Linear
	case a.Log > 0:
		return bigo.Log
	}
	return bigo.Const
}
