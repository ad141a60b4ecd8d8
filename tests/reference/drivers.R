# Reference values for surveykit.indices.drivers (key_drivers): OLS with classical and
# sandwich (HC0-HC3) standard errors, weighted (WLS) regression, ordered logit (MASS::polr)
# with model-based and sandwich standard errors, and Johnson's relative weights from the
# formula (relaimpo is not installed, and its "lmg" is the Shapley value, not Johnson's).
# Run from the repository root: Rscript tests/reference/drivers.R
# Input: tests/reference/data/drivers_input.csv (made by make_drivers_input.py).
# Output: tests/reference/data/drivers_expected.csv, long format: case, stat, term, value.
suppressPackageStartupMessages({
  library(MASS)
  library(sandwich)
  library(lmtest)
  library(numDeriv)
})
x <- read.csv("tests/reference/data/drivers_input.csv")
drivers <- c("quality", "service", "price", "delivery", "support")
d <- x[complete.cases(x[, c("overall", drivers)]), ]  # listwise, as lm's na.omit
n <- nrow(d)
# surveykit rescales the weights to mean 1 over the rows it uses. Nothing below depends on
# their scale except the model-based standard errors of a weighted polr (frequency weights),
# so the reference does the same.
d$weight <- d$weight / mean(d$weight)
form <- overall ~ quality + service + price + delivery + support
rows <- list()
add <- function(case, stat, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, stat = stat, term = term, value = as.numeric(value))
}
addv <- function(case, stat, v) for (t in names(v)) add(case, stat, t, v[[t]])

# weighted standard deviation (cov.wt's unbiased form; the ratios used below do not depend on it)
wsd <- function(v, w) sqrt(cov.wt(cbind(v), wt = w / sum(w))$cov[1, 1])

# ---- OLS / WLS: coeftest (t with the residual df) and coefci at 95% -----------------------------
for (wt in c("unweighted", "weighted")) {
  w <- if (wt == "weighted") d$weight else rep(1, n)
  fit <- if (wt == "weighted") lm(form, data = d, weights = weight) else lm(form, data = d)
  for (type in c("const", "HC0", "HC1", "HC2", "HC3")) {
    case <- paste0("ols_", wt, "_", type)
    # "const": the classical s^2 (X'WX)^-1 of vcov(); vcovHC(type = "const") is not that for a weighted lm
    v <- if (type == "const") vcov(fit) else vcovHC(fit, type = type)
    ct <- coeftest(fit, vcov. = v)
    ci <- coefci(fit, vcov. = v, level = 0.95)
    ci90 <- coefci(fit, vcov. = v, level = 0.90)
    addv(case, "estimate", ct[, 1])
    addv(case, "se", ct[, 2])
    addv(case, "p_value", ct[, 4])
    addv(case, "ci_low", ci[, 1])
    addv(case, "ci_high", ci[, 2])
    addv(case, "ci_low_90", ci90[, 1])
    addv(case, "ci_high_90", ci90[, 2])
    s <- summary(fit)
    add(case, "r_squared", "", s$r.squared)
    add(case, "adj_r_squared", "", s$adj.r.squared)
    add(case, "n_obs", "", nobs(fit))
  }
  # standardized beta: b * sd(x) / sd(y), weighted standard deviations for WLS
  sdy <- wsd(d$overall, w)
  add(paste0("ols_", wt), "std_estimate", drivers,
      coef(fit)[drivers] * sapply(drivers, function(j) wsd(d[[j]], w)) / sdy)
}

# ---- ordered logit: polr(method = "logistic") ---------------------------------------------------
# polr's optimiser (BFGS, run to reltol 1e-15) stops with a gradient of ~2e-5; three Newton
# steps with numDeriv's gradient and Hessian take its estimates to the maximum (gradient ~1e-8,
# the noise of numDeriv; the estimates move by ~3e-8 relative). polr's raw estimates are
# written as estimate_polr. polr's own standard errors come from optimHess (finite differences
# of the gradient, step 1e-3); they are written as se_polr. The reference standard errors (se)
# come from an accurate Hessian of the log-likelihood in the (beta, zeta) parameters by
# numDeriv (Richardson extrapolation). The sandwich is bread %*% crossprod(estfun) %*% bread
# with that bread, which does not depend on the scale of the weights; sandwich::sandwich(fit)
# equals it here because the weights have mean 1 (in general it is that times (sum(w) / n)^2:
# its bread for polr is vcov * sum(w), its meat divides by the number of rows); checked below.
# Signs: polr and statsmodels' OrderedModel both model P(y <= k) = F(zeta_k - x'b); OrderedModel
# stores zeta as (zeta_1, log(zeta_2 - zeta_1), ...), which surveykit converts to cut points.
X <- as.matrix(d[, drivers])
y <- as.integer(factor(d$overall))
q <- length(unique(y)) - 1
for (wt in c("unweighted", "weighted")) {
  w <- if (wt == "weighted") d$weight else rep(1, n)
  case <- paste0("ologit_", wt)
  dd <- d
  dd$w <- w
  # (polr's start values come from a binomial glm that warns about non-integer weights)
  fit <- suppressWarnings(polr(factor(overall) ~ quality + service + price + delivery + support, data = dd,
                               weights = w, method = "logistic", Hess = TRUE,
                               control = list(reltol = 1e-15, maxit = 10000)))
  stopifnot(fit$convergence == 0)
  negll <- function(par) {
    b <- par[1:5]
    g <- c(-Inf, par[-(1:5)], Inf)
    eta <- drop(X %*% b)
    -sum(w * log(plogis(g[y + 1] - eta) - plogis(g[y] - eta)))
  }
  est_polr <- c(coef(fit), fit$zeta)
  est <- est_polr
  for (i in 1:3) est <- est - drop(solve(hessian(negll, est), grad(negll, est)))  # Newton polish
  grad_norm <- max(abs(grad(negll, est)))
  stopifnot(grad_norm < 1e-7, max(abs(est / est_polr - 1)) < 1e-6)  # numDeriv gradient: ~1e-8 noise
  H <- hessian(negll, est)
  V <- solve(H)
  E <- estfun(fit)
  S0 <- V %*% crossprod(E) %*% V
  S_pkg <- sandwich(fit)
  # polr's finite-difference Hessian makes sandwich() differ by ~2e-6 relative
  stopifnot(max(abs(sqrt(diag(S0)) / sqrt(diag(S_pkg)) - 1)) < 1e-5)
  k <- length(est)
  se <- setNames(sqrt(diag(V)), names(est))
  addv(case, "estimate", est)
  addv(case, "estimate_polr", est_polr)
  addv(case, "se", se)
  addv(case, "se_polr", sqrt(diag(vcov(fit))))
  addv(case, "p_value", 2 * pnorm(-abs(est / se)))
  addv(case, "ci_low", est - qnorm(0.975) * se)
  addv(case, "ci_high", est + qnorm(0.975) * se)
  addv(case, "se_hc0", setNames(sqrt(diag(S0)), names(est)))
  addv(case, "se_hc1", setNames(sqrt(diag(S0) * n / (n - k)), names(est)))
  addv(case, "se_sandwich_pkg", setNames(sqrt(diag(S_pkg)), names(est)))
  add(case, "std_estimate", drivers, est[drivers] * sapply(drivers, function(j) wsd(d[[j]], w)))
  ll <- -negll(est)
  null <- suppressWarnings(polr(factor(overall) ~ 1, data = dd, weights = w, method = "logistic",
                                control = list(reltol = 1e-15, maxit = 10000)))
  add(case, "log_likelihood", "", ll)
  # the null model (thresholds only) has the closed form sum w log(share of the level)
  ll0 <- sum(w * log((tapply(w, y, sum) / sum(w))[y]))
  stopifnot(abs(ll0 / (-null$deviance / 2) - 1) < 1e-9)
  add(case, "log_likelihood_polr", "", -fit$deviance / 2)
  add(case, "log_likelihood_null", "", ll0)
  add(case, "pseudo_r_squared", "", 1 - ll / ll0)
  add(case, "max_abs_gradient", "", grad_norm)
  add(case, "n_obs", "", n)
}

# ---- Johnson's relative weights, from the formula ------------------------------------------------
# Rxx = V diag(l) V'; Lambda = V diag(sqrt(l)) V'; beta = Lambda^-1 rxy; raw = Lambda^2 %*% beta^2
# (elementwise square of Lambda); sum(raw) = R^2. Weighted: cov.wt correlations.
for (wt in c("unweighted", "weighted")) {
  w <- if (wt == "weighted") d$weight else rep(1, n)
  case <- paste0("rw_", wt)
  R <- cov.wt(d[, c(drivers, "overall")], wt = w / sum(w), cor = TRUE)$cor
  Rxx <- R[drivers, drivers]
  rxy <- R[drivers, "overall"]
  e <- eigen(Rxx, symmetric = TRUE)
  Lambda <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
  beta <- solve(Lambda, rxy)
  raw <- drop((Lambda^2) %*% beta^2)
  names(raw) <- drivers
  addv(case, "estimate", raw)
  addv(case, "share", 100 * raw / sum(raw))
  add(case, "r_squared", "", sum(raw))
  fit <- if (wt == "weighted") lm(form, data = d, weights = weight) else lm(form, data = d)
  add(case, "r_squared_lm", "", summary(fit)$r.squared)
}

out <- do.call(rbind, rows)
out$value <- sprintf("%.17g", out$value)  # full precision (write.csv keeps 15 digits)
write.csv(out, "tests/reference/data/drivers_expected.csv", row.names = FALSE)
cat(R.version.string, "MASS", as.character(packageVersion("MASS")),
    "sandwich", as.character(packageVersion("sandwich")), "lmtest", as.character(packageVersion("lmtest")),
    "numDeriv", as.character(packageVersion("numDeriv")), "\n")
