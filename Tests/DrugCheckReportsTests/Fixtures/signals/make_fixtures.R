#!/usr/bin/env Rscript
# Reference outputs for DrugCheck's EARS C1/C2/C3 and CUSUM implementations.
#
# Run from this directory:  Rscript make_fixtures.R
# Needs R with the 'surveillance' package (Debian: r-cran-surveillance; fixtures were made with
# surveillance 1.20.3 on R 4.2.2). Writes series/<name>.csv (week,count: the input) and
# expected/<name>.json (the input plus every method's upperbound/alarm, 17 significant digits).
#
# Methods and parameters (as in the issue): earsC with baseline 7, range left NULL so monitoring
# starts at the first week the method allows (C1: 8, C2: 10, C3: 12); alpha left NULL, which the
# code turns into 0.001 for C1/C2 and 0.025 for C3 ("ears_c3"); "ears_c3_alpha0.001" passes
# alpha = 0.001 explicitly. algo.cusum with k = 1.04, h = 2.26, trans "standard", m = NULL
# (= mean of weeks 1..7), range 8..n. Weeks outside the monitored range are NA, as in sts.
suppressPackageStartupMessages(library(surveillance))

dir.create("series", showWarnings = FALSE)
dir.create("expected", showWarnings = FALSE)

iso_weeks <- function(n, first = as.Date("2025-12-29")) strftime(first + 7 * (seq_len(n) - 1), "%G-W%V")

# --- synthetic series -----------------------------------------------------------------------
set.seed(20261122)
pois52 <- rpois(52, 4)
outbreak <- rpois(40, 3); outbreak[30:33] <- outbreak[30:33] + c(6, 10, 14, 9)
series <- list(
  zeros_20 = rep(0, 20),
  flat_5 = rep(5, 20),
  flat_then_spike = c(rep(3, 11), 15, rep(3, 8)),
  spikes_multi = c(2, 3, 2, 4, 3, 2, 3, 12, 3, 2, 3, 20, 2, 3, 25, 30, 3, 2, 3, 2),
  short_5 = c(1, 4, 2, 0, 3),
  short_7 = c(2, 2, 3, 1, 4, 2, 3),
  short_8 = c(2, 2, 3, 1, 4, 2, 3, 9),
  short_10 = c(2, 2, 3, 1, 4, 2, 3, 9, 1, 2),
  short_12 = c(2, 2, 3, 1, 4, 2, 3, 9, 1, 2, 12, 3),
  trend_linear = as.numeric(1:30),
  trend_exponential = round(1.15^(0:29)),
  decreasing = as.numeric(30:1),
  poisson_lambda4 = as.numeric(pois52),
  poisson_outbreak = as.numeric(outbreak),
  zeros_then_counts = c(rep(0, 12), 1, 3, 0, 5, 8, 0, 0, 2),
  first7_zero_cusum = c(rep(0, 7), 0, 1, 0, 2, 0, 0, 3, 0),
  sparse_ones = c(0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 3, 0, 0, 1, 0, 0, 0, 4, 0),
  alternating = rep(c(0, 10), 12),
  large_counts = c(1012, 987, 1043, 995, 1021, 1008, 976, 1002, 1150, 1019, 990, 1310, 1005, 998),
  step_change = c(rep(4, 10), rep(9, 10))
)
source_note <- setNames(rep("synthetic (this script)", length(series)), names(series))

# --- real series ------------------------------------------------------------------------------
# Drug Checking BC public data 2018-06..2020-11 (refdata/datasets; see refdata MANIFEST.md):
# weekly number of samples whose FTIR result lists fentanyl, all sites / Vancouver / Surrey.
bc <- read.csv("../../../../../shared/refdata/datasets/drugcheckingbc_full_data_2018-06_to_2020-11-04.csv",
               check.names = FALSE, stringsAsFactors = FALSE)
bc$week <- strftime(as.Date(bc$Date), "%G-W%V")
bc$fent <- grepl("fentanyl", bc[["FTIR Spectrometer"]], ignore.case = TRUE)
all_weeks <- strftime(seq(min(as.Date(bc$Date)) - as.POSIXlt(min(as.Date(bc$Date)))$wday + 1,
                          max(as.Date(bc$Date)), by = "week"), "%G-W%V")
weekly <- function(rows) {
  counts <- tapply(rows$fent, rows$week, sum)
  out <- setNames(rep(0, length(all_weeks)), all_weeks)
  out[names(counts)] <- counts
  out
}
bc_series <- list(
  bc_fentanyl_all = weekly(bc),
  bc_fentanyl_vancouver = weekly(bc[bc[["City/Town"]] == "Vancouver", ]),
  bc_fentanyl_surrey = weekly(bc[bc[["City/Town"]] == "Surrey", ])
)
# NYC OnPoint/NYC DOHMH drug checking dashboard data (refdata/datasets/nyc_drugchecking):
# monthly series, used here as consecutive periods.
nyc_counts <- read.csv("../../../../../shared/refdata/datasets/nyc_drugchecking/data_counts_per_month.csv")
nyc_multi <- read.csv("../../../../../shared/refdata/datasets/nyc_drugchecking/data_multipanel_positivity.csv")
labels <- list()
for (name in names(bc_series)) {
  series[[name]] <- as.numeric(bc_series[[name]]); labels[[name]] <- names(bc_series[[name]])
  source_note[[name]] <- "Drug Checking BC full data 2018-06..2020-11-04, weekly FTIR fentanyl-positive samples"
}
series$nyc_monthly_samples <- as.numeric(nyc_counts$count); labels$nyc_monthly_samples <- nyc_counts$yr_mo
source_note[["nyc_monthly_samples"]] <- "NYC drug checking data_counts_per_month.csv, samples per month"
series$nyc_monthly_xylazine <- as.numeric(nyc_multi$Total_Lab_Xyl_Pos); labels$nyc_monthly_xylazine <- nyc_multi$yr_mo
source_note[["nyc_monthly_xylazine"]] <- "NYC drug checking data_multipanel_positivity.csv, Total_Lab_Xyl_Pos"

# --- methods ----------------------------------------------------------------------------------
num <- function(x) ifelse(is.na(x), "null", sprintf("%.17g", x))
lgl <- function(x) ifelse(is.na(x), "null", ifelse(x, "true", "false"))
arr <- function(v) paste0("[", paste(v, collapse = ","), "]")

run_ears <- function(obs, method, alpha = NULL) {
  n <- length(obs)
  ub <- rep(NA_real_, n); al <- rep(NA, n)
  first <- switch(method, C1 = 8, C2 = 10, C3 = 12)
  if (n >= first) {
    control <- list(method = method, baseline = 7)
    if (!is.null(alpha)) control$alpha <- alpha
    # earsC's C3 fails when it monitors a single week (refVals[3:length(C2), ] drops to a vector);
    # the bound at week t only uses weeks <= t, so pad one week and drop it again.
    padded <- if (method == "C3" && n == first) c(obs, 0) else obs
    res <- earsC(sts(observed = padded), control = control)
    ub[first:n] <- as.vector(upperbound(res))[seq_len(n - first + 1)]
    al[first:n] <- as.vector(alarms(res))[seq_len(n - first + 1)]
  }
  list(upperbound = ub, alarm = al)
}
run_cusum <- function(obs) {
  n <- length(obs)
  ub <- rep(NA_real_, n); al <- rep(NA, n); cs <- rep(NA_real_, n)
  if (n >= 8) {
    res <- algo.cusum(sts2disProg(sts(observed = obs)),
                      control = list(range = 8:n, k = 1.04, h = 2.26, m = NULL, trans = "standard"))
    ub[8:n] <- as.vector(res$upperbound); al[8:n] <- as.logical(res$alarm); cs[8:n] <- as.vector(res$cusum)
  }
  list(upperbound = ub, alarm = al, cusum = cs)
}
method_json <- function(r) {
  parts <- c(sprintf('"upperbound":%s', arr(num(r$upperbound))), sprintf('"alarm":%s', arr(lgl(r$alarm))))
  if (!is.null(r$cusum)) parts <- c(parts, sprintf('"cusum":%s', arr(num(r$cusum))))
  paste0("{", paste(parts, collapse = ","), "}")
}

for (name in names(series)) {
  obs <- series[[name]]
  weeks <- if (!is.null(labels[[name]])) labels[[name]] else iso_weeks(length(obs))
  write.csv(data.frame(week = weeks, count = obs), file.path("series", paste0(name, ".csv")),
            row.names = FALSE, quote = FALSE)
  methods <- list(ears_c1 = run_ears(obs, "C1"), ears_c2 = run_ears(obs, "C2"),
                  ears_c3 = run_ears(obs, "C3"), `ears_c3_alpha0.001` = run_ears(obs, "C3", 0.001),
                  cusum = run_cusum(obs))
  json <- paste0('{"name":"', name, '","source":"', source_note[[name]], '",',
                 '"r":"', R.version.string, ', surveillance ', packageVersion("surveillance"), '",',
                 '"weeks":', arr(paste0('"', weeks, '"')), ',"observed":', arr(num(obs)), ',"methods":{',
                 paste(sprintf('"%s":%s', names(methods), vapply(methods, method_json, "")), collapse = ","),
                 "}}\n")
  writeLines(json, file.path("expected", paste0(name, ".json")), sep = "")
}
cat("wrote", length(series), "series\n")

# --- Wilson score intervals -------------------------------------------------------------------
# prop.test(correct = FALSE)$conf.int is the Wilson score interval (Newcombe 1998, method 3).
cases <- data.frame(x = c(81, 15, 0, 1, 0, 1, 5, 29, 5, 3, 50, 999, 1, 37, 12, 250),
                    n = c(263, 148, 20, 29, 1, 1, 5, 29, 10, 4, 100, 1000, 1000, 41, 13, 10000))
ci <- t(mapply(function(x, n) suppressWarnings(prop.test(x, n, correct = FALSE))$conf.int, cases$x, cases$n))
writeLines(c("successes,trials,lower,upper",
             sprintf("%d,%d,%s,%s", cases$x, cases$n, num(ci[, 1]), num(ci[, 2]))), "wilson_prop_test.csv")
