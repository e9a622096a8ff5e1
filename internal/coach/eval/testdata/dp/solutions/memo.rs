use std::collections::HashMap;
use std::io::{self, Read};

fn ways(i: usize, jumps: &[usize], memo: &mut HashMap<usize, u64>) -> u64 {
    if i == 0 {
        return 1;
    }
    if let Some(&v) = memo.get(&i) {
        return v;
    }
    let mut total = 0u64;
    for &d in jumps {
        if d <= i {
            total += ways(i - d, jumps, memo);
        }
    }
    let r = total % 1_000_000_007;
    memo.insert(i, r);
    r
}

fn main() {
    let mut s = String::new();
    io::stdin().read_to_string(&mut s).unwrap();
    let v: Vec<usize> = s.split_ascii_whitespace().map(|x| x.parse().unwrap()).collect();
    let (n, k) = (v[0], v[1]);
    let jumps: Vec<usize> = v[2..2 + k].to_vec();
    let child = std::thread::Builder::new().stack_size(1 << 30).spawn(move || {
        let mut memo = HashMap::new();
        ways(n, &jumps, &mut memo)
    });
    println!("{}", child.unwrap().join().unwrap());
}
