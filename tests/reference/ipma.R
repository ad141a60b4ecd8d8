# Reference values of the importance-performance map analysis (IPMA; Ringle & Sarstedt 2016, the
# SmartPLS convention) of the ECSI model, computed in base R from R plspm's outer weights
# (plspm is not in Debian; its outputs on these data are kept in ../shared/reference/ecsi-satisfaction):
#   1. items rescaled to 0-100 by the answer scale 0-10: 100 * x / 10;
#   2. outer weights unstandardized (scaled = FALSE: plspm's weights are already on the raw items)
#      and normed to sum 1 within each block;
#   3. rescaled construct scores = rescaled items %*% normed weights;
#   4. unstandardized path coefficients: lm of each endogenous score on its predictors' scores;
#   5. total effects (I - B)^-1 - I; importance = total effect on the target;
#   6. performance = mean rescaled score, and the survey-weighted mean with its Taylor standard
#      error (survey::svymean on a design with weights only; checked against the formula).
# Run from the repository root: Rscript tests/reference/ipma.R
# Input: ../shared/reference/ecsi-satisfaction/satisfaction.csv and satisfaction.outer-model.csv,
#        tests/reference/data/ipma_weights.csv (made by make_ipma_input.py).
# Output: tests/reference/data/ipma_expected.csv, long format: case, stat, term, value.
ref <- "../shared/reference/ecsi-satisfaction"
x <- read.csv(file.path(ref, "satisfaction.csv"), row.names = 1)
outer <- read.csv(file.path(ref, "satisfaction.outer-model.csv"))
w_svy <- read.csv("tests/reference/data/ipma_weights.csv")$weight
lvs <- c("IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY")
paths <- list(EXPE = "IMAG", QUAL = "EXPE", VAL = c("EXPE", "QUAL"), SAT = c("IMAG", "EXPE", "QUAL", "VAL"),
              LOY = c("IMAG", "SAT"))

rescaled <- 100 * (as.matrix(x[, outer$name]) - 0) / (10 - 0)
scores <- sapply(lvs, function(lv) {
  rows <- outer$block == lv
  w <- outer$weight[rows] / sum(outer$weight[rows])
  rescaled[, outer$name[rows], drop = FALSE] %*% w
})
colnames(scores) <- lvs
s <- as.data.frame(scores)

B <- matrix(0, length(lvs), length(lvs), dimnames = list(lvs, lvs))  # B[target, source]
for (target in names(paths)) {
  fit <- lm(reformulate(paths[[target]], response = target), data = s)
  B[target, paths[[target]]] <- coef(fit)[paths[[target]]]
}
total <- solve(diag(length(lvs)) - B) - diag(length(lvs))
dimnames(total) <- list(lvs, lvs)

rows <- list()
add <- function(case, stat, v) {
  for (t in names(v)) rows[[length(rows) + 1]] <<- data.frame(case = case, stat = stat, term = t, value = v[[t]])
}
wmean <- function(v, w) sum(w * v) / sum(w)
wse <- function(v, w) {
  n <- length(v); m <- wmean(v, w)
  sqrt(sum((w / sum(w))^2 * (v - m)^2) * n / (n - 1))
}
for (target in c("SAT", "LOY")) {
  preds <- lvs[total[target, ] != 0]
  add(target, "importance", total[target, preds])
  add(target, "direct", B[target, preds])
}
add("all", "performance", colMeans(scores))
add("all", "performance_se", apply(scores, 2, function(v) sd(v) / sqrt(length(v))))
suppressPackageStartupMessages(library(survey))
s$w <- w_svy
est <- svymean(reformulate(lvs), svydesign(ids = ~1, weights = ~w, data = s))
stopifnot(max(abs(coef(est) - apply(scores, 2, wmean, w = w_svy))) < 1e-10,
          max(abs(SE(est) - apply(scores, 2, wse, w = w_svy))) < 1e-10)
add("all", "performance_weighted", coef(est))
add("all", "performance_weighted_se", SE(est))
out <- do.call(rbind, rows)
write.csv(out, "tests/reference/data/ipma_expected.csv", row.names = FALSE)
cat("wrote", nrow(out), "rows\n")
