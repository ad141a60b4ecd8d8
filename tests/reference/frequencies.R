# Reference values for the frequencies of choice questions (surveykit.descriptives.frequencies,
# multiple_response, ranking_summary): base R table / prop.table unweighted, survey svytable /
# svymean / svytotal weighted (each over the respondents who answered the question).
# Run from the repository root: Rscript tests/reference/frequencies.R
# Input: tests/reference/data/frequencies_{hotel,panel}.csv (make_frequencies_input.py).
# Output (long form: case, stat, term, value): tests/reference/data/frequencies_expected.csv
suppressPackageStartupMessages(library(survey))
out <- list()
add <- function(case, stat, term, value) {
  out[[length(out) + 1]] <<- data.frame(case = case, stat = stat, term = as.character(term), value = value)
}
studies <- list(hotel = "tests/reference/data/frequencies_hotel.csv", panel = "tests/reference/data/frequencies_panel.csv")
for (study in names(studies)) {
  x <- read.csv(studies[[study]], stringsAsFactors = FALSE, check.names = FALSE)
  if (!"weight" %in% names(x)) x$weight <- 1
  weighted <- study == "panel"
  des <- svydesign(ids = ~1, weights = ~weight, data = x)
  groups <- unique(sub("_[0-9]+$", "", names(x)[names(x) != "weight"]))
  for (g in groups) {
    cols <- grep(paste0("^", g, "_[0-9]+$"), names(x), value = TRUE)
    case <- paste(study, g, sep = "_")
    if (length(cols) == 0) {  # single choice: a factor
      v <- x[[g]]
      tab <- table(v)  # unweighted counts
      add(case, "count", names(tab), as.numeric(tab))
      add(case, "share_unweighted", names(tab), as.numeric(prop.table(tab)))
      if (weighted) {
        wt <- svytable(as.formula(paste0("~`", g, "`")), subset(des, !is.na(v)))
        add(case, "share", names(wt), as.numeric(prop.table(wt)))
        m <- svymean(as.formula(paste0("~factor(`", g, "`)")), subset(des, !is.na(v)))
        add(case, "share_svymean", sub(".*\\)", "", names(coef(m))), as.numeric(coef(m)))
      }
      next
    }
    codes <- sub(".*_", "", cols)
    answered <- rowSums(!is.na(x[cols])) > 0
    d <- subset(des, answered)
    if (all(unlist(x[cols]) %in% c(0, 1, NA))) {  # multiple choice: 0/1 per option
      add(case, "count", codes, colSums(x[answered, cols] == 1))
      f <- as.formula(paste("~", paste0("`", cols, "`", collapse = " + ")))
      add(case, "share_respondents", codes, as.numeric(coef(svymean(f, d))))
      tot <- as.numeric(coef(svytotal(f, d)))
      add(case, "share_responses", codes, tot / sum(tot))
      add(case, "n_obs", "", sum(answered))
    } else {  # ranking: the rank given to each option
      add(case, "count", codes, colSums(!is.na(x[answered, cols])))
      mr <- sapply(cols, function(cl) coef(svymean(as.formula(paste0("~`", cl, "`")), subset(d, !is.na(x[answered, cl])))))
      add(case, "mean_rank", codes, as.numeric(mr))
      first <- sapply(cols, function(cl) {
        x1 <- as.numeric(!is.na(x[[cl]]) & x[[cl]] == 1)
        coef(svymean(~x1, update(d, x1 = x1[answered])))
      })
      add(case, "first_share", codes, as.numeric(first))
      if (!weighted) add(case, "mean_rank_base", codes, colMeans(x[answered, cols], na.rm = TRUE))
    }
  }
}
write.csv(do.call(rbind, out), "tests/reference/data/frequencies_expected.csv", row.names = FALSE)
cat(R.version.string, "survey", as.character(packageVersion("survey")), "\n")
