package judge

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// LoadKattisDir is a deliberately small reader of a Kattis problem package:
// problem.yaml limits, the .timelimit file, data/sample and data/secret
// tests, the output validator and the validation type. It exists for this
// package's own tests, which cannot import internal/problem/verify (that
// imports the judge).
//
// Deprecated: everything that judges a package for real (the workers,
// `segfault judge --problem`, verification) uses verify.LoadJudgeProblem,
// the one conversion with every package semantic (derived time limits,
// draft output_validator_args, per-group flags, interactivity). Delete this
// once the judge's tests build their problems another way.
func LoadKattisDir(dir string) (*Problem, error) {
	var meta struct {
		Name       string `yaml:"name"`
		Type       any    `yaml:"type"`       // 2023-07: pass-fail, interactive, or a list
		Validation string `yaml:"validation"` // legacy: default, custom, custom interactive
		Flags      string `yaml:"validator_flags"`
		Limits     struct {
			Memory    int64   `yaml:"memory"` // MiB
			Output    int64   `yaml:"output"` // MiB
			TimeLimit float64 `yaml:"time_limit"`
		} `yaml:"limits"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "problem.yaml"))
	if err != nil && !os.IsNotExist(err) {
		return nil, errorf(CodeBadProblem, "read problem.yaml: %v", err)
	}
	if err := yaml.Unmarshal(raw, &meta); err != nil {
		return nil, errorf(CodeBadProblem, "problem.yaml: %v", err)
	}
	p := &Problem{
		Name:           meta.Name,
		TimeLimit:      time.Second,
		MemoryBytes:    2048 << 20, // the Kattis default
		OutputBytes:    meta.Limits.Output << 20,
		ValidatorFlags: strings.Fields(meta.Flags),
	}
	if p.Name == "" {
		p.Name = filepath.Base(filepath.Clean(dir))
	}
	if meta.Limits.Memory > 0 {
		p.MemoryBytes = meta.Limits.Memory << 20
	}
	if meta.Limits.TimeLimit > 0 {
		p.TimeLimit = time.Duration(meta.Limits.TimeLimit * float64(time.Second))
	}
	// .timelimit is what problemtools writes after measuring the judge
	// solutions; it wins over problem.yaml.
	if b, err := os.ReadFile(filepath.Join(dir, ".timelimit")); err == nil {
		secs, perr := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
		if perr != nil || secs <= 0 {
			return nil, errorf(CodeBadProblem, ".timelimit: not a positive number of seconds: %q", strings.TrimSpace(string(b)))
		}
		p.TimeLimit = time.Duration(secs * float64(time.Second))
	}

	kinds := strings.Fields(meta.Validation)
	switch t := meta.Type.(type) {
	case string:
		kinds = append(kinds, strings.Fields(t)...)
	case []any:
		for _, v := range t {
			kinds = append(kinds, fmt.Sprint(v))
		}
	}
	custom := false
	for _, k := range kinds {
		switch k {
		case "interactive":
			p.Interactive, custom = true, true
		case "custom":
			custom = true
		}
	}

	for _, part := range []string{"sample", "secret"} {
		tests, err := kattisTests(filepath.Join(dir, "data", part), part == "sample")
		if err != nil {
			return nil, err
		}
		p.Tests = append(p.Tests, tests...)
	}
	if len(p.Tests) == 0 {
		return nil, errorf(CodeNoTests, "no tests in %s (want data/sample and data/secret *.in with *.ans)", filepath.Join(dir, "data"))
	}

	// Legacy packages use output_validators/ only when validation says
	// custom; in the 2023-07 format an output_validator/ is always used.
	if v, newLayout, err := kattisValidator(dir); err != nil {
		return nil, err
	} else if v != nil && (custom || newLayout) {
		p.Validator = v
	}
	if custom && p.Validator == nil {
		return nil, errorf(CodeBadProblem, "validation is %q but there is no output validator", strings.Join(kinds, " "))
	}
	return p, nil
}

// kattisTests finds *.in files beneath dir, recursively, in path order.
func kattisTests(dir string, sample bool) ([]Test, error) {
	var tests []Test
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".in") {
			return nil
		}
		base := strings.TrimSuffix(path, ".in")
		ans := base + ".ans"
		if _, err := os.Stat(ans); err != nil {
			return errorf(CodeBadProblem, "test %s has no .ans file", path)
		}
		rel, _ := filepath.Rel(filepath.Dir(dir), base)
		tests = append(tests, Test{Name: filepath.ToSlash(rel), InputPath: path, AnswerPath: ans, Sample: sample})
		return nil
	})
	if err != nil {
		if ErrorCode(err) != "" {
			return nil, err
		}
		return nil, errorf(CodeBadProblem, "read tests: %v", err)
	}
	sort.Slice(tests, func(i, k int) bool { return tests[i].Name < tests[k].Name })
	return tests, nil
}

// kattisValidator reads output_validator/ (2023-07) or the first
// output_validators/*/ (legacy) as one validator's source files.
func kattisValidator(dir string) (v *ValidatorSpec, newLayout bool, err error) {
	var vdir string
	if fi, err := os.Stat(filepath.Join(dir, "output_validator")); err == nil && fi.IsDir() {
		vdir, newLayout = filepath.Join(dir, "output_validator"), true
	} else if ents, err := os.ReadDir(filepath.Join(dir, "output_validators")); err == nil {
		for _, e := range ents {
			if e.IsDir() {
				vdir = filepath.Join(dir, "output_validators", e.Name())
				break
			}
		}
	}
	if vdir == "" {
		return nil, false, nil
	}
	ents, err := os.ReadDir(vdir)
	if err != nil {
		return nil, false, errorf(CodeBadProblem, "output validator: %v", err)
	}
	v = &ValidatorSpec{Files: map[string][]byte{}}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(vdir, e.Name()))
		if err != nil {
			return nil, false, errorf(CodeBadProblem, "output validator: %v", err)
		}
		v.Files[e.Name()] = b
	}
	if len(v.Files) == 0 {
		return nil, false, errorf(CodeBadProblem, "output validator %s has no files", vdir)
	}
	return v, newLayout, nil
}
