# Reference values for surveykit.structural (mediation, moderation): the paths and full
# coefficient tables of every equation by base R lm (estimate, se, t, p, confint), the
# indirect effects as products of the lm coefficients, a percentile bootstrap interval by the
# boot package (B = 5000; R's RNG, so compared within Monte-Carlo error), and for moderation
# the simple slopes from lm + vcov and the Johnson-Neyman bounds by solving the quadratic.
# Run from the repository root: Rscript tests/reference/mediation.R
# Input: tests/reference/data/mediation_input.csv (made by make_mediation_input.py).
# Output: tests/reference/data/mediation_expected.csv, long format: case, stat, term, value.
suppressPackageStartupMessages(library(boot))
x <- read.csv("tests/reference/data/mediation_input.csv")
rows <- list()
add <- function(case, stat, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, stat = stat, term = term, value = as.numeric(value))
}
add_lm <- function(case, outcome, fit) {
  s <- coef(summary(fit)); ci <- confint(fit, level = 0.95)
  terms <- sub("\\(Intercept\\)", "(intercept)", rownames(s))
  for (i in seq_along(terms)) {
    t <- paste(outcome, terms[i], sep = "|")
    add(case, "estimate", t, s[i, 1]); add(case, "se", t, s[i, 2]); add(case, "t", t, s[i, 3])
    add(case, "p_value", t, s[i, 4]); add(case, "ci_low", t, ci[i, 1]); add(case, "ci_high", t, ci[i, 2])
  }
  add(case, "r_squared", outcome, summary(fit)$r.squared)
}

# --- parallel mediation (PROCESS model 4), three mediators, covariates age and female --------
d <- x[complete.cases(x[, c("x", "m1", "m2", "m3", "y", "age", "female")]), ]
add("parallel", "n_obs", "", nrow(d))
fm <- lapply(c("m1", "m2", "m3"), function(m) lm(as.formula(paste(m, "~ x + age + female")), data = d))
fy <- lm(y ~ x + m1 + m2 + m3 + age + female, data = d)
ft <- lm(y ~ x + age + female, data = d)
for (j in 1:3) add_lm("parallel", paste0("m", j), fm[[j]])
add_lm("parallel", "y", fy); add_lm("parallel", "y (total)", ft)
ind <- sapply(1:3, function(j) coef(fm[[j]])["x"] * coef(fy)[paste0("m", j)])
for (j in 1:3) add("parallel", "indirect", paste0("x -> m", j, " -> y"), ind[j])
add("parallel", "indirect", "total indirect", sum(ind))

# --- serial mediation (PROCESS model 6), three mediators, covariate age ----------------------
d <- x[complete.cases(x[, c("x", "m1", "m2", "m3", "y", "age")]), ]
add("serial", "n_obs", "", nrow(d))
f1 <- lm(m1 ~ x + age, data = d)
f2 <- lm(m2 ~ x + m1 + age, data = d)
f3 <- lm(m3 ~ x + m1 + m2 + age, data = d)
fy <- lm(y ~ x + m1 + m2 + m3 + age, data = d)
ft <- lm(y ~ x + age, data = d)
add_lm("serial", "m1", f1); add_lm("serial", "m2", f2); add_lm("serial", "m3", f3)
add_lm("serial", "y", fy); add_lm("serial", "y (total)", ft)
a <- c(coef(f1)["x"], coef(f2)["x"], coef(f3)["x"])
d21 <- coef(f2)["m1"]; d31 <- coef(f3)["m1"]; d32 <- coef(f3)["m2"]
b <- coef(fy)[c("m1", "m2", "m3")]
serial <- c("x -> m1 -> y" = a[1] * b[1],
            "x -> m1 -> m2 -> y" = a[1] * d21 * b[2],
            "x -> m1 -> m2 -> m3 -> y" = a[1] * d21 * d32 * b[3],
            "x -> m1 -> m3 -> y" = a[1] * d31 * b[3],
            "x -> m2 -> y" = a[2] * b[2],
            "x -> m2 -> m3 -> y" = a[2] * d32 * b[3],
            "x -> m3 -> y" = a[3] * b[3])
names(serial) <- sub("\\.[a-z0-9]+$", "", names(serial))  # c() appends the coefficient name
for (t in names(serial)) add("serial", "indirect", t, serial[[t]])
add("serial", "indirect", "total indirect", sum(serial))
add("serial", "check_total", "c - c'", coef(ft)["x"] - coef(fy)["x"])

# --- simple mediation: percentile bootstrap interval by boot ---------------------------------
d <- x[complete.cases(x[, c("x", "m1", "y")]), ]
set.seed(20261205)
stat <- function(data, i) {
  s <- data[i, ]
  coef(lm(m1 ~ x, data = s))["x"] * coef(lm(y ~ x + m1, data = s))["m1"]
}
bt <- boot(d, stat, R = 5000)
q <- quantile(bt$t[, 1], c(0.025, 0.975), type = 7)
add("simple_boot", "estimate", "x -> m1 -> y", bt$t0)
add("simple_boot", "ci_low", "x -> m1 -> y", q[1]); add("simple_boot", "ci_high", "x -> m1 -> y", q[2])
add("simple_boot", "se", "x -> m1 -> y", sd(bt$t[, 1]))

# --- moderation (PROCESS model 1): y_mod ~ x * w + age, centred -----------------------------
d <- x[complete.cases(x[, c("x", "w", "y_mod", "age")]), ]
add("moderation", "n_obs", "", nrow(d))
d$xc <- d$x - mean(d$x); d$wc <- d$w - mean(d$w)
fit <- lm(y_mod ~ xc + wc + I(xc * wc) + age, data = d)
s <- coef(summary(fit)); ci <- confint(fit)
terms <- c("intercept", "x", "w", "x:w", "age")
for (i in 1:5) {
  add("moderation", "estimate", terms[i], s[i, 1]); add("moderation", "se", terms[i], s[i, 2])
  add("moderation", "t", terms[i], s[i, 3]); add("moderation", "p_value", terms[i], s[i, 4])
  add("moderation", "ci_low", terms[i], ci[i, 1]); add("moderation", "ci_high", terms[i], ci[i, 2])
}
add("moderation", "r_squared", "", summary(fit)$r.squared)
add("moderation", "r_squared_change", "",
    summary(fit)$r.squared - summary(lm(y_mod ~ xc + wc + age, data = d))$r.squared)
V <- vcov(fit); bh <- coef(fit); dfr <- fit$df.residual; tc <- qt(0.975, dfr)
at <- c(mean(d$w) - sd(d$w), mean(d$w), mean(d$w) + sd(d$w), 2, 6)
lab <- c("mean - 1 SD", "mean", "mean + 1 SD", "2", "6")
for (i in seq_along(at)) {
  u <- at[i] - mean(d$w)
  est <- bh[2] + bh[4] * u
  se <- sqrt(V[2, 2] + 2 * u * V[2, 4] + u^2 * V[4, 4])
  add("moderation", "slope_w", lab[i], at[i]); add("moderation", "slope_estimate", lab[i], est)
  add("moderation", "slope_se", lab[i], se); add("moderation", "slope_t", lab[i], est / se)
  add("moderation", "slope_p", lab[i], 2 * pt(-abs(est / se), dfr))
  add("moderation", "slope_ci_low", lab[i], est - tc * se); add("moderation", "slope_ci_high", lab[i], est + tc * se)
}
qa <- bh[4]^2 - tc^2 * V[4, 4]; qb <- 2 * (bh[2] * bh[4] - tc^2 * V[2, 4]); qc <- bh[2]^2 - tc^2 * V[2, 2]
roots <- sort(Re(polyroot(c(qc, qb, qa)))) + mean(d$w)
add("moderation", "jn", "low", roots[1]); add("moderation", "jn", "high", roots[2])
add("moderation", "w_range", "min", min(d$w)); add("moderation", "w_range", "max", max(d$w))

# --- moderated mediation: PROCESS model 7 (x -> m_mod moderated by w) and 14 (m1 -> y by w) ---
mm_effects <- function(case, fm, fy, d, first, m) {
  at <- c(mean(d$w) - sd(d$w), mean(d$w), mean(d$w) + sd(d$w))
  if (first) {
    a1 <- coef(fm)["x"]; a3 <- coef(fm)["x:w"]; b <- coef(fy)[m]
    add(case, "index", m, a3 * b); cond <- (a1 + a3 * at) * b
  } else {
    a <- coef(fm)["x"]; b1 <- coef(fy)[m]; b3 <- coef(fy)[paste0(m, ":w")]
    add(case, "index", m, a * b3); cond <- a * (b1 + b3 * at)
  }
  for (i in 1:3) { add(case, "cond_w", i, at[i]); add(case, "cond", i, cond[i]) }
}
d <- x[complete.cases(x[, c("x", "m_mod", "y_mm", "w", "age")]), ]
add("model7", "n_obs", "", nrow(d))
fm <- lm(m_mod ~ x + w + x:w + age, data = d); fy <- lm(y_mm ~ x + m_mod + age, data = d)
add_lm("model7", "m_mod", fm); add_lm("model7", "y_mm", fy)
mm_effects("model7", fm, fy, d, TRUE, "m_mod")
set.seed(7)
bt <- boot(d, function(data, i) {
  s <- data[i, ]
  coef(lm(m_mod ~ x + w + x:w + age, data = s))["x:w"] * coef(lm(y_mm ~ x + m_mod + age, data = s))["m_mod"]
}, R = 5000)
q <- quantile(bt$t[, 1], c(0.025, 0.975), type = 7)
add("model7", "boot_ci_low", "m_mod", q[1]); add("model7", "boot_ci_high", "m_mod", q[2])
d <- x[complete.cases(x[, c("x", "m1", "y", "w", "age")]), ]
add("model14", "n_obs", "", nrow(d))
fm <- lm(m1 ~ x + age, data = d); fy <- lm(y ~ x + m1 + w + m1:w + age, data = d)
add_lm("model14", "m1", fm); add_lm("model14", "y", fy)
mm_effects("model14", fm, fy, d, FALSE, "m1")

out <- do.call(rbind, rows)
write.csv(out, "tests/reference/data/mediation_expected.csv", row.names = FALSE)
cat(R.version.string, "boot", as.character(packageVersion("boot")), "\n")
