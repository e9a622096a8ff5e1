const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const n = data[0];
const a = data.slice(1, n + 1).sort((x, y) => x - y);
// pairs whose values differ by at most 1000: two pointers over the sorted array
let j = 0, pairs = 0;
for (let i = 0; i < n; i++) {
  while (a[i] - a[j] > 1000) j++;
  pairs += i - j;
}
console.log(pairs);
