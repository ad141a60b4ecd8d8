# Reference values for surveykit.indices.ipa: per item, the (weighted) mean performance and
# the derived importance (correlation with the overall rating over the pairwise-complete rows).
# Run from the repository root: Rscript tests/reference/ipa.R
# Input: tests/reference/data/ipa_input.csv (made by make_ipa_input.py).
# Output: tests/reference/data/ipa_expected.csv, long format: item, stat, value.
x <- read.csv("tests/reference/data/ipa_input.csv")
items <- grep("^q[0-9]+$", names(x), value = TRUE)
rows <- list()
add <- function(item, stat, value) {
  rows[[length(rows) + 1]] <<- data.frame(item = item, stat = stat, value = as.numeric(value))
}
for (it in items) {
  v <- x[[it]]
  add(it, "n_obs", sum(!is.na(v)))
  add(it, "mean", mean(v, na.rm = TRUE))
  add(it, "mean_weighted", weighted.mean(v, x$w, na.rm = TRUE))
  ok <- complete.cases(v, x$overall)
  add(it, "n_pairs", sum(ok))
  add(it, "pearson", cor(v, x$overall, use = "complete.obs"))
  add(it, "spearman", cor(v, x$overall, use = "complete.obs", method = "spearman"))
  # weighted Pearson correlation on the rows answering both (cov.wt normalises the weights)
  add(it, "pearson_weighted", cov.wt(cbind(v[ok], x$overall[ok]), wt = x$w[ok] / sum(x$w[ok]), cor = TRUE)$cor[1, 2])
}
out <- do.call(rbind, rows)
out$value <- sprintf("%.17g", out$value)  # full precision (write.csv keeps 15 digits)
write.csv(out, "tests/reference/data/ipa_expected.csv", row.names = FALSE)
cat(R.version.string, "\n")
