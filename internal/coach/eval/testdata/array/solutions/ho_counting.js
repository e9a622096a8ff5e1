const nums = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).slice(1);
const freq = new Map();
let best = 0;
for (const t of nums) {
  const k = Number(t) % 1000;
  const c = (freq.get(k) || 0) + 1;
  freq.set(k, c);
  if (c > best) best = c;
}
console.log(best);
