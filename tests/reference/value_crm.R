# Reference values for surveykit.value (prepare_transactions, rfm, abc, clv, repurchase_rate,
# conversion_rate, profit_contribution), computed independently in base R.
# Run from the repository root: Rscript tests/reference/value_crm.R
# Input: tests/reference/data/value_crm_input.csv and value_crm_prospects.csv (made by
# make_value_crm_input.py). Output (tests/reference/data/), numbers with 17 significant digits:
#   value_crm_audit_expected.csv      rows per reason of the cleaning
#   value_crm_customers_expected.csv  per customer: R, F, M, profit, scores, layer (bases 'orders', 'days')
#   value_crm_abc_expected.csv        per customer: ABC share, cumulative share, rank, class (monetary, profit)
#   value_crm_clv_expected.csv        per customer: annual revenue / margin, active, CLV both forms (cost, margin)
#   value_crm_profit_expected.csv     per customer: profit contribution since 2024-07-01
#   value_crm_expected.csv            everything else, long: case, stat, level, value
as_of <- as.Date("2025-06-30")
x <- read.csv("tests/reference/data/value_crm_input.csv", colClasses = "character", strip.white = FALSE)
prospects <- read.csv("tests/reference/data/value_crm_prospects.csv", colClasses = "character")
n <- nrow(x)
f17 <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", as.numeric(v)))
long <- list()
add <- function(case, stat, level, value) {
  long[[length(long) + 1]] <<- data.frame(case = case, stat = stat, level = as.character(level), value = f17(value))
}

# ---- cleaning: each row gets the first reason that applies ------------------------------------
blank <- function(v) is.na(v) | trimws(v) == ""
d <- as.Date(x$date, format = "%Y-%m-%d")
amt <- suppressWarnings(as.numeric(x$amount))
cst <- suppressWarnings(as.numeric(x$cost))
reason <- rep(NA_character_, n)
set <- function(mask, r) { mask <- mask & !is.na(mask); reason[is.na(reason) & mask] <<- r }
set(blank(x$customer_id), "missing_customer")
set(blank(x$date), "missing_date")
set(is.na(d), "unparseable_date")
set(d > as_of, "future_date")
set(blank(x$amount), "missing_amount")
set(is.na(amt) | is.infinite(amt), "non_numeric_amount")
set(blank(x$cost), "missing_cost")
set(is.na(cst) | is.infinite(cst), "non_numeric_cost")
valid <- which(is.na(reason))
reason[valid[duplicated(x[valid, ])]] <- "duplicate_row"  # every column equal to an earlier valid row
set(amt == 0, "zero_amount")
set(amt < 0, "negative_amount")
reasons <- c("missing_customer", "missing_date", "unparseable_date", "future_date", "missing_amount",
             "non_numeric_amount", "missing_cost", "non_numeric_cost", "duplicate_row", "zero_amount",
             "negative_amount")
audit <- data.frame(reason = reasons, count = sapply(reasons, function(r) sum(reason == r, na.rm = TRUE)))
audit <- rbind(audit, data.frame(reason = c("rows_read", "rows_used"),
                                 count = c(n, sum(is.na(reason) | reason == "negative_amount"))))
write.csv(audit, "tests/reference/data/value_crm_audit_expected.csv", row.names = FALSE)

used <- is.na(reason) | reason == "negative_amount"  # returns are netted
u <- data.frame(cust = trimws(x$customer_id[used]), day = d[used], amt = amt[used], cst = cst[used],
                stringsAsFactors = FALSE)
customers <- sort(unique(u$cust), method = "radix")
cf <- function(v) factor(v, levels = customers)
first_day <- min(u$day)

# ---- RFM ------------------------------------------------------------------------------------------
# quintile score: as cut(x, quantile(x, 0:5/5), include.lowest = TRUE); boundaries that coincide
# leave empty classes, findInterval(left.open = TRUE) counts the boundaries below each value
score <- function(v, bins = 5) {
  q <- quantile(v, (0:bins) / bins, type = 7, names = FALSE)
  s <- findInterval(v, q[2:bins], left.open = TRUE) + 1L
  if (!anyDuplicated(q)) stopifnot(identical(s, as.integer(cut(v, q, include.lowest = TRUE, labels = FALSE))))
  list(score = s, breaks = q[2:bins])
}
pur <- u[u$amt > 0, ]
pur$ago <- as.numeric(as_of - pur$day)
# money totals per customer rounded to 8 decimals, as surveykit (equal totals tie whatever the summation order)
money <- function(v) round(v, 8)
monetary <- money(as.numeric(tapply(u$amt, cf(u$cust), sum)))
profit <- money(as.numeric(tapply(u$amt - u$cst, cf(u$cust), sum)))
returns <- as.numeric(table(cf(u$cust[u$amt < 0])))
recency <- as.numeric(tapply(pur$ago, cf(pur$cust), min))
first_ago <- as.numeric(tapply(pur$ago, cf(pur$cust), max))
cust_rows <- list()
for (basis in c("orders", "days")) {
  occ <- if (basis == "orders") pur else unique(pur[, c("cust", "day", "ago")])
  freq <- as.numeric(table(cf(occ$cust)))
  earlier <- as.numeric(table(cf(occ$cust[occ$ago >= 45])))
  bought <- freq > 0
  r <- score(recency[bought]); f <- score(freq[bought]); m <- score(monetary[bought])
  rs <- fs <- ms <- rep(NA_integer_, length(customers))
  rs[bought] <- 6L - r$score; fs[bought] <- f$score; ms[bought] <- m$score
  for (k in 1:4) {
    add(paste0("breaks_", basis), "recency_days", k, r$breaks[k])
    add(paste0("breaks_", basis), "frequency", k, f$breaks[k])
    add(paste0("breaks_", basis), "monetary", k, m$breaks[k])
  }
  layer <- ifelse(!bought, "returns_only",
           ifelse(freq == 1 & recency < 45, "new",
           ifelse(earlier >= 2 & recency < 45, "active",
           ifelse(recency >= 90 & recency < 180, "high_recovery",
           ifelse(recency >= 180 & recency < 360, "low_recovery",
           ifelse(recency < 45, "developing",
           ifelse(recency < 90, "lapsing",
           ifelse(recency < 180, "dormant", "lost"))))))))
  cust_rows[[basis]] <- data.frame(basis = basis, customer_id = customers, recency_days = recency, frequency = freq,
                                   monetary = f17(monetary), profit = f17(profit), returns = returns,
                                   first_purchase = format(as_of - first_ago), last_purchase = format(as_of - recency),
                                   r_score = rs, f_score = fs, m_score = ms, layer = layer)
  for (l in unique(layer)) {
    add(paste0("layers_", basis), "customers", l, sum(layer == l))
    add(paste0("layers_", basis), "revenue", l, sum(monetary[layer == l]))
    add(paste0("layers_", basis), "profit", l, sum(profit[layer == l]))
  }
}
write.csv(do.call(rbind, cust_rows), "tests/reference/data/value_crm_customers_expected.csv", row.names = FALSE,
          na = "")

# ---- ABC --------------------------------------------------------------------------------------------
abc <- function(v, a = 0.8, b = 0.15) {
  o <- order(-v, method = "radix")  # stable: ties keep the input order
  sv <- v[o]
  P <- sum(v[v > 0])
  cum <- cumsum(sv) / P
  prev <- c(0, head(cum, -1))
  first <- c(TRUE, sv[-1] != sv[-length(sv)])
  gs <- cummax(ifelse(first, seq_along(sv), 0L))  # first position of each run of equal values
  before <- prev[gs]
  eps <- 1e-12  # a share within 1e-12 of a boundary is on it (95/100 is not below 0.8 + 0.15)
  cls <- ifelse(sv > 0 & before < a - eps, "A", ifelse(sv > 0 & before < a + b - eps, "B", "C"))
  out <- data.frame(share = v / P, cumulative_share = NA_real_, rank = NA_integer_, class = NA_character_)
  out$cumulative_share[o] <- cum
  out$rank[o] <- gs
  out$class[o] <- cls
  stopifnot(all(out$rank == rank(-v, ties.method = "min")))
  out
}
abc_rows <- list()
for (v in c("monetary", "profit")) {
  vals <- get(v)
  res <- abc(vals)
  abc_rows[[v]] <- data.frame(variable = v, customer_id = customers, share = f17(res$share),
                              cumulative_share = f17(res$cumulative_share), rank = res$rank, class = res$class)
  for (k in c("A", "B", "C")) {
    add(paste0("abc_", v), "customers", k, sum(res$class == k))
    add(paste0("abc_", v), "value", k, sum(vals[res$class == k]))
  }
}
res <- abc(monetary, 0.7, 0.2)
for (k in c("A", "B", "C")) add("abc_monetary_70_20", "customers", k, sum(res$class == k))
write.csv(do.call(rbind, abc_rows), "tests/reference/data/value_crm_abc_expected.csv", row.names = FALSE)

# ---- annual (and quarterly) periods ending at as_of ------------------------------------------------
period_starts <- function(months) {
  s <- as.Date(character(0)); k <- 1
  repeat {
    st <- seq(as_of + 1, by = paste0("-", months * k, " months"), length.out = 2)[2]
    s <- c(st, s)
    if (st <= first_day) break
    k <- k + 1
  }
  s
}

# ---- CLV ----------------------------------------------------------------------------------------------
starts <- period_starts(12)
K <- length(starts)
complete <- starts >= first_day
per_all <- findInterval(as.numeric(u$day), as.numeric(starts))
per_pur <- findInterval(as.numeric(pur$day), as.numeric(starts))
active <- table(cf(pur$cust), factor(per_pur, levels = 1:K)) > 0
seen <- table(cf(u$cust), factor(per_all, levels = 1:K)) > 0
years_observed <- K - apply(seen, 1, function(s) min(which(s))) + 1
retention_of <- function(rows) {
  ret <- 0; risk <- 0
  for (t in 2:K) if (complete[t - 1]) {
    prev <- active[rows, t - 1]; nxt <- active[rows, t]
    ret <- ret + sum(prev & nxt); risk <- risk + sum(prev)
  }
  c(ret, risk)
}
rr <- retention_of(seq_along(customers))
r <- rr[1] / rr[2]
add("clv", "retention", "", r)
add("clv", "years", "", 1 / (1 - r))
for (t in 2:K) {
  add("clv_pairs", "customers_prior", t - 1, sum(active[, t - 1]))
  add("clv_pairs", "retained", t - 1, sum(active[, t - 1] & active[, t]))
}
seg_of <- setNames(prospects$segment, prospects$customer_id)
segment <- unname(seg_of[customers])
segment[is.na(segment)] <- "(no segment)"
clv_rows <- list()
for (case in c("cost", "margin", "given")) {
  revenue <- monetary
  costs <- money(as.numeric(tapply(if (case == "margin") (1 - 0.3) * u$amt else u$cst, cf(u$cust), sum)))
  rc <- if (case == "given") 0.6 else r
  yrs <- if (case == "given") 4 else 1 / (1 - rc)
  disc <- if (case == "given") 0.05 else 0.1
  ar <- revenue / years_observed
  ac <- costs / years_observed
  am <- ar - ac
  act <- active[, K]
  simple <- am * yrs
  retf <- ifelse(act, am * rc / (1 + disc - rc), 0)
  clv_rows[[case]] <- data.frame(case = case, customer_id = customers, years_observed = years_observed,
                                 annual_revenue = f17(ar), annual_cost = f17(ac), annual_margin = f17(am),
                                 active = act, clv_simple = f17(simple), clv_retention = f17(retf))
  if (case == "cost") {
    for (s in sort(unique(segment))) {
      rows <- which(segment == s)
      sr <- retention_of(rows)
      add("clv_segment", "customers", s, length(rows))
      add("clv_segment", "active_customers", s, sum(act[rows]))
      add("clv_segment", "retention", s, sr[1] / sr[2])
      add("clv_segment", "annual_margin", s, mean(am[rows]))
      add("clv_segment", "clv_simple", s, mean(simple[rows]))
      add("clv_segment", "clv_retention", s, mean(retf[rows]))
      add("clv_segment", "clv_retention_total", s, sum(retf[rows]))
      add("clv_segment", "clv_retention_share", s, sum(retf[rows]) / sum(retf))
    }
  }
}
write.csv(do.call(rbind, clv_rows), "tests/reference/data/value_crm_clv_expected.csv", row.names = FALSE)

# ---- repurchase rate ---------------------------------------------------------------------------------
for (basis in c("orders", "days")) {
  occ <- if (basis == "orders") pur else unique(pur[, c("cust", "day", "ago")])
  cnt <- as.numeric(table(cf(occ$cust)))
  b <- cnt > 0
  add(paste0("repurchase_", basis), "rate", "", mean(cnt[b] >= 2))
  add(paste0("repurchase_", basis), "customers", "", sum(b))
  for (s in sort(unique(segment))) add(paste0("repurchase_", basis, "_segment"), "rate", s,
                                       mean(cnt[b & segment == s] >= 2))
  since <- occ[occ$day >= as.Date("2024-07-01"), ]
  cs <- as.numeric(table(cf(since$cust)))
  add(paste0("repurchase_", basis, "_since"), "rate", "", mean(cs[cs > 0] >= 2))
  add(paste0("repurchase_", basis, "_since"), "customers", "", sum(cs > 0))
  for (pl in c("year", "quarter")) {
    st <- period_starts(if (pl == "year") 12 else 3)
    p <- findInterval(as.numeric(occ$day), as.numeric(st))
    tab <- table(cf(occ$cust), factor(p, levels = seq_along(st)))
    for (k in seq_along(st)) {
      add(paste0("repurchase_", basis, "_", pl), "customers", format(st[k]), sum(tab[, k] >= 1))
      add(paste0("repurchase_", basis, "_", pl), "rate", format(st[k]), mean(tab[tab[, k] >= 1, k] >= 2))
    }
  }
}

# ---- conversion ---------------------------------------------------------------------------------------
buyers <- customers[as.numeric(table(cf(pur$cust))) > 0]
listed <- unique(prospects$customer_id)
conv <- listed %in% buyers
add("conversion", "rate", "", mean(conv))
add("conversion", "converted", "", sum(conv))
add("conversion", "unlisted_buyers", "", sum(!buyers %in% listed))
seg_l <- prospects$segment[match(listed, prospects$customer_id)]
for (s in sort(unique(seg_l))) add("conversion_segment", "rate", s, mean(conv[seg_l == s]))
since_pur <- pur[pur$day >= as.Date("2025-01-01"), ]
add("conversion_since", "rate", "", mean(listed %in% since_pur$cust))

# ---- profit contribution since 2024-07-01 -------------------------------------------------------------
w <- u[u$day >= as.Date("2024-07-01"), ]
wc <- sort(unique(w$cust), method = "radix")
rev_w <- money(as.numeric(tapply(w$amt, factor(w$cust, wc), sum)))
cost_w <- money(as.numeric(tapply(w$cst, factor(w$cust, wc), sum)))
prof_w <- money(rev_w - cost_w)
write.csv(data.frame(customer_id = wc, revenue = f17(rev_w), cost = f17(cost_w), profit = f17(prof_w),
                     profit_share = f17(prof_w / sum(prof_w))),
          "tests/reference/data/value_crm_profit_expected.csv", row.names = FALSE)
seg_w <- unname(seg_of[wc]); seg_w[is.na(seg_w)] <- "(no segment)"
for (s in sort(unique(seg_w))) {
  add("profit_segment", "profit", s, sum(prof_w[seg_w == s]))
  add("profit_segment", "profit_share", s, sum(prof_w[seg_w == s]) / sum(prof_w))
  add("profit_segment", "customers", s, sum(seg_w == s))
}

write.csv(do.call(rbind, long), "tests/reference/data/value_crm_expected.csv", row.names = FALSE)
cat(R.version.string, "\n")
