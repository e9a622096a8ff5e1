use std::io::Read;

fn read() -> Vec<i64> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let mut it = s.split_ascii_whitespace().map(|x| x.parse::<i64>().unwrap());
    let n = it.next().unwrap() as usize;
    it.take(n).collect()
}

fn main() {
    let a: Vec<i64> = read().iter().map(|x| x % 7).collect();
    let n = a.len();
    let mut count: u64 = 0;
    for i in 0..n {
        for j in i + 1..n {
            if (a[i] + a[j]) % 7 == 0 {
                count += 1;
            }
        }
    }
    println!("{}", count);
}
