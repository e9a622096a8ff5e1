const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const n = data[0];
const adj = Array.from({ length: n + 1 }, () => []);
for (let i = 0; i < n - 1; i++) {
  const u = data[1 + 2 * i], v = data[2 + 2 * i];
  adj[u].push(v);
  adj[v].push(u);
}
function farthest(src) {
  const dist = new Int32Array(n + 1).fill(-1);
  dist[src] = 0;
  const stack = [src];
  let best = src;
  while (stack.length > 0) {
    const v = stack.pop();
    if (dist[v] > dist[best]) best = v;
    for (const u of adj[v]) {
      if (dist[u] < 0) {
        dist[u] = dist[v] + 1;
        stack.push(u);
      }
    }
  }
  return [best, dist[best]];
}
const [a] = farthest(1);
console.log(farthest(a)[1]);
