#pragma once

#include <QColor>

namespace rollup {

// The console's named colours, one place for each: verify statuses (table, heatmap, chart,
// summary), backfill day states (monitor, calendar), text that reports a failure or a missing
// name, and the chart's lines. Plain QColor values; any thread.
namespace Palette {

// Verify statuses (CompareStatus).
QColor match(); // green
QColor mismatch(); // red
QColor missing(); // orange
QColor extra(); // amber
// A day with nothing to show: no keys in a verify, a calendar cell not yet coloured.
QColor empty();

// Backfill day states.
QColor skipped(); // light grey
QColor pending(); // light blue
QColor running(); // amber
QColor done(); // green
QColor failed(); // red

// Text.
QColor errorText(); // a failure in a message or summary (rich text: errorText().name())
QColor mutedText(); // a name whose users/inboxes row is gone, a value not there (yet)
QColor highlightBackground(); // a row to notice in a list (e.g. the zone list's matching offsets)

// Verify chart lines.
QColor rollupLine(); // stored rollups
QColor rawLine(); // recomputed from raw events

} // namespace Palette

} // namespace rollup
