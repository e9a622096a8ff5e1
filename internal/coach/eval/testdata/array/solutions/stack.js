const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const n = data[0];
const a = data.slice(1, n + 1);
const nxt = new Array(n).fill(-1);
const stack = [];
for (let i = 0; i < n; i++) {
  while (stack.length > 0 && a[stack[stack.length - 1]] < a[i]) {
    nxt[stack.pop()] = i;
  }
  stack.push(i);
}
let s = 0;
for (const x of nxt) s = (s + x) % 1000000007;
console.log(s);
