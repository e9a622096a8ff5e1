use std::io::{self, Read};

fn main() {
    let mut s = String::new();
    io::stdin().read_to_string(&mut s).unwrap();
    let mut it = s.split_ascii_whitespace().map(|x| x.parse::<usize>().unwrap());
    let n = it.next().unwrap();
    let mut adj = vec![Vec::new(); n + 1];
    for _ in 0..n - 1 {
        let u = it.next().unwrap();
        let v = it.next().unwrap();
        adj[u].push(v);
        adj[v].push(u);
    }
    // Order the vertices from the root, then fold heights back up.
    let mut parent = vec![0usize; n + 1];
    let mut order = Vec::with_capacity(n);
    let mut stack = vec![1usize];
    parent[1] = usize::MAX;
    while let Some(v) = stack.pop() {
        order.push(v);
        for &u in &adj[v] {
            if u != parent[v] {
                parent[u] = v;
                stack.push(u);
            }
        }
    }
    let mut down = vec![0usize; n + 1];
    let mut best = 0;
    for &v in order.iter().rev() {
        let (mut a, mut b) = (0, 0);
        for &u in &adj[v] {
            if u != parent[v] {
                let h = down[u] + 1;
                if h > a {
                    b = a;
                    a = h;
                } else if h > b {
                    b = h;
                }
            }
        }
        down[v] = a;
        best = best.max(a + b);
    }
    println!("{}", best);
}
