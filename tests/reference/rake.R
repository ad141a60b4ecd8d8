# Reference values for surveykit.indices.rake (rake): survey::rake (iterative proportional fitting
# by repeated postStratify) and survey::trimWeights, and svymean of an outcome on the raked design.
# Run from the repository root: Rscript tests/reference/rake.R
# Input: tests/reference/data/rake_input.csv and rake_margins.csv (made by make_rake_input.py).
# Output: tests/reference/data/rake_expected.csv, long format: case, stat, id, value
#   stat "weight": the final weight of respondent `id`, weights(design);
#   stat "estimate" / "se": svymean(~y) on the raked design (the SE accounts for the calibration);
#   stat "trim_lower" / "trim_upper": the trimming bounds, relative to the mean weight.
suppressPackageStartupMessages(library(survey))
x <- read.csv("tests/reference/data/rake_input.csv", stringsAsFactors = FALSE, fileEncoding = "UTF-8")
m <- read.csv("tests/reference/data/rake_margins.csv", stringsAsFactors = FALSE, fileEncoding = "UTF-8")
x$one <- 1
n <- nrow(x)
# Converge tightly: the default epsilon = 1 stops when no cell of the joint table moves by a whole
# unit; epsilon < 1 is a fraction of the total weight.
ctrl <- list(maxit = 100, epsilon = 1e-12, verbose = FALSE)
rows <- list()
add <- function(case, stat, id, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, stat = stat, id = id, value = as.numeric(value))
}
raked <- list()
for (case in c("two_vars", "three_vars", "totals")) {
  mc <- m[m$case == case, ]
  vars <- unique(mc$variable)  # raked in this order, as surveykit rakes in the order of the margins
  design <- svydesign(ids = ~1, weights = if (case == "two_vars") ~one else ~base_w, data = x)
  sample_margins <- lapply(vars, function(v) as.formula(paste("~", v)))
  population_margins <- lapply(vars, function(v) {
    p <- mc[mc$variable == v, ]
    # shares are given to R as counts of the n respondents (R rakes to totals): weights sum to n
    freq <- if (case == "totals") p$target else p$target * n
    out <- data.frame(p$level, Freq = freq, stringsAsFactors = FALSE)
    names(out)[1] <- v
    out
  })
  r <- rake(design, sample_margins, population_margins, control = ctrl)
  raked[[case]] <- r
  add(case, "weight", x$id, weights(r))
  s <- svymean(~y, r)
  add(case, "estimate", NA, coef(s))
  add(case, "se", NA, SE(s))
}
# Trimming: survey::trimWeights(strict = TRUE) of the raked three_vars design, bounds relative to the
# mean weight (trimWeights keeps the sum of the weights, so the mean, and the bounds, stay put).
lower <- 0.3
upper <- 3.0
r <- raked[["three_vars"]]
mw <- mean(weights(r))
t <- trimWeights(r, lower = lower * mw, upper = upper * mw, strict = TRUE)
add("trim", "trim_lower", NA, lower)
add("trim", "trim_upper", NA, upper)
add("trim", "weight", x$id, weights(t))
add("trim", "estimate", NA, coef(svymean(~y, t)))
out <- do.call(rbind, rows)
out$value <- sprintf("%.17g", out$value)  # full precision (write.csv keeps 15 digits)
write.csv(out, "tests/reference/data/rake_expected.csv", row.names = FALSE, na = "")
cat(R.version.string, "survey", as.character(packageVersion("survey")), "\n")
cat("trimmed below / above:", sum(weights(r) < lower * mw), sum(weights(r) > upper * mw), "\n")
print(summary(weights(r) / mw))
