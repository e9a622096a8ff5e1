const n = parseInt(require('fs').readFileSync(0, 'utf8'));
let s = 0;
for (let i = 0; i < n; i++) {
  s = (s + i * 7) % 1000000007;
}
console.log(s);
