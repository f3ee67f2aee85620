#include "ui/palette.h"

namespace rollup::Palette {

QColor match()
{
    return QColor(0x4c, 0xaf, 0x50);
}
QColor mismatch()
{
    return QColor(0xd3, 0x2f, 0x2f);
}
QColor missing()
{
    return QColor(0xf0, 0x80, 0x30);
}
QColor extra()
{
    return QColor(0xf2, 0xc1, 0x2e);
}
QColor empty()
{
    return QColor(0xe0, 0xe0, 0xe0);
}

QColor skipped()
{
    return QColor(0xe4, 0xe4, 0xe4);
}
QColor pending()
{
    return QColor(0xa9, 0xc4, 0xe8);
}
QColor running()
{
    return QColor(0xf2, 0xb1, 0x2c);
}
QColor done()
{
    return QColor(0x3f, 0xa3, 0x4d);
}
QColor failed()
{
    return QColor(0xd3, 0x2f, 0x2f);
}

QColor errorText()
{
    return QColor(0xc6, 0x28, 0x28);
}
QColor mutedText()
{
    return QColor(Qt::gray);
}
QColor highlightBackground()
{
    return QColor(0xff, 0xf0, 0xc0);
}

QColor rollupLine()
{
    return QColor(0x19, 0x76, 0xd2);
}
QColor rawLine()
{
    return QColor(0x61, 0x61, 0x61);
}

} // namespace rollup::Palette
