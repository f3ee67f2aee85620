#include "ui/verifyview.h"

#include <QLabel>
#include <QVBoxLayout>

namespace rollup {

VerifyView::VerifyView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Verify: not built yet."), this));
}

void VerifyView::setConnectionSettings(const ConnectionSettings &settings) { m_settings = settings; }
void VerifyView::verifyAccount(qint64, const QString &, const QString &) {}

} // namespace rollup
