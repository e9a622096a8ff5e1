// This directory holds problem packages, not Go code: being its own module
// keeps their Go solutions out of the arena's ./... builds and tests.
module github.com/segfaultarena/segfault/problems

go 1.26
