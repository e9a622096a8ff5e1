const n = Number(require('fs').readFileSync(0, 'utf8').trim());
const memo = {};
function climb(k) {
  if (k <= 1) return 1;
  if (memo[k] !== undefined) return memo[k];
  memo[k] = (climb(k - 1) + climb(k - 2)) % 1000000007;
  return memo[k];
}
for (let i = 0; i <= n; i++) climb(i);
console.log(climb(n));
