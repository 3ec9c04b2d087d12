// The C++ baseline of the hold benchmark: std::priority_queue over std::vector, -O2
// (see Package.swift). Written the way a C++ programmer would, nothing clever.
#include "CppBaseline.h"

#include <chrono>
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
    auto start = std::chrono::steady_clock::now();
    for (size_t h = 0; h < holds; ++h) {
        Event e = pq.top();
        pq.pop();
        sum += e.time;
        pq.push(Event{e.time + draws[d++ & mask], seq, e.payload + 1});
        ++seq;
    }
    auto stop = std::chrono::steady_clock::now();
    *checksum = sum;
    return std::chrono::duration<double, std::nano>(stop - start).count() / double(holds);
}
