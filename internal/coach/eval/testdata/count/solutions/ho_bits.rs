use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let mut x: u64 = s.trim().parse().unwrap();
    let mut ones = 0;
    while x > 0 {
        ones += x & 1;
        x >>= 1;
    }
    println!("{}", ones);
}
