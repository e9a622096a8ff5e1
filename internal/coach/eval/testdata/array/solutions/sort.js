const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const n = data[0];
const a = data.slice(1, n + 1);
a.sort((x, y) => x - y);
let s = 0;
for (let i = 0; i < n; i++) s = (s + (a[i] % 1000) * i) % 1000000007;
console.log(s);
