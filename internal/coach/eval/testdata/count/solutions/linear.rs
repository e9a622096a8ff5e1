use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: u64 = s.trim().parse().unwrap();
    let mut acc: u64 = 0;
    for i in 0..n {
        acc = (acc + i * i) % 1_000_000_007;
    }
    println!("{}", acc);
}
