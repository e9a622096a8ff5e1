use std::collections::HashMap;
use std::io::Read;

fn fib(k: u64, memo: &mut HashMap<u64, u64>) -> u64 {
    if k < 2 {
        return k;
    }
    if let Some(&v) = memo.get(&k) {
        return v;
    }
    let r = (fib(k - 1, memo) + fib(k - 2, memo)) % 1_000_000_007;
    memo.insert(k, r);
    r
}

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: u64 = s.trim().parse().unwrap();
    let mut memo = HashMap::new();
    for i in 0..=n {
        fib(i, &mut memo);
    }
    println!("{}", fib(n, &mut memo));
}
