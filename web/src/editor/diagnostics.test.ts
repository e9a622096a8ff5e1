import { describe, expect, it } from 'vitest'
import { parseCompileErrors } from './diagnostics'

describe('parseCompileErrors', () => {
  it('gcc / clang: errors and warnings on their lines and columns, notes skipped', () => {
    const out = parseCompileErrors([
      "main.cpp: In function 'int main()':",
      "main.cpp:4:5: error: 'x' was not declared in this scope",
      '    4 |     x = 1;',
      '      |     ^',
      "main.cpp:2:10: note: 'y' declared here",
      'main.cpp:7:12: warning: unused variable \'z\' [-Wunused-variable]',
    ].join('\n'))
    expect(out).toEqual([
      { line: 4, column: 5, severity: 'error', message: "'x' was not declared in this scope" },
      { line: 7, column: 12, severity: 'warning', message: "unused variable 'z' [-Wunused-variable]" },
    ])
  })
  it('go: ./main.go:line:col: message', () => {
    expect(parseCompileErrors('# command-line-arguments\n./main.go:9:2: undefined: fmtt\n./main.go:3:2: "os" imported and not used')).toEqual([
      { line: 9, column: 2, severity: 'error', message: 'undefined: fmtt' },
      { line: 3, column: 2, severity: 'error', message: '"os" imported and not used' },
    ])
  })
  it('javac: file:line: error: message, no column', () => {
    expect(parseCompileErrors("Main.java:5: error: ';' expected\n        int x = 1\n                 ^\n1 error")).toEqual([
      { line: 5, column: 1, severity: 'error', message: "';' expected" },
    ])
  })
  it('rustc: the location line after the message', () => {
    expect(parseCompileErrors('error[E0425]: cannot find value `y` in this scope\n --> src/main.rs:3:13\n  |\n3 |     let x = y;\n  |             ^ not found\n\nerror: aborting due to 1 previous error')).toEqual([
      { line: 3, column: 13, severity: 'error', message: 'cannot find value `y` in this scope' },
    ])
  })
  it('python: the traceback line and the exception', () => {
    expect(parseCompileErrors('  File "main.py", line 2\n    print("a"\n         ^\nSyntaxError: \'(\' was never closed')).toEqual([
      { line: 2, column: 1, severity: 'error', message: "SyntaxError: '(' was never closed" },
    ])
  })
  it('node --check and tsc', () => {
    expect(parseCompileErrors('/box/main.js:3\nlet = 1\n    ^\n\nSyntaxError: Unexpected token \'=\'\n    at wrapSafe')).toEqual([
      { line: 3, column: 1, severity: 'error', message: "SyntaxError: Unexpected token '='" },
    ])
    expect(parseCompileErrors("main.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.")).toEqual([
      { line: 3, column: 7, severity: 'error', message: "Type 'string' is not assignable to type 'number'." },
    ])
  })
  it('output that names no line gives no marker; nothing is invented', () => {
    expect(parseCompileErrors('')).toEqual([])
    expect(parseCompileErrors(null)).toEqual([])
    expect(parseCompileErrors('compilation timed out after 10 s')).toEqual([])
    expect(parseCompileErrors('collect2: error: ld returned 1 exit status')).toEqual([])
  })
})
