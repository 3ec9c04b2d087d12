import SimKernel

/// The end of primary: whether a party goes on to secondary, and why (`ReferralCause`). In
/// order: a biometric check that detects its violation, the primary officer spotting it, a
/// watchlist hit that refers, and otherwise the targeting policy (by the score, attributed to the
/// party's lead source, or random selection). Each check draws from the party's key.
struct PrimaryReferral {
    let targeter: Targeter
    let intelligence: Intelligence

    /// The cause of the party's referral, or `ReferralCause.none`. `spots` is the officer's
    /// chance of spotting the party's violation at this lane; `referralQueue` the queue at the
    /// referral station (congestion-aware rules).
    @inline(__always)
    func cause(of party: Party, spots: Double, referralQueue: Int, draws: KeyedDraws) -> UInt8 {
        if party.violation.exists {
            if party.biometricCause != ReferralCause.none, intelligence.biometricDetects(party, draws: draws) {
                return party.biometricCause
            }
            if draws.uniform(party.key, DrawPurpose.primaryDetection.rawValue) < spots { return ReferralCause.officer }
        }
        if party.watchlistCause != ReferralCause.none { return party.watchlistCause }
        switch targeter.decision(classIndex: party.classID.index, trusted: party.trusted, score: party.score,
                                 uRandom: { draws.uniform(party.key, DrawPurpose.selection.rawValue) },
                                 secondaryQueue: referralQueue) {
        case .none: return ReferralCause.none
        case .score: return party.lead
        case .random: return ReferralCause.random
        }
    }

    /// A referral that is a detection at primary (the party is then marked detected).
    @inline(__always)
    static func detects(_ cause: UInt8, _ party: Party) -> Bool {
        cause == ReferralCause.officer || (cause != ReferralCause.none && cause == party.biometricCause)
    }
}
