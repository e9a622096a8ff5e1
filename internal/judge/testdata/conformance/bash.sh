read -r mode a b
case "$mode" in
hello) echo "Hello, World!" ;;
sum) echo $((a + b)) ;;
loop)
  x=2
  while ((x != 0)); do x=$((x * x % 1000003)); done
  echo "$x"
  ;;
args)
  out=
  for a in "$@"; do
    n=$(LC_ALL=C; echo "${#a}")
    out+="$n:$a|"
  done
  printf '%s\n' "$out"
  ;;
crash) exit 3 ;;
alloc)
  s=x
  while :; do s="$s$s"; done
  ;;
esac
