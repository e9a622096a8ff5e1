defmodule Conformance do
  def main do
    [mode | args] = IO.read(:stdio, :eof) |> String.split()

    case mode do
      "hello" -> IO.puts("Hello, World!")
      "sum" -> args |> Enum.map(&String.to_integer/1) |> Enum.sum() |> IO.puts()
      "loop" -> IO.puts(spin(2))
      "args" -> IO.puts(Enum.map_join(System.argv(), fn a -> "#{byte_size(a)}:#{a}|" end))
      "crash" -> raise "crash on purpose"
      "alloc" -> grow([])
    end
  end

  defp spin(0), do: 0
  defp spin(x), do: spin(rem(x * x, 1_000_003))

  defp grow(l), do: grow([:binary.copy("x", 1_048_576) | l])
end
