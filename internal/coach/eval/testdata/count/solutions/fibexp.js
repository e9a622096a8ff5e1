function fib(k) {
  return k < 2 ? k : fib(k - 1) + fib(k - 2);
}
const n = parseInt(require('fs').readFileSync(0, 'utf8'));
console.log(fib(n));
