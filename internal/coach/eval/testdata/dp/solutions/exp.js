const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const n = data[0], k = data[1];
const jumps = data.slice(2, 2 + k);
// Every way is counted one by one: no table, no memo.
function ways(i) {
  if (i === 0) return 1;
  let total = 0;
  for (const d of jumps) {
    if (d <= i) total += ways(i - d);
  }
  return total % 1000000007;
}
console.log(ways(n));
