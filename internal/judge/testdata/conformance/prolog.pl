:- use_module(library(utf8)).

% Kattis runs main/0 of a program compiled with swipl -g main -t halt.

spin(0) :- !.
spin(X) :- Y is X * X mod 1000003, spin(Y).

grow(L) :- numlist(1, 100000, B), grow([B|L]).

main :-
    read_string(user_input, _, S),
    split_string(S, " \t\n", " \t\n", Parts),
    exclude(==(""), Parts, [Mode|Args]),
    run(Mode, Args).

run("hello", _) :- format("Hello, World!~n").
run("sum", [A, B|_]) :- number_string(X, A), number_string(Y, B), Z is X + Y, format("~w~n", [Z]).
run("loop", _) :- spin(2), format("0~n").
run("args", _) :-
    current_prolog_flag(argv, Argv),
    forall(member(A, Argv),
           ( atom_codes(A, Cs), phrase(utf8_codes(Cs), Bytes), length(Bytes, N),
             format("~d:~w|", [N, A]) )),
    nl.
run("crash", _) :- X is 1 // 0, format("~w~n", [X]).
run("alloc", _) :- grow([]).
