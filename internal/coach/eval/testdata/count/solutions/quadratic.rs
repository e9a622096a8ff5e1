use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: u64 = s.trim().parse().unwrap();
    let mut acc: u64 = 0;
    for i in 0..n {
        for j in 0..i {
            acc = (acc + (i * 31 + j) % 7) % 1_000_000_007;
        }
    }
    println!("{}", acc);
}
