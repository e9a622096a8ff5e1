use std::io::Read;

fn fib(k: u64) -> u64 {
    if k < 2 {
        return k;
    }
    fib(k - 1) + fib(k - 2)
}

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: u64 = s.trim().parse().unwrap();
    println!("{}", fib(n));
}
