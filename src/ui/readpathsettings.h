#pragma once

namespace rollup {

// Which feature_flags bit the console treats as `report_rollup` (FeatureBits): the console's
// own setting (QSettings), for installations whose features.yml differs. Any thread (QSettings
// is reentrant).
class ReadPathSettings
{
public:
    static constexpr const char *kReportRollupBitKey = "readPath/reportRollupBit";
    // The stored bit; FeatureBits::kDefaultReportRollupBit when unset or outside 0..62.
    static int reportRollupBit();
    static void setReportRollupBit(int bit);
};

} // namespace rollup
