// Front-end sources; its own module so that Go files shipped inside
// node_modules never join the arena's ./... builds.
module github.com/segfaultarena/segfault/web

go 1.26
