t = STDIN.read.split
case t[0]
when 'hello'
  puts 'Hello, World!'
when 'sum'
  puts t[1].to_i + t[2].to_i
when 'loop'
  x = 2
  x = x * x % 1000003 while x != 0
  puts x
when 'args'
  puts ARGV.map { |a| "#{a.bytesize}:#{a}|" }.join
when 'crash'
  raise 'crash on purpose'
when 'alloc'
  keep = []
  loop { keep << 'x' * (1 << 20) }
end
