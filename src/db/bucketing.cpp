#include "db/bucketing.h"

#include "core/localdate.h"

namespace rollup {

namespace {

QString timestampText(SysSeconds t)
{
    return formatUtcMicros(SysMicros{t});
}

} // namespace

Bucketing bucketingOf(const QList<DayWindow> &windows)
{
    Bucketing b;
    if (windows.isEmpty()) {
        b.lo = b.hi = QStringLiteral("epoch");
        return b;
    }
    b.shift = DayWindows::commonShift(windows);
    b.lo = timestampText(windows.first().start);
    b.hi = timestampText(windows.last().end);
    if (b.shift)
        return b;
    for (const DayWindow &w : windows) {
        const QString start = timestampText(w.start);
        if (b.bounds.isEmpty()) {
            b.bounds << start;
        } else if (b.bounds.last() != start) {
            b.dates << QStringLiteral("NULL"); // gap bucket between non-contiguous windows
            b.bounds << start;
        }
        b.dates << formatLocalDate(w.day);
        b.bounds << timestampText(w.end);
    }
    b.lo = b.bounds.first();
    b.hi = b.bounds.last();
    return b;
}

} // namespace rollup
