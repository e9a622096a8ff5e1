package judge

import (
	"context"
	"fmt"
	"log/slog"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// program is source compiled in its own box, ready to run many times.
type program struct {
	box         sandbox.Box
	dir         string // where it was compiled and runs, inside the box
	lang        *Language
	vars        cmdVars
	compileTime time.Duration
	cached      bool // taken from the compile cache: nothing compiled
	// args are the program's own arguments (Submission.Args), given to
	// every run before any per-run ones.
	args []string
}

func (p *program) close(log *slog.Logger) {
	if err := p.box.Close(); err != nil {
		log.Error("close box", "err", err)
	}
}

// env is the complete environment of a process in the box: nothing of the
// host's environment.
func (p *program) env() []string {
	env := []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"HOME=/tmp", // the work dir is read-only for programs; /tmp is theirs
		"TMPDIR=/tmp",
		"LANG=C.UTF-8",
		"LC_ALL=C.UTF-8",
	}
	for _, e := range p.lang.Env {
		env = append(env, p.lang.expand([]string{e}, p.vars)...)
	}
	return env
}

// runArgs is the run command line with the program's arguments and extra
// ones appended. They are argv entries for execve: nothing parses them.
func (p *program) runArgs(extra ...string) []string {
	args := append(p.lang.expand(p.lang.Run, p.vars), p.args...)
	return append(args, extra...)
}

// compileIn opens a box, writes the files into dir (relative to the work
// dir; "" = the work dir itself) and compiles them there. files maps names
// to contents; the key "" stands for the language's own source name
// (main.cpp, or the Java public class). entry is the file among several
// that the program starts from ("" = mainSource's guess, for validators).
// A non-empty ce is the compiler's message: the box is then already closed.
func (j *Judge) compileIn(ctx context.Context, lang *Language, files map[string][]byte, entry string, memBytes int64, dir string) (*program, string, error) {
	// The names and placeholders first: they are part of the cache key.
	vars := cmdVars{class: "Main", memMiB: memBytes >> 20}
	names := sortedKeys(files)
	target := make(map[string]string, len(files)) // file key → name in the box
	for _, name := range names {
		if name == "" {
			name, vars.class = lang.sourceName(files[""])
			vars.src = name
			target[""] = name
		} else {
			target[name] = name
		}
		if hasExt(name, lang.Extensions) {
			vars.sources = append(vars.sources, name)
		}
	}
	if vars.src == "" { // several files: the entry, or a validator's main one
		vars.src = entry
		if entry == "" {
			vars.src = mainSource(vars.sources)
		}
		vars.class = lang.Class.name(files[vars.src], vars.src)
	}
	if len(vars.sources) == 0 {
		return nil, "", fmt.Errorf("no %s source among %v", lang.ID, names)
	}
	sort.Strings(vars.sources)

	var key string
	var cached []sandbox.File
	release := func() {}
	if j.cache != nil && dir == "" {
		key = compileKey(lang, vars, files, entry)
		var rel func()
		var err error
		if cached, rel, err = j.cache.lookup(ctx, key); err != nil {
			return nil, "", err
		}
		if rel != nil {
			release = rel
		}
	}
	defer release()

	box, err := j.runtime.Open(ctx, j.boxOptionsFor(lang, memBytes+lang.MemoryOverheadMiB<<20))
	if err != nil {
		return nil, "", fmt.Errorf("open box: %w", err)
	}
	prog := &program{box: box, lang: lang, dir: box.WorkDir()}
	if dir != "" {
		prog.dir = path.Join(box.WorkDir(), dir)
	}
	fail := func(err error) (*program, string, error) {
		prog.close(j.log)
		return nil, "", err
	}
	vars.work = box.WorkDir()
	prog.vars = vars

	if cached != nil {
		// Compiled before: the snapshot of the work dir after that
		// compile, verified by the cache, copied in as the build left it.
		for _, f := range cached {
			if err := box.WriteFile(f.Name, f.Data, f.Mode); err != nil {
				return fail(fmt.Errorf("write cached build: %w", err))
			}
		}
		prog.cached = true
		return prog, "", nil
	}

	for _, name := range names {
		if err := box.WriteFile(path.Join(dir, target[name]), files[name], 0o644); err != nil {
			return fail(fmt.Errorf("write source: %w", err))
		}
	}

	cpu, wall := lang.compileLimits()
	cstart := time.Now()
	for _, c := range lang.Compile {
		out := &capWriter{max: CompileOutputBytes}
		r, err := box.Run(ctx, sandbox.Cmd{
			Args:   lang.expand(c, prog.vars),
			Env:    prog.env(),
			Dir:    prog.dir,
			Stdout: out,
			Stderr: out,
			Limits: sandbox.Limits{
				CPUTime:     cpu,
				WallTime:    wall,
				MemoryBytes: CompileMemoryBytes,
				// One byte over the cap, so that capWriter sees the cut.
				OutputBytes: CompileOutputBytes + 1,
				StderrBytes: CompileOutputBytes + 1,
				Pids:        compilePids,
				FileBytes:   boxWorkBytes,
			},
			Privileged: true,
		})
		if err != nil || r.Status == sandbox.StatusInternalError {
			return fail(fmt.Errorf("compile: %v %s", err, r.Message))
		}
		if ce := compileFailure(r, out, cpu); ce != "" {
			prog.compileTime = time.Since(cstart)
			prog.close(j.log)
			return prog, ce, nil
		}
	}
	prog.compileTime = time.Since(cstart)
	if key != "" {
		// Snapshot now, before anything else runs in the box. A tree the
		// cache cannot hold (too big, a link or a special file) is simply
		// not kept.
		if snap, err := box.Files(j.cache.maxBytes / maxEntryFraction); err == nil {
			j.cache.put(key, snap)
		} else {
			j.log.Debug("compile cache: not kept", "lang", lang.ID, "err", err)
		}
	}
	return prog, "", nil
}

// compileFailure turns a failed compiler run into the message a player
// sees; "" = the step succeeded.
func compileFailure(r sandbox.Result, out *capWriter, cpu time.Duration) string {
	msg := strings.TrimRight(out.String(), "\n")
	if out.cut {
		msg += "\n... (compiler output cut at 64 KiB)"
	}
	var why string
	switch r.Status {
	case sandbox.StatusOK:
		if r.ExitCode == 0 {
			return ""
		}
		if msg == "" {
			why = fmt.Sprintf("compiler exited with code %d", r.ExitCode)
		}
	case sandbox.StatusTimeLimitExceeded, sandbox.StatusWallTimeExceeded:
		why = fmt.Sprintf("compilation exceeded the time limit (%v)", cpu)
	case sandbox.StatusMemoryLimitExceeded:
		why = fmt.Sprintf("compilation exceeded the memory limit (%d MiB)", CompileMemoryBytes>>20)
	case sandbox.StatusOutputLimitExceeded:
		why = "compiler output exceeded 64 KiB"
	case sandbox.StatusSignaled:
		why = "compiler killed by " + r.SignalName
	default:
		why = "compilation failed: " + r.Status.String()
	}
	if msg == "" {
		return why
	}
	if why == "" {
		return msg
	}
	return why + "\n" + msg
}

// compileLimits are the CPU and wall clock limits of each compile step:
// the defaults, or the language's own CPU limit (JVM compilers of Kotlin
// and Scala spend seconds loading themselves) with the wall clock scaled
// alike.
func (lang *Language) compileLimits() (cpu, wall time.Duration) {
	if lang.CompileCPUSeconds <= 0 {
		return CompileCPUTime, CompileWallTime
	}
	cpu = time.Duration(lang.CompileCPUSeconds) * time.Second
	return cpu, CompileWallTime / CompileCPUTime * cpu
}

func hasExt(name string, exts []string) bool {
	for _, e := range exts {
		if strings.HasSuffix(strings.ToLower(name), "."+e) {
			return true
		}
	}
	return false
}

// mainSource picks the entry file of a multi-file validator for languages
// that run one file (Python, JavaScript, Java).
func mainSource(sources []string) string {
	sort.Strings(sources)
	for _, prefix := range []string{"validate", "validator", "main", "interactor", "check"} {
		for _, s := range sources {
			if strings.HasPrefix(strings.ToLower(s), prefix) {
				return s
			}
		}
	}
	if len(sources) > 0 {
		return sources[0]
	}
	return ""
}
