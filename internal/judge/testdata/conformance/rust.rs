use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let t: Vec<&str> = s.split_whitespace().collect();
    match t[0] {
        "hello" => println!("Hello, World!"),
        "sum" => {
            let a: i64 = t[1].parse().unwrap();
            let b: i64 = t[2].parse().unwrap();
            println!("{}", a + b);
        }
        "loop" => {
            let mut x: i64 = 2;
            while x != 0 {
                x = x * x % 1000003;
            }
            println!("{}", x);
        }
        "args" => {
            let mut s = String::new();
            for a in std::env::args().skip(1) {
                s.push_str(&format!("{}:{}|", a.len(), a));
            }
            println!("{}", s);
        }
        "crash" => {
            let v: Vec<i32> = Vec::new();
            println!("{}", v[t[0].len()]);
        }
        "alloc" => {
            let mut keep: Vec<Vec<u8>> = Vec::new();
            loop {
                keep.push(vec![b'x'; 1 << 20]);
            }
        }
        _ => {}
    }
}
