const s = require('fs').readFileSync(0, 'utf8').trim();
const n = s.length;
const z = new Int32Array(n);
let l = 0, r = 0;
for (let i = 1; i < n; i++) {
  if (i < r) z[i] = Math.min(r - i, z[i - l]);
  while (i + z[i] < n && s[z[i]] === s[i + z[i]]) z[i]++;
  if (i + z[i] > r) {
    l = i;
    r = i + z[i];
  }
}
let p = n;
for (let i = 1; i < n; i++) {
  if (i + z[i] === n) {
    p = i;
    break;
  }
}
console.log(p);
console.log(s.slice(0, p));
