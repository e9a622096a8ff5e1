let () =
  let mode = Scanf.scanf " %s" (fun s -> s) in
  match mode with
  | "hello" -> print_endline "Hello, World!"
  | "sum" ->
    let a = Scanf.scanf " %Ld" (fun x -> x) in
    let b = Scanf.scanf " %Ld" (fun x -> x) in
    Printf.printf "%Ld\n" (Int64.add a b)
  | "loop" ->
    let x = ref 2 in
    while !x <> 0 do x := !x * !x mod 1000003 done;
    Printf.printf "%d\n" !x
  | "args" ->
    Array.iteri (fun i a -> if i > 0 then Printf.printf "%d:%s|" (String.length a) a) Sys.argv;
    print_newline ()
  | "crash" ->
    let v = [||] in
    Printf.printf "%d\n" v.(String.length mode)
  | "alloc" ->
    let keep = ref [] in
    while true do keep := Bytes.make (1 lsl 20) 'x' :: !keep done
  | _ -> ()
