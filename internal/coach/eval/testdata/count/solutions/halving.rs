use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let mut n: u64 = s.trim().parse().unwrap();
    let mut steps = 0;
    while n > 0 {
        n /= 2;
        steps += 1;
    }
    println!("{}", steps);
}
