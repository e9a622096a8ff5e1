use std::collections::HashSet;
use std::io::Read;

fn read() -> Vec<i64> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let mut it = s.split_ascii_whitespace().map(|x| x.parse::<i64>().unwrap());
    let n = it.next().unwrap() as usize;
    it.take(n).collect()
}

fn main() {
    let a = read();
    let mut seen = HashSet::new();
    for x in &a {
        seen.insert(x % 1_000_003);
    }
    println!("{}", seen.len());
}
