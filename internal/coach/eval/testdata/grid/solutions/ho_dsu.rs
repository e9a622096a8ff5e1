use std::io::{self, Read};

fn find(p: &mut Vec<usize>, mut x: usize) -> usize {
    while p[x] != x {
        p[x] = p[p[x]];
        x = p[x];
    }
    x
}

fn main() {
    let mut s = String::new();
    io::stdin().read_to_string(&mut s).unwrap();
    let mut it = s.split_ascii_whitespace();
    let h: usize = it.next().unwrap().parse().unwrap();
    let w: usize = it.next().unwrap().parse().unwrap();
    let g: Vec<Vec<u8>> = (0..h).map(|_| it.next().unwrap().as_bytes().to_vec()).collect();
    let mut p: Vec<usize> = (0..h * w).collect();
    let mut islands = 0i64;
    for i in 0..h {
        for j in 0..w {
            if g[i][j] != b'#' {
                continue;
            }
            islands += 1;
            let v = i * w + j;
            if i > 0 && g[i - 1][j] == b'#' {
                let (a, b) = (find(&mut p, v), find(&mut p, v - w));
                if a != b {
                    p[a] = b;
                    islands -= 1;
                }
            }
            if j > 0 && g[i][j - 1] == b'#' {
                let (a, b) = (find(&mut p, v), find(&mut p, v - 1));
                if a != b {
                    p[a] = b;
                    islands -= 1;
                }
            }
        }
    }
    println!("{}", islands);
}
