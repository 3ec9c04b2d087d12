import SimKernel

/// What a referral is attributed to (stored in `Party.cause`): the primary officer, random
/// selection, the class's own risk profile, or an intelligence source. Rule: a watchlist hit that
/// refers, or a biometric detection, is its source's; a referral by the score is the source that
/// added most to the fused score (the risk profile included); random selection only when the score
/// alone would not have referred.
enum ReferralCause {
    static let officer: UInt8 = 0, random: UInt8 = 1, profile: UInt8 = 2
    static func source(_ i: Int) -> UInt8 { UInt8(3 + i) }
    static let none: UInt8 = .max
}

/// The intelligence sources a port uses, resolved per class: evidence fused into each party's
/// risk score at arrival (likelihood-ratio fusion of independent binormal signals: weights d′ᵢ,
/// combined separation √(Σ d′ᵢ²)), watchlist hits, and biometric checks at primary. Every draw
/// comes from the party's key and the source's name, so adding, removing or un-sharing one
/// source never changes another's signals (common random numbers).
struct Intelligence {
    struct ScoreSource {
        var cause: UInt8, purpose: UInt64, coverage: Double, timeliness: Double
        /// Fusion weight: the source's overall d′.
        var weight: Double
        /// Shift of a violator's signal, by violation type.
        var shift: [Double]
    }
    struct Watch {
        var cause: UInt8, purpose: UInt64, coverage: Double, timeliness: Double
        var hitRate: [Double], falseHitRate: Double, refers: Bool, raise: Double
    }
    struct Biometric {
        var cause: UInt8, purpose: UInt64, coverage: Double
        var detects: ViolationID, sensitivity: Double, serviceFactor: Double
    }

    private(set) var scores: [[ScoreSource]]
    private(set) var watches: [[Watch]]
    private(set) var biometrics: [[Biometric]]
    /// Per class: whether any source covers it (the factory's one test per party).
    let covers: [Bool]
    /// The biometric checks by cause code (nil for other causes): read at primary by cause.
    private let biometricByCause: [Biometric?]

    init(_ config: PortConfiguration) {
        let n = config.classes.count, types = config.violationTypes.count
        var scores = [[ScoreSource]](repeating: [], count: n), watches = [[Watch]](repeating: [], count: n)
        var biometrics = [[Biometric]](repeating: [], count: n)
        var byCause = [Biometric?](repeating: nil, count: config.referralCauses.count)
        for (i, source) in config.intelligence.enumerated() where source.inUse {
            let cause = ReferralCause.source(i), purpose = Self.purpose(source.name)
            for c in source.classes where c >= 0 && c < n {
                switch source.evidence {
                case .score(let auc, let byType):
                    let d = RiskScorer.dPrime(auc: auc)
                    let shift = (0..<types).map { t in (t < byType.count ? byType[t] : nil).map(RiskScorer.dPrime(auc:)) ?? d }
                    scores[c].append(ScoreSource(cause: cause, purpose: purpose, coverage: source.coverage,
                                                 timeliness: source.timeliness, weight: d, shift: shift))
                case .watchlist(let hit, let falseHit, let onHit):
                    var raise = 0.0, refers = false
                    switch onHit { case .refer: refers = true; case .raiseScore(let x): raise = x }
                    watches[c].append(Watch(cause: cause, purpose: purpose, coverage: source.coverage, timeliness: source.timeliness,
                                            hitRate: (0..<types).map { $0 < hit.count ? hit[$0] : 0 }, falseHitRate: falseHit,
                                            refers: refers, raise: raise))
                case .biometric(let detects, let sensitivity, let factor):
                    let b = Biometric(cause: cause, purpose: purpose, coverage: source.coverage, detects: ViolationID(detects),
                                      sensitivity: sensitivity, serviceFactor: factor)
                    biometrics[c].append(b)
                    byCause[Int(cause)] = b
                }
            }
        }
        self.scores = scores; self.watches = watches; self.biometrics = biometrics
        covers = (0..<n).map { !scores[$0].isEmpty || !watches[$0].isEmpty || !biometrics[$0].isEmpty }
        biometricByCause = byCause
    }

    /// A source's draws: purposes from its name (FNV-1a), far above the engine's own purposes.
    static func purpose(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return 1 << 20 + (h % (1 << 40)) * 4
    }

    /// Fuses the evidence on a party of class `c` whose own risk profile gave `profile` (d′ `d0`):
    /// its primary score (timely evidence), its score at secondary (all evidence), the source a
    /// score referral is attributed to, a watchlist hit that refers, and a biometric check.
    func assess(_ p: inout Party, profile: Double, d0: Double, draws: KeyedDraws) {
        let c = p.classID.index
        let v = p.violation
        var primarySum = d0 * profile, primaryWeight = d0 * d0
        var allSum = primarySum, allWeight = primaryWeight
        var lead = ReferralCause.profile, leadTerm = primarySum
        var timely = false, heard = false      // some score source in time; some at all
        for s in scores[c] {
            guard draws.uniform(p.key, s.purpose) < s.coverage else { continue }
            heard = true
            let signal = (v.exists ? s.shift[v.index] : 0) + draws.standardNormal(p.key, s.purpose + 2)
            allSum += s.weight * signal
            allWeight += s.weight * s.weight
            if draws.uniform(p.key, s.purpose + 1) < s.timeliness {
                timely = true
                primarySum += s.weight * signal
                primaryWeight += s.weight * s.weight
                if s.weight * signal > leadTerm { lead = s.cause; leadTerm = s.weight * signal }
            }
        }
        // No evidence beyond the profile in time: the score stays exactly the profile's.
        var primary = timely && primaryWeight > 0 ? primarySum / primaryWeight.squareRoot() : profile
        var atSecondary = heard && allWeight > 0 ? allSum / allWeight.squareRoot() : profile
        // Contributions compare on the fused scale.
        leadTerm = timely && primaryWeight > 0 ? leadTerm / primaryWeight.squareRoot() : profile
        for w in watches[c] {
            guard draws.uniform(p.key, w.purpose) < w.coverage else { continue }
            let rate = v.exists ? w.hitRate[v.index] : w.falseHitRate
            guard draws.uniform(p.key, w.purpose + 2) < rate else { continue }
            if draws.uniform(p.key, w.purpose + 1) < w.timeliness {
                if w.refers, p.watchlistCause == ReferralCause.none { p.watchlistCause = w.cause }
                primary += w.raise
                if w.raise > leadTerm { lead = w.cause; leadTerm = w.raise }
            }
            atSecondary += w.raise
        }
        for b in biometrics[c] where draws.uniform(p.key, b.purpose) < b.coverage {
            p.biometricCause = b.cause
            break
        }
        p.score = primary
        p.secondaryScore = atSecondary
        p.lead = lead
    }

    /// Whether the biometric check a party passes through at primary detects its violation.
    func biometricDetects(_ p: Party, draws: KeyedDraws) -> Bool {
        guard let b = biometricByCause[Int(p.biometricCause)], p.violation == b.detects else { return false }
        return draws.uniform(p.key, b.purpose + 1) < b.sensitivity
    }

    /// The service-time factor of the biometric check with code `cause`.
    func serviceFactor(_ cause: UInt8) -> Double { biometricByCause[Int(cause)]?.serviceFactor ?? 1 }
}
