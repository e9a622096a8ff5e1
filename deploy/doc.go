// Package deploy holds the deployment files of the scaled-out shape
// (docker-compose.yml, k8s/, Dockerfile). They cannot run here, so its
// test checks that every subcommand, flag and SEGFAULT_* variable they use
// exists in the segfault binary built from this tree.
package deploy
