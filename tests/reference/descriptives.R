# Reference values for surveykit.describe_items (item descriptives of Likert items).
# Run from the repository root: Rscript tests/reference/descriptives.R
# Input: tests/reference/data/descriptives_input.csv (made by make_descriptives_input.py).
x <- read.csv("tests/reference/data/descriptives_input.csv")
out <- data.frame(
  item = names(x),
  n_obs = sapply(x, function(v) sum(!is.na(v))),
  mean = sapply(x, mean, na.rm = TRUE),
  sd = sapply(x, sd, na.rm = TRUE),
  median = sapply(x, median, na.rm = TRUE),
  top_box = sapply(x, function(v) mean(v[!is.na(v)] >= 4)),
  bottom_box = sapply(x, function(v) mean(v[!is.na(v)] <= 2))
)
for (k in 1:5) out[[paste0("p", k)]] <- sapply(x, function(v) mean(v[!is.na(v)] == k))
write.csv(out, "tests/reference/data/descriptives_expected.csv", row.names = FALSE)
cat(R.version.string, "\n")
