use std::io::{self, Read};

fn main() {
    let mut s = String::new();
    io::stdin().read_to_string(&mut s).unwrap();
    let v: Vec<usize> = s.split_ascii_whitespace().map(|x| x.parse().unwrap()).collect();
    let (n, k) = (v[0], v[1]);
    let jumps = &v[2..2 + k];
    let mut ways = vec![0u64; n + 1];
    ways[0] = 1;
    for i in 1..=n {
        let mut total = 0u64;
        for &d in jumps {
            if d <= i {
                total += ways[i - d];
            }
        }
        ways[i] = total % 1_000_000_007;
    }
    println!("{}", ways[n]);
}
