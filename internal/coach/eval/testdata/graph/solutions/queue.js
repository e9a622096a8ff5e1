const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const n = data[0], m = data[1];
const adj = Array.from({ length: n + 1 }, () => []);
for (let i = 0; i < m; i++) {
  const a = data[2 + 2 * i], b = data[3 + 2 * i];
  adj[a].push(b);
  adj[b].push(a);
}
const seen = new Uint8Array(n + 1);
const queue = new Int32Array(n + 1);
let comps = 0;
for (let s = 1; s <= n; s++) {
  if (seen[s]) continue;
  comps++;
  seen[s] = 1;
  let head = 0, tail = 0;
  queue[tail++] = s;
  while (head < tail) {
    const v = queue[head++];
    for (const u of adj[v]) {
      if (!seen[u]) {
        seen[u] = 1;
        queue[tail++] = u;
      }
    }
  }
}
console.log(comps);
