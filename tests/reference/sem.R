# Reference values for surveykit.structural.sem / compare / invariance (R lavaan 0.6).
# Run from the repository root: Rscript tests/reference/sem.R
# Inputs: tests/reference/data/sem_*.csv (made by make_sem_input.py).
# Long format: model, kind (param, fit, r2, resid, mi, anova, boot), lhs, op, rhs, group, label,
# est, se, z, p_value, ci_low, ci_high, std_all, epc.
suppressMessages(library(lavaan))
med <- "
  X =~ x1 + x2 + x3
  M =~ m1 + m2 + m3
  Y =~ y1 + y2 + y3
  M ~ a*X
  Y ~ b*M + c*X
  x3 ~~ y3
  ab := a*b
  total := c + a*b
"
second <- "
  quality =~ q1 + q2 + q3
  service =~ s1 + s2 + s3
  price =~ p1 + p2 + p3
  value =~ quality + service + price
  loyalty =~ l1 + l2 + l3
  loyalty ~ g*value
  g2 := g^2
"
two <- "F1 =~ a1 + a2 + a3 + a4\nF2 =~ b1 + b2 + b3 + b4"
read <- function(name) read.csv(sprintf("tests/reference/data/sem_%s.csv", name))
mediation <- read("mediation"); second_order <- read("second_order"); groups <- read("groups")
fits <- list(
  mediation = sem(med, data = mediation),
  mediation_means = sem(paste(med, "y1 ~ 1", sep = "\n"), data = mediation),
  second_order = sem(second, data = second_order),
  configural = sem(two, data = groups, group = "segment"),
  metric = sem(two, data = groups, group = "segment", group.equal = "loadings"),
  scalar = sem(two, data = groups, group = "segment", group.equal = c("loadings", "intercepts")),
  strict = sem(two, data = groups, group = "segment", group.equal = c("loadings", "intercepts", "residuals")),
  metric_partial = sem(two, data = groups, group = "segment", group.equal = "loadings", group.partial = "F2 =~ b4"),
  scalar_partial = sem(two, data = groups, group = "segment", group.equal = c("loadings", "intercepts"),
                       group.partial = c("F2 =~ b4", "a4 ~ 1"))
)
fit_names <- c(chi2 = "chisq", df = "df", p_value = "pvalue", cfi = "cfi", tli = "tli", rmsea = "rmsea",
               rmsea_ci_low = "rmsea.ci.lower", rmsea_ci_high = "rmsea.ci.upper", srmr = "srmr",
               aic = "aic", bic = "bic")
cols <- c("model", "kind", "lhs", "op", "rhs", "group", "label", "est", "se", "z", "p_value", "ci_low", "ci_high",
          "std_all", "epc")
rows <- list()
add <- function(frame) rows[[length(rows) + 1]] <<- frame[, cols]
blank <- function(model, kind, n) data.frame(model = rep(model, n), kind = kind, lhs = "", op = "", rhs = "",
                                             group = 1L, label = "", est = NA, se = NA, z = NA, p_value = NA,
                                             ci_low = NA, ci_high = NA, std_all = NA, epc = NA)
for (name in names(fits)) {
  fit <- fits[[name]]
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (is.null(pe$group)) pe$group <- ifelse(pe$op == ":=", 0L, 1L)
  if (is.null(pe$label)) pe$label <- ""
  out <- data.frame(model = name, kind = "param", lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                    label = pe$label, est = pe$est, se = pe$se, z = pe$z, p_value = pe$pvalue,
                    ci_low = pe$ci.lower, ci_high = pe$ci.upper, std_all = pe$std.all, epc = NA)
  add(out)
  fm <- fitMeasures(fit, unname(fit_names))
  f <- blank(name, "fit", length(fit_names)); f$lhs <- names(fit_names); f$est <- unname(fm[fit_names]); add(f)
  r2 <- lavInspect(fit, "r2")
  if (!is.list(r2)) r2 <- list(r2)
  for (g in seq_along(r2)) {
    r <- blank(name, "r2", length(r2[[g]])); r$lhs <- names(r2[[g]]); r$group <- g; r$est <- unname(r2[[g]]); add(r)
  }
  res <- residuals(fit, type = "cor")
  if (!is.null(res$cov)) res <- list(res)
  for (g in seq_along(res)) {
    cm <- res[[g]]$cov
    idx <- which(lower.tri(cm, diag = TRUE), arr.ind = TRUE)
    r <- blank(name, "resid", nrow(idx)); r$lhs <- rownames(cm)[idx[, 1]]; r$op <- "~~"
    r$rhs <- colnames(cm)[idx[, 2]]; r$group <- g; r$est <- cm[idx]; add(r)
  }
  if (name %in% c("mediation", "second_order")) {
    mi <- modindices(fit, sort. = FALSE)
    m <- blank(name, "mi", nrow(mi)); m$lhs <- mi$lhs; m$op <- mi$op; m$rhs <- mi$rhs; m$est <- mi$mi
    m$epc <- mi$epc; add(m)
  }
}
for (pair in list(c("configural", "metric"), c("metric", "scalar"), c("scalar", "strict"),
                  c("configural", "metric_partial"), c("metric_partial", "scalar_partial"))) {
  a <- anova(fits[[pair[1]]], fits[[pair[2]]])
  r <- blank(pair[2], "anova", 1); r$lhs <- pair[1]; r$est <- a[["Chisq diff"]][2]; r$se <- a[["Df diff"]][2]
  r$p_value <- a[["Pr(>Chisq)"]][2]; add(r)
}
set.seed(20261205)
boot <- sem(med, data = mediation, se = "bootstrap", bootstrap = 1000)
pb <- parameterEstimates(boot, boot.ci.type = "perc")
pb <- pb[pb$op == ":=", ]
b <- blank("mediation", "boot", nrow(pb)); b$lhs <- pb$lhs; b$op <- pb$op; b$rhs <- pb$rhs; b$est <- pb$est
b$se <- pb$se; b$ci_low <- pb$ci.lower; b$ci_high <- pb$ci.upper; add(b)
result <- do.call(rbind, rows)
write.csv(result, "tests/reference/data/sem_expected.csv", row.names = FALSE, na = "NA")
cat("lavaan", as.character(packageVersion("lavaan")), R.version.string, "\n")
