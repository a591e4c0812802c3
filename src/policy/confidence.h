// How sure the crowd is of an indicator's verdict, from 0 to 100:
//
//   confidence = round(100 x S x V x F)
//   S = (w - 1/2) / (1/2)        w: the verdict's share of the counted weight
//                                (0 at an even split, 1 when unanimous)
//   V = 1 - 2^(-n / min_votes)   n: the distinct voters counted on any side
//                                (1/2 at policy.min_votes, 3/4 at twice that)
//   F = 2^(-a / 30 days)         a: the age of the last vote at the start
//                                of the run's UTC day (halves every 30 days
//                                without a vote)
//
// The CSV and JSON feeds and the indicator pages carry it; the same tally
// on the same day always gives the same number, so that an hour in which
// no vote changed leaves the feeds as they are, and only a new day's
// first run renders them again.
#pragma once

#include "config/settings.h"
#include "indicator/verdict.h"
#include "util/time.h"
#include "votes/tally.h"

namespace crowdfeed {

int confidence(const Policy& policy, const Tally& tally, Verdict verdict, TimePoint at);

// The time a run at `time` computes confidence at: the start of its UTC day.
TimePoint confidence_day(TimePoint time);

}  // namespace crowdfeed
