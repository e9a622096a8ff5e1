const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/);
const n = Number(data[0]);
const seen = new Set();
for (let i = 1; i <= n; i++) {
  seen.add(Number(data[i]) % 1000003);
}
console.log(seen.size);
