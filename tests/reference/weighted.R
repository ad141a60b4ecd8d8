# Reference values for surveykit.indices.weighted (weighted_mean, weighted_proportions) and
# surveykit.indices.nps (nps, top_box, bottom_box): design-based (Taylor linearization)
# estimates of R survey::svymean.
# Run from the repository root: Rscript tests/reference/weighted.R
# Input: tests/reference/data/weighted_input.csv (made by make_weighted_input.py).
# Output: tests/reference/data/weighted_expected.csv, long format: case, stat, level, value.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")  # the default: a stratum with one respondent is an error
x <- read.csv("tests/reference/data/weighted_input.csv", stringsAsFactors = FALSE)
x$region <- factor(x$region)
x$one <- 1
rows <- list()
add <- function(case, stat, level, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, stat = stat, level = level, value = as.numeric(value))
}
# svymean with na.rm=TRUE (missing answers are a domain: the design keeps its stratum sizes),
# normal-quantile interval of confint(), deff="replace", Kish effective n of the answering rows.
stats <- function(case, formula, design, levels, answered_w) {
  m <- svymean(formula, design, na.rm = TRUE, deff = "replace")
  ci <- confint(m, level = 0.95)
  ci90 <- confint(m, level = 0.90)
  for (j in seq_along(levels)) {
    add(case, "estimate", levels[j], coef(m)[j])
    add(case, "se", levels[j], SE(m)[j])
    add(case, "ci_low", levels[j], ci[j, 1])
    add(case, "ci_high", levels[j], ci[j, 2])
    add(case, "ci_low_90", levels[j], ci90[j, 1])
    add(case, "ci_high_90", levels[j], ci90[j, 2])
    add(case, "deff", levels[j], deff(m)[j])
  }
  add(case, "effective_n", "", sum(answered_w)^2 / sum(answered_w^2))
  add(case, "n_obs", "", length(answered_w))
}
designs <- list(
  weights_only = svydesign(ids = ~1, weights = ~w, data = x),
  strata = svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = x),
  strata_fpc = svydesign(ids = ~1, strata = ~stratum, weights = ~w, fpc = ~pop, data = x),
  strata_frac = svydesign(ids = ~1, strata = ~stratum, weights = ~w, fpc = ~frac, data = x),
  unweighted = svydesign(ids = ~1, weights = ~one, data = x)
)
lv <- levels(x$region)
for (d in names(designs)) {
  w <- if (d == "unweighted") x$one else x$w
  stats(paste0("mean_", d), ~y, designs[[d]], "", w[!is.na(x$y)])
  stats(paste0("prop_", d), ~region, designs[[d]], lv, w[!is.na(x$region)])
}
# NPS and top/bottom box: the base is the valid answers, so the design is built on them.
v <- x[!is.na(x$nps), ]
v$nps_r <- ifelse(v$nps >= 9, 100, ifelse(v$nps <= 6, -100, 0))
v$cat <- factor(ifelse(v$nps >= 9, "promoters", ifelse(v$nps <= 6, "detractors", "passives")))
for (wt in c("unweighted", "weighted")) {
  dv <- if (wt == "weighted") svydesign(ids = ~1, weights = ~w, data = v) else svydesign(ids = ~1, weights = ~one, data = v)
  ww <- if (wt == "weighted") v$w else v$one
  stats(paste0("nps_", wt), ~nps_r, dv, "", ww)
  stats(paste0("npsshare_", wt), ~cat, dv, levels(v$cat), ww)
}
# the closed (multinomial) form of the unweighted NPS standard error, n - 1 in the denominator
p <- mean(v$nps >= 9); dd <- mean(v$nps <= 6); n <- nrow(v)
add("nps_closed_form", "se", "", 100 * sqrt((p + dd - (p - dd)^2) / (n - 1)))
s <- x[!is.na(x$sat), ]
s$top2 <- as.numeric(s$sat >= 4); s$bottom2 <- as.numeric(s$sat <= 2); s$top1 <- as.numeric(s$sat >= 5)
for (wt in c("unweighted", "weighted")) {
  ds <- if (wt == "weighted") svydesign(ids = ~1, weights = ~w, data = s) else svydesign(ids = ~1, weights = ~one, data = s)
  ww <- if (wt == "weighted") s$w else s$one
  stats(paste0("top2_", wt), ~top2, ds, "", ww)
  stats(paste0("bottom2_", wt), ~bottom2, ds, "", ww)
  stats(paste0("top1_", wt), ~top1, ds, "", ww)
}
out <- do.call(rbind, rows)
out$value <- sprintf("%.17g", out$value)  # full precision (write.csv keeps 15 digits)
write.csv(out, "tests/reference/data/weighted_expected.csv", row.names = FALSE)
cat(R.version.string, "survey", as.character(packageVersion("survey")), "\n")
