#include "ui/readpathsettings.h"

#include "core/featurebits.h"

#include <QSettings>

namespace rollup {

int ReadPathSettings::reportRollupBit()
{
    bool ok = false;
    const int bit = QSettings().value(QLatin1String(kReportRollupBitKey), FeatureBits::kDefaultReportRollupBit).toInt(&ok);
    return ok && FeatureBits::valid(bit) ? bit : FeatureBits::kDefaultReportRollupBit;
}

void ReadPathSettings::setReportRollupBit(int bit)
{
    QSettings().setValue(QLatin1String(kReportRollupBitKey), bit);
}

} // namespace rollup
