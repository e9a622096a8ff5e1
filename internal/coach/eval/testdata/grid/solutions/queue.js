const lines = require('fs').readFileSync(0, 'utf8').split('\n');
const [h, w] = lines[0].split(' ').map(Number);
const g = lines.slice(1, 1 + h);
const seen = new Uint8Array(h * w);
const queue = new Int32Array(h * w);
let islands = 0;
for (let s = 0; s < h * w; s++) {
  const r0 = Math.floor(s / w), c0 = s % w;
  if (g[r0][c0] !== '#' || seen[s]) continue;
  islands++;
  seen[s] = 1;
  let head = 0, tail = 0;
  queue[tail++] = s;
  while (head < tail) {
    const v = queue[head++];
    const r = Math.floor(v / w), c = v % w;
    const around = [[r + 1, c], [r - 1, c], [r, c + 1], [r, c - 1]];
    for (const [a, b] of around) {
      if (a >= 0 && a < h && b >= 0 && b < w && g[a][b] === '#' && !seen[a * w + b]) {
        seen[a * w + b] = 1;
        queue[tail++] = a * w + b;
      }
    }
  }
}
console.log(islands);
