const n = parseInt(require('fs').readFileSync(0, 'utf8'));
let s = 0;
for (let i = 0; i < n; i++)
  for (let j = 0; j < n; j++)
    for (let k = 0; k < n; k++) s = (s * 31 + (i ^ j ^ k)) % 1000003;
console.log(s);
