import CGSL

/// The standard normal distribution's functions (GSL's), for the model's risk scores and the
/// experiments' statistics: callers need not import GSL.
public enum StandardNormal {
    /// Φ(x).
    @inlinable public static func cdf(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }
    /// 1 − Φ(x), accurate in the upper tail.
    @inlinable public static func survival(_ x: Double) -> Double { gsl_cdf_ugaussian_Q(x) }
    /// Φ⁻¹(p), p in (0, 1).
    @inlinable public static func quantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }
}
