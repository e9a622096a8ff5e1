program Conformance;
uses SysUtils;
var
  line, mode, rest: string;
  a, b, x: Int64;
  code: Integer;
  p: PByte;
begin
  readln(line);
  line := Trim(line);
  mode := line;
  rest := '';
  if Pos(' ', line) > 0 then
  begin
    mode := Copy(line, 1, Pos(' ', line) - 1);
    rest := Trim(Copy(line, Pos(' ', line) + 1, Length(line)));
  end;
  if mode = 'hello' then
    writeln('Hello, World!')
  else if mode = 'sum' then
  begin
    Val(Copy(rest, 1, Pos(' ', rest) - 1), a, code);
    Val(Trim(Copy(rest, Pos(' ', rest) + 1, Length(rest))), b, code);
    writeln(a + b);
  end
  else if mode = 'loop' then
  begin
    x := 2;
    while x <> 0 do x := x * x mod 1000003;
    writeln(x);
  end
  else if mode = 'args' then
  begin
    for code := 1 to ParamCount do write(Length(ParamStr(code)), ':', ParamStr(code), '|');
    writeln;
  end
  else if mode = 'crash' then
  begin
    x := Length(mode) - 5;
    writeln(a div x);
  end
  else if mode = 'alloc' then
    while true do
    begin
      GetMem(p, 1 shl 20);
      FillChar(p^, 1 shl 20, 120);
    end;
end.
