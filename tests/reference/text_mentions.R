# Reference values for surveykit.text.survey.survey_themes: respondents who mention a theme
# against those who do not, on the satisfaction index (0-100) and on the NPS.
# Run from the repository root: Rscript tests/reference/text_mentions.R
# Input: tests/reference/data/text_mentions_input.csv (made by make_text_mentions_input.py); the
# mentions are its truth columns (any_<theme>, neg_<theme>, status), not a coding done here.
# Output: tests/reference/data/text_mentions_expected.csv, long format:
#   case (unweighted / weighted), theme, polarity (any / plain / negated), measure
#   (satisfaction_index / nps), stat, value.
#
# Groups, among respondents with a substantive comment and an answer to the measure:
#   any: mention the theme; plain: mention it, never negated; negated: mention it negated at
#   least once; each against the respondents who do not mention the theme at all.
# Satisfaction index: the mean of the three 1-5 items rescaled to 0-100, missing unless all
#   three are answered (surveykit.composite_index).
#   unweighted: Welch's t test, t.test(mentioners, others) (var.equal = FALSE);
#   weighted: svyttest(y ~ mention, svydesign(ids = ~1, weights = ~w, data = compared)).
#   Group means: svymean of each group on its own design, normal (Wald) interval.
# NPS: r = 100 (9-10), 0 (7-8), -100 (0-6); each group's NPS and SE are svymean(~r) on the
#   group's own design (surveykit.nps); difference tested by z = d / sqrt(se1^2 + se0^2).
suppressPackageStartupMessages(library(survey))
x <- read.csv("tests/reference/data/text_mentions_input.csv", stringsAsFactors = FALSE, encoding = "UTF-8")
x$one <- 1
items <- x[, c("sat_1", "sat_2", "sat_3")]
x$satisfaction_index <- rowMeans(100 * (items - 1) / 4)  # NA unless every item is answered
x$nps <- ifelse(is.na(x$rec), NA, ifelse(x$rec >= 9, 100, ifelse(x$rec <= 6, -100, 0)))
themes <- c("price", "quality", "service", "logistics", "packaging")
rows <- list()
add <- function(case, theme, polarity, measure, stat, value) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, theme = theme, polarity = polarity, measure = measure,
                                          stat = stat, value = as.numeric(value))
}
group_mean <- function(d, wcol) {
  des <- svydesign(ids = ~1, weights = as.formula(paste0("~", wcol)), data = d)
  m <- svymean(~y, des)
  ci <- confint(m)
  c(estimate = unname(coef(m)), se = unname(SE(m)), ci_low = ci[1, 1], ci_high = ci[1, 2], n = nrow(d))
}
for (case in c("unweighted", "weighted")) {
  wcol <- if (case == "weighted") "w" else "one"
  for (theme in themes) {
    any <- x[[paste0("any_", theme)]] == 1
    neg <- x[[paste0("neg_", theme)]] == 1
    groups <- list(any = any, plain = any & !neg, negated = neg)
    for (polarity in names(groups)) {
      for (measure in c("satisfaction_index", "nps")) {
        ok <- x$status == "substantive" & !is.na(x[[measure]])
        d <- x[ok & (groups[[polarity]] | !any), ]
        d$y <- d[[measure]]
        d$g <- groups[[polarity]][ok & (groups[[polarity]] | !any)]
        m1 <- group_mean(d[d$g, ], wcol)
        m0 <- group_mean(d[!d$g, ], wcol)
        for (s in names(m1)) {
          add(case, theme, polarity, measure, paste0("mentioners_", s), m1[[s]])
          add(case, theme, polarity, measure, paste0("non_mentioners_", s), m0[[s]])
        }
        if (measure == "satisfaction_index" && case == "unweighted") {
          tt <- t.test(d$y[d$g], d$y[!d$g], var.equal = FALSE)
          diff <- unname(tt$estimate[1] - tt$estimate[2])
          res <- c(difference = diff, se = tt$stderr, statistic = unname(tt$statistic), df = unname(tt$parameter),
                   p_value = tt$p.value, ci_low = tt$conf.int[1], ci_high = tt$conf.int[2])
        } else if (measure == "satisfaction_index") {
          des <- svydesign(ids = ~1, weights = ~w, data = d)
          tt <- svyttest(y ~ g, des)
          res <- c(difference = unname(tt$estimate), se = unname(tt$estimate / tt$statistic),
                   statistic = unname(tt$statistic), df = unname(tt$parameter), p_value = unname(tt$p.value),
                   ci_low = unname(tt$conf.int[1]), ci_high = unname(tt$conf.int[2]))
        } else {
          diff <- m1[["estimate"]] - m0[["estimate"]]
          se <- sqrt(m1[["se"]]^2 + m0[["se"]]^2)
          z <- diff / se
          res <- c(difference = diff, se = se, statistic = z, p_value = 2 * pnorm(-abs(z)),
                   ci_low = diff - qnorm(0.975) * se, ci_high = diff + qnorm(0.975) * se)
        }
        for (s in names(res)) add(case, theme, polarity, measure, s, res[[s]])
      }
    }
  }
}
out <- do.call(rbind, rows)
out$value <- sprintf("%.17g", out$value)  # full precision (write.csv keeps 15 digits)
write.csv(out, "tests/reference/data/text_mentions_expected.csv", row.names = FALSE, fileEncoding = "UTF-8")
cat(R.version.string, "survey", as.character(packageVersion("survey")), "\n")
