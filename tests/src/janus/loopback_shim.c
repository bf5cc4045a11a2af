/* Janus leaves loopback interfaces out of its ICE candidates whatever its configuration.
 * The meeting benchmark keeps all traffic on 127.0.0.1, so this library, preloaded into
 * the benchmark's own Janus process only, clears the loopback flag from what getifaddrs
 * reports; `ice_enforce_list = "lo"` then makes `lo` the only interface Janus uses. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <ifaddrs.h>
#include <net/if.h>

int getifaddrs(struct ifaddrs **ifap) {
    static int (*real)(struct ifaddrs **) = 0;
    if (!real) {
        real = (int (*)(struct ifaddrs **))dlsym(RTLD_NEXT, "getifaddrs");
        if (!real) {
            return -1;
        }
    }
    int result = real(ifap);
    if (result == 0) {
        for (struct ifaddrs *i = *ifap; i; i = i->ifa_next) {
            i->ifa_flags &= ~IFF_LOOPBACK;
        }
    }
    return result;
}
