# Reference values for surveykit.reliability, kmo and bartlett (R psych).
# Run from the repository root: Rscript tests/reference/psychometrics.R
# Inputs: tests/reference/data/psy_*.csv (made by make_psychometrics_input.py).
suppressMessages(library(psych))
rows <- list()
add <- function(shape, policy, what, item, value) {
  rows[[length(rows) + 1]] <<- data.frame(shape = shape, nan_policy = policy, quantity = what,
                                          item = item, value = unname(as.numeric(value)))
}
for (shape in c("clean", "missing", "reverse", "near_singular")) {
  raw <- read.csv(sprintf("tests/reference/data/psy_%s.csv", shape))
  for (policy in c("listwise", "pairwise")) {
    x <- if (policy == "listwise") na.omit(raw) else raw
    a <- suppressWarnings(alpha(x, check.keys = FALSE))
    add(shape, policy, "alpha", "", a$total$raw_alpha)
    add(shape, policy, "std_alpha", "", a$total$std.alpha)
    add(shape, policy, "average_r", "", a$total$average_r)
    add(shape, policy, "ci_low", "", unlist(a$feldt$lower.ci)[[1]])
    add(shape, policy, "ci_high", "", unlist(a$feldt$upper.ci)[[1]])
    for (i in seq_len(ncol(x))) {
      item <- names(x)[i]
      add(shape, policy, "r_drop", item, a$item.stats$r.drop[i])
      add(shape, policy, "alpha_if_deleted", item, a$alpha.drop$raw_alpha[i])
      add(shape, policy, "mean", item, mean(x[[i]], na.rm = TRUE))
      add(shape, policy, "sd", item, sd(x[[i]], na.rm = TRUE))
    }
    r <- cor(x, use = "pairwise")
    k <- KMO(r)
    add(shape, policy, "kmo", "", k$MSA)
    for (i in seq_len(ncol(x))) add(shape, policy, "msa", names(x)[i], k$MSAi[i])
    b <- suppressWarnings(cortest.bartlett(x))
    add(shape, policy, "chi2", "", b$chisq)
    add(shape, policy, "df", "", b$df)
    add(shape, policy, "p_value", "", b$p.value)
  }
}
out <- do.call(rbind, rows)
write.csv(out, "tests/reference/data/psychometrics_expected.csv", row.names = FALSE)
cat(R.version.string, "psych", as.character(packageVersion("psych")), "\n")
