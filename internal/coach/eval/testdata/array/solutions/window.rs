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
    let n = a.len();
    let limit: i64 = 5_000_000_000;
    let (mut best, mut window, mut j) = (0usize, 0i64, 0usize);
    for i in 0..n {
        while j < n && window + a[j] <= limit {
            window += a[j];
            j += 1;
        }
        best = best.max(j - i);
        if j > i {
            window -= a[i];
        } else {
            j = i + 1;
        }
    }
    println!("{}", best);
}
