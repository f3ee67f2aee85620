#pragma once

#include <QCoreApplication>
#include <QString>
#include <QToolButton>

namespace rollup {

// The short "?" of each view's top row: what the view's colours and statuses mean, with the
// colours themselves (Palette). GUI thread only.
class ViewHelp
{
    Q_DECLARE_TR_FUNCTIONS(ViewHelp)

public:
    enum class Topic { Accounts, Backfill, Verify };

    // A small "?" button (object name "helpButton"); a click shows text(topic) next to it.
    static QToolButton *button(Topic topic, QWidget *parent);
    // The topic's rich text.
    static QString text(Topic topic);
};

} // namespace rollup
