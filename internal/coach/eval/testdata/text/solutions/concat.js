const s = require('fs').readFileSync(0, 'utf8').trim();
let out = '';
for (let i = s.length - 1; i >= 0; i--) {
  out += s[i];
}
console.log(out.length);
