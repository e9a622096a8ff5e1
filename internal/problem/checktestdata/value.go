package checktestdata

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// kind is the type of a value. Integers and floats have arbitrary size;
// floats are kept exactly, as rationals (every decimal the input can hold
// is one), so a bound like FLOAT(0, 0.1) compares exactly.
type kind uint8

const (
	kNone kind = iota
	kInt
	kFloat
	kString
	kBool
)

func (k kind) String() string {
	return [...]string{"no value", "integer", "float", "string", "boolean"}[k]
}

type value struct {
	k kind
	i *big.Int // kInt
	q *big.Rat // kFloat
	s string   // kString
	b bool     // kBool
}

func intValue(i *big.Int) value   { return value{k: kInt, i: i} }
func floatValue(q *big.Rat) value { return value{k: kFloat, q: q} }
func strValue(s string) value     { return value{k: kString, s: s} }
func boolValue(b bool) value      { return value{k: kBool, b: b} }
func int64Value(n int64) value    { return intValue(big.NewInt(n)) }

func (v value) numeric() bool { return v.k == kInt || v.k == kFloat }

// rat is a numeric value as a rational (a new one for integers).
func (v value) rat() *big.Rat {
	if v.k == kInt {
		return new(big.Rat).SetInt(v.i)
	}
	return v.q
}

// String renders v for messages, long numbers and strings cut short.
func (v value) String() string {
	switch v.k {
	case kInt:
		if v.i.BitLen() > 512 {
			return fmt.Sprintf("(a %d-bit integer)", v.i.BitLen())
		}
		return v.i.String()
	case kFloat:
		if v.bits() > 512 {
			return fmt.Sprintf("(a %d-bit number)", v.bits())
		}
		if v.q.IsInt() {
			return v.q.Num().String()
		}
		f, _ := new(big.Float).SetPrec(128).SetRat(v.q).Float64()
		return strconv.FormatFloat(f, 'g', -1, 64)
	case kString:
		return strconv.Quote(clip(v.s))
	case kBool:
		return strconv.FormatBool(v.b)
	}
	return "<no value>"
}

// clip cuts a string for a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// key is v in a form where equal values give equal keys (an integer and
// a float of the same value compare equal, as checktestdata compares
// numbers by value).
func (v value) key() string {
	switch v.k {
	case kInt:
		return "n" + v.i.String()
	case kFloat:
		if v.q.IsInt() {
			return "n" + v.q.Num().String()
		}
		return "n" + v.q.String()
	case kString:
		return "s" + v.s
	case kBool:
		return "b" + strconv.FormatBool(v.b)
	}
	return ""
}

// bits is the size of a numeric value, to keep arithmetic bounded.
func (v value) bits() int {
	switch v.k {
	case kInt:
		return v.i.BitLen()
	case kFloat:
		return max(v.q.Num().BitLen(), v.q.Denom().BitLen())
	}
	return 0
}

// maxExponent bounds the decimal exponent of a float literal or input
// (1e100000 is 41 KiB as an exact number; anything larger is no real
// test data).
const maxExponent = 100000

// parseDecimal reads -?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)? exactly.
func parseDecimal(s string, maxExp int) (*big.Rat, error) {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
		if err != nil || e > maxExp || e < -maxExp {
			return nil, fmt.Errorf("exponent of %.20s out of range (at most %d in magnitude)", s, maxExp)
		}
		exp = e
	}
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	whole, frac, _ := strings.Cut(mant, ".")
	digits := whole + frac
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return nil, fmt.Errorf("bad number %.20s", s)
	}
	if neg {
		n.Neg(n)
	}
	exp -= len(frac)
	q := new(big.Rat).SetInt(n)
	if exp != 0 {
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp))), nil)
		if exp > 0 {
			q.Mul(q, new(big.Rat).SetInt(p))
		} else {
			q.Quo(q, new(big.Rat).SetInt(p))
		}
	}
	return q, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
