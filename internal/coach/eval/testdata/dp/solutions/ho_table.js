const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const n = data[0], k = data[1];
const jumps = data.slice(2, 2 + k);
const ways = new Array(n + 1).fill(0);
ways[0] = 1;
for (let i = 1; i <= n; i++) {
  let total = 0;
  for (const d of jumps) {
    if (d <= i) total = (total + ways[i - d]) % 1000000007;
  }
  ways[i] = total;
}
console.log(ways[n]);
