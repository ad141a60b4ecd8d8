# Reference values for surveykit.sem with estimator = "MLR", missing = "fiml" and both (R lavaan 0.6).
# Run from the repository root: Rscript tests/reference/sem_robust.R
# Inputs: tests/reference/data/sem_likert.csv, sem_missing.csv (made by make_sem_robust_input.py).
# Output: tests/reference/data/sem_robust_expected.csv, long format as sem.R's:
# model, kind (param, fit, anova), lhs, op, rhs, group, label, est, se, z, p_value, ci_low, ci_high, std_all.
suppressMessages(library(lavaan))
med <- "
  X =~ x1 + x2 + x3
  M =~ m1 + m2 + m3
  Y =~ y1 + y2 + y3
  M ~ a*X
  Y ~ b*M + c*X
  ab := a*b
"
med_direct0 <- "
  X =~ x1 + x2 + x3
  M =~ m1 + m2 + m3
  Y =~ y1 + y2 + y3
  M ~ a*X
  Y ~ b*M + 0*X
  ab := a*b
"
cfa3 <- "X =~ x1 + x2 + x3\nM =~ m1 + m2 + m3\nY =~ y1 + y2 + y3"
likert <- read.csv("tests/reference/data/sem_likert.csv")
miss <- read.csv("tests/reference/data/sem_missing.csv")
fits <- list(
  mlr = sem(med, data = likert, estimator = "MLR"),
  mlr_direct0 = sem(med_direct0, data = likert, estimator = "MLR"),
  mlr_means = sem(paste(med, "y1 ~ 1", sep = "\n"), data = likert, estimator = "MLR"),
  mlr_configural = sem(cfa3, data = likert, group = "segment", estimator = "MLR"),
  mlr_metric = sem(cfa3, data = likert, group = "segment", estimator = "MLR", group.equal = "loadings"),
  fiml = sem(med, data = miss, missing = "ml"),
  fiml_direct0 = sem(med_direct0, data = miss, missing = "ml"),
  mlr_fiml = sem(med, data = miss, missing = "ml", estimator = "MLR"),
  mlr_fiml_direct0 = sem(med_direct0, data = miss, missing = "ml", estimator = "MLR"),
  # saturated (df = 0): lavaan's conventions for the robust measures of a model with nothing to test
  mlr_saturated = sem("X =~ x1 + x2 + x3", data = likert, estimator = "MLR"),
  mlr_fiml_saturated = sem("X =~ x1 + x2 + x3", data = miss, missing = "ml", estimator = "MLR")
)
fit_names <- c(chi2 = "chisq", df = "df", p_value = "pvalue", cfi = "cfi", tli = "tli", rmsea = "rmsea",
               rmsea_ci_low = "rmsea.ci.lower", rmsea_ci_high = "rmsea.ci.upper", srmr = "srmr",
               aic = "aic", bic = "bic", n_obs = "ntotal")
robust_names <- c(chi2_scaled = "chisq.scaled", p_value_scaled = "pvalue.scaled",
                  scaling_factor = "chisq.scaling.factor", cfi_robust = "cfi.robust", tli_robust = "tli.robust",
                  rmsea_robust = "rmsea.robust")
cols <- c("model", "kind", "lhs", "op", "rhs", "group", "label", "est", "se", "z", "p_value", "ci_low", "ci_high",
          "std_all")
rows <- list()
add <- function(frame) rows[[length(rows) + 1]] <<- frame[, cols]
blank <- function(model, kind, n) data.frame(model = rep(model, n), kind = kind, lhs = "", op = "", rhs = "",
                                             group = 1L, label = "", est = NA, se = NA, z = NA, p_value = NA,
                                             ci_low = NA, ci_high = NA, std_all = NA)
for (name in names(fits)) {
  fit <- fits[[name]]
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (is.null(pe$group)) pe$group <- ifelse(pe$op == ":=", 0L, 1L)
  if (is.null(pe$label)) pe$label <- ""
  add(data.frame(model = name, kind = "param", lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                 label = pe$label, est = pe$est, se = pe$se, z = pe$z, p_value = pe$pvalue,
                 ci_low = pe$ci.lower, ci_high = pe$ci.upper, std_all = pe$std.all))
  wanted <- if (startsWith(name, "mlr")) c(fit_names, robust_names) else fit_names
  fm <- fitMeasures(fit, unname(wanted))
  f <- blank(name, "fit", length(wanted)); f$lhs <- names(wanted); f$est <- unname(fm[wanted]); add(f)
}
for (pair in list(c("mlr", "mlr_direct0"), c("mlr_configural", "mlr_metric"), c("fiml", "fiml_direct0"),
                  c("mlr_fiml", "mlr_fiml_direct0"))) {
  a <- lavTestLRT(fits[[pair[1]]], fits[[pair[2]]])  # MLR: method "satorra.bentler.2001" (the default)
  r <- blank(pair[2], "anova", 1); r$lhs <- pair[1]; r$est <- a[["Chisq diff"]][2]; r$se <- a[["Df diff"]][2]
  r$p_value <- a[["Pr(>Chisq)"]][2]; add(r)
}
result <- do.call(rbind, rows)
write.csv(result, "tests/reference/data/sem_robust_expected.csv", row.names = FALSE, na = "NA")
cat("lavaan", as.character(packageVersion("lavaan")), R.version.string, "\n")
