#include "jobs/loopbackport.h"

#include <QRandomGenerator>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rollup {

int freeLoopbackPort()
{
    constexpr int kFirst = 20000;
    constexpr int kCount = 12000; // up to 31999
    for (int attempt = 0; attempt < 200; ++attempt) {
        const int port = kFirst + int(QRandomGenerator::system()->bounded(kCount));
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            return 0;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(quint16(port));
        const bool free = ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
        ::close(fd);
        if (free)
            return port;
    }
    return 0;
}

} // namespace rollup
