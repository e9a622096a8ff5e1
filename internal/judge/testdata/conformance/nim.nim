import os, strutils

let t = stdin.readAll().splitWhitespace()
case t[0]
of "hello":
  echo "Hello, World!"
of "sum":
  echo parseBiggestInt(t[1]) + parseBiggestInt(t[2])
of "loop":
  var x = 2'i64
  while x != 0:
    x = x * x mod 1000003
  echo x
of "args":
  var s = ""
  for i in 1 .. paramCount():
    s.add($paramStr(i).len & ":" & paramStr(i) & "|")
  echo s
of "crash":
  raise newException(ValueError, "crash on purpose")
of "alloc":
  var keep: seq[string]
  while true:
    keep.add(repeat('x', 1 shl 20))
else:
  discard
