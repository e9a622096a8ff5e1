local t = {}
for w in io.read("a"):gmatch("%S+") do t[#t + 1] = w end
local mode = t[1]
if mode == "hello" then
  print("Hello, World!")
elseif mode == "sum" then
  print(math.tointeger(t[2]) + math.tointeger(t[3]))
elseif mode == "loop" then
  local x = 2
  while x ~= 0 do x = x * x % 1000003 end
  print(x)
elseif mode == "args" then
  local out = {}
  for i = 1, #arg do out[#out + 1] = #arg[i] .. ":" .. arg[i] .. "|" end
  print(table.concat(out))
elseif mode == "crash" then
  error("crash on purpose")
elseif mode == "alloc" then
  local keep = {}
  while true do keep[#keep + 1] = string.rep("x", 1 << 20) .. #keep end
end
