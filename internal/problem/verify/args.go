package verify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The judge runs a program with no command-line arguments: a submission
// reads stdin and writes stdout, nothing else. Two kinds of package
// programs need arguments, though:
//
//   - input validators get input_validator_flags (legacy testdata.yaml) or
//     input_validator_args (draft), e.g. "n_max=1000" for a small group;
//   - generators are run as `gen <n> <seed>`.
//
// withArgs rewrites a program's single source so that it sees those
// arguments in its argv, without changing anything else about it:
//
//   - Python and JavaScript: a first statement that sets sys.argv[1:] /
//     process.argv[2:] (after a #! line, and after `from __future__`
//     imports, which must come first);
//   - C and C++: a constructor that runs before main and re-executes the
//     program (/proc/self/exe) with the arguments, so main gets exactly the
//     argc/argv it would get from a shell, whatever its signature.
//
// With fromStdin the arguments are not fixed in the source: the program
// reads them from the first line of its stdin, byte by byte (so nothing
// after that line is consumed). That lets one compiled generator run on
// several (n, seed) pairs as the tests of one judge run. Other languages
// get a clear error.
func withArgs(lang string, src []byte, args []string, fromStdin bool) ([]byte, error) {
	if len(args) > 64 {
		return nil, fmt.Errorf("%d arguments; at most 64 are passed", len(args))
	}
	for _, a := range args {
		if strings.ContainsAny(a, "\x00\n") {
			return nil, fmt.Errorf("argument %q contains a NUL or newline", a)
		}
	}
	switch lang {
	case "python":
		return insertAfterHeader(src, pythonArgs(args, fromStdin), true), nil
	case "javascript":
		return insertAfterHeader(src, jsArgs(args, fromStdin), false), nil
	case "c", "cpp":
		return append([]byte(cArgs(args, fromStdin)), src...), nil
	}
	return nil, fmt.Errorf("cannot pass command-line arguments to a %s program here; write it in Python, JavaScript, C or C++", lang)
}

// insertAfterHeader puts code after a #! line and, for Python, after the
// last `from __future__` import.
func insertAfterHeader(src []byte, code string, python bool) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	at := 0
	if len(lines) > 0 && strings.HasPrefix(lines[0], "#!") {
		at = 1
	}
	if python {
		for i, l := range lines {
			if strings.HasPrefix(l, "from __future__ import") {
				at = i + 1
			}
		}
	}
	var b strings.Builder
	for _, l := range lines[:at] {
		b.WriteString(l)
	}
	if at > 0 && !strings.HasSuffix(lines[at-1], "\n") {
		b.WriteString("\n")
	}
	b.WriteString(code)
	for _, l := range lines[at:] {
		b.WriteString(l)
	}
	return []byte(b.String())
}

func jsonList(args []string) string {
	if args == nil {
		args = []string{}
	}
	b, _ := json.Marshal(args) // a JSON string array is a valid Python and JavaScript literal
	return string(b)
}

func pythonArgs(args []string, fromStdin bool) string {
	if !fromStdin {
		return "import sys as _segfault_sys; _segfault_sys.argv[1:] = " + jsonList(args) + "\n"
	}
	return "import os as _segfault_os, sys as _segfault_sys\n" +
		"def _segfault_line():\n" +
		"    b = b''\n" +
		"    while True:\n" +
		"        c = _segfault_os.read(0, 1)\n" +
		"        if not c or c == b'\\n':\n" +
		"            return b.decode()\n" +
		"        b += c\n" +
		"_segfault_sys.argv[1:] = _segfault_line().split()\n"
}

func jsArgs(args []string, fromStdin bool) string {
	if !fromStdin {
		return "process.argv.splice(2, process.argv.length, ..." + jsonList(args) + ");\n"
	}
	return "{ const fs = require('fs'); const b = Buffer.alloc(1); let s = '';\n" +
		"  while (fs.readSync(0, b, 0, 1, null) === 1 && b[0] !== 10) s += String.fromCharCode(b[0]);\n" +
		"  process.argv.splice(2, process.argv.length, ...s.split(/\\s+/).filter(Boolean)); }\n"
}

// cString is a C string literal (octal escapes for anything unusual).
func cString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f || c == '?':
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// cArgs is the C/C++ prelude. glibc passes argc and argv to constructors;
// the marker variable stops the re-executed program from doing it again.
func cArgs(args []string, fromStdin bool) string {
	var fill strings.Builder
	if fromStdin {
		fill.WriteString(`  static char line[4096]; size_t len = 0; char ch;
  while (len + 1 < sizeof line && read(0, &ch, 1) == 1 && ch != '\n') line[len++] = ch;
  line[len] = 0;
  for (char *tok = strtok(line, " \t\r"); tok && n < 65; tok = strtok(NULL, " \t\r")) args[n++] = tok;
`)
	} else {
		for _, a := range args {
			fmt.Fprintf(&fill, "  args[n++] = (char *)%s;\n", cString(a))
		}
	}
	return `#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
__attribute__((constructor)) static void segfault_set_args(int argc, char **argv) {
  (void)argc;
  if (getenv("SEGFAULT_ARGS_SET")) return;
  static char *args[66];
  int n = 0;
  args[n++] = argv[0];
` + fill.String() + `  args[n] = NULL;
  setenv("SEGFAULT_ARGS_SET", "1", 1);
  execv("/proc/self/exe", args);
  perror("segfault: re-exec with arguments");
  _exit(127);
}
#line 1
`
}

// argsLine is the stdin line a fromStdin program reads its arguments from.
func argsLine(args ...int) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = strconv.Itoa(a)
	}
	return strings.Join(parts, " ") + "\n"
}
