import SimKernel

/// Binormal risk scores: non-violators N(0, 1), violators N(d′, 1). The AUC of such a score is
/// Φ(d′/√2), so d′ = √2·Φ⁻¹(AUC). Parties with advance information are scored with the
/// separation d′ of `aucWithAdvanceInfo` (nil: the same as without).
public struct RiskScorer: Sendable, Equatable {
    /// Separation of violators' mean from non-violators' without advance information.
    public var dPrime: Double
    /// Separation with advance information.
    public var dPrimeWithAdvanceInfo: Double

    public init(model: RiskScoreModel) {
        dPrime = RiskScorer.dPrime(auc: model.auc)
        dPrimeWithAdvanceInfo = model.aucWithAdvanceInfo.map(RiskScorer.dPrime(auc:)) ?? dPrime
    }

    /// d′ = √2·Φ⁻¹(AUC). The AUC is clamped to [1e-9, 1 − 1e-9] (d′ within about ±8.5) so that
    /// an AUC of 0 or 1 gives a finite, usable separation rather than ±∞; NaN counts as 0.5
    /// (an uninformative score). The loader validates the range; this only avoids traps.
    public static func dPrime(auc: Double) -> Double {
        let a = auc.isNaN ? 0.5 : Swift.min(Swift.max(auc, 1e-9), 1 - 1e-9)
        return 2.0.squareRoot() * StandardNormal.quantile(a)
    }

    /// The AUC a separation gives: Φ(d′/√2).
    public static func auc(dPrime: Double) -> Double {
        StandardNormal.cdf(dPrime / 2.0.squareRoot())
    }

    /// The separation that applies to a party.
    @inline(__always)
    public func dPrime(advanceInfo: Bool) -> Double { advanceInfo ? dPrimeWithAdvanceInfo : dPrime }

    /// The score of a party. `z` is a standard normal drawn by the engine at arrival from the
    /// class's attribute stream: the score is a shift of that one draw, so changing the AUC moves
    /// every violator's score monotonically with all else fixed (common random numbers).
    @inline(__always)
    public func score(violator: Bool, advanceInfo: Bool, z: Double) -> Double {
        guard violator else { return z }
        return (advanceInfo ? dPrimeWithAdvanceInfo : dPrime) + z
    }
}
