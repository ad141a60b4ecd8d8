# Reference values for surveykit.value.survey.link_survey (a survey linked to the customers' value),
# computed independently in base R.
# Run from the repository root: Rscript tests/reference/value_link.R
# Input: tests/reference/data/value_link_transactions.csv and value_link_survey.csv (made by
# make_value_link_input.py). Output (tests/reference/data/), numbers with 17 significant digits:
#   value_link_expected.csv     long: case (unweighted / weighted), segment (layer / abc_class),
#                               measure, level, stat, value: means and n by level, Welch and classic
#                               one-way ANOVA (oneway.test), Pearson chi-square of the NPS groups
#                               (chisq.test(correct = FALSE)), the accounting of the join
#   value_link_respondents_expected.csv  per respondent: status, layer, ABC class, profit, indices,
#                               NPS group, save-list membership and position
# Layers: the rules of DOMAIN.md section 3 with the default windows (as value_crm.R), orders basis.
# ABC classes by profit, shares 0.8 / 0.15 / 0.05 (as value_crm.R). Indices: each item rescaled to
# 0-100 by its scale's end points, equal weights, respondents who answered every item; loyalty =
# r1, r2 (1-5) and rec (0-10). NPS compared as the mean of 100 / 0 / -100. A level enters the tests
# of a measure when it has 2 or more answers. Weighted case: weighted.mean per level (the tests of
# the weighted banner are checked against R in banner.R).
as_of <- as.Date("2025-12-31")
x <- read.csv("tests/reference/data/value_link_transactions.csv", colClasses = "character")
sv <- read.csv("tests/reference/data/value_link_survey.csv", colClasses = c(cust = "character", comment = "character"),
               strip.white = FALSE)
f17 <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", as.numeric(v)))
long <- list()
add <- function(case, segment, measure, level, stat, value) {
  long[[length(long) + 1]] <<- data.frame(case = case, segment = segment, measure = measure,
                                          level = as.character(level), stat = stat, value = f17(value))
}

# ---- transactions: future dates, zero amounts and exact duplicates excluded, returns netted -------
d <- as.Date(x$date)
amt <- as.numeric(x$amount); cst <- as.numeric(x$cost)
n <- nrow(x)
reason <- rep(NA_character_, n)
reason[d > as_of] <- "future_date"
valid <- which(is.na(reason))
reason[valid[duplicated(x[valid, ])]] <- "duplicate_row"
reason[is.na(reason) & amt == 0] <- "zero_amount"
used <- is.na(reason) | amt < 0
u <- data.frame(cust = x$customer_id[used], day = d[used], amt = amt[used], cst = cst[used])
customers <- sort(unique(u$cust), method = "radix")
cf <- function(v) factor(v, levels = customers)
excluded_only <- setdiff(unique(x$customer_id), customers)
money <- function(v) round(v, 8)
pur <- u[u$amt > 0, ]
pur$ago <- as.numeric(as_of - pur$day)
profit <- money(as.numeric(tapply(u$amt - u$cst, cf(u$cust), sum)))
recency <- as.numeric(tapply(pur$ago, cf(pur$cust), min))
freq <- as.numeric(table(cf(pur$cust)))
earlier <- as.numeric(table(cf(pur$cust[pur$ago >= 45])))
bought <- freq > 0
layer <- ifelse(!bought, "returns_only",
         ifelse(freq == 1 & recency < 45, "new",
         ifelse(earlier >= 2 & recency < 45, "active",
         ifelse(recency >= 90 & recency < 180, "high_recovery",
         ifelse(recency >= 180 & recency < 360, "low_recovery",
         ifelse(recency < 45, "developing",
         ifelse(recency < 90, "lapsing",
         ifelse(recency < 180, "dormant", "lost"))))))))
abc <- function(v, a = 0.8, b = 0.15) {
  o <- order(-v, method = "radix")
  sv <- v[o]
  cum <- cumsum(sv) / sum(v[v > 0])
  prev <- c(0, head(cum, -1))
  first <- c(TRUE, sv[-1] != sv[-length(sv)])
  gs <- cummax(ifelse(first, seq_along(sv), 0L))
  before <- prev[gs]
  eps <- 1e-12
  cls <- ifelse(sv > 0 & before < a - eps, "A", ifelse(sv > 0 & before < a + b - eps, "B", "C"))
  out <- character(length(v)); out[o] <- cls
  out
}
klass <- abc(profit)

# ---- the survey, joined by customer id (surrounding white space removed, blank = no id) ----------
id <- trimws(sv$cust)
id[id == ""] <- NA
at <- match(id, customers)
status <- ifelse(!is.na(at), "linked", ifelse(is.na(id), "no_customer_id",
                 ifelse(id %in% excluded_only, "excluded_transactions", "no_transactions")))
idx <- function(items, lo, hi) {
  m <- sweep(sweep(as.matrix(sv[, items]), 2, lo), 2, hi - lo, "/") * 100
  ifelse(complete.cases(m), rowMeans(m), NA)
}
sat <- idx(c("s1", "s2", "s3"), 1, 5)
loy <- idx(c("r1", "r2", "rec"), c(1, 1, 0), c(5, 5, 10))
val <- idx(c("v1", "v2"), 1, 5)
npsr <- ifelse(is.na(sv$rec), NA, ifelse(sv$rec >= 9, 100, ifelse(sv$rec >= 7, 0, -100)))
grp <- ifelse(is.na(sv$rec), NA, ifelse(sv$rec >= 9, "promoter", ifelse(sv$rec >= 7, "passive", "detractor")))
lay <- layer[at]; cls <- klass[at]; prof <- profit[at]

for (s in c("linked", "no_customer_id", "excluded_transactions", "no_transactions")) {
  add("accounting", "", "", s, "count", sum(status == s))
}
add("accounting", "", "", "customers", "count", length(customers))
add("accounting", "", "", "customers_not_surveyed", "count", length(setdiff(customers, id)))

L <- status == "linked"
measures <- list(satisfaction_index = sat, loyalty_index = loy, value_index = val, nps = npsr)
for (seg in c("layer", "abc_class")) {
  g <- if (seg == "layer") lay else cls
  for (m in names(measures)) {
    y <- measures[[m]]
    ok <- L & !is.na(y)
    yy <- y[ok]; gg <- g[ok]; ww <- sv$w[ok]
    for (lv in sort(unique(gg))) {
      add("unweighted", seg, m, lv, "estimate", mean(yy[gg == lv]))
      add("unweighted", seg, m, lv, "n_obs", sum(gg == lv))
      add("weighted", seg, m, lv, "estimate", weighted.mean(yy[gg == lv], ww[gg == lv]))
    }
    tested <- names(which(table(gg) >= 2))
    keep <- gg %in% tested
    f <- factor(gg[keep])
    welch <- oneway.test(yy[keep] ~ f, var.equal = FALSE)
    classic <- oneway.test(yy[keep] ~ f, var.equal = TRUE)
    for (t in list(list("welch_anova", welch), list("anova", classic))) {
      add("unweighted", seg, m, t[[1]], "statistic", t[[2]]$statistic)
      add("unweighted", seg, m, t[[1]], "df2", t[[2]]$parameter[2])
      add("unweighted", seg, m, t[[1]], "p_value", t[[2]]$p.value)
    }
  }
  ok <- L & !is.na(grp)
  gg <- g[ok]
  tested <- names(which(table(gg) >= 2))
  keep <- gg %in% tested
  cs <- suppressWarnings(chisq.test(table(grp[ok][keep], gg[keep]), correct = FALSE))
  add("unweighted", seg, "nps_group", "chi_square", "statistic", cs$statistic)
  add("unweighted", seg, "nps_group", "chi_square", "df1", cs$parameter)
  add("unweighted", seg, "nps_group", "chi_square", "p_value", cs$p.value)
  for (lv in sort(unique(gg))) for (k in c("detractor", "passive", "promoter")) {
    add("unweighted", seg, "nps_group", lv, k, 100 * mean(grp[ok][gg == lv] == k))
  }
}

# ---- save list: A class, satisfaction index below 60 or a detractor; by profit, highest first ----
low <- (!is.na(sat) & sat < 60) | (!is.na(grp) & grp == "detractor")
save <- L & cls %in% "A" & low
pos <- rep(NA_integer_, nrow(sv))
w <- which(save)
pos[w[order(-prof[w], method = "radix")]] <- seq_along(w)
write.csv(data.frame(id = sv$id, status = status, layer = lay, abc_class = cls, profit = f17(prof),
                     satisfaction_index = f17(sat), loyalty_index = f17(loy), value_index = f17(val), nps_group = grp,
                     save = save, save_position = pos),
          "tests/reference/data/value_link_respondents_expected.csv", row.names = FALSE, na = "")
write.csv(do.call(rbind, long), "tests/reference/data/value_link_expected.csv", row.names = FALSE)
cat(R.version.string, "\n")
