use std::io::Read;

fn read() -> Vec<i64> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let mut it = s.split_ascii_whitespace().map(|x| x.parse::<i64>().unwrap());
    let n = it.next().unwrap() as usize;
    it.take(n).collect()
}

fn main() {
    let mut a = read();
    a.sort_unstable();
    let mut s: i64 = 0;
    for (i, x) in a.iter().enumerate() {
        s = (s + x % 1000 * i as i64) % 1_000_000_007;
    }
    println!("{}", s);
}
