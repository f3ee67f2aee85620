#pragma once

#include <QtGlobal>

namespace rollup {

// Chatwoot's accounts.feature_flags is a FlagShihTzu bit field: the i-th entry of features.yml
// is bit 1 << i. `report_rollup` gates the rollup READ path only (docs/rollups.md §1.4); it
// reclaimed mobile_v2's slot 20, bit 19. Forks reorder features.yml, so the bit is a setting.
namespace FeatureBits {
constexpr int kDefaultReportRollupBit = 19;
constexpr bool valid(int bit)
{
    return bit >= 0 && bit <= 62;
}
constexpr qint64 mask(int bit)
{
    return qint64(1) << bit;
}
constexpr bool isSet(qint64 flags, int bit)
{
    return (flags & mask(bit)) != 0;
}
} // namespace FeatureBits

} // namespace rollup
