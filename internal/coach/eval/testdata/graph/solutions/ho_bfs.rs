use std::collections::VecDeque;
use std::io::{self, Read};

fn main() {
    let mut s = String::new();
    io::stdin().read_to_string(&mut s).unwrap();
    let nums: Vec<usize> = s.split_ascii_whitespace().map(|x| x.parse().unwrap()).collect();
    let (n, m) = (nums[0], nums[1]);
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
    for i in 0..m {
        let (a, b) = (nums[2 + 2 * i], nums[3 + 2 * i]);
        adj[a].push(b);
        adj[b].push(a);
    }
    let mut seen = vec![false; n + 1];
    let mut comps = 0;
    for s in 1..=n {
        if seen[s] {
            continue;
        }
        comps += 1;
        seen[s] = true;
        let mut q = VecDeque::new();
        q.push_back(s);
        while let Some(v) = q.pop_front() {
            for &u in &adj[v] {
                if !seen[u] {
                    seen[u] = true;
                    q.push_back(u);
                }
            }
        }
    }
    println!("{}", comps);
}
