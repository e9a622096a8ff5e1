// Compiler output → editor markers. The judge returns the compiler's text
// (run.result / submission.result `compile_error`); each message that names
// a line of the player's file becomes a marker on that line. Pure: tested
// on real compilers' formats.

export interface Diagnostic {
  line: number // 1-based
  column: number // 1-based; 1 when the compiler gives none
  severity: 'error' | 'warning'
  message: string
}

// A source file name as compilers print it (main.cpp, ./main.go, src/main.rs, Main.java, /box/main.py).
const FILE = String.raw`[\w./\\-]*\.(?:c|cc|cpp|cxx|h|hpp|go|rs|java|kt|py|js|mjs|ts|rb|cs|hs|ml|swift|php|lua|pl|scala|zig|nim|d|pas)`

// gcc, clang, go, javac, kotlinc, scalac, swiftc: file:line[:col]: [error|warning:] message
const GNU = new RegExp(String.raw`^\s*(?:${FILE}):(\d+)(?::(\d+))?:\s*(?:(fatal error|error|warning|note)(?:\[[^\]]*\])?:\s*)?(.*)$`, 'i')
// tsc, C#: file(line,col): error CODE: message
const MSVC = new RegExp(String.raw`^\s*(?:${FILE})\((\d+),(\d+)\):\s*(error|warning)\s*[\w]*:\s*(.*)$`, 'i')
// rustc: "error[E0425]: message" then " --> src/main.rs:3:5"
const RUST_HEAD = /^(error|warning)(?:\[\w+\])?:\s*(.*)$/
const RUST_AT = new RegExp(String.raw`^\s*-->\s*(?:${FILE}):(\d+):(\d+)`)
// Python: '  File "main.py", line 3' … 'SyntaxError: invalid syntax'
const PY_AT = /^\s*File "[^"]*", line (\d+)/
const PY_ERR = /^(\w*(?:Error|Exception|Warning)):?\s*(.*)$/
// node --check: "/box/main.js:3" then the line, a caret, then "SyntaxError: …"
const NODE_AT = new RegExp(String.raw`^(?:${FILE}):(\d+)$`)

export function parseCompileErrors(text: string | null | undefined): Diagnostic[] {
  if (!text) return []
  const lines = text.split(/\r?\n/)
  const out: Diagnostic[] = []
  const seen = new Set<string>()
  const add = (d: Diagnostic) => {
    if (!Number.isFinite(d.line) || d.line < 1) return
    const key = `${d.line}:${d.column}:${d.message}`
    if (seen.has(key)) return
    seen.add(key)
    out.push(d)
  }
  const sev = (s: string | undefined): Diagnostic['severity'] => (s && /warn/i.test(s) ? 'warning' : 'error')
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]
    let m = MSVC.exec(l)
    if (m) {
      add({ line: +m[1], column: +m[2], severity: sev(m[3]), message: m[4].trim() })
      continue
    }
    m = RUST_HEAD.exec(l)
    if (m) {
      // The location follows within a few lines.
      for (let j = i + 1; j < Math.min(lines.length, i + 4); j++) {
        const at = RUST_AT.exec(lines[j])
        if (at) {
          add({ line: +at[1], column: +at[2], severity: sev(m[1]), message: m[2].trim() })
          break
        }
      }
      continue
    }
    m = PY_AT.exec(l)
    if (m) {
      // The exception line ends the traceback entry.
      for (let j = i + 1; j < lines.length; j++) {
        if (PY_AT.test(lines[j])) break
        const e = PY_ERR.exec(lines[j].trim())
        if (e && !lines[j].startsWith(' ')) {
          add({ line: +m[1], column: 1, severity: sev(e[1]), message: `${e[1]}: ${e[2]}`.trim() })
          break
        }
      }
      continue
    }
    m = NODE_AT.exec(l)
    if (m) {
      for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
        const e = PY_ERR.exec(lines[j].trim())
        if (e && !lines[j].startsWith(' ')) {
          add({ line: +m[1], column: 1, severity: 'error', message: `${e[1]}: ${e[2]}`.trim() })
          break
        }
      }
      continue
    }
    m = GNU.exec(l)
    if (m && !/^note$/i.test(m[3] ?? '')) add({ line: +m[1], column: m[2] ? +m[2] : 1, severity: sev(m[3]), message: m[4].trim() || l.trim() })
  }
  return out
}
