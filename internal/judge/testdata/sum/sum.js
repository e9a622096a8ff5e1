const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(BigInt);
console.log((data[0] + data[1]).toString());
