const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/);
const n = Number(data[0]);
const distinct = [];
for (let i = 1; i <= n; i++) {
  const x = Number(data[i]);
  if (!distinct.includes(x)) distinct.push(x);
}
console.log(distinct.length);
