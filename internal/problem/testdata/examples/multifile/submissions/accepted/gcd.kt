fun gcd(a: Long, b: Long): Long = if (b == 0L) a else gcd(b, a % b)

fun main() {
    readLine()
    println(readLine()!!.split(" ").map { it.toLong() }.fold(0L, ::gcd))
}
