use std::collections::VecDeque;
use std::io::{self, Read};

fn farthest(adj: &Vec<Vec<usize>>, s: usize) -> (usize, i64) {
    let n = adj.len();
    let mut dist = vec![-1i64; n];
    let mut q = VecDeque::new();
    dist[s] = 0;
    q.push_back(s);
    let mut best = s;
    while let Some(v) = q.pop_front() {
        if dist[v] > dist[best] {
            best = v;
        }
        for &u in &adj[v] {
            if dist[u] < 0 {
                dist[u] = dist[v] + 1;
                q.push_back(u);
            }
        }
    }
    (best, dist[best])
}

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
    let (a, _) = farthest(&adj, 1);
    println!("{}", farthest(&adj, a).1);
}
