# Reference values for surveykit.sem with bootstrap under missing = "fiml" and with survey weights (R lavaan 0.6).
# Run from the repository root: Rscript tests/reference/sem_fiml.R   (the bootstrap takes a few minutes)
# Inputs: tests/reference/data/sem_missing.csv (make_sem_robust_input.py), sem_weighted.csv
# (make_sem_fiml_input.py). Output: tests/reference/data/sem_fiml_expected.csv, long format as sem.R's:
# model, kind (param, fit), lhs, op, rhs, group, label, est, se, z, p_value, ci_low, ci_high, std_all.
suppressMessages(library(lavaan))
med <- "
  X =~ x1 + x2 + x3
  M =~ m1 + m2 + m3
  Y =~ y1 + y2 + y3
  M ~ a*X
  Y ~ b*M + c*X
  ab := a*b
"
small <- "X =~ x1 + x2\nM =~ m1 + m2\nY =~ y1 + y2\nM ~ a*X\nY ~ b*M\nab := a*b"
cfa3 <- "X =~ x1 + x2 + x3\nM =~ m1 + m2 + m3\nY =~ y1 + y2 + y3"
miss <- read.csv("tests/reference/data/sem_missing.csv")
weighted <- read.csv("tests/reference/data/sem_weighted.csv")
# the rows that answer nothing are dropped first (surveykit and lavaan both drop them from the fit, but lavaan's
# bootstrap fails on about half of the resamples that draw such a row instead of dropping it)
answered <- miss[rowSums(!is.na(miss)) > 0, ]
set.seed(20261207)
fits <- list(
  # lavaan's bootstrap under missing = "ml": rows drawn with their blanks, each resample refitted by FIML
  fiml_boot = sem(small, data = answered, missing = "ml", se = "bootstrap", bootstrap = 1000L),
  # sampling.weights: ML on the weighted moments, MLR-type robust se and the Yuan-Bentler scaled test
  weighted = sem(med, data = weighted, sampling.weights = "w"),
  weighted_groups = sem(cfa3, data = weighted, sampling.weights = "w", group = "segment")
)
fit_names <- c(chi2 = "chisq", df = "df", p_value = "pvalue", cfi = "cfi", tli = "tli", rmsea = "rmsea",
               srmr = "srmr", aic = "aic", bic = "bic", n_obs = "ntotal", chi2_scaled = "chisq.scaled",
               p_value_scaled = "pvalue.scaled", scaling_factor = "chisq.scaling.factor",
               cfi_robust = "cfi.robust", tli_robust = "tli.robust", rmsea_robust = "rmsea.robust")
cols <- c("model", "kind", "lhs", "op", "rhs", "group", "label", "est", "se", "z", "p_value", "ci_low", "ci_high",
          "std_all")
rows <- list()
add <- function(frame) rows[[length(rows) + 1]] <<- frame[, cols]
for (name in names(fits)) {
  fit <- fits[[name]]
  pe <- parameterEstimates(fit, standardized = TRUE, boot.ci.type = "perc")
  if (is.null(pe$group)) pe$group <- ifelse(pe$op == ":=", 0L, 1L)
  if (is.null(pe$label)) pe$label <- ""
  add(data.frame(model = name, kind = "param", lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                 label = pe$label, est = pe$est, se = pe$se, z = pe$z, p_value = pe$pvalue,
                 ci_low = pe$ci.lower, ci_high = pe$ci.upper, std_all = pe$std.all))
  wanted <- if (name == "fiml_boot") fit_names[c("df", "n_obs")] else fit_names
  fm <- fitMeasures(fit, unname(wanted))
  f <- data.frame(model = name, kind = "fit", lhs = names(wanted), op = "", rhs = "", group = 1L, label = "",
                  est = unname(fm[wanted]), se = NA, z = NA, p_value = NA, ci_low = NA, ci_high = NA, std_all = NA)
  add(f)
}
boot <- lavInspect(fits$fiml_boot, "boot")
cat("bootstrap resamples:", nrow(boot), "failed:", sum(is.na(boot[, 1])), "\n")
result <- do.call(rbind, rows)
write.csv(result, "tests/reference/data/sem_fiml_expected.csv", row.names = FALSE, na = "NA")
cat("lavaan", as.character(packageVersion("lavaan")), R.version.string, "\n")
