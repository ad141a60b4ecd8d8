# Reference values for surveykit.psychometrics.cfa (R lavaan, semTools).
# Run from the repository root: Rscript tests/reference/cfa.R
# Inputs: tests/reference/data/cfa_*.csv (made by make_cfa_input.py).
# Long format: shape, quantity, lhs, rhs, value. lhs/rhs are factor and item (loadings),
# factor and factor (phi, htmt), factor (cr, ave) or empty (fit measures, n_obs).
suppressMessages({library(lavaan); library(semTools)})
models <- list(
  two_factor = "benefit =~ b1 + b2 + b3 + b4\ncost =~ c1 + c2 + c3 + c4",
  three_factor = paste("quality =~ qual_1 + qual_2 + qual_3",
                       "service =~ serv_1 + serv_2 + serv_3 + serv_4",
                       "value =~ val_1 + val_2 + val_3 + val_4 + val_5", sep = "\n"),
  missing = "benefit =~ b1 + b2 + b3 + b4\ncost =~ c1 + c2 + c3 + c4"
)
fit_names <- c(chi2 = "chisq", df = "df", p_value = "pvalue", cfi = "cfi", tli = "tli", rmsea = "rmsea",
               rmsea_ci_low = "rmsea.ci.lower", rmsea_ci_high = "rmsea.ci.upper", srmr = "srmr", gfi = "gfi", agfi = "agfi",
               aic = "aic", bic = "bic")
rows <- list()
add <- function(shape, what, lhs, rhs, value) {
  rows[[length(rows) + 1]] <<- data.frame(shape = shape, quantity = what, lhs = lhs, rhs = rhs,
                                          value = unname(as.numeric(value)))
}
for (shape in names(models)) {
  x <- na.omit(read.csv(sprintf("tests/reference/data/cfa_%s.csv", shape)))  # listwise, as lavaan's default
  fit <- cfa(models[[shape]], data = x, std.lv = FALSE, estimator = "ML")
  add(shape, "n_obs", "", "", lavInspect(fit, "nobs"))
  fm <- fitMeasures(fit, unname(fit_names))
  for (i in seq_along(fit_names)) add(shape, names(fit_names)[i], "", "", fm[[fit_names[i]]])
  pe <- parameterEstimates(fit)
  ss <- standardizedSolution(fit)
  for (i in which(pe$op == "=~")) {
    add(shape, "estimate", pe$lhs[i], pe$rhs[i], pe$est[i])
    add(shape, "se", pe$lhs[i], pe$rhs[i], pe$se[i])
    add(shape, "z", pe$lhs[i], pe$rhs[i], pe$z[i])
    add(shape, "p_value", pe$lhs[i], pe$rhs[i], pe$pvalue[i])
  }
  lv <- lavNames(fit, "lv")
  for (i in which(ss$op == "=~")) add(shape, "std_estimate", ss$lhs[i], ss$rhs[i], ss$est.std[i])
  for (i in which(ss$op == "~~" & ss$lhs != ss$rhs & ss$lhs %in% lv)) add(shape, "phi", ss$lhs[i], ss$rhs[i], ss$est.std[i])
  # Residual (unique) variances, unstandardised: a check on the whole solution, not only the loadings.
  for (i in which(pe$op == "~~" & pe$lhs == pe$rhs & !(pe$lhs %in% lv))) add(shape, "theta", pe$lhs[i], pe$rhs[i], pe$est[i])
  # Fornell & Larcker (1981) CR and AVE from the standardised loadings.
  for (f in lv) {
    l <- ss$est.std[ss$op == "=~" & ss$lhs == f]
    add(shape, "cr", f, "", sum(l)^2 / (sum(l)^2 + sum(1 - l^2)))
    add(shape, "ave", f, "", mean(l^2))
  }
  # HTMT of Henseler, Ringle & Sarstedt (2015): arithmetic means of absolute item correlations.
  h <- htmt(models[[shape]], data = x, htmt2 = FALSE, absolute = TRUE)
  for (a in rownames(h)) for (b in colnames(h)) add(shape, "htmt", a, b, h[a, b])
}
out <- do.call(rbind, rows)
write.csv(out, "tests/reference/data/cfa_expected.csv", row.names = FALSE)
cat(R.version.string, "lavaan", as.character(packageVersion("lavaan")),
    "semTools", as.character(packageVersion("semTools")), "\n")
