# Reference values for surveykit.efa, parallel_analysis (observed eigenvalues) and the omegas
# of surveykit.reliability (R psych + GPArotation).
# Run from the repository root: Rscript tests/reference/efa.R
# Inputs: tests/reference/data/efa_*.csv (made by make_efa_input.py).
suppressMessages({library(psych); library(GPArotation)})
rows <- list()
add <- function(case, quantity, row, col, value) {
  value <- as.matrix(value)
  for (i in seq_len(nrow(value))) for (j in seq_len(ncol(value))) {
    rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity,
      row = if (is.null(row)) as.character(i) else row[i], col = if (is.null(col)) as.character(j) else col[j], value = value[i, j])
  }
}
read <- function(shape) read.csv(sprintf("tests/reference/data/efa_%s.csv", shape))
fit_case <- function(case, x, nf, method, rotation) {
  rot <- if (rotation == "none") "none" else rotation
  f <- if (method == "principal") principal(x, nf, rotate = rot) else
    suppressWarnings(fa(x, nf, fm = method, rotate = rot, warnings = FALSE))
  items <- colnames(x)
  L <- unclass(f$loadings)
  add(case, "loading", items, NULL, L)
  add(case, "communality", items, NULL, f$communality)
  vx <- if (is.null(f$Phi)) colSums(L^2) else diag(f$Phi %*% t(L) %*% L)
  add(case, "ss_loadings", NULL, NULL, t(vx))
  if (!is.null(f$Phi)) add(case, "phi", NULL, NULL, f$Phi)
  if (method != "principal") add(case, "rms", NULL, NULL, f$rms)
  xx <- na.omit(x)[1:5, ]
  sc <- factor.scores(na.omit(x), L, Phi = f$Phi, method = "Thurstone")$scores[1:5, , drop = FALSE]
  add(case, "score_regression", NULL, NULL, sc)
  sc <- factor.scores(na.omit(x), L, Phi = f$Phi, method = "Bartlett")$scores[1:5, , drop = FALSE]
  add(case, "score_bartlett", NULL, NULL, sc)
}
three <- read("three_factor")
for (method in c("minres", "ml", "principal")) for (rotation in c("none", "varimax", "promax", "oblimin"))
  fit_case(paste("three_factor", method, rotation, "listwise", sep = "/"), three, 3, method, rotation)
two <- read("two_factor_missing")
for (method in c("minres", "ml")) for (rotation in c("varimax", "oblimin")) {
  fit_case(paste("two_factor_missing", method, rotation, "listwise", sep = "/"), na.omit(two), 2, method, rotation)
  fit_case(paste("two_factor_missing", method, rotation, "pairwise", sep = "/"), two, 2, method, rotation)
}
fit_case("three_factor_one/minres/none/listwise", three[, 1:4], 1, "minres", "none")

# parallel analysis: the observed eigenvalues (components; factors of a one-factor minres fit)
for (shape in c("three_factor", "null")) {
  x <- read(shape)
  r <- cor(x)
  add(paste0("pa/", shape), "observed_pc", NULL, NULL, t(eigen(r)$values))
  add(paste0("pa/", shape), "observed_fa", NULL, NULL, t(fa(r, 1, fm = "minres", rotate = "none", warnings = FALSE)$values))
}

# omega: total from one factor, hierarchical from a Schmid-Leiman solution with 3 group factors
for (shape in c("three_factor", "bifactor")) {
  x <- read(shape)
  if (shape == "three_factor") x <- x[, 1:4]
  o1 <- suppressWarnings(suppressMessages(omega(x, nfactors = 1, plot = FALSE)))
  add(paste0("omega1/", shape), "omega_total", NULL, NULL, o1$omega.tot)
  add(paste0("omega1/", shape), "omega_h", NULL, NULL, o1$omega_h)
}
x <- read("bifactor")
o3 <- suppressWarnings(suppressMessages(omega(x, nfactors = 3, plot = FALSE)))
add("omega3/bifactor", "omega_total", NULL, NULL, o3$omega.tot)
add("omega3/bifactor", "omega_h", NULL, NULL, o3$omega_h)
add("omega3/bifactor", "g_loading", colnames(x), NULL, o3$schmid$sl[, 1])

out <- do.call(rbind, rows)
write.csv(out, "tests/reference/data/efa_expected.csv", row.names = FALSE)
cat(R.version.string, "psych", as.character(packageVersion("psych")),
    "GPArotation", as.character(packageVersion("GPArotation")), "\n")
