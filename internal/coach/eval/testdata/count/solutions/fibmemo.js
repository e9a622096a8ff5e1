const memo = new Map();
function fib(k) {
  if (k < 2) return k;
  if (memo.has(k)) return memo.get(k);
  const r = (fib(k - 1) + fib(k - 2)) % 1000000007;
  memo.set(k, r);
  return r;
}
const n = parseInt(require('fs').readFileSync(0, 'utf8'));
for (let i = 0; i <= n; i++) fib(i);
console.log(fib(n));
