#include "jobs/canceltoken.h"

#include "db/connection.h"

namespace rollup {

void CancelToken::cancel()
{
    m_cancelled.store(true);
    std::vector<std::shared_ptr<StatementCanceller>> all;
    {
        std::lock_guard lock(m_mutex);
        all = m_cancellers;
    }
    for (const auto &c : all)
        c->cancel();
}

void CancelToken::attach(std::shared_ptr<StatementCanceller> canceller)
{
    std::lock_guard lock(m_mutex);
    m_cancellers.push_back(std::move(canceller));
}

void CancelToken::detach(const std::shared_ptr<StatementCanceller> &canceller)
{
    std::lock_guard lock(m_mutex);
    std::erase(m_cancellers, canceller);
}

void CancelToken::detach()
{
    std::lock_guard lock(m_mutex);
    m_cancellers.clear();
}

} // namespace rollup
