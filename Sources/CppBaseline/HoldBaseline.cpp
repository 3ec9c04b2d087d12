// The C++ baseline of the hold benchmark: std::priority_queue over std::vector, -O2
// (see Package.swift). Written the way a C++ programmer would, nothing clever.
#include "CppBaseline.h"

#include <time.h>
#include <cstdint>
#include <queue>
#include <vector>

namespace {

struct Event {
    double time;
    uint64_t seq;
    uint64_t payload;
};
static_assert(sizeof(Event) == 24, "the record must be 24 bytes, as on the Swift side");

// std::priority_queue is a max-heap: "a after b" puts the earliest (time, seq) on top.
struct Later {
    bool operator()(const Event &a, const Event &b) const {
        return a.time > b.time || (a.time == b.time && a.seq > b.seq);
    }
};

// CPU time of this thread, as the Swift side measures it (see Harness.swift): on a shared,
// noisy machine it leaves out the time other processes hold the core.
double thread_cpu_ns() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

}  // namespace

extern "C" double cpp_pq_hold_ns(size_t n, size_t holds, const double *draws, size_t ndraws,
                                 double *checksum) {
    const size_t mask = ndraws - 1;
    std::vector<Event> storage;
    storage.reserve(n + 1);
    std::priority_queue<Event, std::vector<Event>, Later> pq(Later(), std::move(storage));

    uint64_t seq = 0;
    size_t d = 0;
    for (size_t i = 0; i < n; ++i) {
        pq.push(Event{draws[d++ & mask], seq, seq});
        ++seq;
    }

    double sum = 0;
    double start = thread_cpu_ns();
    for (size_t h = 0; h < holds; ++h) {
        Event e = pq.top();
        pq.pop();
        sum += e.time;
        pq.push(Event{e.time + draws[d++ & mask], seq, e.payload + 1});
        ++seq;
    }
    double stop = thread_cpu_ns();
    *checksum = sum;
    return (stop - start) / double(holds);
}
