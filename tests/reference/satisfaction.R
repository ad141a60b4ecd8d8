# Reference values for surveykit.satisfaction: KANO counts, Better/Worse and Fong's test (by
# hand, from Berger et al.'s table), SERVQUAL gaps (t.test paired; the survey-weighted test
# written out, its mean and se checked against survey::svymean), penalty-reward (lm with
# low/high dummies, the penalty - reward contrast from vcov) and item discrimination
# (t.test(var.equal = TRUE) between the 27 % extreme groups).
# Run from the repository root: Rscript tests/reference/satisfaction.R (R 4.2.2, survey 4.1.1:
# apt-get install r-base-core r-cran-survey)
# Input: tests/reference/data/satisfaction_input.csv (made by make_satisfaction_input.py).
# Output: tests/reference/data/satisfaction_expected.csv, long format: case, stat, term, value.
x <- read.csv("tests/reference/data/satisfaction_input.csv")
rows <- list()
add <- function(case, stat, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, stat = stat, term = term, value = as.numeric(value))
}

# ---- KANO ----------------------------------------------------------------------------------
berger <- matrix(c("Q", "A", "A", "A", "O",
                   "R", "I", "I", "I", "M",
                   "R", "I", "I", "I", "M",
                   "R", "I", "I", "I", "M",
                   "R", "R", "R", "R", "Q"), nrow = 5, byrow = TRUE)
cats <- c("A", "O", "M", "I", "R", "Q")
for (wt in c("unweighted", "weighted")) {
  for (k in paste0("k", 1:4)) {
    f <- x[[paste0("f_", k)]]; d <- x[[paste0("d_", k)]]
    ok <- !is.na(f) & !is.na(d)
    w <- if (wt == "weighted") x$weight[ok] else rep(1, sum(ok))
    cat_k <- berger[cbind(f[ok], d[ok])]
    counts <- sapply(cats, function(c) sum(w[cat_k == c]))
    total <- sum(counts)
    neff <- total^2 / sum(w^2)
    for (c in cats) add(paste0("kano_", wt), paste0("count_", tolower(c)), k, counts[[c]])
    aomi <- sum(counts[c("A", "O", "M", "I")])
    add(paste0("kano_", wt), "better", k, (counts[["A"]] + counts[["O"]]) / aomi)
    add(paste0("kano_", wt), "worse", k, -(counts[["O"]] + counts[["M"]]) / aomi)
    add(paste0("kano_", wt), "effective_n", k, neff)
    top <- sort(counts / total * neff, decreasing = TRUE)[1:2]
    add(paste0("kano_", wt), "fong_difference", k, abs(top[[1]] - top[[2]]))
    add(paste0("kano_", wt), "fong_critical", k, 1.65 * sqrt((top[[1]] + top[[2]]) * (2 * neff - top[[1]] - top[[2]]) / (2 * neff)))
    add(paste0("kano_", wt), "n_obs", k, sum(ok))
  }
}

# ---- SERVQUAL ------------------------------------------------------------------------------
addtest <- function(case, term, tt) {
  add(case, "estimate", term, tt$estimate); add(case, "se", term, tt$stderr)
  add(case, "t", term, tt$statistic); add(case, "df", term, tt$parameter)
  add(case, "p_value", term, tt$p.value)
  add(case, "ci_low", term, tt$conf.int[1]); add(case, "ci_high", term, tt$conf.int[2])
}
# The survey-weighted test written out: weighted mean, linearized se
# sqrt(n/(n-1) sum (w (g - m) / sum w)^2) (both as survey::svymean with ids = ~1, checked
# below), t with n - 1 df as t.test (survey 4.x's svyttest uses n - 2)
wtest <- function(g, w, level = 0.95) {
  ok <- !is.na(g); g <- g[ok]; w <- w[ok]; n <- length(g)
  m <- sum(w * g) / sum(w)
  se <- sqrt(n / (n - 1) * sum((w * (g - m) / sum(w))^2))
  q <- qt(0.5 + level / 2, n - 1)
  list(estimate = m, stderr = se, statistic = m / se, parameter = n - 1,
       p.value = 2 * pt(-abs(m / se), n - 1), conf.int = c(m - q * se, m + q * se))
}
dims <- list(tangibles = 1:2, reliability = 3:4, responsiveness = 5:6)
importance <- c(tangibles = 20, reliability = 50, responsiveness = 30)
gap <- sapply(1:6, function(j) x[[paste0("p_s", j)]] - x[[paste0("e_s", j)]])
for (j in 1:6) {
  tt <- t.test(x[[paste0("p_s", j)]], x[[paste0("e_s", j)]], paired = TRUE)
  addtest("servqual_item", paste0("e_s", j), tt)
  addtest("servqual_item_90", paste0("e_s", j), t.test(x[[paste0("p_s", j)]], x[[paste0("e_s", j)]], paired = TRUE,
                                                        conf.level = 0.90))
  addtest("servqual_item_weighted", paste0("e_s", j), wtest(gap[, j], x$weight))
  ok <- !is.na(gap[, j])
  sm <- survey::svymean(~g, survey::svydesign(ids = ~1, weights = ~w, data = data.frame(g = gap[ok, j], w = x$weight[ok])))
  add("servqual_item_svymean", "estimate", paste0("e_s", j), coef(sm))
  add("servqual_item_svymean", "se", paste0("e_s", j), survey::SE(sm))
}
dimgap <- sapply(dims, function(j) rowMeans(gap[, j]))
for (d in names(dims)) {
  addtest("servqual_dimension", d, t.test(dimgap[, d]))
  addtest("servqual_dimension_weighted", d, wtest(dimgap[, d], x$weight))
}
addtest("servqual_overall", "unweighted", t.test(rowMeans(dimgap)))
addtest("servqual_overall", "weighted", t.test(dimgap %*% (importance / 100)))

# ---- penalty-reward: bottom two (<= 2) and top two (>= 4) boxes against 3 --------------------
pr <- x[complete.cases(x[, c("overall", "r1", "r2", "r3", "r4")]), ]
for (j in 1:4) {
  pr[[paste0("low", j)]] <- as.numeric(pr[[paste0("r", j)]] <= 2)
  pr[[paste0("high", j)]] <- as.numeric(pr[[paste0("r", j)]] >= 4)
}
fit <- lm(overall ~ low1 + high1 + low2 + high2 + low3 + high3 + low4 + high4, data = pr)
b <- coef(fit); V <- vcov(fit); ci <- confint(fit); s <- summary(fit)$coefficients
for (j in 1:4) {
  lo <- paste0("low", j); hi <- paste0("high", j); a <- paste0("r", j)
  add("penalty_reward", "penalty", a, -b[[lo]]); add("penalty_reward", "reward", a, b[[hi]])
  add("penalty_reward", "penalty_se", a, s[lo, 2]); add("penalty_reward", "reward_se", a, s[hi, 2])
  add("penalty_reward", "penalty_p", a, s[lo, 4]); add("penalty_reward", "reward_p", a, s[hi, 4])
  add("penalty_reward", "penalty_ci_low", a, -ci[lo, 2]); add("penalty_reward", "penalty_ci_high", a, -ci[lo, 1])
  add("penalty_reward", "reward_ci_low", a, ci[hi, 1]); add("penalty_reward", "reward_ci_high", a, ci[hi, 2])
  cc <- setNames(rep(0, length(b)), names(b)); cc[[lo]] <- -1; cc[[hi]] <- -1
  diff <- sum(cc * b); dse <- sqrt(drop(t(cc) %*% V %*% cc))
  add("penalty_reward", "difference", a, diff); add("penalty_reward", "difference_se", a, dse)
  add("penalty_reward", "difference_p", a, 2 * pt(-abs(diff / dse), fit$df.residual))
}
add("penalty_reward", "intercept", "", b[["(Intercept)"]])
add("penalty_reward", "r_squared", "", summary(fit)$r.squared)
add("penalty_reward", "adj_r_squared", "", summary(fit)$adj.r.squared)
add("penalty_reward", "n_obs", "", nobs(fit))

# ---- item discrimination: 27 % extreme groups, Student's t -----------------------------------
items <- paste0("q", 1:6)
total <- rowSums(x[, items])
n <- length(total); k <- ceiling(0.27 * n)
st <- sort(total); low_cut <- st[k]; high_cut <- st[n - k + 1]
low <- total <= low_cut; high <- total >= high_cut
add("discrimination", "low_cut", "", low_cut); add("discrimination", "high_cut", "", high_cut)
add("discrimination", "n_low", "", sum(low)); add("discrimination", "n_high", "", sum(high))
for (q in items) {
  tt <- t.test(x[[q]][high], x[[q]][low], var.equal = TRUE)
  add("discrimination", "cr", q, tt$statistic); add("discrimination", "p_value", q, tt$p.value)
  add("discrimination", "df", q, tt$parameter); add("discrimination", "estimate", q, diff(rev(tt$estimate)))
  add("discrimination", "ci_low", q, tt$conf.int[1]); add("discrimination", "ci_high", q, tt$conf.int[2])
}

out <- do.call(rbind, rows)
write.csv(out, "tests/reference/data/satisfaction_expected.csv", row.names = FALSE)
cat(R.version.string, "; survey", as.character(packageVersion("survey")), "\n")
