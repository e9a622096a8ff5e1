const s = require('fs').readFileSync(0, 'utf8').trim();
const counts = new Array(26).fill(0);
for (const ch of s) counts[ch.charCodeAt(0) - 97]++;
let best = 0;
for (let c = 0; c < 26; c++) best = Math.max(best, counts[c]);
console.log(best);
