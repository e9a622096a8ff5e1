package problem

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DeriveTimeLimit turns the running time of the slowest accepted submission
// into a time limit: slowest × multiplier, rounded UP to whole seconds, at
// least 1 s. (problemtools rounds to the nearest second with the same
// 1 s floor; rounding up never leaves an accepted submission closer than
// the multiplier to the limit, which is the point of the multiplier.)
func DeriveTimeLimit(slowest time.Duration, multiplier float64) time.Duration {
	if multiplier < 1 {
		multiplier = DefaultTimeMultiplier
	}
	// The small epsilon keeps 0.5 s × 2 at 1 s despite float error.
	secs := math.Ceil(slowest.Seconds()*multiplier - 1e-9)
	if secs < 1 {
		secs = 1
	}
	return time.Duration(secs) * time.Second
}

// LanguageMultipliers scale the time limit per language (a slow runtime
// gets more time). Missing languages use 1.
type LanguageMultipliers map[string]float64

// For returns the limit for lang given the problem's base limit.
func (m LanguageMultipliers) For(base time.Duration, lang string) time.Duration {
	f, ok := m[lang]
	if !ok || f <= 0 {
		return base
	}
	return time.Duration(float64(base) * f)
}

// Normalize converts a running time in lang back to the base scale, so the
// slowest accepted submission is found fairly across languages.
func (m LanguageMultipliers) Normalize(d time.Duration, lang string) time.Duration {
	f, ok := m[lang]
	if !ok || f <= 0 {
		return d
	}
	return time.Duration(float64(d) / f)
}

// ParseLanguageMultipliers reads "python=3,java=1.5" (the config format).
func ParseLanguageMultipliers(s string) (LanguageMultipliers, error) {
	m := LanguageMultipliers{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lang, val, ok := strings.Cut(part, "=")
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if !ok || err != nil || f < 1 || f > 100 || strings.TrimSpace(lang) == "" {
			return nil, fmt.Errorf("language multiplier %q: want lang=factor with 1 <= factor <= 100", part)
		}
		m[strings.TrimSpace(lang)] = f
	}
	return m, nil
}

func (m LanguageMultipliers) String() string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%g", k, m[k]))
	}
	return strings.Join(parts, ",")
}
