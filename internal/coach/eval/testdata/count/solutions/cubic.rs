use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: u64 = s.trim().parse().unwrap();
    let mut acc: u64 = 0;
    for i in 0..n {
        for j in 0..n {
            for k in 0..n {
                acc = acc.wrapping_mul(31).wrapping_add(i ^ j ^ k);
            }
        }
    }
    println!("{}", acc);
}
