fun main(args: Array<String>) {
    val t = System.`in`.bufferedReader().readText().split(Regex("\\s+")).filter { it.isNotEmpty() }
    when (t[0]) {
        "hello" -> println("Hello, World!")
        "sum" -> println(t[1].toLong() + t[2].toLong())
        "loop" -> {
            var x = 2L
            while (x != 0L) x = x * x % 1000003
            println(x)
        }
        "args" -> {
            val s = args.joinToString("") { "${it.toByteArray(Charsets.UTF_8).size}:$it|" } + "\n"
            System.out.write(s.toByteArray(Charsets.UTF_8))
            System.out.flush()
        }
        "crash" -> {
            val v = IntArray(0)
            println(v[t[0].length])
        }
        "alloc" -> {
            val keep = ArrayList<LongArray>()
            while (true) keep.add(LongArray(1 shl 17))
        }
    }
}
