# Reference values for surveykit.indices.perceived_value (perceived_value, delivered_value,
# relationship_value): svymean of the difference and svyratio of benefits over sacrifices.
# Run from the repository root: Rscript tests/reference/value.R
# Input: tests/reference/data/value_input.csv (made by make_value_input.py).
# Output: tests/reference/data/value_expected.csv, long format: case, stat, value.
suppressPackageStartupMessages(library(survey))
x <- read.csv("tests/reference/data/value_input.csv", stringsAsFactors = FALSE)
x$B <- rowMeans(x[, c("product", "service", "personnel", "image")])   # NA when a part is missing
x$S <- rowMeans(x[, c("monetary", "time", "energy", "physical")])
x$D <- x$B - x$S
x$GB <- (x$product + x$service) / 2 + (x$personnel + x$image) / 2
x$GS <- (x$monetary + x$time) / 2 + (x$energy + x$physical) / 2
x$one <- 1
ok <- !is.na(x$B) & !is.na(x$S)
rows <- list()
add <- function(case, stat, value) rows[[length(rows) + 1]] <<- data.frame(case = case, stat = stat, value = as.numeric(value))
designs <- list(
  unweighted = svydesign(ids = ~1, weights = ~one, data = x),
  weighted = svydesign(ids = ~1, weights = ~w, data = x),
  strata_fpc = svydesign(ids = ~1, strata = ~stratum, weights = ~w, fpc = ~pop, data = x)
)
for (d in names(designs)) {
  des <- subset(designs[[d]], ok)   # a domain: the design keeps its strata sizes
  for (v in c("B", "S", "D")) {
    m <- svymean(as.formula(paste0("~", v)), des)
    add(d, paste0(v, "_estimate"), coef(m)); add(d, paste0(v, "_se"), SE(m))
  }
  r <- svyratio(~B, ~S, des)
  add(d, "ratio_estimate", coef(r)); add(d, "ratio_se", SE(r))
  g <- svyratio(~GB, ~GS, des)
  add(d, "gronroos_estimate", coef(g)); add(d, "gronroos_se", SE(g))
  for (p in c("product", "monetary")) {
    m <- svymean(as.formula(paste0("~", p)), des)
    add(d, paste0(p, "_mean"), coef(m)); add(d, paste0(p, "_se"), SE(m))
  }
  add(d, "n_obs", sum(ok))
}
out <- do.call(rbind, rows)
write.csv(format(out, digits = 17), "tests/reference/data/value_expected.csv", row.names = FALSE, quote = FALSE)
