#include "jobs/canceltoken.h"

#include "db/connection.h"

namespace rollup {

void CancelToken::cancel()
{
    m_cancelled.store(true);
    std::shared_ptr<StatementCanceller> c;
    {
        std::lock_guard lock(m_mutex);
        c = m_canceller;
    }
    if (c)
        c->cancel();
}

void CancelToken::attach(std::shared_ptr<StatementCanceller> canceller)
{
    std::lock_guard lock(m_mutex);
    m_canceller = std::move(canceller);
}

void CancelToken::detach()
{
    std::lock_guard lock(m_mutex);
    m_canceller.reset();
}

} // namespace rollup
