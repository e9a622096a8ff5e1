object Conformance {
  def main(args: Array[String]): Unit = {
    val t = scala.io.Source.stdin.mkString.split("\\s+").filter(_.nonEmpty)
    t(0) match {
      case "hello" => println("Hello, World!")
      case "sum" => println(t(1).toLong + t(2).toLong)
      case "loop" =>
        var x = 2L
        while (x != 0L) x = x * x % 1000003
        println(x)
      case "args" =>
        val s = args.map(a => s"${a.getBytes("UTF-8").length}:$a|").mkString + "\n"
        System.out.write(s.getBytes("UTF-8"))
        System.out.flush()
      case "crash" =>
        val v = new Array[Int](0)
        println(v(t(0).length))
      case "alloc" =>
        val keep = scala.collection.mutable.ArrayBuffer[Array[Long]]()
        while (true) keep += new Array[Long](1 << 17)
    }
  }
}
