# Reference values of the variance inflation factors (VIF) and tolerances that surveykit puts on
# every driver model: key_drivers (all methods share them; unweighted and with survey weights)
# and the low/high dummies of penalty_reward. Two ways that must agree: car::vif on the lm, and
# the definition 1 / (1 - R²_j) from lm of each driver on the others (weighted with the weights).
# Run from the repository root: Rscript tests/reference/vif.R
# Input: tests/reference/data/drivers_input.csv (made by make_drivers_input.py).
# Output: tests/reference/data/vif_expected.csv, long format: case, stat, term, value.
suppressPackageStartupMessages(library(car))
x <- read.csv("tests/reference/data/drivers_input.csv")
drivers <- c("quality", "service", "price", "delivery", "support")
d <- x[complete.cases(x[, c("overall", drivers)]), ]  # listwise, as key_drivers
rows <- list()
add <- function(case, stat, v) {
  for (t in names(v)) rows[[length(rows) + 1]] <<- data.frame(case = case, stat = stat, term = t, value = v[[t]])
}
by_definition <- function(data, terms, w) {
  sapply(terms, function(j) {
    fit <- lm(reformulate(setdiff(terms, j), response = j), data = data, weights = w)
    1 / (1 - summary(fit)$r.squared)
  })
}

# ---- key_drivers: overall on the five drivers ------------------------------------------------
form <- reformulate(drivers, response = "overall")
for (wt in c("unweighted", "weighted")) {
  w <- if (wt == "weighted") d$weight else rep(1, nrow(d))
  fit <- lm(form, data = d, weights = w)
  v_car <- car::vif(fit)
  v_def <- by_definition(d, drivers, w)
  stopifnot(max(abs(v_car - v_def)) < 1e-10)
  add(paste0("drivers_", wt), "vif", v_car)
  add(paste0("drivers_", wt), "tolerance", 1 / v_car)
}

# ---- penalty_reward: low (rating <= 2) and high (rating >= 6) dummies of each driver ---------
p <- data.frame(overall = d$overall)
for (a in drivers) {
  p[[paste0(a, "_low")]] <- as.numeric(d[[a]] <= 2)
  p[[paste0(a, "_high")]] <- as.numeric(d[[a]] >= 6)
}
dummies <- setdiff(names(p), "overall")
fit <- lm(reformulate(dummies, response = "overall"), data = p)
v_car <- car::vif(fit)
stopifnot(max(abs(v_car - by_definition(p, dummies, rep(1, nrow(p))))) < 1e-10)
add("penalty_reward", "vif", v_car)

out <- do.call(rbind, rows)
write.csv(out, "tests/reference/data/vif_expected.csv", row.names = FALSE)
cat("wrote", nrow(out), "rows\n")
