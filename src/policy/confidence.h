// How sure the crowd is of an indicator's verdict, from 0 to 100:
//
//   confidence = round(100 x S x V x F)
//   S = (w - 1/2) / (1/2)        w: the verdict's share of the counted weight
//                                (0 at an even split, 1 when unanimous)
//   V = 1 - 2^(-n / min_votes)   n: the distinct voters counted on any side
//                                (1/2 at policy.min_votes, 3/4 at twice that)
//   F = 2^(-a / 30 days)         a: the age of the last vote at the run
//                                (halves every 30 days without a vote)
//
// The CSV and JSON feeds and the indicator pages carry it; the same tally
// at the same hour always gives the same number.
#pragma once

#include "config/settings.h"
#include "indicator/verdict.h"
#include "util/time.h"
#include "votes/tally.h"

namespace crowdfeed {

int confidence(const Policy& policy, const Tally& tally, Verdict verdict, TimePoint at);

}  // namespace crowdfeed
