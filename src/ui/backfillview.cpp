#include "ui/backfillview.h"

#include <QLabel>
#include <QVBoxLayout>

namespace rollup {

BackfillView::BackfillView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Backfill: not built yet."), this));
}

void BackfillView::setConnectionSettings(const ConnectionSettings &settings) { m_settings = settings; }
void BackfillView::planFor(qint64, const QList<date::local_days> &) {}
bool BackfillView::isRunning() const { return false; }

} // namespace rollup
