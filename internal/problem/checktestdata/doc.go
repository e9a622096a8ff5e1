// Package checktestdata implements DOMjudge's checktestdata language, the
// input validator format Kattis packages name with the .ctd extension, so
// those validators run here without the C++ tool.
//
// A program is a list of commands, upper-case, over variables named
// [a-z][a-z0-9]*. Lines from # on are comments.
//
//   - Tokens: SPACE, NEWLINE, EOF; INT(min, max [, var]) matching
//     0|-?[1-9][0-9]* (no leading zeros, no -0); FLOAT(min, max [, var [,
//     FIXED|SCIENTIFIC]]) matching -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?;
//     FLOATP(min, max, mindecimals, maxdecimals [, var [, option]]), which
//     also wants that many digits after the point, no leading zeros, no
//     negative zero and, in scientific notation, one non-zero digit before
//     the point; STRING(str); REGEX(str [, var]), a regular expression
//     matched greedily at the current position, '.' not matching a newline.
//   - Control: REP(count [, separator]) ... END, REPI(i, count [, sep]),
//     WHILE(test [, sep]), WHILEI(i, test [, sep]) (i counts iterations
//     from 0; the separator, any command, is matched between iterations);
//     IF(test) ... [ELSE ...] END; ASSERT(test); SET(var = expr, ...);
//     UNSET(name, ...). An EOF command ends the check; one is implied at
//     the end of every program.
//   - Expressions: integers and floats of any size (floats are exact
//     rationals here, so bounds compare exactly), strings, variables and
//     array entries x[i, j]; + - * / % ^ with the usual precedence (^ is
//     right-associative and binds tighter than unary minus), integer
//     division truncating as in GMP; comparisons < > <= >= == != on numbers
//     or strings; ! && || (short-circuit); functions STRLEN(str),
//     MATCH(str) (is the next input byte one of str's), ISEOF,
//     UNIQUE(a, b, ...) (the tuples (a[i], b[i], ...) are all different;
//     a repeat is reported as a mismatch) and INARRAY(value, a).
//   - Strings: \n \t \r \b \" \\ and octal \ooo escapes; a backslash
//     before a newline joins lines; before anything else it is literal.
//
// Options: --whitespace-ok (ParseArgs; Options.WhitespaceOK) lets SPACE
// match any run of blanks and allows blanks at the start and end of lines.
//
// Errors are typed: *SyntaxError from Parse (line and column in the
// program), *MismatchError from Check when the input does not match (line
// and column in the input, the command, the input near the failure), and
// *RuntimeError when the program itself fails (a variable read before it
// is set, a type error, a division by zero, a bound reached). Check never
// panics and never runs unbounded: Options bound the work (MaxSteps, which
// grows with the input's size), the variables alive at once (MaxEntries)
// and the size of numbers (MaxValueBits), and a cancelled context stops it.
package checktestdata
