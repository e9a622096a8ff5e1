package judge

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// prepareJVMCDS gives a JVM language an application class-data sharing
// archive (AppCDS): the classes a typical contest program loads (the JDK's
// readers, tokenizers, collections, lambdas; for Kotlin and Scala their
// standard library from its jar) parsed, verified and laid out once on the
// host, then mapped read-only by every run. Scala's hello world spends
// ~210 ms of CPU loading its library without it, ~75 ms with it.
//
// {prep}/app.jsa is a static archive dumped by the host's java from the
// class list that the language's own trainer programs (its template, and
// for Java a program using the usual I/O and collections) loaded when
// compiled and run on the host with the language's run flags. The run step
// names it with -Xshare:auto: a missing archive (not built yet, or the
// build failed), one of another JVM, a truncated one or one whose class
// path does not match is ignored by the JVM, which then starts as without
// it. The archive's class path is the jars before "." on the run's class
// path (so the run puts the standard library's jar first; nothing can
// shadow a kotlin.* or scala.* class anyway), and classes of the program's
// own directory are never archived.
//
// The archive is built in the background, once per host (a lock in the
// directory, named by the JVM's version and a hash of the run step, the
// jars with their sizes and times, and the trainers), verified before it
// is put in place (the trainers run with -Xshare:on must map it and print
// what they printed without it), and its SHA-256 is written beside it: a
// resolve that finds an archive whose digest does not match deletes it and
// builds it again. The JVM does not checksum an archive's contents by
// default (-XX:+VerifySharedSpaces costs ~7 ms per start), so a byte
// flipped after the check would crash the runs: the directory is the
// worker's (0755, files 0444) and bound read-only into the boxes.
func prepareJVMCDS(ctx context.Context, lang *Language, cacheDir string) (string, error) {
	dir, err := cdsDir(ctx, lang, cacheDir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	makeTraversable(dir, cacheDir)
	jsa := filepath.Join(dir, cdsArchiveName)
	if _, err := os.Stat(jsa); err == nil {
		err := verifyCDSArchive(jsa)
		if err == nil {
			return dir, nil
		}
		slog.Warn("JVM class-data archive discarded: it is built again", "lang", lang.ID, "archive", jsa, "err", err)
		os.Remove(jsa)
		os.Remove(jsa + ".sha256")
	}
	startPrepBuild(dir, func(ctx context.Context) {
		if _, err := os.Stat(jsa); err == nil {
			return
		}
		start := time.Now()
		if err := buildCDSArchive(ctx, lang, dir, jsa); err != nil {
			slog.Warn("JVM class-data archive not built: runs go on without it", "lang", lang.ID, "err", err)
			return
		}
		fi, _ := os.Stat(jsa)
		slog.Info("JVM class-data archive built", "lang", lang.ID, "archive", jsa, "bytes", fi.Size(), "took", time.Since(start).Round(time.Millisecond))
	})
	return dir, nil
}

// cdsDir names the archive's directory: the JVM's build, and a hash of
// what shapes the archive (the java binary and its version, the run step,
// the class path's jars with their sizes and times, the trainers).
func cdsDir(ctx context.Context, lang *Language, cacheDir string) (string, error) {
	java := lang.vars["java"]
	if java == "" {
		return "", fmt.Errorf("no java tool")
	}
	out, err := exec.CommandContext(ctx, java, "-version").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s -version: %w", java, err)
	}
	run := lang.expandVars(lang.Run)
	h := sha256.New()
	fmt.Fprintf(h, "jvm-cds 1\x00%s\x00%s\x00%s\x00", java, out, strings.Join(run, "\x00"))
	for _, jar := range cdsClassPath(run) {
		fi, err := os.Stat(jar)
		if err != nil {
			return "", fmt.Errorf("class path %s: %w", jar, err)
		}
		fmt.Fprintf(h, "%s %d %d\x00", jar, fi.Size(), fi.ModTime().UnixNano())
	}
	for _, src := range cdsTrainers(lang) {
		fmt.Fprintf(h, "%d\x00%s", len(src), src)
	}
	return filepath.Join(cacheDir, "jvm-cds-"+lang.ID+"-"+safeName(jvmVersion(string(out)))+"-"+hex.EncodeToString(h.Sum(nil)[:6])), nil
}

// cdsArchiveName is the archive's name in {prep}, as the run steps of
// languages.yaml name it.
const cdsArchiveName = "app.jsa"

// jvmVersion is the build of `java -version`'s output ("17.0.15+6-...").
func jvmVersion(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if i := strings.Index(line, "(build "); i >= 0 {
			if j := strings.Index(line[i:], ")"); j > 0 {
				return line[i+len("(build ") : i+j]
			}
		}
	}
	return firstLine(out)
}

// cdsClassPath is the archive's class path: the entries of the run's -cp
// before the first one that is not a jar (the program's directory ".").
func cdsClassPath(run []string) []string {
	var out []string
	for i, a := range run {
		if (a == "-cp" || a == "-classpath" || a == "--class-path") && i+1 < len(run) {
			for _, e := range strings.Split(run[i+1], ":") {
				if !strings.HasSuffix(e, ".jar") {
					break
				}
				out = append(out, e)
			}
		}
	}
	return out
}

// cdsFlag reports whether a run argument selects or tunes the shared
// archive (left out of the training runs, replaced in the check).
func cdsFlag(a string) bool {
	return strings.HasPrefix(a, "-Xshare:") || strings.HasPrefix(a, "-XX:SharedArchiveFile=")
}

// withoutCDS is a run command line without its class-data sharing flags
// and with the JVM's own default archive only (benchmarks: the JVM
// languages' start with and without the archive, in one run).
func withoutCDS(args []string) []string {
	return slices.DeleteFunc(slices.Clone(args), cdsFlag)
}

// javaCDSTrainer is what a Java contest program typically loads beyond
// the template: Scanner, PrintWriter, the collections, sorting with a
// comparator lambda, streams, String.format, BigInteger.
const javaCDSTrainer = `import java.io.*;
import java.math.BigInteger;
import java.util.*;
import java.util.stream.*;

public class Train {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line = in.readLine();
        Scanner sc = new Scanner(line == null ? "0" : line);
        int n = sc.hasNextInt() ? sc.nextInt() : 0;
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out)));
        List<int[]> pairs = new ArrayList<>();
        Map<Integer, Long> count = new HashMap<>();
        TreeMap<Long, Integer> tree = new TreeMap<>();
        PriorityQueue<long[]> pq = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        ArrayDeque<Integer> dq = new ArrayDeque<>();
        HashSet<String> seen = new HashSet<>();
        for (int i = 0; i < n + 3; i++) {
            pairs.add(new int[]{i % 3, i});
            count.merge(i % 3, 1L, Long::sum);
            tree.put((long) i * i, i);
            pq.add(new long[]{n - i, i});
            dq.addLast(i);
            seen.add(Integer.toString(i));
        }
        pairs.sort(Comparator.comparingInt((int[] p) -> p[0]).thenComparingInt(p -> -p[1]));
        long[] arr = new long[n + 3];
        Arrays.fill(arr, 1);
        Arrays.sort(arr);
        int[] prim = IntStream.range(0, n + 3).map(x -> x * 2).toArray();
        String joined = Arrays.stream(prim).mapToObj(String::valueOf).collect(Collectors.joining(" "));
        StringTokenizer st = new StringTokenizer(joined);
        StringBuilder sb = new StringBuilder();
        while (st.hasMoreTokens()) sb.append(Integer.parseInt(st.nextToken()) % 7).append(',');
        BigInteger big = BigInteger.valueOf(n).pow(20).mod(BigInteger.valueOf(1_000_000_007L));
        out.println(String.format("%d %.3f %s", count.get(0), Math.sqrt(n), big));
        out.println(pairs.get(0)[1] + " " + tree.firstKey() + " " + pq.peek()[1] + " " + dq.peekLast() + " " + seen.size() + " " + sb.length());
        out.flush();
    }
}
`

// cdsTrainers are the programs whose loaded classes go into the archive.
func cdsTrainers(lang *Language) []string {
	t := []string{lang.Template}
	if lang.ID == "java" {
		t = append(t, javaCDSTrainer)
	}
	return t
}

// buildCDSArchive compiles and runs the trainers on the host (the
// language's own compile and run steps, trusted programs), dumps the
// archive from the classes they loaded and checks it before putting it in
// place.
func buildCDSArchive(ctx context.Context, lang *Language, dir, jsa string) error {
	// Left by a process that ended while it built (it held the lock).
	if old, _ := filepath.Glob(filepath.Join(dir, "train-*")); len(old) > 0 {
		for _, o := range old {
			os.RemoveAll(o)
		}
	}
	work, err := os.MkdirTemp(dir, "train-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	env := []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "HOME=" + work, "TMPDIR=" + work}
	for _, e := range lang.Env {
		env = append(env, lang.expand([]string{e}, cmdVars{})...)
	}
	exe := func(cwd string, stdin string, args []string) (string, error) {
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir, cmd.Env, cmd.Stdin = cwd, env, strings.NewReader(stdin)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("%s: %v: %s", strings.Join(args, " "), err, firstLine(stderr.String()+stdout.String()))
		}
		return stdout.String(), nil
	}
	type trained struct {
		dir  string
		run  []string // the run command without the archive flags
		want string   // its output
	}
	var runs []trained
	var list []string
	seen := map[string]bool{}
	for i, src := range cdsTrainers(lang) {
		tdir := filepath.Join(work, fmt.Sprint(i))
		if err := os.Mkdir(tdir, 0o700); err != nil {
			return err
		}
		file, class := lang.sourceName([]byte(src))
		if err := os.WriteFile(filepath.Join(tdir, file), []byte(src), 0o600); err != nil {
			return err
		}
		vars := cmdVars{src: file, sources: []string{file}, class: class, memMiB: 256, work: tdir}
		for _, step := range lang.Compile {
			if _, err := exe(tdir, "", lang.expand(step, vars)); err != nil {
				return fmt.Errorf("compile trainer: %w", err)
			}
		}
		run := withoutCDS(lang.expand(lang.Run, vars))
		lst := filepath.Join(tdir, "classes.lst")
		want, err := exe(tdir, "5\n", slices.Insert(slices.Clone(run), 1, "-XX:DumpLoadedClassList="+lst))
		if err != nil {
			return fmt.Errorf("run trainer: %w", err)
		}
		runs = append(runs, trained{tdir, run, want})
		data, err := os.ReadFile(lst)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line == "" || strings.HasPrefix(line, "#") || seen[line] {
				continue
			}
			// The program's own classes (the default package) are never
			// in the archive: its directory is not on the archive's path.
			f := strings.Fields(line)
			name := f[0]
			switch {
			case name == "@lambda-proxy" && len(f) > 1:
				name = f[1] // the class whose lambda it is
			case strings.HasPrefix(name, "@"):
				name = "java/" // the JDK's own method handle forms
			}
			if !strings.Contains(name, "/") {
				continue
			}
			seen[line] = true
			list = append(list, line)
		}
	}
	lst := filepath.Join(work, "classes.lst")
	if err := os.WriteFile(lst, []byte(strings.Join(list, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	tmp := filepath.Join(work, cdsArchiveName)
	dump := []string{lang.vars["java"], "-Xshare:dump", "-XX:SharedClassListFile=" + lst, "-XX:SharedArchiveFile=" + tmp}
	if cp := cdsClassPath(lang.expandVars(lang.Run)); len(cp) > 0 {
		dump = append(dump, "-cp", strings.Join(cp, ":"))
	}
	if _, err := exe(work, "", dump); err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	// -Xshare:on fails when the archive cannot be mapped or its class
	// path does not match the run's: the check proves both.
	for _, t := range runs {
		args := slices.Insert(slices.Clone(t.run), 1, "-Xshare:on", "-XX:SharedArchiveFile="+tmp)
		got, err := exe(t.dir, "5\n", args)
		if err != nil {
			return fmt.Errorf("check: %w", err)
		}
		if got != t.want {
			return fmt.Errorf("check: a trainer printed %q with the archive, %q without", firstLine(got), firstLine(t.want))
		}
	}
	sum, err := fileSHA256(tmp)
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o444); err != nil {
		return err
	}
	digest := filepath.Join(work, cdsArchiveName+".sha256")
	if err := os.WriteFile(digest, []byte(sum+"\n"), 0o444); err != nil {
		return err
	}
	if err := os.Rename(digest, jsa+".sha256"); err != nil {
		return err
	}
	return os.Rename(tmp, jsa)
}

// verifyCDSArchive checks an archive against the SHA-256 written beside it
// when it was built.
func verifyCDSArchive(jsa string) error {
	want, err := os.ReadFile(jsa + ".sha256")
	if err != nil {
		return fmt.Errorf("no digest: %w", err)
	}
	got, err := fileSHA256(jsa)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(want)) != got {
		return fmt.Errorf("SHA-256 %s, built as %s", got, strings.TrimSpace(string(want)))
	}
	return nil
}

func fileSHA256(name string) (string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:]), nil
}

var (
	prepMu     sync.Mutex
	prepBuilds = map[string]chan struct{}{} // dir → the last background build's end
)

// PreparedBuilt waits until no background toolchain build of this process
// (the C++ precompiled header, the JVM class-data archives) is running:
// `segfault languages --wait`, tests and benchmarks that measure with them.
func PreparedBuilt(ctx context.Context) error {
	for {
		busy := false
		prepMu.Lock()
		for _, ch := range prepBuilds {
			select {
			case <-ch:
			default:
				busy = true
			}
		}
		prepMu.Unlock()
		if !busy {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// makeTraversable lets the box's users (not root) reach dir: every
// directory from cacheDir down to it gets o+rx.
func makeTraversable(dir, cacheDir string) {
	for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o005 != 0o005 && strings.HasPrefix(d, cacheDir) {
			os.Chmod(d, fi.Mode().Perm()|0o005)
		}
	}
}

// startPrepBuild runs build in the background, once per process and
// directory, and once per host: another process holding the directory's
// lock builds it (a later resolve looks again).
func startPrepBuild(dir string, build func(ctx context.Context)) {
	done := make(chan struct{})
	prepMu.Lock()
	if ch, ok := prepBuilds[dir]; ok {
		select {
		case <-ch: // an earlier build ended: this resolve found its work missing
		default:
			prepMu.Unlock()
			return
		}
	}
	prepBuilds[dir] = done
	prepMu.Unlock()
	go func() {
		defer close(done)
		lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return
		}
		defer lock.Close()
		if unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
			return // another process builds it; a later resolve looks again
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		build(ctx)
	}()
}
