# Reference values for surveykit.indices.banner (banner tables with column tests).
# Run from the repository root: Rscript tests/reference/banner.R
# Input: tests/reference/data/banner_input.csv (made by make_banner_input.py).
# Output: tests/reference/data/banner_expected.csv, long format: case, variable, row, stat,
#   segment, other, value (a pairwise statistic compares `segment` with `other`, in that
#   order); tests/reference/data/banner_letters.csv: case, correction, variable, row, segment,
#   letters (SPSS Custom Tables column-test notation at alpha = 0.05).
#
# Unweighted ("unweighted"): t.test(var.equal = FALSE) per pair of segments,
#   oneway.test(var.equal = FALSE and TRUE), prop.test(correct = FALSE) per pair and level
#   (X-squared = z^2 of the pooled two-proportion z test), chisq.test(correct = FALSE),
#   p.adjust("bonferroni" / "holm") over the pairs of one table row.
# Weighted ("weighted"): the effective-base method. In each segment: weighted mean and the
#   unbiased weighted variance from cov.wt(method = "unbiased"), the weighted share of each
#   level, and Kish's effective base n_eff = (sum w)^2 / sum w^2. The tests are the same tests
#   with n replaced by n_eff: Welch t and Welch / classic ANOVA written out below from their
#   formulas (those of t.test and oneway.test), prop.test and chisq.test on the effective
#   counts n_eff * share (both accept non-integer counts).
x <- read.csv("tests/reference/data/banner_input.csv", stringsAsFactors = FALSE)
x <- x[!is.na(x$region), ]  # a respondent without a segment is in no column
x$region <- factor(x$region)
segs <- levels(x$region)
pairs <- combn(seq_along(segs), 2)
rows <- list()
lets <- list()
add <- function(case, variable, row, stat, segment, other, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, variable = variable, row = row, stat = stat,
                                          segment = segment, other = other, value = as.numeric(value))
}
ne <- function(w) sum(w)^2 / sum(w^2)
# letters: the key (A, B, ...) of the column with the smaller estimate goes in the cell of the larger one
letters_of <- function(case, variable, row, est, padj) {
  for (corr in names(padj)) {
    won <- vector("list", length(segs))
    for (k in seq_len(ncol(pairs))) {
      p <- padj[[corr]][k]
      if (!is.na(p) && p < 0.05) {
        i <- pairs[1, k]; j <- pairs[2, k]
        if (est[i] > est[j]) won[[i]] <- c(won[[i]], j) else won[[j]] <- c(won[[j]], i)
      }
    }
    for (s in seq_along(segs)) {
      lets[[length(lets) + 1]] <<- data.frame(case = case, correction = corr, variable = variable, row = row,
                                              segment = segs[s], letters = paste(LETTERS[sort(won[[s]])], collapse = " "))
    }
  }
}
pair_stats <- function(case, variable, row, stat, p) {
  for (k in seq_len(ncol(pairs))) {
    add(case, variable, row, stat[[1]], segs[pairs[1, k]], segs[pairs[2, k]], stat[[2]][k])
  }
}

for (case in c("unweighted", "weighted")) {
  wt_all <- if (case == "weighted") x$w else rep(1, nrow(x))
  # ---- means
  for (v in c("sat", "nps")) {
    ok <- !is.na(x[[v]])
    y <- x[[v]][ok]; g <- x$region[ok]; w <- wt_all[ok]
    m <- vv <- n <- nobs <- numeric(length(segs))
    for (s in seq_along(segs)) {
      ys <- y[g == segs[s]]; ws <- w[g == segs[s]]
      if (case == "unweighted") {
        m[s] <- mean(ys); vv[s] <- var(ys); n[s] <- length(ys)
        ci <- t.test(ys, conf.level = 0.95)$conf.int  # the t interval of the cell
        add(case, v, "mean", "ci_low", segs[s], "", ci[1])
        add(case, v, "mean", "ci_high", segs[s], "", ci[2])
      } else {
        cw <- cov.wt(matrix(ys), wt = ws / sum(ws), method = "unbiased")
        m[s] <- cw$center; vv[s] <- cw$cov[1, 1]; n[s] <- ne(ws)
      }
      nobs[s] <- length(ys)
      add(case, v, "mean", "estimate", segs[s], "", m[s])
      add(case, v, "mean", "variance", segs[s], "", vv[s])
      add(case, v, "mean", "n_obs", segs[s], "", nobs[s])
      add(case, v, "mean", "effective_n", segs[s], "", n[s])
    }
    add(case, v, "mean", "estimate", "Total", "", weighted.mean(y, w))
    add(case, v, "mean", "n_obs", "Total", "", length(y))
    add(case, v, "mean", "effective_n", "Total", "", ne(w))
    tstat <- df <- pv <- numeric(ncol(pairs))
    for (k in seq_len(ncol(pairs))) {
      i <- pairs[1, k]; j <- pairs[2, k]
      if (case == "unweighted") {
        tt <- t.test(y[g == segs[i]], y[g == segs[j]], var.equal = FALSE)
        tstat[k] <- tt$statistic; df[k] <- tt$parameter; pv[k] <- tt$p.value
      } else {  # t.test's Welch formulas with n -> n_eff
        se2i <- vv[i] / n[i]; se2j <- vv[j] / n[j]
        tstat[k] <- (m[i] - m[j]) / sqrt(se2i + se2j)
        df[k] <- (se2i + se2j)^2 / (se2i^2 / (n[i] - 1) + se2j^2 / (n[j] - 1))
        pv[k] <- 2 * pt(-abs(tstat[k]), df[k])
      }
    }
    padj <- list(bonferroni = p.adjust(pv, "bonferroni"), holm = p.adjust(pv, "holm"), none = pv)
    pair_stats(case, v, "mean", list("statistic", tstat))
    pair_stats(case, v, "mean", list("df", df))
    pair_stats(case, v, "mean", list("p_value", pv))
    pair_stats(case, v, "mean", list("p_bonferroni", padj$bonferroni))
    pair_stats(case, v, "mean", list("p_holm", padj$holm))
    letters_of(case, v, "mean", m, padj)
    k <- length(segs)
    if (case == "unweighted") {
      welch <- oneway.test(y ~ g, var.equal = FALSE)
      classic <- oneway.test(y ~ g, var.equal = TRUE)
      wf <- c(welch$statistic, welch$parameter, welch$p.value)
      cf <- c(classic$statistic, classic$parameter, classic$p.value)
    } else {  # oneway.test's formulas with n.i -> n_eff
      wi <- n / vv; sw <- sum(wi)
      tmp <- sum((1 - wi / sw)^2 / (n - 1)) / (k^2 - 1)
      mt <- sum(wi * m) / sw
      f <- sum(wi * (m - mt)^2) / ((k - 1) * (1 + 2 * (k - 2) * tmp))
      wf <- c(f, k - 1, 1 / (3 * tmp), pf(f, k - 1, 1 / (3 * tmp), lower.tail = FALSE))
      N <- sum(n); mt <- sum(n * m) / N
      f <- (sum(n * (m - mt)^2) / (k - 1)) / (sum((n - 1) * vv) / (N - k))
      cf <- c(f, k - 1, N - k, pf(f, k - 1, N - k, lower.tail = FALSE))
    }
    for (t in list(list("welch_anova", wf), list("anova", cf))) {
      for (s in seq_along(c("statistic", "df1", "df2", "p_value"))) {
        add(case, v, t[[1]], c("statistic", "df1", "df2", "p_value")[s], "", "", t[[2]][s])
      }
      add(case, v, t[[1]], "n_obs", "", "", length(y))
    }
  }
  # ---- proportions (column percentages)
  for (pv_spec in list(c("channel", "channel"), c("sat_share", "sat"))) {
    label <- pv_spec[1]; v <- pv_spec[2]
    ok <- !is.na(x[[v]])
    y <- as.character(x[[v]][ok]); g <- x$region[ok]; w <- wt_all[ok]
    lev <- if (v == "sat") as.character(sort(unique(x[[v]][ok]))) else sort(unique(y))
    share <- matrix(0, length(lev), length(segs)); n <- nobs <- numeric(length(segs))
    for (s in seq_along(segs)) {
      in_s <- g == segs[s]
      n[s] <- ne(w[in_s]); nobs[s] <- sum(in_s)
      for (l in seq_along(lev)) share[l, s] <- sum(w[in_s & y == lev[l]]) / sum(w[in_s])
      add(case, label, "", "n_obs", segs[s], "", nobs[s])
      add(case, label, "", "effective_n", segs[s], "", n[s])
    }
    add(case, label, "", "n_obs", "Total", "", length(y))
    add(case, label, "", "effective_n", "Total", "", ne(w))
    for (l in seq_along(lev)) {
      for (s in seq_along(segs)) add(case, label, lev[l], "estimate", segs[s], "", 100 * share[l, s])
      add(case, label, lev[l], "estimate", "Total", "", 100 * sum(w[y == lev[l]]) / sum(w))
      z <- pv <- numeric(ncol(pairs))
      for (k in seq_len(ncol(pairs))) {
        i <- pairs[1, k]; j <- pairs[2, k]
        counts <- if (case == "unweighted") c(sum(y == lev[l] & g == segs[i]), sum(y == lev[l] & g == segs[j]))
                  else c(n[i] * share[l, i], n[j] * share[l, j])
        pt_ <- suppressWarnings(prop.test(counts, c(n[i], n[j]), correct = FALSE))
        z[k] <- sign(share[l, i] - share[l, j]) * sqrt(pt_$statistic); pv[k] <- pt_$p.value
      }
      padj <- list(bonferroni = p.adjust(pv, "bonferroni"), holm = p.adjust(pv, "holm"), none = pv)
      pair_stats(case, label, lev[l], list("statistic", z))
      pair_stats(case, label, lev[l], list("p_value", pv))
      pair_stats(case, label, lev[l], list("p_bonferroni", padj$bonferroni))
      pair_stats(case, label, lev[l], list("p_holm", padj$holm))
      letters_of(case, label, lev[l], share[l, ], padj)
    }
    tab <- if (case == "unweighted") table(factor(y, levels = lev), g) else sweep(share, 2, n, "*")
    cs <- suppressWarnings(chisq.test(tab, correct = FALSE))
    add(case, label, "chi_square", "statistic", "", "", cs$statistic)
    add(case, label, "chi_square", "df1", "", "", cs$parameter)
    add(case, label, "chi_square", "p_value", "", "", cs$p.value)
    add(case, label, "chi_square", "n_obs", "", "", length(y))
    add(case, label, "chi_square", "n_expected_below_5", "", "", sum(cs$expected < 5))
  }
}
out <- do.call(rbind, rows)
out$value <- sprintf("%.17g", out$value)  # full precision (write.csv keeps 15 digits)
write.csv(out, "tests/reference/data/banner_expected.csv", row.names = FALSE)
write.csv(do.call(rbind, lets), "tests/reference/data/banner_letters.csv", row.names = FALSE)
cat(R.version.string, "\n")
