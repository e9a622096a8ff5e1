#!/usr/bin/perl
use strict;
use warnings;

my @t = split ' ', do { local $/; <STDIN> };
my $mode = $t[0];
if ($mode eq 'hello') {
    print "Hello, World!\n";
} elsif ($mode eq 'sum') {
    print $t[1] + $t[2], "\n";
} elsif ($mode eq 'loop') {
    my $x = 2;
    $x = $x * $x % 1000003 while $x != 0;
    print "$x\n";
} elsif ($mode eq 'args') {
    print join('', map { length($_) . ":$_|" } @ARGV), "\n";
} elsif ($mode eq 'crash') {
    die "crash on purpose\n";
} elsif ($mode eq 'alloc') {
    my @keep;
    push @keep, 'x' x (1 << 20) while 1;
}
