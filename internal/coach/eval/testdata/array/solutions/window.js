const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const n = data[0];
const a = data.slice(1, n + 1);
const limit = 5e9;
let best = 0, window = 0, j = 0;
for (let i = 0; i < n; i++) {
  while (j < n && window + a[j] <= limit) {
    window += a[j];
    j++;
  }
  best = Math.max(best, j - i);
  if (j > i) window -= a[i];
  else j = i + 1;
}
console.log(best);
