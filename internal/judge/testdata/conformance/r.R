con <- file("stdin")
t <- scan(con, what = "", quiet = TRUE)
close(con)
# Exact addition of two non-negative integers of up to 19 digits: doubles
# hold integers exactly only up to 2^53, so add in halves of 9 digits.
add <- function(a, b) {
  split <- function(s) {
    s <- paste0(strrep("0", 19 - nchar(s)), s)
    c(as.numeric(substr(s, 1, 10)), as.numeric(substr(s, 11, 19)))
  }
  x <- split(a)
  y <- split(b)
  lo <- x[2] + y[2]
  hi <- x[1] + y[1] + lo %/% 1e9
  lo <- lo %% 1e9
  if (hi > 0) paste0(format(hi, scientific = FALSE), formatC(lo, width = 9, flag = "0", format = "d")) else format(lo, scientific = FALSE)
}
mode <- t[1]
if (mode == "hello") {
  cat("Hello, World!\n")
} else if (mode == "sum") {
  cat(add(t[2], t[3]), "\n", sep = "")
} else if (mode == "loop") {
  x <- 2
  while (x != 0) x <- (x * x) %% 1000003
  cat(x, "\n")
} else if (mode == "args") {
  a <- commandArgs(trailingOnly = TRUE)
  cat(paste0(nchar(a, type = "bytes"), ":", a, "|", collapse = ""), "\n", sep = "")
} else if (mode == "crash") {
  stop("crash on purpose")
} else if (mode == "alloc") {
  keep <- list()
  repeat keep[[length(keep) + 1]] <- rep(length(keep) + 0.5, 131072)
}
