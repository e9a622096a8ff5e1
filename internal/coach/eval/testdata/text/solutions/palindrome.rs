use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let b = s.trim().as_bytes();
    let (mut i, mut j) = (0usize, b.len().saturating_sub(1));
    let mut mismatches = 0;
    while i < j {
        if b[i] != b[j] {
            mismatches += 1;
        }
        i += 1;
        j -= 1;
    }
    println!("{}", mismatches);
}
