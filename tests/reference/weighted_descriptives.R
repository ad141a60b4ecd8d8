# Reference values for weighted item descriptives and the weighted sample profile
# (surveykit.describe_items(weights=...), surveykit.descriptives.profile_segments).
# Run from the repository root: Rscript tests/reference/weighted_descriptives.R
# Input: tests/reference/data/weighted_descriptives_input.csv (make_weighted_descriptives_input.py).
suppressPackageStartupMessages(library(survey))
x <- read.csv("tests/reference/data/weighted_descriptives_input.csv", stringsAsFactors = FALSE)
des <- svydesign(ids = ~1, weights = ~weight, data = x)
items <- grep("^item", names(x), value = TRUE)
rows <- lapply(items, function(it) {
  d <- subset(des, !is.na(x[[it]]))  # each item over its valid answers
  f <- as.formula(paste0("~", it))
  v <- x[[it]][!is.na(x[[it]])]
  w <- x$weight[!is.na(x[[it]])]
  tab <- svytable(as.formula(paste0("~factor(", it, ", levels = 1:5)")), d)
  p <- as.numeric(tab) / sum(tab)
  data.frame(item = it, n_obs = length(v), effective_n = sum(w)^2 / sum(w^2),
             mean = as.numeric(coef(svymean(f, d))), sd = sqrt(as.numeric(coef(svyvar(f, d)))),
             median = as.numeric(coef(svyquantile(f, d, 0.5, qrule = "math"))),
             top_box = sum(p[4:5]), bottom_box = sum(p[1:2]),
             p1 = p[1], p2 = p[2], p3 = p[3], p4 = p[4], p5 = p[5])
})
write.csv(do.call(rbind, rows), "tests/reference/data/weighted_descriptives_expected.csv", row.names = FALSE)
seg <- svytable(~segment, subset(des, !is.na(segment)))
write.csv(data.frame(level = names(seg), share = as.numeric(seg) / sum(seg),
                     count = as.numeric(table(x$segment)[names(seg)])),
          "tests/reference/data/weighted_profile_expected.csv", row.names = FALSE)
cat(R.version.string, "survey", as.character(packageVersion("survey")), "\n")
