const s = require('fs').readFileSync(0, 'utf8').trim();
const n = s.length;
let p = n;
for (let c = 1; c < n; c++) {
  if (s.slice(c) === s.slice(0, n - c)) {  // two copies per candidate
    p = c;
    break;
  }
}
console.log(p);
console.log(s.slice(0, p));
