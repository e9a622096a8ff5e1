use std::collections::VecDeque;
use std::io::{self, Read};

fn main() {
    let mut s = String::new();
    io::stdin().read_to_string(&mut s).unwrap();
    let mut it = s.split_ascii_whitespace();
    let h: usize = it.next().unwrap().parse().unwrap();
    let w: usize = it.next().unwrap().parse().unwrap();
    let g: Vec<&[u8]> = (0..h).map(|_| it.next().unwrap().as_bytes()).collect();
    let mut seen = vec![vec![false; w]; h];
    let mut islands = 0;
    let mut q = VecDeque::new();
    for i in 0..h {
        for j in 0..w {
            if g[i][j] != b'#' || seen[i][j] {
                continue;
            }
            islands += 1;
            seen[i][j] = true;
            q.push_back((i, j));
            while let Some((r, c)) = q.pop_front() {
                let mut next = Vec::with_capacity(4);
                if r > 0 { next.push((r - 1, c)); }
                if r + 1 < h { next.push((r + 1, c)); }
                if c > 0 { next.push((r, c - 1)); }
                if c + 1 < w { next.push((r, c + 1)); }
                for (a, b) in next {
                    if g[a][b] == b'#' && !seen[a][b] {
                        seen[a][b] = true;
                        q.push_back((a, b));
                    }
                }
            }
        }
    }
    println!("{}", islands);
}
