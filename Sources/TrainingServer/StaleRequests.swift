import Foundation

/// Set when a newer request from the same page arrives.
final class CancelToken: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }
    func cancel() { lock.lock(); cancelled = true; lock.unlock() }
}

/// The latest request of each page (its `client` id) for each endpoint: a new one cancels the
/// one before, whose remaining replications are then skipped.
final class StaleRequests: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: [String: CancelToken] = [:]
    private let limit = 1_000

    func begin(client: String?, endpoint: String) -> CancelToken {
        let token = CancelToken()
        guard let client else { return token }
        let key = endpoint + " " + client
        lock.lock(); defer { lock.unlock() }
        latest[key]?.cancel()
        if latest.count >= limit { latest.removeAll() }     // a page id per tab: never many
        latest[key] = token
        return token
    }
}
