#include "core/cancellation.h"

#include <QThreadPool>

#include <algorithm>

namespace rollup {

void CancelToken::cancel()
{
    m_cancelled.store(true);
    cancelStatements();
}

void CancelToken::cancelInBackground()
{
    m_cancelled.store(true);
    std::vector<std::shared_ptr<Interruptible>> all;
    {
        std::lock_guard lock(m_mutex);
        all = m_cancellers;
    }
    if (all.empty())
        return;
    QThreadPool::globalInstance()->start([all]() {
        for (const auto &c : all)
            c->cancel();
    });
}

void CancelToken::cancelStatements()
{
    std::vector<std::shared_ptr<Interruptible>> all;
    {
        std::lock_guard lock(m_mutex);
        all = m_cancellers;
    }
    for (const auto &c : all)
        c->cancel();
}

bool CancelToken::attach(std::shared_ptr<Interruptible> canceller)
{
    std::lock_guard lock(m_mutex);
    if (std::find(m_cancellers.cbegin(), m_cancellers.cend(), canceller) != m_cancellers.cend())
        return false;
    m_cancellers.push_back(std::move(canceller));
    return true;
}

void CancelToken::detach(const std::shared_ptr<Interruptible> &canceller)
{
    std::lock_guard lock(m_mutex);
    std::erase(m_cancellers, canceller);
}

CancelToken::Scope::Scope(CancelToken &token, std::shared_ptr<Interruptible> canceller)
    : m_token(token), m_canceller(std::move(canceller)), m_attached(m_token.attach(m_canceller))
{
}

CancelToken::Scope::~Scope()
{
    if (m_attached)
        m_token.detach(m_canceller);
}

} // namespace rollup
