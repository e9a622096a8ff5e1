-module(conformance).
-export([start/0]).

start() ->
    {ok, [Mode]} = io:fread("", "~s"),
    run(Mode).

run("hello") -> io:format("Hello, World!~n");
run("sum") ->
    {ok, [A, B]} = io:fread("", "~d ~d"),
    io:format("~w~n", [A + B]);
run("loop") -> io:format("~w~n", [spin(2)]);
run("args") ->
    L = [begin B = unicode:characters_to_binary(A), [integer_to_list(byte_size(B)), ":", B, "|"] end
         || A <- init:get_plain_arguments()],
    file:write(standard_io, [L, "\n"]);
run("crash") -> erlang:error(crash_on_purpose);
run("alloc") -> grow([]).

spin(0) -> 0;
spin(X) -> spin(X * X rem 1000003).

grow(L) -> grow([binary:copy(<<"x">>, 1 bsl 20) | L]).
