# Reference values for SurveyData.value_model() (R lavaan 0.6): the example study's structural model
# of value (second-order benefits and sacrifices -> perceived value -> satisfaction -> loyalty, with
# the indirect effects as := parameters), fitted by lavaan's sem() defaults (ML, listwise).
# Run from the repository root: Rscript tests/reference/value_model.R
# Inputs: tests/reference/data/value_model_example.csv and .lav (made by make_value_model_input.py).
# Long format: kind (param, fit, r2), lhs, op, rhs, est, se, p_value, ci_low, ci_high, std_all.
suppressMessages(library(lavaan))
model <- paste(readLines("tests/reference/data/value_model_example.lav"), collapse = "\n")
data <- read.csv("tests/reference/data/value_model_example.csv")
fit <- sem(model, data = data)
pe <- parameterEstimates(fit, standardized = TRUE)
params <- data.frame(kind = "param", lhs = pe$lhs, op = pe$op, rhs = pe$rhs, est = pe$est, se = pe$se,
                     p_value = pe$pvalue, ci_low = pe$ci.lower, ci_high = pe$ci.upper, std_all = pe$std.all)
measures <- c(chi2 = "chisq", df = "df", cfi = "cfi", tli = "tli", rmsea = "rmsea", srmr = "srmr", aic = "aic",
              bic = "bic")
fm <- fitMeasures(fit, measures)
fits <- data.frame(kind = "fit", lhs = names(measures), op = "", rhs = "", est = as.numeric(fm), se = NA,
                   p_value = NA, ci_low = NA, ci_high = NA, std_all = NA)
fits <- rbind(fits, data.frame(kind = "fit", lhs = "n_obs", op = "", rhs = "", est = nobs(fit), se = NA,
                               p_value = NA, ci_low = NA, ci_high = NA, std_all = NA))
r2 <- lavInspect(fit, "r2")
r2s <- data.frame(kind = "r2", lhs = names(r2), op = "", rhs = "", est = as.numeric(r2), se = NA, p_value = NA,
                  ci_low = NA, ci_high = NA, std_all = NA)
write.csv(rbind(params, fits, r2s), "tests/reference/data/value_model_lavaan.csv", row.names = FALSE)
